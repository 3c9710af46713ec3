"""State changes of the governing body's duties: the SENCO designation (CFA 2014 s.67; reg 49;
domain.md 6) with its qualification clock, and the governance record (domain.md 4 and 9).

Every function takes the acting user, validates, saves with history, writes an audit event, and
opens, meets or cancels the SENCO_QUALIFICATION clock only through sendadmin.clocks.services. Forms
carry the record's `version`: a stale one is refused with code "stale" and nothing saved. "reg"
means the SEND Regulations 2014. Permissions are checked by the views (offer.rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import Membership, School
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_cancel, clock_meet, clock_open

from .deadlines import senco_qualification_due
from .models import Governance, SencoDesignation
from .selectors import qualification_check

CONFLICT = (
    "Someone else changed these details while you were working on them. Nothing you entered has "
    "been saved: check the details as they are now and make your change again."
)
NOT_TEACHER_OR_HEAD = (
    "A SENCO must be a qualified teacher working at the school, or the headteacher "
    "(SEND Regulations 2014, reg 49(1)-(3))"
)
NO_INDUCTION = (
    "A qualified teacher must have completed statutory induction to be the SENCO, unless they "
    "are the headteacher (SEND Regulations 2014, reg 49(2))"
)
START_EVENT = "Became SENCO"
# The model's lengths, so a service caller without a form gets a message rather than a DataError.
TEXT_LIMITS = (("name", "Full name", 200), ("email", "E-mail", 254), ("phone", "Telephone", 40))
# A working week: more SENCO time than this is a typing mistake, not an allocation.
MAX_HOURS_PER_WEEK = Decimal("60")
# 50 years as a SENCO before is already more than anyone has.
MAX_PRIOR_MONTHS = 600
SENCO_FIELDS = (
    "user",
    "name",
    "email",
    "phone",
    "qualified_teacher",
    "induction_completed",
    "is_headteacher",
    "became_senco_on",
    "prior_senco_months",
    "qualification",
    "qualification_started_on",
    "qualification_completed_on",
    "hours_per_week",
)
GOVERNANCE_FIELDS = (
    "sen_link_governor",
    "accessibility_plan_on",
    "accessibility_plan_review_on",
    "medical_policy_on",
    "medical_policy_review_on",
    "designated_teacher",
)


class StaleVersionError(ValidationError):
    """The record changed since the form was opened."""

    def __init__(self) -> None:
        super().__init__(CONFLICT, code="stale")


def _save(obj: Any, by: Any) -> None:
    obj._history_user = by
    obj.save()


def _text(value: Any) -> str:
    return str(value or "").strip()


def _senco_values(school: School, data: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """Clean and check one designation's values; every refusal goes next to its field."""
    values: dict[str, Any] = {name: data.get(name) for name in SENCO_FIELDS}
    for name in ("name", "email", "phone"):
        values[name] = _text(values[name])
    for name in ("qualified_teacher", "induction_completed", "is_headteacher"):
        values[name] = bool(values[name])
    values["prior_senco_months"] = values["prior_senco_months"] or 0
    values["qualification"] = values["qualification"] or SencoDesignation.Qualification.NONE
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter the SENCO's full name"
    for name, label, limit in TEXT_LIMITS:
        if len(values[name]) > limit:
            errors[name] = f"{label} must be {limit} characters or fewer"
    # Reg 49(1)-(3): a qualified teacher (with induction completed) working at the school, or the
    # headteacher or acting headteacher. Anything else is refused, not recorded with a warning.
    if not (values["qualified_teacher"] or values["is_headteacher"]):
        errors["qualified_teacher"] = NOT_TEACHER_OR_HEAD
    elif not values["is_headteacher"] and not values["induction_completed"]:
        errors["induction_completed"] = NO_INDUCTION
    became = values["became_senco_on"]
    if became is None:
        errors["became_senco_on"] = "Enter the date they became SENCO at this school"
    if not 0 <= values["prior_senco_months"] <= MAX_PRIOR_MONTHS:
        errors["prior_senco_months"] = (
            f"Months as a SENCO before must be between 0 and {MAX_PRIOR_MONTHS}"
        )
    hours = values["hours_per_week"]
    if hours is not None and not Decimal(0) <= Decimal(hours) <= MAX_HOURS_PER_WEEK:
        errors["hours_per_week"] = f"SENCO time must be between 0 and {MAX_HOURS_PER_WEEK} hours"
    errors.update(_qualification_errors(values, today))
    user = values["user"]
    if user is not None and not (
        Membership.objects.current(today).filter(user=user, school=school).exists()
    ):
        errors["user"] = "Choose a member of staff of this school"
    if errors:
        raise ValidationError(errors)
    return values


