"""Access-matrix rows for the EHC plan pages (merged into tests/test_access_matrix.py).

Each pupil's plan is held by the LA of the pupil's school (Northmoor for the first three pupils,
Eastbrook for the second LA's). It has a served draft (version 1), an issued final (version 2) and
an amended version 3 being edited. A school sees issued versions only (the SENCO, head and senior
leader of the pupil's school; teachers, TAs and the designated teacher for the pupils they can
see), so the pages of version 3 and its rows are hidden from every school role. Only LA roles edit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ehcp.models import PlanNeed, PlanOutcome, PlanProvision, PlanVersion
from tests.access_rows import (
    ANON_REDIRECT,
    HIDDEN,
    OTHER_SCHOOL,
    POST_ONLY,
    SCHOOL_WIDE,
    TAUGHT_ONLY,
    Row,
    everyone,
)
from tests.factories.dates import TODAY
from tests.factories.ehcp import PlanFactory

HOME_LA = (200, 200, 200, 404)  # Northmoor's roles: the plans of the first three pupils
OTHER_LA = (404, 404, 404, 200)  # Eastbrook's caseworker: only the second LA's pupil's plan
UNTAUGHT = (404, 200, 404, 404)  # other_teacher teaches the out-of-scope pupil


def _versions(pupil: Any) -> tuple[PlanVersion, PlanVersion, PlanVersion]:
    """The same three versions however often a row asks (the matrix asks once per persona)."""
    plan = PlanFactory(pupil=pupil)
    draft, _ = PlanVersion.objects.get_or_create(
        plan=plan,
        number=1,
        defaults={"kind": "draft", "issued_on": TODAY - dt.timedelta(days=60)},
    )
    final, _ = PlanVersion.objects.get_or_create(
        plan=plan,
        number=2,
        defaults={
            "kind": "final",
            "based_on": draft,
            "issued_on": TODAY - dt.timedelta(days=30),
            "section_i_school": pupil.school,
            "section_i_name": pupil.school.name,
            "section_i_type": "Mainstream primary school",
        },
    )
    amended, _ = PlanVersion.objects.get_or_create(
        plan=plan, number=3, defaults={"kind": "amended", "based_on": final}
    )
    return draft, final, amended


def _plan(pupil: Any) -> dict[str, Any]:
    return {"pk": _versions(pupil)[0].plan_id}


def _unissued(pupil: Any) -> dict[str, Any]:
    return {"pk": _versions(pupil)[2].pk}


def _served_draft(pupil: Any) -> dict[str, Any]:
    return {"pk": _versions(pupil)[0].pk}


def _section(pupil: Any) -> dict[str, Any]:
    return {"pk": _versions(pupil)[2].pk, "section": "a"}


def _need(pupil: Any) -> PlanNeed:
    version = _versions(pupil)[2]
    need, _ = PlanNeed.objects.get_or_create(
        version=version, description="Speech", defaults={"area": "communication", "code": "SLCN"}
    )
    return need


def _need_kwargs(pupil: Any) -> dict[str, Any]:
    return {"pk": _need(pupil).pk}


def _outcome_kwargs(pupil: Any) -> dict[str, Any]:
    need = _need(pupil)
    outcome, _ = PlanOutcome.objects.get_or_create(version=need.version, outcome="Speaks")
    outcome.needs.add(need)
    return {"pk": outcome.pk}


def _provision_kwargs(pupil: Any) -> dict[str, Any]:
    need = _need(pupil)
    row, _ = PlanProvision.objects.get_or_create(
        version=need.version,
        what="Therapy",
        defaults={
            "sessions_per_week": 1,
            "minutes_per_session": 30,
            "duration": "A year",
            "delivered_by": "SLT",
        },
    )
    row.needs.add(need)
    return {"pk": row.pk}


# Pages of the version being edited: hidden from every school role, the LA of the plan edits.
EDIT = everyone(
    HIDDEN,
    anon=ANON_REDIRECT,
    la_caseworker=HOME_LA,
    la_manager=HOME_LA,
    other_la_caseworker=OTHER_LA,
)
# A page of an issued version that only the LA acts on: schools that see it are refused.
ISSUED_LA_ACTS = everyone(
    HIDDEN,
    anon=ANON_REDIRECT,
    senco=(403, 403, 404, 404),
    head=(403, 403, 404, 404),
    senior_leader=(403, 403, 404, 404),
    class_teacher=(403, 404, 404, 404),
    ta=(403, 404, 404, 404),
    designated_teacher=(403, 404, 404, 404),
    other_teacher=(404, 403, 404, 404),
    other_school_senco=(404, 404, 403, 404),
    la_caseworker=HOME_LA,
    la_manager=HOME_LA,
    other_la_caseworker=OTHER_LA,
)

ROWS: dict[str, Row] = {
    "ehcp:plan-list": Row(everyone(200, governor=403, sen_link_governor=403, school_admin=403)),
    "ehcp:plan-detail": Row(
        everyone(
            HIDDEN,
            anon=ANON_REDIRECT,
            senco=SCHOOL_WIDE,
            head=SCHOOL_WIDE,
            senior_leader=SCHOOL_WIDE,
            class_teacher=TAUGHT_ONLY,
            ta=TAUGHT_ONLY,
            designated_teacher=TAUGHT_ONLY,
            other_teacher=UNTAUGHT,
            other_school_senco=OTHER_SCHOOL,
            la_caseworker=HOME_LA,
            la_manager=HOME_LA,
            other_la_caseworker=OTHER_LA,
        ),
        kwargs=_plan,
    ),
    "ehcp:version-new": Row(everyone((POST_ONLY,) * 4, anon=ANON_REDIRECT), kwargs=_plan),
    "ehcp:version-section-edit": Row(EDIT, kwargs=_section),
    "ehcp:need-add": Row(EDIT, kwargs=_unissued),
    "ehcp:outcome-add": Row(EDIT, kwargs=_unissued),
    "ehcp:provision-add": Row(EDIT, kwargs=_unissued),
    "ehcp:version-issue": Row(EDIT, kwargs=_unissued),
    "ehcp:need-edit": Row(EDIT, kwargs=_need_kwargs),
    "ehcp:need-remove": Row(EDIT, kwargs=_need_kwargs),
    "ehcp:outcome-edit": Row(EDIT, kwargs=_outcome_kwargs),
    "ehcp:outcome-remove": Row(EDIT, kwargs=_outcome_kwargs),
    "ehcp:provision-edit": Row(EDIT, kwargs=_provision_kwargs),
    "ehcp:provision-remove": Row(EDIT, kwargs=_provision_kwargs),
    "ehcp:representations-record": Row(ISSUED_LA_ACTS, kwargs=_served_draft),
}
