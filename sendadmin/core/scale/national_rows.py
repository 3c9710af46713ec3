"""Rows of one LA of the national profile: its schools and staff, SEN pupils, plans, support plans,
assessments and the clocks the services would have opened for them.

Counts and states are decided by each row's index (`_u`), dates by a seeded `random.Random`, so a
control LA (`control=True`, seed_scale --double-stored) has exactly the rows of its base LA, with
every clock met, cancelled or due after the sweep's horizon.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import Model

from ehcp import deadlines as ehcp_deadlines
from ehcp.models import AdviceKind, AdviceRequest, AssessmentCase, Plan
from pupils.models import Pupil, SenStatus
from pupils.support.models import SupportCycle, SupportPlan
from pupils.upn import upn_check_letter
from reviews.deadlines import annual_review_due
from sendadmin.accounts.models import Membership, School, User
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_months
from sendadmin.clocks.kinds import SEN_SUPPORT_REVIEW_MONTHS, Kind
from sendadmin.clocks.models import Clock

from .copyutil import reserve_ids

# Database columns written for each model. User's two columns that history does not keep
# (password, last_login) come last, so its history rows are the first len - 2 values.
COLUMNS: dict[type[Model], tuple[str, ...]] = {
    School: ("id", "urn", "name", "phase", "type", "local_authority_id", "website"),
    User: (
        "id", "email", "full_name", "job_title", "is_active", "is_staff", "is_superuser",
        "date_joined", "password", "last_login",
    ),
    Membership: ("id", "user_id", "school_id", "local_authority_id", "role", "start", "end"),
    Pupil: (
        "id", "school_id", "upn", "legal_first_name", "legal_last_name", "preferred_name",
        "date_of_birth", "year_group", "admission_date", "leaving_date", "sen_provision",
        "looked_after", "eal", "free_school_meals", "pupil_premium",
    ),
    SenStatus: ("id", "pupil_id", "provision", "start", "end"),
    AssessmentCase: (
        "id", "pupil_id", "local_authority_id", "caseworker_id", "requested_by", "requester_name",
        "request_received_on", "request_reason", "assess_decision", "assess_decision_on",
        "assess_decision_reasons", "issue_decision", "issue_decision_on", "issue_decision_reasons",
        "requested_school_id", "requested_school_name", "consultation_sent_on",
        "consultation_reply_on", "consultation_reply", "closed_on", "closed_reason", "created_at",
        "created_by_id", "version",
    ),
    Plan: ("id", "pupil_id", "local_authority_id", "case_id", "ceased_on", "created_at"),
    AdviceRequest: (
        "id", "case_id", "kind", "adviser_name", "school_id", "sent_on", "received_on", "status",
        "submitted_on", "submitted_by_id", "needs", "attainment", "attendance", "tried",
        "outcomes_sought", "pupil_views", "parent_views", "summary", "version", "created_at",
    ),
    SupportPlan: ("id", "pupil_id", "school_id", "created_at"),
    SupportCycle: (
        "id", "plan_id", "number", "status", "assessment", "evidence", "review_date",
        "reviewed_on", "version",
    ),
    Clock: (
        "id", "kind", "subject_type_id", "subject_id", "pupil_id", "school_id",
        "local_authority_id", "responsible_role", "responsible_user_id", "start_event",
        "started_on", "due_on", "state", "opened_at", "met_on", "met_by_id", "met_note",
        "cancelled_reason", "exception_regulation", "exception_limb", "exception_from",
        "exception_to", "exception_evidence",
    ),
}  # fmt: skip
HISTORY_DROP: dict[type[Model], int] = {User: 2}

# The mix of schools (domain.md 8: about 22,000 state-funded schools, 16,764 of them primary).
PHASES = (
    (0.76, School.Phase.PRIMARY, School.Type.MAINTAINED, "Primary School"),
    (0.92, School.Phase.SECONDARY, School.Type.ACADEMY, "Academy"),
    (0.97, School.Phase.ALL_THROUGH, School.Type.SPECIAL, "Special School"),
    (1.00, School.Phase.SECONDARY, School.Type.PRU, "Pupil Referral Unit"),
)
# How many SEN pupils a school holds relative to a primary school: special schools hold most of
# the plans of school-age children, mainstream secondaries are larger than primaries.
E_WEIGHT: dict[str, float] = {
    School.Type.MAINTAINED: 1.0,
    School.Type.ACADEMY: 2.5,
    School.Type.SPECIAL: 14.0,
}
K_WEIGHT: dict[str, float] = {
    School.Type.MAINTAINED: 1.0,
    School.Type.ACADEMY: 3.5,
    School.Type.SPECIAL: 0.1,
}
PRU_WEIGHT = 1.2
YEARS: dict[str, tuple[int, ...]] = {
    School.Type.MAINTAINED: tuple(range(0, 7)),
    School.Type.ACADEMY: (7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 13),
    School.Type.SPECIAL: tuple(range(1, 15)),
    School.Type.PRU: tuple(range(5, 12)),
}

# Shares of the states the clocks are in (decided per row by its index, so control rows match).
NEW_PLAN_SHARE = 0.15  # 97,747 new plans in 2024 of about 640,000 (domain.md 8)
PLAN_OVERDUE_SHARE = 0.12  # annual reviews late
PRIOR_REVIEW_LATE_SHARE = 0.2
SUPPORT_PRIOR_CYCLE_SHARE = 0.6
SUPPORT_OVERDUE_SHARE = 0.08
AWAITING_DECISION_SHARE = 0.3  # open assessments before the week-6 decision
FORMER_SENCO_SHARE = 0.1
# A caseworker's caseload, in plans.
CASELOAD = 250
# Days after the adviser's receipt until advice arrives (mean, spread): the educational
# psychology service is the usual bottleneck of the six weeks (reg 8(1)).
ADVICE = (
    (AdviceKind.PARENT, "Parent or carer", 20, 10),
    (AdviceKind.EDUCATIONAL, "", 30, 12),
    (AdviceKind.PSYCHOLOGICAL, "Educational Psychology Service", 46, 16),
    (AdviceKind.MEDICAL, "Community Paediatrics", 36, 15),
    (AdviceKind.SOCIAL_CARE, "Children's Social Care", 38, 15),
)

FORENAMES = (
    "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah", "Mia", "Jack", "Ivy", "Leo",
    "Lily", "Arthur", "Isabella", "Muhammad", "Rosie", "Oscar", "Sophia", "Charlie", "Grace",
    "Freya", "Thomas", "Evie", "Henry", "Zoë", "Yusuf", "Priya", "Kwame", "Siân", "Mateusz",
)  # fmt: skip
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Roberts", "Patel", "Khan", "Hussain", "Begum", "Nowak", "O'Brien", "Okafor", "Nguyen",
    "Da Silva", "Brown-Hughes", "Clarke", "Walker", "Wright", "Green", "Hall", "Lewis", "Wood",
)  # fmt: skip
NOON = dt.time(12, 0, tzinfo=dt.UTC)


def _u(i: int, salt: int) -> float:
    """A fixed pseudo-random number in [0, 1) for row `i` and decision `salt` (a 32-bit mix)."""
    x = (i * 0x9E3779B1 + salt * 0x85EBCA77 + 0x165667B1) & 0xFFFFFFFF
    x ^= x >> 16
    x = (x * 0x7FEB352D) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x846CA68B) & 0xFFFFFFFF
    x ^= x >> 16
    return x / 4294967296.0


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights`, by largest remainder (the parts sum to total)."""
    if not weights:
        return []
    whole = sum(weights) or 1.0
    exact = [total * w / whole for w in weights]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