def _qualification_errors(values: dict[str, Any], today: dt.date) -> dict[str, str]:
    started, completed = values["qualification_started_on"], values["qualification_completed_on"]
    if values["qualification"] == SencoDesignation.Qualification.NONE:
        if started or completed:
            return {
                "qualification": "Choose the qualification, or leave its dates empty if it has "
                "not been started"
            }
        return {}
    errors: dict[str, str] = {}
    if started is None:
        # The 2024 rules turn on the date the course started (reg 49(7)-(9)).
        errors["qualification_started_on"] = "Enter the date the qualification course started"
    if completed is not None and completed > today:
        errors["qualification_completed_on"] = (
            "The date completed cannot be in the future: leave it empty while the course is in "
            "progress"
        )
    elif started is not None and completed is not None and completed < started:
        errors["qualification_completed_on"] = (
            "The date completed must be the same as or after the date the course started"
        )
    return errors


def _open_clock(designation: SencoDesignation) -> Clock | None:
    return Clock.objects.filter(
        kind=Kind.SENCO_QUALIFICATION,
        subject_type=ContentType.objects.get_for_model(SencoDesignation),
        subject_id=designation.pk,
        state=Clock.State.OPEN,
    ).first()


def _holds_qualification(designation: SencoDesignation, today: dt.date) -> bool:
    """A qualification that counts under reg 49(4) and (7)-(9), completed by today."""
    completed = designation.qualification_completed_on
    if designation.qualification == SencoDesignation.Qualification.NONE or completed is None:
        return False
    return completed <= today and qualification_check(designation, today).compliant


def _clock_due(designation: SencoDesignation, today: dt.date) -> dt.date | None:
    """The reg 49(4) date when the clock should be open: None when the duty does not apply or the
    qualification is already held."""
    if _holds_qualification(designation, today):
        return None
    return senco_qualification_due(designation.became_senco_on, designation.prior_senco_months)


def _open_qualification_clock(
    designation: SencoDesignation, due: dt.date, responsible_role: Role | str, by: Any
) -> Clock:
    return clock_open(
        kind=Kind.SENCO_QUALIFICATION,
        subject=designation,
        started_on=designation.became_senco_on,
        start_event=START_EVENT,
        responsible_role=responsible_role,
        by=by,
        due_on=due,
        school=designation.school,
    )


@transaction.atomic
def senco_designate(
    school: School,
    *,
    data: Mapping[str, Any],
    by: Any,
    responsible_role: Role | str = Role.HEADTEACHER,
) -> SencoDesignation:
    """Designate a SENCO (CFA s.67(2)) and, where reg 49(4) applies and the qualification is not
    already held, open the qualification clock due on the 3rd anniversary. The duty is the
    governing body's (reg 49(1)); by default the headteacher answers for it."""
    today = timezone.localdate()
    values = _senco_values(school, data, today)
    designation = SencoDesignation(school=school, **values)
    _save(designation, by)
    due = _clock_due(designation, today)
    if due is not None:
        _open_qualification_clock(designation, due, responsible_role, by)
    check = qualification_check(designation, today)
    audit_record(
        by,
        "offer.senco.designated",
        designation,
        school_id=school.pk,
        qualification_due=due.isoformat() if due else None,
        compliant=check.compliant,
    )
    return designation


def _locked(designation: SencoDesignation) -> SencoDesignation:
    return (
        SencoDesignation.objects.select_for_update().select_related("school").get(pk=designation.pk)
    )


def _ended_error(current: SencoDesignation) -> ValidationError:
    assert current.ended_on is not None
    return ValidationError(
        f"This SENCO's designation ended on {current.ended_on:%-d %B %Y}: it can no longer be "
        "changed"
    )


@transaction.atomic
def senco_update(
    designation: SencoDesignation,
    data: Mapping[str, Any],
    expected_version: int | None,
    by: Any,
) -> SencoDesignation:
    """Change a designation as opened at `expected_version`; keys missing from `data` keep their
    values. The clock follows: met when a qualification that counts is completed, cancelled and
    reopened when the due date moves, cancelled when reg 49(4) stops applying. A National Award
    started on or after 1 September 2024 is recorded, and the check flags it (reg 49(7)-(9))."""
    today = timezone.localdate()
    current = _locked(designation)
    if current.ended_on is not None:
        raise _ended_error(current)
    merged = {name: data.get(name, getattr(current, name)) for name in SENCO_FIELDS}
    values = _senco_values(current.school, merged, today)
    changed = sorted(name for name, value in values.items() if getattr(current, name) != value)
    if not changed:
        return current  # nothing to change, or the same form sent twice
    if expected_version != current.version:
        raise StaleVersionError()
    for name in changed:
        setattr(current, name, values[name])
    current.version += 1
    _save(current, by)
    _follow_clock(current, today, by)
    audit_record(by, "offer.senco.updated", current, fields=changed)
    return current


