"""Builders for the LA dashboard tests: cases whose final plan is issued a known number of days after
the request, with the FINAL_PLAN clock as ehcp would leave it (met on the day of issue, an exception
recorded beside the due date when asked), made with the factories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from ehcp.models import AssessmentCase, Plan, PlanVersion
from sendadmin.accounts.models import School
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.factories import (
    AssessmentCaseFactory,
    ClockFactory,
    PlanFactory,
    PlanNeedFactory,
    PlanVersionFactory,
    PupilFactory,
    PupilNeedFactory,
)


@dataclass(frozen=True)
class Issued:
    """One input of the 20-week figure, kept so a test can count it by hand."""

    school: School
    received: dt.date
    days: int
    exception: bool = False

    @property
    def issued(self) -> dt.date:
        return self.received + dt.timedelta(days=self.days)


def final_plan_clock(case: AssessmentCase, *, met_on: dt.date | None, exception: bool) -> Clock:
    extra: dict[str, Any] = {}
    if exception:
        extra = {
            "exception_regulation": "reg10(4)",
            "exception_limb": "c",
            "exception_from": case.request_received_on + dt.timedelta(days=20),
            "exception_to": case.request_received_on + dt.timedelta(days=60),
            "exception_evidence": "Parent in hospital for six weeks",
        }
    state = {"state": Clock.State.MET, "met_on": met_on} if met_on else {}
    return ClockFactory(
        kind=Kind.FINAL_PLAN,
        pupil=case.pupil,
        subject_type=ContentType.objects.get_for_model(AssessmentCase),
        subject_id=case.pk,
        school=None,
        local_authority=case.local_authority,
        responsible_role=Role.LA_CASEWORKER,
        start_event="Request for an EHC needs assessment received",
        started_on=case.request_received_on,
        due_on=case.request_received_on + dt.timedelta(weeks=20),
        **state,
        **extra,
    )


def issued_case(
    item: Issued, *, need: str = "ASD", requested_by: str = "parent", **pupil: Any
) -> AssessmentCase:
    """A closed case whose draft was served and whose final plan was issued `item.days` after the
    request, naming the pupil's school; the pupil's rank 1 need is `need`."""
    issued = item.issued
    child = PupilFactory(school=item.school, ehc_plan=True, **pupil)
    PupilNeedFactory(pupil=child, rank=1, code=need)
    case = AssessmentCaseFactory(
        pupil=child,
        requested_by=requested_by,
        request_received_on=item.received,
        assess_decision=AssessmentCase.AssessDecision.ASSESS,
        assess_decision_on=min(item.received + dt.timedelta(weeks=6), issued),
        issue_decision=AssessmentCase.IssueDecision.ISSUE,
        issue_decision_on=min(item.received + dt.timedelta(weeks=16), issued),
        closed_on=issued,
        closed_reason="Final plan issued",
    )
    plan = PlanFactory(pupil=child, case=case)
    PlanVersionFactory(
        plan=plan,
        number=1,
        kind=PlanVersion.Kind.DRAFT,
        issued_on=max(issued - dt.timedelta(days=20), item.received),
    )
    final = PlanVersionFactory(plan=plan, number=2, issued_final=True, issued_on=issued)
    PlanNeedFactory(version=final, code=need)
    final_plan_clock(case, met_on=issued, exception=item.exception)
    return case


def open_case(school: School, received: dt.date, **kw: Any) -> AssessmentCase:
    child = PupilFactory(school=school, sen_support=True)
    case = AssessmentCaseFactory(pupil=child, request_received_on=received, **kw)
    final_plan_clock(case, met_on=None, exception=False)
    return case


def legacy_plan(school: School, issued: dt.date, need: str = "SLCN", **version: Any) -> Plan:
    """A plan with an issued final and no case behind it (made before sendadmin)."""
    child = PupilFactory(school=school, ehc_plan=True)
    PupilNeedFactory(pupil=child, rank=1, code=need)
    plan = PlanFactory(pupil=child)
    PlanVersionFactory(plan=plan, number=1, issued_final=True, issued_on=issued, **version)
    return plan