class IdPool:
    """Primary keys taken from a table's sequence a block at a time (copyutil.reserve_ids)."""

    def __init__(self, model: type[Model], block: int = 20_000) -> None:
        self.model, self.block = model, block
        self._ids: range = range(0)
        self._next = 0

    def take(self) -> int:
        if self._next >= len(self._ids):
            self._ids, self._next = reserve_ids(self.model, self.block), 0
        value = self._ids[self._next]
        self._next += 1
        return value


@dataclass
class Context:
    """What every LA's rows share: the day the data is as of, the history stamp, id pools."""

    today: dt.date
    horizon: dt.date  # the sweep's: today + the largest reminder lead time
    by_id: int
    content_types: dict[type[Model], int]
    pools: dict[type[Model], IdPool] = field(default_factory=dict)

    def id(self, model: type[Model]) -> int:
        pool = self.pools.get(model)
        if pool is None:
            pool = self.pools[model] = IdPool(model)
        return pool.take()


@dataclass
class Rows:
    """Rows per model, in COLUMNS order, in the order they must be written (parents first)."""

    tables: dict[type[Model], list[tuple[Any, ...]]] = field(default_factory=dict)

    def add(self, model: type[Model], row: tuple[Any, ...]) -> None:
        self.tables.setdefault(model, []).append(row)

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


