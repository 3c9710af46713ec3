"""Demo governance for `manage.py seed_demo`: SENCO designations and governing body records.

Run after `demo.seed_demo` (schools, logins) on the same day. Every row goes through
offer.services_governance as the system, so the qualification clocks come from the same rules as in
production (reg 49(4); domain.md 6) and each row has its history and audit event.

- A designation for each current SENCO membership at the mainstream schools. Brookside is a special
  school: CFA s.67(2) requires a SENCO of mainstream schools and maintained nurseries only, so its
  SENCO login has no designation. Each `became_senco_on` is chosen so that the qualification falls
  due `SENCO_QUALIFICATION_DUE_IN` days from today (demo_clocks), so "My deadlines" shows one due
  soon, one ahead and one missed.
- Qualifications as schools hold them: Priya Sharma (Oakfield and Riverside) is part-way through
  the NPQ for SENCOs; Marcus Reid completed the National Award in 2023, before the 2024 change, so
  it counts and no clock opens; Wei Chen has not started, and the deadline has passed.
- The SEN link governor answers for the qualification at Oakfield, the headteacher elsewhere (as
  demo_clocks explains). Oakfield also shows a past SENCO.
- A governance record for every demo school; Riverside's medical conditions policy is overdue for
  review.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from offer.deadlines import senco_qualification_due
from offer.models import Governance, SencoDesignation, is_mainstream
from offer.services_governance import governance_save, senco_designate, senco_end
from sendadmin.accounts.models import Membership, School
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_days, add_months, add_years
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock

from .demo import BROOKSIDE, HILLCREST, OAKFIELD, RIVERSIDE, SCHOOLS, STAFF
from .demo_clocks import SENCO_QUALIFICATION_DUE_IN

NPQ, NASENCO = SencoDesignation.Qualification.NPQ, SencoDesignation.Qualification.NASENCO
# Telephone numbers are from Ofcom's ranges reserved for drama, so they never ring anyone.
# e-mail -> (telephone for parents, qualification, started, completed); None: days ago.
# fmt: off
SENCO_DETAILS: dict[str, tuple[str, str, dt.date | int | None, dt.date | int | None]] = {
    "senco@oakfield.example": ("0113 496 0501", NPQ, 300, None),
    "senco@riverside.example": ("0113 496 0502", NASENCO, dt.date(2022, 9, 12),
                                dt.date(2023, 7, 7)),
    "senco@hillcrest.example": ("0114 496 0503", SencoDesignation.Qualification.NONE, None, None),
}
# (e-mail, school) -> SENCO time allocated, hours a week (reg 50; CoP 6.91).
HOURS = {("senco@oakfield.example", OAKFIELD): Decimal("15"),
         ("senco@oakfield.example", RIVERSIDE): Decimal("7.5"),
         ("senco@riverside.example", RIVERSIDE): Decimal("22.5"),
         ("senco@hillcrest.example", HILLCREST): Decimal("12")}
# school -> (link governor, designated teacher, accessibility plan agreed days ago, medical
# policy agreed days ago). The accessibility plan covers three years (Equality Act 2010 Sch 10);
# the medical policy is reviewed yearly, and Riverside's is late.
GOVERNANCE = {
    OAKFIELD: ("Tunde Adeyemi", "Aisha Rahman", 420, 150),
    RIVERSIDE: ("Ruth Ojo", "Daniel Brennan", 700, 410),
    BROOKSIDE: ("Kofi Mensah", "Sarah Lloyd", 200, 90),
    HILLCREST: ("Alan Whitmore", "Mei Lin", 900, 30),
}
# fmt: on
# Oakfield's SENCO before Priya Sharma, for the page's list of past SENCOs.
PAST_OAKFIELD_SENCO = "Gillian Marsh"


def _day(value: dt.date | int | None, today: dt.date) -> dt.date | None:
    return add_days(today, -value) if isinstance(value, int) else value


def became_for_due(due: dt.date) -> dt.date:
    """The day someone became SENCO for reg 49(4) to fall due on `due`: 36 months earlier, or the
    nearest day where no day gives exactly `due` (29 February)."""
    guess = add_months(due, -36)

    def distance(became: dt.date) -> tuple[int, dt.date]:
        falls = senco_qualification_due(became, 0)
        return (abs((falls - due).days) if falls else 10_000, became)

    return min((add_days(guess, n) for n in range(-3, 4)), key=distance)


def _whole_months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(months - (1 if end.day < start.day else 0), 0)


@transaction.atomic
def seed_demo_governance(today: dt.date) -> dict[str, int]:
    """Designate the demo SENCOs and record each school's governance; expects `demo.seed_demo`."""
    schools = {s.name: s for s in School.objects.filter(urn__in=[spec.urn for spec in SCHOOLS])}
    clocks_before = Clock.objects.filter(kind=Kind.SENCO_QUALIFICATION).count()
    designations = 0
    first_became: dict[str, dt.date] = {}
    plans: list[tuple[Membership, dt.date]] = []
    for spec in SCHOOLS:
        school = schools[spec.name]
        if not is_mainstream(school):
            continue  # CFA s.67(2): no SENCO duty at a special school
        sencos = Membership.objects.current(today).filter(school=school, role=Role.SENCO)
        for membership in sencos.select_related("user", "school").order_by("user__email"):
            due_in = SENCO_QUALIFICATION_DUE_IN.get((membership.user.email, spec.name), 365)
            became = became_for_due(add_days(today, due_in))
            plans.append((membership, became))
            email = membership.user.email
            first_became[email] = min(first_became.get(email, became), became)
    for membership, became in plans:
        if SencoDesignation.objects.filter(school=membership.school, user=membership.user).exists():
            continue
        _designate(membership, became, first_became[membership.user.email], today)
        designations += 1
    oakfield = schools[OAKFIELD]
    if not SencoDesignation.objects.filter(school=oakfield, name=PAST_OAKFIELD_SENCO).exists():
        _past_senco(oakfield, first_became.get("senco@oakfield.example", today))
        designations += 1
    records = sum(_governance(schools[name], today) for name in GOVERNANCE)
    clocks = Clock.objects.filter(kind=Kind.SENCO_QUALIFICATION).count() - clocks_before
    return {
        "SENCO designations": designations,
        "SENCO qualification clocks": clocks,
        "governance records": records,
    }


