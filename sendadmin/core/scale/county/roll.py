"""Step 1b: every school's roll (the non-SEN pupils too), SEN status periods, ranked needs, teaching
groups with their pupils and staff, and parents and carers.

Shapes follow the demo (sendadmin/core/demo.py): UPNs with their check letter, year groups from the
date of birth, need mixes from domain.md section 8, a class per year in primaries, tutor groups and
maths sets in secondaries. Status periods are what pupils.services.pupil_sen_status_set leaves:
one open period per pupil on the register, a closed SEN support period before most mainstream
plans (domain.md 7.1), none for pupils with no SEN (the importer records none either).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass, field

from pupils.codes import NeedType, SenProvision
from pupils.models import (
    ParentCarer,
    Pupil,
    PupilNeed,
    SenStatus,
    TeachingGroup,
    TeachingGroupPupil,
    TeachingGroupStaff,
)
from pupils.upn import CHECK_ALPHABET
from sendadmin.calendar import academic_year_start, add_months
from sendadmin.core.demo import (
    EHC_NEED_MIX,
    FIRST_NAMES,
    LAST_NAMES,
    PREFERRED_NAME_RATE,
    PREFERRED_NAMES,
    SECOND_NEED_RATE,
    SUPPORT_NEED_MIX,
)

from .base import Run
from .org import Org, SchoolRec

# SEN support 60,000 and mainstream plans 18,000 over about 420,000 mainstream pupils (org.py);
# every pupil of a special school has a plan (2,000 at fraction 1).
MAINSTREAM_EHC_RATE = 18_000 / 420_000
MAINSTREAM_SUPPORT_RATE = 60_000 / 420_000
LOOKED_AFTER_RATE, IN_YEAR_ADMISSION_RATE = 0.01, 0.10
EAL_RATE, FSM_RATE, PP_EXTRA_RATE = 0.18, 0.22, 0.05
# Share of mainstream plans that followed a period of SEN support at the school (CoP 6.63).
SUPPORT_BEFORE_PLAN_RATE = 0.7
# Plans were first issued up to this many years ago (and at age 2 at the earliest).
PLAN_AGE_YEARS = 6
SECOND_PARENT_RATE = 0.55
CLASS_SIZE, TUTOR_SIZE, SET_SIZE = 30, 28, 30
TREES = ("Rowan", "Hazel", "Willow", "Beech", "Cedar", "Maple", "Aspen", "Alder", "Elder", "Larch")

K, E, N = SenProvision.SEN_SUPPORT, SenProvision.EHC_PLAN, SenProvision.NO_SEN


@dataclass(slots=True)
class PupilRec:
    id: int
    school: SchoolRec
    year: int
    dob: dt.date
    admitted: dt.date
    sen: str
    first: str
    last: str
    looked_after: bool = False
    needs: list[str] = field(default_factory=list)
    # The start of the open status, and of the SEN support before a plan (None if none).
    status_start: dt.date | None = None
    support_from: dt.date | None = None
    groups: list[int] = field(default_factory=list)  # teaching group ids
    parents: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Roll:
    pupils: list[PupilRec]
    by_school: dict[int, list[PupilRec]]
    # (group id, school id) -> pupil ids, for the provision and review steps.
    staff_groups: dict[int, dict[str, list[int]]]  # school id -> role -> group ids


def upn(body: str) -> str:
    """The UPN of an all-digit body: pupils.upn.upn_check_letter's weighted sum (weights 2 to 13,
    modulo 23), for digits only, as the generator makes them; the tests check every one with
    pupils.upn.is_valid_upn."""
    total = sum(w * (ord(c) - 48) for w, c in zip(range(2, 14), body, strict=True))
    return CHECK_ALPHABET[total % 23] + body


def _cum(mix: dict[str, float]) -> tuple[list[str], list[float]]:
    codes = list(mix)
    return codes, list(itertools.accumulate(mix.values()))


def _year_label(year: int) -> str:
    return "Reception" if year == 0 else f"Year {year}"


def seed_pupils(run: Run, org: Org) -> Roll:
    rng = run.rng
    today = run.today
    ay = academic_year_start(today)
    pupils: list[PupilRec] = []
    total = sum(s.roll for s in org.schools)
    ids = iter(run.ids(Pupil, total))
    rows: list[tuple[object, ...]] = []
    by_school: dict[int, list[PupilRec]] = {}
    for school in org.schools:
        serials: Counter[int] = Counter()
        years = school.years
        base, extra = divmod(school.roll, len(years))
        roll: list[PupilRec] = []
        for n, year in enumerate(years):
            born_from = dt.date(ay.year - year - 5, 9, 1)
            span = (dt.date(ay.year - year - 4, 8, 31) - born_from).days
            entry = {"primary": 0, "secondary": 7}.get(school.kind)
            for _ in range(base + (1 if n < extra else 0)):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                entry_year = entry if entry is not None else rng.randint(years.start, year)
                admitted = dt.date(ay.year - (year - entry_year), 9, 1)
                if rng.random() < IN_YEAR_ADMISSION_RATE:
                    admitted = run.day_between(admitted, today - dt.timedelta(days=1))
                    if admitted.month == 8:
                        admitted = admitted.replace(day=1) - dt.timedelta(days=10)
                p = PupilRec(
                    next(ids),
                    school,
                    year,
                    born_from + dt.timedelta(days=rng.randint(0, span)),
                    admitted,
                    N,
                    first,
                    last,
                )
                roll.append(p)
        _assign_sen(run, school, roll)
        for p in roll:
            allocated = academic_year_start(p.admitted).year % 100
            serials[allocated] += 1
            body = f"{school.la_code}{school.urn[-4:]}{allocated:02d}{serials[allocated]:03d}"
            preferred = ""
            if p.first in PREFERRED_NAMES and rng.random() < PREFERRED_NAME_RATE:
                preferred = PREFERRED_NAMES[p.first]
            fsm = rng.random() < FSM_RATE
            rows.append(
                (
                    p.id,
                    school.id,
                    upn(body),
                    p.first,
                    p.last,
                    preferred,
                    p.dob,
                    p.year,
                    p.admitted,
                    None,
                    p.sen,
                    p.looked_after,
                    rng.random() < EAL_RATE,
                    fsm,
                    fsm or p.looked_after or rng.random() < PP_EXTRA_RATE,
                )
            )
        by_school[school.id] = roll
        pupils.extend(roll)
    run.put(
        Pupil,
        ("id", "school_id", "upn", "legal_first_name", "legal_last_name", "preferred_name",
         "date_of_birth", "year_group", "admission_date", "leaving_date", "sen_provision",
         "looked_after", "eal", "free_school_meals", "pupil_premium"),
        rows,
    )  # fmt: skip
    return Roll(pupils, by_school, {})


def _assign_sen(run: Run, school: SchoolRec, roll: list[PupilRec]) -> None:
    rng = run.rng
    if school.mainstream:
        order = rng.sample(roll, len(roll))
        n_e = round(len(roll) * MAINSTREAM_EHC_RATE)
        n_k = round(len(roll) * MAINSTREAM_SUPPORT_RATE)
        for p in order[:n_e]:
            p.sen = E
        for p in order[n_e : n_e + n_k]:
            p.sen = K
    else:
        for p in roll:
            p.sen = E
    for p in rng.sample(roll, max(1, round(len(roll) * LOOKED_AFTER_RATE))):
        p.looked_after = True


def seed_statuses_and_needs(run: Run, roll: Roll) -> None:
    rng = run.rng
    today = run.today
    e_codes, e_cum = _cum(EHC_NEED_MIX)
    k_codes, k_cum = _cum(SUPPORT_NEED_MIX)
    statuses: list[tuple[dt.date, dt.date | None, str, PupilRec]] = []
    needs: list[tuple[object, ...]] = []
    earliest_plan = add_months(today, -12 * PLAN_AGE_YEARS)
    for p in roll.pupils:
        if p.sen == N:
            continue
        codes, cum = (e_codes, e_cum) if p.sen == E else (k_codes, k_cum)
        primary = rng.choices(codes, cum_weights=cum)[0]
        p.needs = [primary]
        if primary != NeedType.NSA and rng.random() < SECOND_NEED_RATE:
            while True:
                second = rng.choices(codes, cum_weights=cum)[0]
                if second not in (primary, NeedType.NSA):
                    break
            p.needs.append(second)
        two = add_months(p.dob, 24)
        if p.sen == K:
            first = max(p.admitted, add_months(today, -48), two)
            p.status_start = run.day_between(first, today - dt.timedelta(days=21))
            statuses.append((p.status_start, None, K, p))
        else:
            issued = run.day_between(max(earliest_plan, two), today - dt.timedelta(days=20))
            p.status_start = issued
            before = issued - dt.timedelta(days=rng.randint(200, 700))
            if p.school.mainstream and before >= two and rng.random() < SUPPORT_BEFORE_PLAN_RATE:
                p.support_from = before
                statuses.append((before, issued - dt.timedelta(days=1), K, p))
            statuses.append((issued, None, E, p))
    status_ids = run.ids(SenStatus, len(statuses))
    run.put(
        SenStatus,
        ("id", "pupil_id", "provision", "start", "end"),
        [
            (pk, p.id, prov, start, end)
            for pk, (start, end, prov, p) in zip(status_ids, statuses, strict=True)
        ],
    )
    for p in roll.pupils:
        for rank, code in enumerate(p.needs, start=1):
            needs.append((p.id, rank, code))
    need_ids = run.ids(PupilNeed, len(needs))
    run.put(
        PupilNeed,
        ("id", "pupil_id", "rank", "code"),
        [(pk, *row) for pk, row in zip(need_ids, needs, strict=True)],
    )


def seed_groups(run: Run, org: Org, roll: Roll) -> None:
    rng = run.rng
    ay = academic_year_start(run.today)
    groups: list[tuple[object, ...]] = []  # (school id, name, year, registration)
    members: list[tuple[int, PupilRec]] = []  # (index into groups, pupil)
    staff: list[tuple[int, int, str]] = []  # (index into groups, user id, role)

    def add(
        school: SchoolRec, name: str, year: int | None, reg: bool, chunk: list[PupilRec]
    ) -> int:
        groups.append((school.id, name, year, reg))
        index = len(groups) - 1
        members.extend((index, p) for p in chunk)
        return index

    for school in org.schools:
        pupils = roll.by_school[school.id]
        teacher, ta = school.staff.get("teacher"), school.staff.get("ta")
        taught: list[int] = []
        supported: list[int] = []
        if school.kind == "special":
            ordered = sorted(pupils, key=lambda p: (p.year, p.dob))
            n = 0
            while ordered:
                size = rng.randint(8, 10)
                chunk, ordered = ordered[:size], ordered[size:]
                if len(ordered) < 8:
                    chunk, ordered = chunk + ordered, []
                n += 1
                years = {p.year for p in chunk}
                g = add(school, f"Class {n}", years.pop() if len(years) == 1 else None, True, chunk)
                if n <= 2:
                    taught.append(g)
                if n == 1:
                    supported.append(g)
        for year in school.years if school.kind != "special" else ():
            cohort = [p for p in pupils if p.year == year]
            rng.shuffle(cohort)
            if school.kind == "primary":
                classes = max(1, -(-len(cohort) // CLASS_SIZE))
                for c in range(classes):
                    name = f"{_year_label(year)} {TREES[c % len(TREES)]}"
                    g = add(school, name, year, True, cohort[c::classes])
                    if c == 0 and year == 4:
                        taught.append(g)
                    if c == 0 and year in (4, 5):
                        supported.append(g)
            else:
                tutors = max(1, -(-len(cohort) // TUTOR_SIZE))
                for c in range(tutors):
                    add(school, f"{year}{chr(ord('A') + c)}", year, True, cohort[c::tutors])
                sets = max(1, -(-len(cohort) // SET_SIZE))
                order = sorted(cohort, key=lambda p: (p.sen == N, p.id))
                size = -(-len(order) // sets)
                for c in range(sets):
                    # The last set holds most of the cohort's pupils on the register.
                    chunk = order[(sets - 1 - c) * size : (sets - c) * size]
                    g = add(school, f"{year} Maths set {c + 1}", year, False, chunk)
                    if c == sets - 1:
                        taught.append(g)
                        if year in (7, 8):
                            supported.append(g)
        if teacher:
            staff.extend((g, teacher, TeachingGroupStaff.StaffRole.TEACHER) for g in taught)
        if ta:
            staff.extend(
                (g, ta, TeachingGroupStaff.StaffRole.TEACHING_ASSISTANT) for g in supported
            )

    group_ids = run.ids(TeachingGroup, len(groups))
    run.put(
        TeachingGroup,
        ("id", "school_id", "name", "year_group", "registration"),
        [(pk, *row) for pk, row in zip(group_ids, groups, strict=True)],
    )
    link_ids = run.ids(TeachingGroupPupil, len(members))
    rows = []
    for pk, (g, p) in zip(link_ids, members, strict=True):
        gid = group_ids[g]
        p.groups.append(gid)
        rows.append((pk, gid, p.id, max(ay, p.admitted), None))
    run.put(TeachingGroupPupil, ("id", "group_id", "pupil_id", "start", "end"), rows)
    staff_ids = run.ids(TeachingGroupStaff, len(staff))
    run.put(
        TeachingGroupStaff,
        ("id", "group_id", "user_id", "role", "start", "end"),
        [
            (pk, group_ids[g], uid, role, ay, None)
            for pk, (g, uid, role) in zip(staff_ids, staff, strict=True)
        ],
    )
    for g, _uid, role in staff:
        school_id = groups[g][0]
        assert isinstance(school_id, int)
        roll.staff_groups.setdefault(school_id, {}).setdefault(role, []).append(group_ids[g])


RELATIONSHIPS = (("Mother", 0.55), ("Father", 0.35), ("Grandparent", 0.04), ("Carer", 0.06))
STREETS = ("High Street", "Church Lane", "Station Road", "Mill Road", "Park Avenue", "Green Lane")


def seed_parents(run: Run, roll: Roll) -> None:
    rng = run.rng
    rels = [r for r, _ in RELATIONSHIPS]
    cum = list(itertools.accumulate(w for _, w in RELATIONSHIPS))
    rows: list[tuple[object, ...]] = []
    for p in roll.pupils:
        count = 2 if p.sen != N and rng.random() < SECOND_PARENT_RATE else 1
        address = f"{rng.randint(1, 180)} {rng.choice(STREETS)}, {p.school.name.split()[0]}"
        for n in range(count):
            rel = rng.choices(rels, cum_weights=cum)[0]
            if p.looked_after and n == 0:
                rel = "Foster carer"
            name = f"{rng.choice(FIRST_NAMES)} {p.last if rel != 'Foster carer' else rng.choice(LAST_NAMES)}"
            p.parents.append(name)
            pref = rng.choice(("email", "email", "email", "phone", "letter"))
            email = f"{name.lower().replace(' ', '.').replace(chr(39), '')}.{p.id}@parents.example"
            rows.append(
                (p.id, name, rel, f"07700 900{rng.randint(0, 999):03d}", email, address, pref,
                 rel != "Foster carer")
            )  # fmt: skip
    ids = run.ids(ParentCarer, len(rows))
    run.put(
        ParentCarer,
        ("id", "pupil_id", "name", "relationship", "phone", "email", "address",
         "contact_preference", "has_parental_responsibility"),
        [(pk, *row) for pk, row in zip(ids, rows, strict=True)],
    )  # fmt: skip