@dataclass(frozen=True)
class LaSpec:
    index: int
    code: str
    name: str
    schools: int
    plans: int  # pupils with an EHC plan (census provision E)
    support: int  # pupils on SEN support (K)
    open_cases: int

    @property
    def caseworkers(self) -> int:
        return max(1, math.ceil(self.plans / CASELOAD))


@dataclass
class Staff:
    """Ids of an LA's people the clocks name."""

    caseworkers: list[int]
    manager: int
    sencos: dict[int, int] = field(default_factory=dict)  # school id -> SENCO user id


@dataclass
class SchoolRef:
    id: int
    urn: str
    name: str
    type: str


@dataclass
class PupilRef:
    id: int
    school: SchoolRef
    dob: dt.date
    index: int  # within its provision (E or K) in the LA: decides its structure


def _user(ctx: Context, rows: Rows, email: str, name: str, title: str) -> int:
    user_id = ctx.id(User)
    joined = dt.datetime.combine(ctx.today, NOON)
    # set_unusable_password's value: nobody signs in as a seeded person.
    rows.add(
        User, (user_id, email, name, title, True, False, False, joined, make_password(None), None)
    )
    return user_id


def _member(
    ctx: Context, rows: Rows, user_id: int, role: str, start: dt.date, end: dt.date | None = None,
    *, school_id: int | None = None, la_id: int | None = None,
) -> None:  # fmt: skip
    rows.add(Membership, (ctx.id(Membership), user_id, school_id, la_id, role, start, end))


def la_staff(ctx: Context, rows: Rows, spec: LaSpec, la_id: int, rng: random.Random) -> Staff:
    """The LA's SEND caseworkers (one per CASELOAD plans), its manager and one former caseworker."""
    domain = f"la{spec.code}.national.example"
    staff = Staff(caseworkers=[], manager=0)
    for n in range(spec.caseworkers):
        user_id = _user(ctx, rows, f"caseworker{n + 1}@{domain}", _name(rng), "SEND caseworker")
        _member(ctx, rows, user_id, Role.LA_CASEWORKER, _past(ctx, rng, 60, 3000), la_id=la_id)
        staff.caseworkers.append(user_id)
    staff.manager = _user(ctx, rows, f"manager@{domain}", _name(rng), "SEND manager")
    _member(ctx, rows, staff.manager, Role.LA_MANAGER, _past(ctx, rng, 200, 4000), la_id=la_id)
    former = _user(ctx, rows, f"former.caseworker@{domain}", _name(rng), "SEND caseworker")
    start = _past(ctx, rng, 800, 3000)
    _member(ctx, rows, former, Role.LA_CASEWORKER, start, _past(ctx, rng, 30, 700), la_id=la_id)
    return staff