def _designate(membership: Membership, became: dt.date, first: dt.date, today: dt.date) -> None:
    user, school = membership.user, membership.school
    assert school is not None
    phone, qualification, started, completed = SENCO_DETAILS.get(
        user.email, ("", SencoDesignation.Qualification.NONE, None, None)
    )
    senco_designate(
        school,
        data={
            "user": user,
            "name": STAFF.get(user.email, (user.full_name, ""))[0],
            "email": user.email,
            "phone": phone,
            "qualified_teacher": True,
            "induction_completed": True,
            "is_headteacher": False,
            "became_senco_on": became,
            # A SENCO of two schools counts the whole months at the first before starting at the
            # second (reg 49(4): a total of more than 12 months as a SENCO before ends the duty).
            "prior_senco_months": _whole_months(first, became),
            "qualification": qualification,
            "qualification_started_on": _day(started, today),
            "qualification_completed_on": _day(completed, today),
            "hours_per_week": HOURS.get((user.email, school.name)),
        },
        by=None,
        responsible_role=Role.SEN_LINK_GOVERNOR if school.name == OAKFIELD else Role.HEADTEACHER,
    )


def _past_senco(school: School, successor_from: dt.date) -> None:
    past = senco_designate(
        school,
        data={
            "name": PAST_OAKFIELD_SENCO,
            "qualified_teacher": True,
            "induction_completed": True,
            "became_senco_on": add_years(successor_from, -8),
            "qualification": NASENCO,
            "qualification_started_on": add_years(successor_from, -8),
            "qualification_completed_on": add_years(successor_from, -7),
            "hours_per_week": Decimal("12"),
        },
        by=None,
    )
    senco_end(past, add_days(successor_from, -1), None)


def _governance(school: School, today: dt.date) -> int:
    if Governance.objects.filter(school=school).exists():
        return 0
    governor, designated, plan_ago, policy_ago = GOVERNANCE[school.name]
    plan_on, policy_on = add_days(today, -plan_ago), add_days(today, -policy_ago)
    data: dict[str, Any] = {
        "sen_link_governor": governor,
        "accessibility_plan_on": plan_on,
        "accessibility_plan_review_on": add_years(plan_on, 3),
        "medical_policy_on": policy_on,
        "medical_policy_review_on": add_months(policy_on, 12),
        "designated_teacher": designated,
    }
    governance_save(school, data, 0, None)
    return 1
