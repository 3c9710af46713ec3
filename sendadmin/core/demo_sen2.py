"""Demo history for the LA dashboard and the SEN2 export: about 40 finished EHC needs assessments in
Northmoor whose final plans were issued last calendar year and this one, at varied weeks.

Each case goes through ehcp's services (ehcp.services, ehcp.plans, sendadmin.clocks.services) with
past dates, as a caseworker recording them on the day would have, so its clocks, history and audit
events are real: the 20-week clock opens with the case and is met by the final plan; a handful
record an exception (reg 13(3) borrowing reg 10(4)(c) or (d)) without moving the due date
(domain.md 0A). Most plans are issued within 20 weeks, some in 21 to 52, a few after more than 52.

One step cannot go through its service: `ehcp.services.advice_submit` stamps the school's advice as
sent today, because the school sends it now. For a historical case `_school_advice_sent` writes
what that service writes, on the day it was sent, saved with history, its clock met through
`clock_meet`, and audited with `backdated=True`.

Pupils are Northmoor pupils on SEN support with ranked needs (none NSA, which an EHC plan cannot
carry) and no case, at the schools on roll before the request. Deterministic: the same cases every
run on the same day (a seeded random), and a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ehcp import plans as plan_services
from ehcp import services
from ehcp.models import AdviceKind, AdviceRequest, AssessmentCase, PlanVersion
from ehcp.selectors import case_clock_open
from pupils.codes import NeedType, SenProvision
from pupils.models import Pupil
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import LocalAuthority, School, User
from sendadmin.calendar import add_days
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.services import clock_meet, clock_record_exception

from .demo import BROOKSIDE, NORTHMOOR, OAKFIELD, RIVERSIDE, SEED
from .demo_ehcp import SCHOOL_ADVICE, _plan_rows

CASEWORKER = "caseworker@northmoor.example"
SENCO = {
    OAKFIELD: "senco@oakfield.example",
    RIVERSIDE: "senco@riverside.example",
    BROOKSIDE: "senco@brookside.example",
}
# Final plans issued last calendar year, and so far this year.
LAST_YEAR_CASES, THIS_YEAR_CASES = 26, 14
# Days from request to final plan: within 20 weeks (reg 13(2); domain.md 1.1 step 7), 21 to 52
# weeks, over 52 weeks (the SEN2 bands, domain.md 7.2). The same mix each year.
WITHIN, MIDDLE, OVER = (98, 140), (141, 364), (365, 430)
BANDS_LAST_YEAR = [WITHIN] * 19 + [MIDDLE] * 5 + [OVER] * 2
BANDS_THIS_YEAR = [WITHIN] * 11 + [MIDDLE] * 2 + [OVER] * 1
# Which cases (by position after shuffling) record an exception, per year: late ones mostly, and
# one met on time anyway (an exception explains lateness; it need not cause it).
EXCEPTIONS_LAST_YEAR, EXCEPTIONS_THIS_YEAR = 3, 2
EXCEPTION_LIMBS = {
    "c": "Parent in hospital for five weeks; the family asked to pause the assessment meetings.",
    "d": "The family were abroad caring for a relative for six weeks (absent from the area).",
}


@dataclass(frozen=True)
class History:
    """One finished case: request to final plan in `days`, final issued on `final`."""

    final: dt.date
    days: int
    exception: bool
    requested_by: str

    @property
    def received(self) -> dt.date:
        return add_days(self.final, -self.days)


def _schedule(rng: random.Random, today: dt.date) -> list[History]:
    jan_this = dt.date(today.year, 1, 1)
    jan_last = dt.date(today.year - 1, 1, 1)
    # The latest a final plan can have gone out: yesterday (or last year, on 1 January).
    this_span = (today - jan_this).days - 1
    plans: list[History] = []
    for count, bands, exceptions, start, span in (
        (LAST_YEAR_CASES, BANDS_LAST_YEAR, EXCEPTIONS_LAST_YEAR, jan_last, 364),
        (THIS_YEAR_CASES, BANDS_THIS_YEAR, EXCEPTIONS_THIS_YEAR, jan_this, this_span),
    ):
        if span < 0:
            start, span = jan_last, 364
        order = list(bands)
        rng.shuffle(order)
        late = [i for i, band in enumerate(order) if band != WITHIN]
        on_time = [i for i, band in enumerate(order) if band == WITHIN]
        flagged = set(late[: exceptions - 1] + on_time[:1])
        for i, band in enumerate(order[:count]):
            final = add_days(start, round(span * (i + 0.5) / count))
            plans.append(
                History(
                    final=final,
                    days=rng.randint(*band),
                    exception=i in flagged,
                    requested_by=rng.choices(["parent", "school", "other"], [6, 3, 1])[0],
                )
            )
    return plans


def _pupils(la: LocalAuthority, rng: random.Random) -> list[Pupil]:
    """Northmoor pupils on SEN support with ranked needs (no NSA) and no case, in UPN order."""
    pupils = (
        Pupil.objects.filter(
            school__local_authority=la,
            sen_provision=SenProvision.SEN_SUPPORT,
            needs__isnull=False,
            assessment_cases__isnull=True,
        )
        .exclude(needs__code=NeedType.NSA)
        .distinct()
        .select_related("school")
        .order_by("upn")
    )
    chosen = list(pupils)
    rng.shuffle(chosen)
    return chosen


def _school_advice_sent(advice: AdviceRequest, on: dt.date, by: Any) -> None:
    """What ehcp.services.advice_submit writes, on the day the school sent it (see the docstring)."""
    for field, text in SCHOOL_ADVICE.items():
        setattr(advice, field, text)
    advice.status = AdviceRequest.Status.SUBMITTED
    advice.submitted_on = on
    advice.submitted_by = by
    advice.version += 1
    advice._history_user = by  # type: ignore[attr-defined]
    advice.save()
    clock = case_clock_open(advice, Kind.ADVICE_REQUEST)
    if clock is not None:
        clock_meet(clock=clock, met_on=on, by=by, note="Advice received by the LA")
    audit_record(by, "ehcp.advice.submitted", advice, backdated=True)


def _placement(rng: random.Random, pupil: Pupil, special: School | None) -> dict[str, Any]:
    """Section I: mostly the pupil's own school; some a special school; one in ten a setting
    typed in."""
    roll = rng.random()
    if roll < 0.1:
        return {"section_i_school": None, "section_i_type": "Independent special school"}
    if roll < 0.25 and special is not None:
        return {"section_i_school": special, "section_i_type": "Special school"}
    return {"section_i_school": pupil.school, "section_i_type": "Mainstream school"}


def _run(
    item: History,
    pupil: Pupil,
    la: LocalAuthority,
    caseworker: User,
    senco: User,
    placement: dict[str, Any],
    rng: random.Random,
) -> None:
    at = lambda days: add_days(item.received, days)  # noqa: E731
    t = item.days
    case = services.case_open(
        pupil=pupil,
        local_authority=la,
        requested_by=item.requested_by,
        received_on=item.received,
        caseworker=caseworker,
        by=caseworker,
    )
    assess_on = min(35, t // 4)
    services.case_decide_assess(
        case=case, decision="assess", decided_on=at(assess_on), by=caseworker
    )
    asked = at(assess_on + 2)
    school = services.advice_request_create(
        case=case, kind=AdviceKind.EDUCATIONAL, sent_on=asked, received_on=asked, by=caseworker
    )
    ep = services.advice_request_create(
        case=case,
        kind=AdviceKind.PSYCHOLOGICAL,
        adviser_name=f"{la.name} Educational Psychology Service",
        sent_on=asked,
        received_on=add_days(asked, 2),
        by=caseworker,
    )
    issue_on = t - 35
    # Most schools answer within the 6 weeks of reg 8(1); one in five takes a little longer.
    school_days = min(rng.choice([20, 28, 35, 40, 48]), issue_on - assess_on - 3)
    _school_advice_sent(school, add_days(asked, school_days), senco)
    services.advice_record_received(
        advice=ep,
        received_on=add_days(asked, min(38, issue_on - assess_on - 3)),
        summary="Cognitive assessment and classroom observation; recommends a language-rich "
        "curriculum, visual supports and small-group teaching.",
        by=caseworker,
    )
    if item.exception:
        limb = rng.choice(sorted(EXCEPTION_LIMBS))
        clock = case_clock_open(case, Kind.FINAL_PLAN)
        assert clock is not None
        clock_record_exception(
            clock=clock,
            limb=limb,
            date_from=at(assess_on + 10),
            date_to=at(assess_on + 50),
            evidence=EXCEPTION_LIMBS[limb],
            by=caseworker,
        )
    services.case_decide_issue(case=case, decision="issue", decided_on=at(issue_on), by=caseworker)
    case.refresh_from_db()
    draft = case.plan.versions.get()
    plan_services.version_sections_update(
        version=draft,
        data={"section_a": "Likes music and being outdoors; wants to make friends in class."},
        expected_version=draft.version,
        by=caseworker,
    )
    draft.refresh_from_db()
    _plan_rows(draft, caseworker)
    draft.refresh_from_db()
    # Served 21 days before the final: the 15 days of representations (reg 13(1)) have closed.
    plan_services.version_issue(
        version=draft, issued_on=at(t - 21), expected_version=draft.version, by=caseworker
    )
    final = plan_services.version_new(plan=case.plan, kind=PlanVersion.Kind.FINAL, by=caseworker)
    plan_services.version_sections_update(
        version=final,
        data={"section_i_name": "", **placement},
        expected_version=final.version,
        by=caseworker,
    )
    final.refresh_from_db()
    plan_services.version_issue(
        version=final, issued_on=item.final, expected_version=final.version, by=caseworker
    )


def _already_seeded(la: LocalAuthority, today: dt.date) -> bool:
    """Historical finals exist already (the live demo's latest final is days old, not months)."""
    return AssessmentCase.objects.filter(
        local_authority=la,
        plan__versions__kind=PlanVersion.Kind.FINAL,
        plan__versions__issued_on__lt=add_days(today, -60),
    ).exists()


@transaction.atomic
def seed_demo_sen2(today: dt.date) -> dict[str, int]:
    """Create Northmoor's finished assessments; returns how many were made (0 on a second run)."""
    la = LocalAuthority.objects.get(name=NORTHMOOR)
    if _already_seeded(la, today):
        return {"finished EHC needs assessments": 0}
    rng = random.Random(SEED + 7)
    users = {u.email: u for u in User.objects.filter(email__in=[CASEWORKER, *SENCO.values()])}
    caseworker = users[CASEWORKER]
    special = School.objects.filter(local_authority=la, name=BROOKSIDE).first()
    pupils = iter(_pupils(la, rng))
    made = 0
    for item in _schedule(rng, today):
        pupil = next(
            p for p in pupils if p.admission_date <= item.received and p.school.name in SENCO
        )
        senco = users[SENCO[pupil.school.name]]
        _run(item, pupil, la, caseworker, senco, _placement(rng, pupil, special), rng)
        made += 1
    return {"finished EHC needs assessments": made}
