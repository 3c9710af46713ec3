"""State changes of the provision map; each takes the acting user, validates and writes an audit event.

Refusals: bad input raises ValidationError (the form shows it); acting outside one's school, role or
pupils raises PermissionDenied. Logging the same session twice (a double submission) returns the
first log unchanged, guarded by the form's unique submission key.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from pupils.models import Pupil, current_q
from pupils.rules import pupil_visible_q
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import School

from .models import NotionalSenBudget, Provision, ProvisionAssignment, SessionAttendance, SessionLog
from .rules import can_manage_provision, can_manage_school_provision, can_record_provision

PROVISION_FIELDS = frozenset(
    {
        "name",
        "description",
        "area",
        "one_to_one",
        "staff_role",
        "sessions_per_week",
        "minutes_per_session",
        "cost_per_hour",
        "max_group_size",
        "active",
    }
)


def _save(obj: Any, by: Any) -> None:
    obj._history_user = by
    obj.full_clean()
    obj.save()


def _fields(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - PROVISION_FIELDS
    if unknown:
        raise ValueError(f"Not provision fields: {sorted(unknown)}")
    fields = dict(values)
    if fields.get("one_to_one"):
        fields["max_group_size"] = 1
    return fields


@transaction.atomic
def provision_create(*, school: School, by: Any, **values: Any) -> Provision:
    if not can_manage_school_provision(by, school.pk):
        raise PermissionDenied
    provision = Provision(school=school, **_fields(values))
    _save(provision, by)
    audit_record(by, "provision.provision.created", provision)
    return provision


STALE_MESSAGE = (
    "Someone else changed this provision while you were editing it. Their version is shown; "
    "your changes are below. Check them and save again."
)


@transaction.atomic
def provision_update(
    *, provision: Provision, version: int | None, by: Any, **values: Any
) -> Provision:
    """Edit a catalogue entry opened at `version`; a stale version is refused, nothing written."""
    if not can_manage_provision(by, provision):
        raise PermissionDenied
    current = Provision.objects.select_for_update().get(pk=provision.pk)
    if version != current.version:
        raise ValidationError(STALE_MESSAGE, code="stale")
    for name, value in _fields(values).items():
        setattr(current, name, value)
    current.version += 1
    _save(current, by)
    audit_record(by, "provision.provision.updated", current, fields=sorted(values))
    return current


@transaction.atomic
def provision_assign(
    *,
    provision: Provision,
    pupil: Pupil,
    start: dt.date,
    by: Any,
    end: dt.date | None = None,
    entry_measure: str = "",
    notes: str = "",
) -> ProvisionAssignment:
    if not can_manage_provision(by, provision):
        raise PermissionDenied
    if pupil.school_id != provision.school_id:
        raise ValidationError(
            {"pupil": "Choose a pupil at this provision's school."}, code="other_school"
        )
    if end is not None and end < start:
        raise ValidationError({"end": "The end date must be on or after the start date."})
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()  # one assign at a time per pupil
    overlapping = ProvisionAssignment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=start),
        provision=provision,
        pupil=pupil,
        **({"start__lte": end} if end is not None else {}),
    ).first()
    if overlapping is not None:
        if overlapping.start == start and overlapping.end == end:
            return overlapping  # the same form submitted twice
        raise ValidationError(
            {
                "provision": f"This pupil is already on {provision.name} from "
                f"{overlapping.start:%-d %B %Y}. End that first."
            },
            code="overlap",
        )
    assignment = ProvisionAssignment(
        provision=provision,
        pupil=pupil,
        start=start,
        end=end,
        entry_measure=entry_measure,
        notes=notes,
    )
    _save(assignment, by)
    audit_record(by, "provision.assignment.created", assignment, pupil=pupil.pk)
    return assignment


@transaction.atomic
def provision_assignment_end(
    *, assignment: ProvisionAssignment, end: dt.date, by: Any, exit_measure: str = ""
) -> ProvisionAssignment:
    """Finish a pupil's time on a provision, with the exit measure that shows its impact."""
    if not can_manage_provision(by, assignment.provision):
        raise PermissionDenied
    if end < assignment.start:
        raise ValidationError({"end": "The end date must be on or after the start date."})
    assignment.end = end
    assignment.exit_measure = exit_measure
    _save(assignment, by)
    audit_record(by, "provision.assignment.ended", assignment, pupil=assignment.pupil_id)
    return assignment


@transaction.atomic
def session_log_record(
    *,
    provision: Provision,
    date: dt.date,
    duration_minutes: int,
    attended: Mapping[int, bool],
    by: Any,
    notes: str = "",
    submission_key: uuid.UUID | None = None,
) -> tuple[SessionLog, bool]:
    """Log a session with who attended; returns (log, created). Pupils are keyed by pk.

    `submission_key` identifies the form: a second call with the same key returns the first log.

    Every pupil must be assigned to the provision on the date and visible to `by` (a teacher or TA
    logs only for pupils they teach).
    """
    if not can_record_provision(by, provision):
        raise PermissionDenied
    if duration_minutes < 1:
        raise ValidationError({"duration_minutes": "Enter how many minutes the session lasted."})
    if not attended:
        raise ValidationError({"attended": "Select the pupils this session was for."})
    pupil_ids = set(attended)
    allowed = set(
        Pupil.objects.filter(
            pupil_visible_q(by),
            pk__in=pupil_ids,
            provision_assignments__in=ProvisionAssignment.objects.filter(
                current_q(on=date), provision=provision
            ),
        ).values_list("pk", flat=True)
    )
    if pupil_ids - allowed:
        raise PermissionDenied("You can only log sessions for assigned pupils you teach.")
    if submission_key is not None:
        existing = SessionLog.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing, False
    log = SessionLog(
        provision=provision,
        date=date,
        delivered_by=by,
        duration_minutes=duration_minutes,
        notes=notes,
        submission_key=submission_key,
    )
    log._history_user = by  # type: ignore[attr-defined]
    log.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        # The same form, sent twice at once: the other request saved it first.
        return SessionLog.objects.get(submission_key=submission_key), False
    for pupil_id in sorted(pupil_ids):
        row = SessionAttendance(session=log, pupil_id=pupil_id, attended=attended[pupil_id])
        row._history_user = by  # type: ignore[attr-defined]
        row.save()
    audit_record(
        by, "provision.session.logged", log, attended=sum(1 for v in attended.values() if v)
    )
    return log, True


@transaction.atomic
def notional_budget_set(
    *, school: School, year_start: dt.date, amount: Decimal, by: Any
) -> NotionalSenBudget:
    if not can_manage_school_provision(by, school.pk):
        raise PermissionDenied
    if amount < 0:
        raise ValidationError({"amount": "The budget cannot be negative."})
    budget = NotionalSenBudget.objects.filter(school=school, year_start=year_start).first()
    if budget is None:
        budget = NotionalSenBudget(school=school, year_start=year_start)
    budget.amount = amount
    _save(budget, by)
    audit_record(by, "provision.budget.set", budget, amount=str(amount))
    return budget
