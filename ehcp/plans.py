"""State changes of EHC plans: the draft started from the assessment, section edits, issuing
(which freezes a version), new versions, and what issuing does to the case's clocks (domain.md 1.1
steps 5b-7, 3).

Every function takes the acting user, validates, saves with history and writes an audit event.
An issued version is never changed: every edit function refuses one (PlanFrozenError).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from pupils.codes import NEED_AREA, NeedType
from sendadmin.accounts.audit import audit_record

from .models import AdviceRequest, AssessmentCase, Plan, PlanNeed, PlanVersion


class PlanFrozenError(ValidationError):
    def __init__(self, version: PlanVersion) -> None:
        super().__init__(
            f"Version {version.number} was issued on {version.issued_on:%-d %B %Y} and cannot be "
            "changed. Start a new version to change the plan.",
            code="frozen",
        )


def _save(obj: Any, by: Any) -> None:
    obj._history_user = by
    obj.save()


@transaction.atomic
def plan_draft_create(*, case: AssessmentCase, by: Any) -> Plan:
    """Start the plan of a case that decided to issue one: version 1, a draft.

    Section B starts from the needs on the school's register (one row per ranked need, for the
    caseworker to describe), and K from the advice received (reg 12(1); CoP 9.62). Section I stays
    blank (CoP 9.77). Calling it again returns the plan already started.
    """
    if case.issue_decision != AssessmentCase.IssueDecision.ISSUE:
        raise ValidationError("Record the decision to issue a plan before drafting it.")
    existing = Plan.objects.filter(case=case).first()
    if existing is not None:
        return existing
    plan = Plan(pupil=case.pupil, local_authority=case.local_authority, case=case)
    _save(plan, by)
    version = PlanVersion(plan=plan, number=1, kind=PlanVersion.Kind.DRAFT)
    _save(version, by)
    needs = [n for n in case.pupil.needs.order_by("rank") if n.code in NEED_AREA]
    for position, need in enumerate(needs, start=1):
        _save(
            PlanNeed(
                version=version,
                area=NEED_AREA[need.code],
                code=need.code,
                description=NeedType(need.code).label,
                position=position,
            ),
            by,
        )
    version.advice.set(case.advice.filter(status=AdviceRequest.Status.SUBMITTED))
    audit_record(by, "ehcp.plan.drafted", plan, version=version.number)
    return plan