def schools(
    ctx: Context, rows: Rows, spec: LaSpec, la_id: int, first_urn: int, staff: Staff,
    rng: random.Random,
) -> list[SchoolRef]:  # fmt: skip
    """The LA's schools, each with a current SENCO and head; one in ten had a SENCO who left."""
    made: list[SchoolRef] = []
    for j in range(spec.schools):
        share = _u(j, 1)
        phase, type_, suffix = next((p, t, s) for cut, p, t, s in PHASES if share < cut)
        urn = f"{first_urn + j:06d}"
        school = SchoolRef(ctx.id(School), urn, f"{place_name(rng)} {suffix}", type_)
        rows.add(School, (school.id, urn, school.name, phase, type_, la_id, ""))
        made.append(school)
        domain = f"{urn}.schools.national.example"
        senco = _user(ctx, rows, f"senco@{domain}", _name(rng), "SENCO")
        senco_start = _past(ctx, rng, 30, 2500)
        _member(ctx, rows, senco, Role.SENCO, senco_start, school_id=school.id)
        staff.sencos[school.id] = senco
        head = _user(ctx, rows, f"head@{domain}", _name(rng), "Headteacher")
        _member(ctx, rows, head, Role.HEADTEACHER, _past(ctx, rng, 30, 4000), school_id=school.id)
        if _u(j, 3) < FORMER_SENCO_SHARE:
            former = _user(ctx, rows, f"former.senco@{domain}", _name(rng), "SENCO")
            start = senco_start - dt.timedelta(days=rng.randint(365, 3000))
            ended = senco_start - dt.timedelta(days=1)
            _member(ctx, rows, former, Role.SENCO, start, ended, school_id=school.id)
    return made


def pupils(
    ctx: Context, rows: Rows, spec: LaSpec, la_code: str, made: list[SchoolRef],
    rng: random.Random,
) -> tuple[list[PupilRef], list[PupilRef]]:  # fmt: skip
    """The LA's SEN pupils, those with a plan (E) and those on SEN support (K), spread over its
    schools by size; each with its open census status period (domain.md 7.1)."""
    e_parts = allocate(spec.plans, [_weight(s, E_WEIGHT) for s in made])
    k_parts = allocate(spec.support, [_weight(s, K_WEIGHT) for s in made])
    on_plan: list[PupilRef] = []
    on_support: list[PupilRef] = []
    year_start = dt.date(ctx.today.year if ctx.today.month >= 9 else ctx.today.year - 1, 9, 1)
    for school, n_e, n_k in zip(made, e_parts, k_parts, strict=True):
        for serial in range(n_e + n_k):
            provision = "E" if serial < n_e else "K"
            years = YEARS[school.type]
            year = rng.choice(years)
            dob = dt.date(year_start.year - 5 - year, 9, 1) + dt.timedelta(days=rng.randint(0, 364))
            stayed = rng.randint(0, year - years[0])
            admitted = min(dt.date(year_start.year - stayed, 9, 1), ctx.today)
            body = f"{la_code}{school.urn[-4:]}{serial:05d}"
            pupil_id = ctx.id(Pupil)
            first, last = rng.choice(FORENAMES), rng.choice(SURNAMES)
            rows.add(
                Pupil,
                (
                    pupil_id, school.id, upn_check_letter(body) + body, first, last, "", dob,
                    year, admitted, None, provision, rng.random() < 0.02, rng.random() < 0.2,
                    rng.random() < 0.35, rng.random() < 0.38,
                ),
            )  # fmt: skip
            target = on_plan if provision == "E" else on_support
            target.append(PupilRef(pupil_id, school, dob, len(target)))
    return on_plan, on_support


def status_periods(ctx: Context, rows: Rows, starts: dict[int, tuple[str, dt.date]]) -> None:
    for pupil_id, (provision, start) in starts.items():
        rows.add(SenStatus, (ctx.id(SenStatus), pupil_id, provision, start, None))


