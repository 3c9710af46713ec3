"""Access-matrix rows for the EHC plan document pages (merged into tests/test_access_matrix.py).

Each pupil gets a plan held by the LA of its school, with two issued versions (so there is something
to compare). Issued versions are read by the school roles that see the pupil's SEN details and by the
LA that holds the plan (ehcp.rules.plan_visible_q, version_visible_q); governors and the school office
see no plan.
"""

from __future__ import annotations

from typing import Any

from ehcp.models import Plan, PlanVersion
from tests.access_rows import (
    ANON_REDIRECT,
    HIDDEN,
    OTHER_SCHOOL,
    SCHOOL_WIDE,
    TAUGHT_ONLY,
    Row,
    everyone,
)
from tests.factories.ehcp import PlanFactory, PlanVersionFactory

HOME_LA = (200, 200, 200, 404)  # Northmoor holds the plans of the first three pupils
OTHER_LA = (404, 404, 404, 200)  # Eastbrook holds only the second LA's pupil's plan


def issued_versions(pupil: Any, count: int = 2) -> tuple[Plan, list[PlanVersion]]:
    """The pupil's plan with at least `count` issued final versions (asking again adds none)."""
    plan = PlanFactory(pupil=pupil)
    versions = list(plan.versions.filter(issued_on__isnull=False).order_by("number"))
    while len(versions) < count:
        last = plan.versions.order_by("-number").first()
        versions.append(
            PlanVersionFactory(
                plan=plan, number=(last.number if last else 0) + 1, issued_final=True
            )
        )
    return plan, versions


def _plan(pupil: Any) -> dict[str, Any]:
    plan, _ = issued_versions(pupil)
    return {"pk": plan.pk}


def _issued_version(pupil: Any) -> dict[str, Any]:
    _, versions = issued_versions(pupil)
    return {"pk": versions[-1].pk}


SEES_ISSUED_PLANS = everyone(
    HIDDEN,
    anon=ANON_REDIRECT,
    senco=SCHOOL_WIDE,
    head=SCHOOL_WIDE,
    senior_leader=SCHOOL_WIDE,
    class_teacher=TAUGHT_ONLY,
    ta=TAUGHT_ONLY,
    designated_teacher=TAUGHT_ONLY,
    other_teacher=(404, 200, 404, 404),
    other_school_senco=OTHER_SCHOOL,
    la_caseworker=HOME_LA,
    la_manager=HOME_LA,
    other_la_caseworker=OTHER_LA,
)

ROWS: dict[str, Row] = {
    "ehcp:plan-compare": Row(SEES_ISSUED_PLANS, kwargs=_plan),
    "ehcp:version-pdf": Row(SEES_ISSUED_PLANS, kwargs=_issued_version),
    "ehcp:plan-delivery": Row(SEES_ISSUED_PLANS, kwargs=_plan),
}
