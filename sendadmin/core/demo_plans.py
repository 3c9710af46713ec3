"""Demo EHC plans for the pupils the register shows on an EHC plan (provision E): plans made before
sendadmin was used, so they have no assessment case, only an issued final version. Each has section B
from the register's ranked needs, an outcome and quantified provision for every need (E and F linked
to B), and the pupil's school named in section I."""

from __future__ import annotations

import datetime as dt

from ehcp.models import Plan, PlanNeed, PlanOutcome, PlanProvision, PlanVersion
from pupils.codes import NEED_AREA, NeedType
from pupils.models import Pupil

SECTION_A = (
    "Enjoys being with friends and doing practical things. Wants to be more independent, and to "
    "be understood when asking for help."
)


def legacy_plan_create(pupil: Pupil, issued_on: dt.date) -> Plan:
    """The pupil's plan, issued on `issued_on` (the system is the author: no acting user)."""
    plan = Plan.objects.create(pupil=pupil, local_authority=pupil.school.local_authority)
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        kind=PlanVersion.Kind.FINAL,
        issued_on=issued_on,
        section_a=SECTION_A,
        section_i_school=pupil.school,
        section_i_name=pupil.school.name,
        section_i_type=pupil.school.get_phase_display() + " school",
    )
    needs = [n for n in pupil.needs.order_by("rank") if n.code in NEED_AREA] or []
    for position, need in enumerate(needs, start=1):
        label = NeedType(need.code).label
        b = PlanNeed.objects.create(
            version=version,
            area=NEED_AREA[need.code],
            code=need.code,
            description=label,
            position=position,
        )
        e = PlanOutcome.objects.create(
            version=version,
            outcome=f"Makes good progress with {label.lower()} needs, measured termly",
            by_when="By the next phase of education",
            position=position,
        )
        e.needs.add(b)
        f = PlanProvision.objects.create(
            version=version,
            what=f"Specialist support for {label.lower()}",
            sessions_per_week=3,
            minutes_per_session=30,
            duration="Until the next annual review",
            delivered_by="Teaching assistant guided by the SENCO",
            group_size=2,
            position=position,
        )
        f.needs.add(b)
        f.outcomes.add(e)
    return plan