def _clock(
    ctx: Context, rows: Rows, kind: str, subject: type[Model], subject_id: int, pupil_id: int,
    role: str, event: str, started: dt.date, due: dt.date, *, school_id: int | None = None,
    la_id: int, user_id: int | None = None, met_on: dt.date | None = None,
    met_by: int | None = None, cancelled: str = "",
) -> None:  # fmt: skip
    state = "cancelled" if cancelled else "met" if met_on else "open"
    opened = dt.datetime.combine(started, NOON)
    rows.add(
        Clock,
        (
            ctx.id(Clock), kind, ctx.content_types[subject], subject_id, pupil_id, school_id,
            la_id, role, user_id, event, started, due, state, opened, met_on, met_by, "",
            cancelled, "", "", None, None, "",
        ),
    )  # fmt: skip


def plans(
    ctx: Context, rows: Rows, la_id: int, staff: Staff, on_plan: list[PupilRef],
    rng: random.Random, control: bool, status: dict[int, tuple[str, dt.date]],
) -> None:  # fmt: skip
    """An EHC plan per E pupil with its open annual-review clock (CFA s.44(1), reg 18), the last
    review's met clock, or for plans new this year the closed assessment that made them."""
    for p in on_plan:
        if control:
            due = ctx.horizon + dt.timedelta(days=rng.randint(1, 350))
        elif _u(p.index, 11) < PLAN_OVERDUE_SHARE:
            due = ctx.today - dt.timedelta(days=min(300, 1 + int(rng.expovariate(1 / 45))))
        else:
            due = ctx.today + dt.timedelta(days=rng.randint(0, 364))
        started = min(add_months(due, -12), ctx.today)
        due = annual_review_due(started)
        while control and due <= ctx.horizon:  # 29 February falls back to the 28th
            started += dt.timedelta(days=1)
            due = annual_review_due(started)
        plan_id = ctx.id(Plan)
        senco = staff.sencos[p.school.id]
        case_id = None
        if _u(p.index, 12) < NEW_PLAN_SHARE:
            first_issue = started
            case_id = _closed_case(ctx, rows, la_id, staff, p, started, rng)
            event = "Final EHC plan issued"
        else:
            years = 1 + int(_u(p.index, 13) * 6)
            first_issue = max(add_months(started, -12 * years), p.dob + dt.timedelta(days=730))
            if _u(p.index, 14) < PRIOR_REVIEW_LATE_SHARE:
                prior_due = started - dt.timedelta(days=rng.randint(1, 120))
            else:
                prior_due = started + dt.timedelta(days=rng.randint(0, 30))
            prior_start = min(add_months(prior_due, -12), started)
            _clock(
                ctx, rows, Kind.ANNUAL_REVIEW, Plan, plan_id, p.id, Role.SENCO,
                "Annual review meeting held", prior_start, prior_due, school_id=p.school.id,
                la_id=la_id, met_on=started, met_by=senco,
            )  # fmt: skip
            event = "Annual review meeting held"
        created = dt.datetime.combine(first_issue, NOON)
        rows.add(Plan, (plan_id, p.id, la_id, case_id, None, created))
        status[p.id] = ("E", first_issue)
        _clock(
            ctx, rows, Kind.ANNUAL_REVIEW, Plan, plan_id, p.id, Role.SENCO, event, started, due,
            school_id=p.school.id, la_id=la_id,
        )  # fmt: skip