def _follow_clock(designation: SencoDesignation, today: dt.date, by: Any) -> None:
    clock = _open_clock(designation)
    completed = designation.qualification_completed_on
    if _holds_qualification(designation, today) and completed is not None:
        if clock is None:
            return
        if completed >= clock.started_on:
            clock_meet(clock=clock, met_on=completed, by=by, note="Qualification completed")
        else:
            clock_cancel(
                clock=clock, reason="The qualification was held before they became SENCO", by=by
            )
        return
    due = _clock_due(designation, today)
    if clock is not None:
        if due == clock.due_on and clock.started_on == designation.became_senco_on:
            return
        if due is None:
            reason = "The qualification duty no longer applies (reg 49(4))"
        else:
            reason = f"The dates changed: the qualification is now due by {due:%-d %B %Y}"
        clock_cancel(clock=clock, reason=reason, by=by)
    if due is not None:
        _open_qualification_clock(designation, due, _last_role(designation), by)


def _last_role(designation: SencoDesignation) -> str:
    """Whoever answered for the designation's last clock answers for the next one."""
    role = (
        Clock.objects.filter(
            kind=Kind.SENCO_QUALIFICATION,
            subject_type=ContentType.objects.get_for_model(SencoDesignation),
            subject_id=designation.pk,
        )
        .order_by("-pk")
        .values_list("responsible_role", flat=True)
        .first()
    )
    return role or Role.HEADTEACHER


@transaction.atomic
def senco_end(designation: SencoDesignation, ended_on: dt.date | None, by: Any) -> SencoDesignation:
    """End a designation on the day the SENCO left the post; the qualification clock is cancelled
    with the reason, since the duty was this person's (reg 49(4))."""
    today = timezone.localdate()
    current = _locked(designation)
    if current.ended_on is not None:
        if current.ended_on == ended_on:
            return current  # the same form sent twice
        raise _ended_error(current)
    if ended_on is None:
        raise ValidationError({"ended_on": "Enter the date they stopped being SENCO"})
    if ended_on > today:
        raise ValidationError(
            {
                "ended_on": "The end date cannot be in the future: end the designation when they leave"
            }
        )
    if ended_on < current.became_senco_on:
        raise ValidationError(
            {
                "ended_on": "The end date must be the same as or after the date they became "
                f"SENCO ({current.became_senco_on:%-d %B %Y})"
            }
        )
    current.ended_on = ended_on
    current.version += 1
    _save(current, by)
    clock = _open_clock(current)
    if clock is not None:
        clock_cancel(
            clock=clock, reason=f"{current.name} stopped being SENCO on {ended_on:%-d %B %Y}", by=by
        )
    audit_record(by, "offer.senco.ended", current, ended_on=ended_on.isoformat())
    return current


def _governance_values(data: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    values: dict[str, Any] = {name: data.get(name) for name in GOVERNANCE_FIELDS}
    values["sen_link_governor"] = _text(values["sen_link_governor"])
    values["designated_teacher"] = _text(values["designated_teacher"])
    errors: dict[str, str] = {}
    for agreed, review, what in (
        ("accessibility_plan_on", "accessibility_plan_review_on", "accessibility plan"),
        ("medical_policy_on", "medical_policy_review_on", "medical conditions policy"),
    ):
        if values[agreed] and values[agreed] > today:
            errors[agreed] = f"The date the {what} was agreed cannot be in the future"
        elif values[agreed] and values[review] and values[review] < values[agreed]:
            errors[review] = f"The {what}'s next review must be on or after the date it was agreed"
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def governance_save(
    school: School, data: Mapping[str, Any], expected_version: int | None, by: Any
) -> Governance:
    """Save the school's governance record, creating it on the first save. `expected_version` is
    the version the form was opened at, 0 when there was no record yet: a stale one is refused."""
    values = _governance_values(data, timezone.localdate())
    current = Governance.objects.select_for_update().filter(school=school).first()
    if current is None:
        if expected_version not in (0, None):
            raise StaleVersionError()
        current = Governance(school=school, version=0)
    changed = sorted(name for name, value in values.items() if getattr(current, name) != value)
    if current.pk is not None and not changed:
        return current  # nothing to change, or the same form sent twice
    if current.pk is not None and expected_version != current.version:
        raise StaleVersionError()
    for name in changed:
        setattr(current, name, values[name])
    current.version += 1
    try:
        with transaction.atomic():
            _save(current, by)
    except IntegrityError as exc:
        # Someone else saved the first record for this school at the same moment.
        raise StaleVersionError() from exc
    audit_record(by, "offer.governance.saved", current, school_id=school.pk, fields=changed)
    return current
