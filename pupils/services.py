"""State changes of the SEN register: SEN status, ranked needs, parents told, medical conditions.

Every function takes the acting user, validates, writes history and an audit event, and opens or
meets clocks through sendadmin.clocks.services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_meet, clock_open

from .codes import SenProvision, need_codes_validate
from .models import MedicalCondition, ParentsToldRecord, Pupil, PupilNeed, SenStatus

DAY = dt.timedelta(days=1)


def _locked(pupil: Pupil) -> Pupil:
    return Pupil.objects.select_for_update().get(pk=pupil.pk)


def _needs_replace(pupil: Pupil, codes: Sequence[str], by: Any) -> bool:
    current = list(pupil.needs.order_by("rank"))
    if [n.code for n in current] == list(codes):
        return False
    for need in current:
        need._history_user = by  # type: ignore[attr-defined]
        need.delete()
    for rank, code in enumerate(codes, start=1):
        need = PupilNeed(pupil=pupil, rank=rank, code=code)
        need._history_user = by  # type: ignore[attr-defined]
        need.save()
    return True


def _episode_start(pupil: Pupil, start: dt.date) -> dt.date:
    """The first day of the continuous run of SEN provision (K or E) that includes `start`."""
    last_no_sen = (
        pupil.sen_statuses.filter(provision=SenProvision.NO_SEN, end__lt=start)
        .order_by("-end")
        .first()
    )
    if last_no_sen is not None and last_no_sen.end is not None:
        return last_no_sen.end + DAY
    first = pupil.sen_statuses.order_by("start").first()
    return min(first.start, start) if first else start


@transaction.atomic
def pupil_sen_status_set(
    *,
    pupil: Pupil,
    provision: str,
    start: dt.date | None,
    by: Any,
    needs: Sequence[str] | None = None,
    open_parents_told: bool = True,
) -> SenStatus:
    """Put the pupil on `provision` from `start`, ending the open status the day before.

    `needs`, when given, replaces the ranked needs (first = rank 1, the primary need). Putting a
    pupil on SEN support opens the parents_told clock (CFA 2014 s.68) unless the parents were
    told during this run of SEN provision.
    """
    pupil = _locked(pupil)
    if provision not in SenProvision.values:
        raise ValidationError(f"{provision} is not a census SEN provision code (E, K or N)")
    if start is None:
        raise ValidationError("Enter the date the SEN provision starts")
    if start > timezone.localdate():
        raise ValidationError("The start date cannot be in the future")
    if start < pupil.date_of_birth:
        raise ValidationError("The start date cannot be before the pupil's date of birth")
    codes = list(needs) if needs is not None else [n.code for n in pupil.needs.order_by("rank")]
    if provision == SenProvision.NO_SEN and needs is None:
        codes = []
    errors = need_codes_validate(provision, codes)
    if errors:
        raise ValidationError(errors)
    current = pupil.sen_statuses.filter(end__isnull=True).first()
    needs_changed = _needs_replace(pupil, codes, by)
    if current is not None and current.provision == provision:
        if needs_changed:
            audit_record(by, "pupils.needs.set", pupil, needs=codes)
        return current
    if current is not None and start < current.start:
        raise ValidationError(
            f"The pupil already has an open status ({current.get_provision_display()}) "
            f"from {current.start:%d %B %Y}: the new status must start on or after that date"
        )
    if current is not None and start == current.start:
        # A change on the day the open status began corrects it rather than adding a
        # period that ends before it starts; history keeps the earlier value.
        status = current
        status.provision = provision
    else:
        if current is not None:
            current.end = start - DAY
            current._history_user = by  # type: ignore[attr-defined]
            current.save()
        status = SenStatus(pupil=pupil, provision=provision, start=start)
    status._history_user = by  # type: ignore[attr-defined]
    status.save()
    pupil.sen_provision = provision
    pupil._history_user = by  # type: ignore[attr-defined]
    pupil.save(update_fields=["sen_provision"])
    audit_record(by, "pupils.sen_status.set", pupil, provision=provision, start=start.isoformat())
    if provision == SenProvision.SEN_SUPPORT and open_parents_told:
        told = ParentsToldRecord.objects.filter(
            pupil=pupil, told_on__gte=_episode_start(pupil, start)
        ).exists()
        if not told:
            clock_open(
                kind=Kind.PARENTS_TOLD,
                subject=pupil,
                started_on=start,
                start_event="SEN support began",
                responsible_role=Role.SENCO,
                by=by,
                school=pupil.school,
                pupil=pupil,
            )
    return status


@transaction.atomic
def parents_told_record(
    *, pupil: Pupil, told_on: dt.date | None, method: str, told_by: str, by: Any
) -> ParentsToldRecord:
    """Record that the parents were told SEN provision is being made; meets the open clock."""
    if told_on is None:
        raise ValidationError("Enter the date the parents were told")
    if told_on > timezone.localdate():
        raise ValidationError("The date the parents were told cannot be in the future")
    if method not in ParentsToldRecord.Method.values:
        raise ValidationError("Select how the parents were told")
    if not told_by.strip():
        raise ValidationError("Enter who told the parents")
    record = ParentsToldRecord(
        pupil=pupil, told_on=told_on, method=method, told_by=told_by.strip(), recorded_by=by
    )
    record._history_user = by  # type: ignore[attr-defined]
    record.save()
    audit_record(by, "pupils.parents_told.recorded", pupil, told_on=told_on.isoformat())
    clock = Clock.objects.filter(
        kind=Kind.PARENTS_TOLD, pupil=pupil, state=Clock.State.OPEN
    ).first()
    if clock is not None:
        clock_meet(clock=clock, met_on=max(told_on, clock.started_on), by=by)
    return record


@transaction.atomic
def medical_condition_record(
    *,
    pupil: Pupil,
    condition: str,
    has_healthcare_plan: bool,
    healthcare_plan_review_on: dt.date | None,
    by: Any,
) -> MedicalCondition:
    """Record a medical condition; an individual healthcare plan's review date opens a clock."""
    if not condition.strip():
        raise ValidationError("Enter the medical condition")
    if healthcare_plan_review_on is not None and not has_healthcare_plan:
        raise ValidationError("A review date needs an individual healthcare plan")
    record = MedicalCondition(
        pupil=pupil,
        condition=condition.strip(),
        has_healthcare_plan=has_healthcare_plan,
        healthcare_plan_review_on=healthcare_plan_review_on,
    )
    record._history_user = by  # type: ignore[attr-defined]
    record.save()
    audit_record(by, "pupils.medical_condition.recorded", pupil, condition_id=record.pk)
    if has_healthcare_plan and healthcare_plan_review_on is not None:
        clock_open(
            kind=Kind.HEALTHCARE_PLAN_REVIEW,
            subject=record,
            started_on=timezone.localdate(),
            due_on=healthcare_plan_review_on,
            start_event="Individual healthcare plan recorded",
            responsible_role=Role.SENCO,
            by=by,
            school=pupil.school,
            pupil=pupil,
        )
    return record