def _closed_case(
    ctx: Context, rows: Rows, la_id: int, staff: Staff, p: PupilRef, issued: dt.date,
    rng: random.Random,
) -> int:  # fmt: skip
    """The finished assessment behind a plan issued on `issued`: 46.4% within 20 weeks (domain.md
    8, SEN2 2024), 7.3% over 52; its decision, notice and 20-week clocks met (reg 5, 10, 13)."""
    share = rng.random()
    weeks_days = (84, 140) if share < 0.464 else (141, 364) if share < 0.927 else (365, 420)
    request = issued - dt.timedelta(days=rng.randint(*weeks_days))
    assessed = request + dt.timedelta(days=rng.randint(21, 48))
    decided = max(assessed + dt.timedelta(days=14), issued - dt.timedelta(days=rng.randint(14, 35)))
    caseworker = rng.choice(staff.caseworkers)
    case_id = ctx.id(AssessmentCase)
    _case_row(
        ctx, rows, case_id, p, la_id, caseworker, request, assessed, "assess",
        (decided, "issue"), (issued, "Final plan issued"),
    )  # fmt: skip
    received = "Request for an EHC needs assessment received"
    ehcp_clocks = (
        (Kind.DECISION_TO_ASSESS, Role.LA_MANAGER, None, ehcp_deadlines.decision_to_assess_due, assessed),
        (Kind.NO_PLAN_NOTICE, Role.LA_CASEWORKER, caseworker, ehcp_deadlines.no_plan_notice_due, decided),
        (Kind.FINAL_PLAN, Role.LA_CASEWORKER, caseworker, ehcp_deadlines.final_plan_due, issued),
    )  # fmt: skip
    for kind, role, user_id, due_of, met_on in ehcp_clocks:
        _clock(
            ctx, rows, kind, AssessmentCase, case_id, p.id, role, received, request,
            due_of(request), la_id=la_id, user_id=user_id, met_on=met_on,
            met_by=user_id or staff.manager,
        )  # fmt: skip
    return case_id


def _case_row(
    ctx: Context, rows: Rows, case_id: int, p: PupilRef, la_id: int, caseworker: int,
    request: dt.date, assessed: dt.date | None, assess: str,
    issue: tuple[dt.date | None, str], closed: tuple[dt.date | None, str],
) -> None:  # fmt: skip
    created = dt.datetime.combine(request, NOON)
    reasons = "Reasons recorded in the panel minutes" if assess == "not_assess" else ""
    issue_reasons = "Reasons recorded in the panel minutes" if issue[1] == "not_issue" else ""
    rows.add(
        AssessmentCase,
        (
            case_id, p.id, la_id, caseworker, "school", p.school.name, request, "", assess,
            assessed, reasons, issue[1], issue[0], issue_reasons, None, "", None, None, "",
            closed[0], closed[1], created, caseworker, 1,
        ),
    )  # fmt: skip


def support(
    ctx: Context, rows: Rows, la_id: int, staff: Staff, on_support: list[PupilRef],
    rng: random.Random, control: bool, status: dict[int, tuple[str, dt.date]],
) -> None:  # fmt: skip
    """A SEN support plan per K pupil, its current cycle with an open review clock (CoP 6.54-6.56,
    reviewed termly) and, for most, the last cycle reviewed with its clock met."""
    months = SEN_SUPPORT_REVIEW_MONTHS
    for p in on_support:
        if control:
            due = ctx.horizon + dt.timedelta(days=rng.randint(1, 107))
        elif _u(p.index, 21) < SUPPORT_OVERDUE_SHARE:
            due = ctx.today - dt.timedelta(days=min(200, 1 + int(rng.expovariate(1 / 30))))
        else:
            due = ctx.today + dt.timedelta(days=rng.randint(0, 122))
        started = min(add_months(due, -months), ctx.today)
        plan_id = ctx.id(SupportPlan)
        senco = staff.sencos[p.school.id]
        begun = started
        number = 1
        if _u(p.index, 22) < SUPPORT_PRIOR_CYCLE_SHARE:
            late = rng.random() < 0.15
            shift = -rng.randint(1, 60) if late else rng.randint(0, 20)
            prior_due = started + dt.timedelta(days=shift)
            begun = min(add_months(prior_due, -months), started)
            prior_id = ctx.id(SupportCycle)
            rows.add(
                SupportCycle,
                (prior_id, plan_id, 1, "reviewed", "Assessed", "", prior_due, started, 3),
            )
            _clock(
                ctx, rows, Kind.SEN_SUPPORT_REVIEW, SupportCycle, prior_id, p.id, Role.SENCO,
                "SEN support plan review date set", begun, prior_due, school_id=p.school.id,
                la_id=la_id, met_on=started, met_by=senco,
            )  # fmt: skip
            number = 2
        cycle_id = ctx.id(SupportCycle)
        rows.add(SupportCycle, (cycle_id, plan_id, number, "active", "Assessed", "", due, None, 2))
        _clock(
            ctx, rows, Kind.SEN_SUPPORT_REVIEW, SupportCycle, cycle_id, p.id, Role.SENCO,
            "SEN support plan review date set", started, due, school_id=p.school.id, la_id=la_id,
        )  # fmt: skip
        rows.add(SupportPlan, (plan_id, p.id, p.school.id, dt.datetime.combine(begun, NOON)))
        status[p.id] = ("K", begun)


