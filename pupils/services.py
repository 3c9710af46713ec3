"""State changes of the SEN register: SEN status, ranked needs, parents told, parents and carers,
medical conditions.

Every function takes the acting user, validates, writes history and an audit event, and opens or
meets clocks through sendadmin.clocks.services. Parents, carers and medical conditions: acting
without the permission raises PermissionDenied; adding the same one twice (a double submission)
returns the first; an edit carries the history version the form was opened at, and a stale one is
refused with nothing overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_cancel, clock_meet, clock_open

from .codes import SenProvision, need_codes_validate
from .models import (
    MedicalCondition,
    ParentCarer,
    ParentsToldRecord,
    Pupil,
    PupilNeed,
    SenStatus,
)
from .selectors import history_version

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


STALE = (
    "Someone else changed these details while you were editing them. Nothing you entered has "
    "been saved: check the pupil's record as it is now and make your change again."
)
PHONE = re.compile(r"^\+?[0-9 ()-]+$")
PHONE_DIGITS = (10, 15)  # a UK number has 10 or 11 digits; E.164 allows up to 15


def _save(obj: Any, by: Any) -> None:
    obj._history_user = by
    obj.full_clean(exclude=["pupil"])
    obj.save()


def _require(by: Any, perm: str, pupil: Pupil) -> None:
    if not by.has_perm(perm, pupil):
        raise PermissionDenied(perm)


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


def _parent_values(
    *,
    name: str,
    relationship: str,
    phone: str,
    email: str,
    address: str,
    contact_preference: str,
    has_parental_responsibility: bool,
) -> dict[str, Any]:
    lines = (line.strip() for line in (address or "").splitlines())
    values: dict[str, Any] = {
        "name": _one_line(name),
        "relationship": _one_line(relationship),
        "phone": _one_line(phone),
        "email": (email or "").strip(),
        "address": "\n".join(line for line in lines if line),
        "contact_preference": contact_preference,
        "has_parental_responsibility": bool(has_parental_responsibility),
    }
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter the parent or carer's full name"
    if not values["relationship"]:
        errors["relationship"] = "Enter their relationship to the pupil"
    phone_digits = sum(c.isdigit() for c in values["phone"])
    if values["phone"] and (
        not PHONE.match(values["phone"]) or not PHONE_DIGITS[0] <= phone_digits <= PHONE_DIGITS[1]
    ):
        errors["phone"] = "Enter a phone number, like 01632 960 001 or +44 808 157 0192"
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like name@example.com"
    preference = ParentCarer.ContactPreference
    needed = {
        preference.EMAIL: (
            "email",
            "Enter an email address, or choose another way to contact them",
        ),
        preference.PHONE: ("phone", "Enter a phone number, or choose another way to contact them"),
        preference.LETTER: (
            "address",
            "Enter a postal address, or choose another way to contact them",
        ),
    }
    if contact_preference not in preference.values:
        errors["contact_preference"] = "Select how they prefer to be contacted"
    else:
        field, message = needed[preference(contact_preference)]
        if not values[field] and field not in errors:
            errors[field] = message
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def parent_carer_add(
    *,
    pupil: Pupil,
    name: str,
    relationship: str,
    phone: str,
    email: str,
    address: str,
    contact_preference: str,
    has_parental_responsibility: bool,
    by: Any,
) -> ParentCarer:
    """Add a parent or carer. The same details sent twice return the first row."""
    _require(by, "pupils.edit_contacts", pupil)
    values = _parent_values(
        name=name,
        relationship=relationship,
        phone=phone,
        email=email,
        address=address,
        contact_preference=contact_preference,
        has_parental_responsibility=has_parental_responsibility,
    )
    # The lock makes a second submission of the same form wait for the first, then find its row.
    pupil = _locked(pupil)
    same = ParentCarer.objects.filter(pupil=pupil, **values).first()
    if same is not None:
        return same
    parent = ParentCarer(pupil=pupil, **values)
    _save(parent, by)
    audit_record(by, "pupils.parent_carer.added", pupil, parent_carer_id=parent.pk)
    return parent


@transaction.atomic
def parent_carer_update(
    *,
    parent: ParentCarer,
    version: int | None,
    name: str,
    relationship: str,
    phone: str,
    email: str,
    address: str,
    contact_preference: str,
    has_parental_responsibility: bool,
    by: Any,
) -> ParentCarer:
    """Change a parent's or carer's details, as opened at `version` (selectors.history_version)."""
    _require(by, "pupils.edit_contacts", parent.pupil)
    values = _parent_values(
        name=name,
        relationship=relationship,
        phone=phone,
        email=email,
        address=address,
        contact_preference=contact_preference,
        has_parental_responsibility=has_parental_responsibility,
    )
    current = ParentCarer.objects.select_for_update().filter(pk=parent.pk).first()
    if current is None:
        raise ValidationError("This parent or carer has been removed from the pupil's record")
    changed = sorted(k for k, v in values.items() if getattr(current, k) != v)
    if not changed:
        return current  # nothing to change, or the same form sent twice
    if version != history_version(current):
        raise ValidationError(STALE, code="stale")
    for field in changed:
        setattr(current, field, values[field])
    _save(current, by)
    audit_record(
        by, "pupils.parent_carer.updated", current.pupil, parent_carer_id=current.pk, fields=changed
    )
    return current


@transaction.atomic
def parent_carer_remove(*, parent: ParentCarer, by: Any) -> None:
    """Remove a parent or carer; history keeps their details. Removing twice changes nothing."""
    _require(by, "pupils.edit_contacts", parent.pupil)
    current = ParentCarer.objects.select_for_update().filter(pk=parent.pk).first()
    if current is None:
        return
    pupil = current.pupil
    current._history_user = by  # type: ignore[attr-defined]
    current.delete()
    audit_record(by, "pupils.parent_carer.removed", pupil, parent_carer_id=parent.pk)


def _medical_values(
    *, condition: str, has_healthcare_plan: bool, healthcare_plan_review_on: dt.date | None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "condition": _one_line(condition),
        "has_healthcare_plan": bool(has_healthcare_plan),
        "healthcare_plan_review_on": healthcare_plan_review_on,
    }
    errors: dict[str, str] = {}
    if not values["condition"]:
        errors["condition"] = "Enter the medical condition"
    if healthcare_plan_review_on is not None and not has_healthcare_plan:
        errors["healthcare_plan_review_on"] = (
            "A review date needs an individual healthcare plan: answer yes, or leave the date blank"
        )
    if errors:
        raise ValidationError(errors)
    return values


def _review_date_check(review_on: dt.date | None) -> None:
    """A new review date is today or later: the review clock runs from today to it."""
    if review_on is not None and review_on < timezone.localdate():
        raise ValidationError(
            {"healthcare_plan_review_on": "The review date must be today or in the future"}
        )


def _same_condition_check(record: MedicalCondition) -> None:
    other = MedicalCondition.objects.filter(
        pupil_id=record.pupil_id, condition__iexact=record.condition
    ).exclude(pk=record.pk)
    if other.exists():
        raise ValidationError(
            {
                "condition": f"{record.condition} is already recorded for this pupil: "
                "change it rather than adding it again"
            }
        )


def _review_clock_open_for(record: MedicalCondition) -> Clock | None:
    return Clock.objects.filter(
        kind=Kind.HEALTHCARE_PLAN_REVIEW,
        subject_type=ContentType.objects.get_for_model(MedicalCondition),
        subject_id=record.pk,
        state=Clock.State.OPEN,
    ).first()


def _review_clock_sync(record: MedicalCondition, *, reason: str, by: Any) -> None:
    """Keep one open review clock per condition, due on its review date. A clock's due date never
    moves (domain.md 0A): a new date cancels the open clock and opens another."""
    due_on = record.healthcare_plan_review_on if record.has_healthcare_plan else None
    clock = _review_clock_open_for(record)
    if clock is not None and clock.due_on == due_on:
        return
    if clock is not None:
        clock_cancel(clock=clock, reason=reason, by=by)
    if due_on is not None:
        clock_open(
            kind=Kind.HEALTHCARE_PLAN_REVIEW,
            subject=record,
            started_on=timezone.localdate(),
            due_on=due_on,
            start_event="Individual healthcare plan recorded",
            responsible_role=Role.SENCO,
            by=by,
            school=record.pupil.school,
            pupil=record.pupil,
        )


@transaction.atomic
def medical_condition_record(
    *,
    pupil: Pupil,
    condition: str,
    has_healthcare_plan: bool,
    healthcare_plan_review_on: dt.date | None,
    by: Any,
) -> MedicalCondition:
    """Record a medical condition; an individual healthcare plan's review date opens a clock.

    The same condition sent twice returns the first; the same condition with other answers is
    refused (change the one recorded instead)."""
    _require(by, "pupils.edit_register", pupil)
    values = _medical_values(
        condition=condition,
        has_healthcare_plan=has_healthcare_plan,
        healthcare_plan_review_on=healthcare_plan_review_on,
    )
    pupil = _locked(pupil)
    same = MedicalCondition.objects.filter(pupil=pupil, **values).first()
    if same is not None:
        return same
    _review_date_check(values["healthcare_plan_review_on"])
    record = MedicalCondition(pupil=pupil, **values)
    _same_condition_check(record)
    _save(record, by)
    audit_record(by, "pupils.medical_condition.recorded", pupil, condition_id=record.pk)
    _review_clock_sync(record, reason="", by=by)
    return record


@transaction.atomic
def medical_condition_update(
    *,
    record: MedicalCondition,
    version: int | None,
    condition: str,
    has_healthcare_plan: bool,
    healthcare_plan_review_on: dt.date | None,
    by: Any,
) -> MedicalCondition:
    """Change a condition as opened at `version`; a new review date moves the review clock."""
    _require(by, "pupils.edit_register", record.pupil)
    values = _medical_values(
        condition=condition,
        has_healthcare_plan=has_healthcare_plan,
        healthcare_plan_review_on=healthcare_plan_review_on,
    )
    current = MedicalCondition.objects.select_for_update().filter(pk=record.pk).first()
    if current is None:
        raise ValidationError("This medical condition has been removed from the pupil's record")
    changed = sorted(k for k, v in values.items() if getattr(current, k) != v)
    if not changed:
        return current  # nothing to change, or the same form sent twice
    if version != history_version(current):
        raise ValidationError(STALE, code="stale")
    plan_changed = {"has_healthcare_plan", "healthcare_plan_review_on"} & set(changed)
    if "healthcare_plan_review_on" in changed:
        _review_date_check(values["healthcare_plan_review_on"])
    for field in changed:
        setattr(current, field, values[field])
    _same_condition_check(current)
    _save(current, by)
    audit_record(
        by,
        "pupils.medical_condition.updated",
        current.pupil,
        condition_id=current.pk,
        fields=changed,
    )
    if plan_changed:
        reason = (
            "The individual healthcare plan review date was changed"
            if current.has_healthcare_plan
            else "The pupil no longer has an individual healthcare plan for this condition"
        )
        _review_clock_sync(current, reason=reason, by=by)
    return current


@transaction.atomic
def medical_condition_remove(*, record: MedicalCondition, by: Any) -> None:
    """Remove a medical condition and cancel its open review clock. Removing twice changes nothing."""
    _require(by, "pupils.edit_register", record.pupil)
    current = MedicalCondition.objects.select_for_update().filter(pk=record.pk).first()
    if current is None:
        return
    pupil = current.pupil
    clock = _review_clock_open_for(current)
    if clock is not None:
        clock_cancel(
            clock=clock, reason="The medical condition was removed from the pupil's record", by=by
        )
    current._history_user = by  # type: ignore[attr-defined]
    current.delete()
    audit_record(by, "pupils.medical_condition.removed", pupil, condition_id=record.pk)