def open_cases(
    ctx: Context, rows: Rows, spec: LaSpec, la_id: int, staff: Staff,
    on_support: list[PupilRef], rng: random.Random, control: bool,
) -> None:  # fmt: skip
    """Open EHC needs assessments of K pupils: 30% before the decision whether to assess (its
    6-week clock, reg 5(1)), the rest gathering advice (each adviser's 6 weeks, reg 8(1); the
    16-week notice clock, reg 10(1)); all with the 20-week clock (reg 13(2)) open.

    A control LA has the same cases closed: not assessed, or assessed and not issued, so every
    clock is met or cancelled."""
    if not on_support or not spec.open_cases:
        return
    step = max(1, len(on_support) // spec.open_cases)
    received = "Request for an EHC needs assessment received"
    for c in range(min(spec.open_cases, len(on_support))):
        p = on_support[c * step]
        case_id = ctx.id(AssessmentCase)
        caseworker = rng.choice(staff.caseworkers)
        awaiting = _u(c, 31) < AWAITING_DECISION_SHARE
        if awaiting:
            age = rng.randint(0, 41) if rng.random() < 0.85 else rng.randint(43, 70)
            if control:
                age = rng.randint(60, 365)
            request = ctx.today - dt.timedelta(days=age)
            decided = request + dt.timedelta(days=rng.randint(14, 42)) if control else None
            _case_row(
                ctx, rows, case_id, p, la_id, caseworker, request, decided,
                "not_assess" if control else "pending", (None, "pending"),
                (decided, "Decided not to assess" if control else ""),
            )  # fmt: skip
            _clock(
                ctx, rows, Kind.DECISION_TO_ASSESS, AssessmentCase, case_id, p.id,
                Role.LA_MANAGER, received, request, ehcp_deadlines.decision_to_assess_due(request),
                la_id=la_id, met_on=decided, met_by=staff.manager if control else None,
            )  # fmt: skip
            _clock(
                ctx, rows, Kind.FINAL_PLAN, AssessmentCase, case_id, p.id, Role.LA_CASEWORKER,
                received, request, ehcp_deadlines.final_plan_due(request), la_id=la_id,
                user_id=caseworker, cancelled="The LA decided not to assess." if control else "",
            )  # fmt: skip
            continue
        share = rng.random()
        age = (
            rng.randint(42, 140) if share < 0.55
            else rng.randint(141, 365) if share < 0.93 else rng.randint(366, 420)
        )  # fmt: skip
        if control:
            age = rng.randint(150, 400)
        request = ctx.today - dt.timedelta(days=age)
        assessed = min(request + dt.timedelta(days=rng.randint(21, 49)), ctx.today)
        last_advice = _advice(ctx, rows, case_id, p, la_id, caseworker, assessed, rng, control)
        decided = None
        if control:
            soonest = max(last_advice, assessed) + dt.timedelta(days=rng.randint(1, 14))
            decided = min(soonest, ctx.today)
        _case_row(
            ctx, rows, case_id, p, la_id, caseworker, request, assessed, "assess",
            (decided, "not_issue" if control else "pending"),
            (decided, "Decided not to issue a plan" if control else ""),
        )  # fmt: skip
        _clock(
            ctx, rows, Kind.DECISION_TO_ASSESS, AssessmentCase, case_id, p.id, Role.LA_MANAGER,
            received, request, ehcp_deadlines.decision_to_assess_due(request), la_id=la_id,
            met_on=assessed, met_by=staff.manager,
        )  # fmt: skip
        _clock(
            ctx, rows, Kind.NO_PLAN_NOTICE, AssessmentCase, case_id, p.id, Role.LA_CASEWORKER,
            received, request, ehcp_deadlines.no_plan_notice_due(request), la_id=la_id,
            user_id=caseworker, met_on=decided, met_by=caseworker if control else None,
        )  # fmt: skip
        _clock(
            ctx, rows, Kind.FINAL_PLAN, AssessmentCase, case_id, p.id, Role.LA_CASEWORKER,
            received, request, ehcp_deadlines.final_plan_due(request), la_id=la_id,
            user_id=caseworker, cancelled="The LA decided not to issue a plan." if control else "",
        )  # fmt: skip


def _advice(
    ctx: Context, rows: Rows, case_id: int, p: PupilRef, la_id: int, caseworker: int,
    assessed: dt.date, rng: random.Random, control: bool,
) -> dt.date:  # fmt: skip
    """The five requests for advice of reg 6(1) (a)-(e) and their clocks; returns the last day
    advice arrived (or the decision day if none has)."""
    last = assessed
    for kind, adviser, mean, spread in ADVICE:
        sent = min(assessed + dt.timedelta(days=rng.randint(0, 5)), ctx.today)
        got = min(sent + dt.timedelta(days=rng.randint(0, 3)), ctx.today)
        delay = max(1, int(rng.gauss(mean, spread)))
        arrives = got + dt.timedelta(days=delay)
        if control:
            arrives = min(arrives, ctx.today)
        submitted = arrives if arrives <= ctx.today else None
        educational = kind == AdviceKind.EDUCATIONAL
        school_id = p.school.id if educational else None
        senco = None
        advice_id = ctx.id(AdviceRequest)
        rows.add(
            AdviceRequest,
            (
                advice_id, case_id, kind, p.school.name if educational else adviser, school_id,
                sent, got, "submitted" if submitted else "requested", submitted, senco, "", "",
                "", "", "", "", "", "", 1, dt.datetime.combine(sent, NOON),
            ),
        )  # fmt: skip
        if submitted is not None:
            last = max(last, submitted)
        if educational:
            _clock(
                ctx, rows, Kind.ADVICE_REQUEST, AdviceRequest, advice_id, p.id, Role.SENCO,
                "The LA asked for educational advice", got, ehcp_deadlines.advice_due(got),
                school_id=p.school.id, la_id=la_id, met_on=submitted,
            )  # fmt: skip
        else:
            _clock(
                ctx, rows, Kind.ADVICE_REQUEST, AdviceRequest, advice_id, p.id,
                Role.LA_CASEWORKER, f"{adviser} received the request for advice", got,
                ehcp_deadlines.advice_due(got), la_id=la_id, user_id=caseworker,
                met_on=submitted, met_by=caseworker if submitted else None,
            )  # fmt: skip
    return last


def _weight(school: SchoolRef, weights: dict[str, float]) -> float:
    return weights.get(school.type, PRU_WEIGHT)


def _past(ctx: Context, rng: random.Random, least: int, most: int) -> dt.date:
    return ctx.today - dt.timedelta(days=rng.randint(least, most))


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES)}"


PLACE_START = ("Ash", "Brook", "Elm", "Fair", "Green", "Hill", "Kings", "Lark", "Mill", "Oak")
PLACE_END = ("bury", "field", "ford", "ham", "ley", "mead", "stone", "ton", "wick", "wood")


def place_name(rng: random.Random) -> str:
    return rng.choice(PLACE_START) + rng.choice(PLACE_END)
