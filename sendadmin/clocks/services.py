"""The only code that writes clocks: open, meet, cancel, record an exception.

Apps call these from their own services when a statutory event happens. Every refusal is a
ValidationError with a message a person can act on, and leaves the clock as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ehcp.deadlines import EXCEPTION_LIMBS
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import LocalAuthority, School
from sendadmin.accounts.roles import Role

from .kinds import RULES, Kind
from .models import Clock, Notification


def _open_clock_for(kind: str, subject: models.Model) -> Clock | None:
    return Clock.objects.filter(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        state=Clock.State.OPEN,
    ).first()


def clock_open(
    *,
    kind: Kind | str,
    subject: models.Model,
    started_on: dt.date | None,
    start_event: str,
    responsible_role: Role | str,
    by: Any,
    due_on: dt.date | None = None,
    school: School | None = None,
    local_authority: LocalAuthority | None = None,
    pupil: Any = None,
    responsible_user: Any = None,
) -> Clock:
    """Open the clock of `kind` on `subject`, or return the one already open (idempotent).

    The due date comes from the kind's rule (kinds.RULES) unless the caller computed it from more
    than the start date (a meeting date, a transfer year).
    """
    kind = Kind(kind)
    if started_on is None:
        raise ValidationError(
            f"Enter the date of {start_event.lower()}: the due date of "
            f"'{kind.label}' cannot be worked out without it."
        )
    if due_on is None:
        rule = RULES[kind].due_from_start
        if rule is None:
            raise ValidationError(f"'{kind.label}' needs its due date worked out by its service.")
        due_on = rule(started_on)
    if school is not None and local_authority is None:
        local_authority = school.local_authority
    if school is None and local_authority is None:
        raise ValidationError("A clock must belong to a school or a local authority.")
    existing = _open_clock_for(kind, subject)
    if existing is not None:
        return existing
    clock = Clock(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        pupil=pupil,
        school=school,
        local_authority=local_authority,
        responsible_role=Role(responsible_role),
        responsible_user=responsible_user,
        start_event=start_event,
        started_on=started_on,
        due_on=due_on,
    )
    clock._history_user = by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            clock.save()
    except IntegrityError:
        # Two requests opened it at once: the other one won; return its clock.
        winner = _open_clock_for(kind, subject)
        if winner is None:
            raise
        return winner
    audit_record(by, "clocks.clock.opened", clock, kind=str(kind), due_on=due_on.isoformat())
    return clock


def _locked(clock: Clock) -> Clock:
    return Clock.objects.select_for_update().get(pk=clock.pk)


@transaction.atomic
def clock_meet(*, clock: Clock, met_on: dt.date | None, by: Any, note: str = "") -> Clock:
    """Record that the obligation was met on `met_on`. Meeting a met clock again changes nothing."""
    clock = _locked(clock)
    if clock.state == Clock.State.MET:
        return clock
    if clock.state == Clock.State.CANCELLED:
        raise ValidationError("This clock was cancelled, so it cannot be met.")
    if met_on is None:
        raise ValidationError("Enter the date the obligation was met.")
    if met_on < clock.started_on:
        raise ValidationError(
            f"The date met ({met_on:%d %B %Y}) is before the clock started "
            f"({clock.started_on:%d %B %Y}). Check the date."
        )
    if met_on > timezone.localdate():
        raise ValidationError("The date met cannot be in the future.")
    clock.state = Clock.State.MET
    clock.met_on = met_on
    clock.met_by = by
    clock.met_note = note.strip()
    clock._history_user = by  # type: ignore[attr-defined]
    clock.save()
    audit_record(
        by, "clocks.clock.met", clock, met_on=met_on.isoformat(), on_time=met_on <= clock.due_on
    )
    return clock


@transaction.atomic
def clock_cancel(*, clock: Clock, reason: str, by: Any) -> Clock:
    """Cancel an open clock (the obligation no longer exists), with the reason recorded."""
    clock = _locked(clock)
    if clock.state == Clock.State.CANCELLED:
        return clock
    if clock.state == Clock.State.MET:
        raise ValidationError("This clock has been met, so it cannot be cancelled.")
    if not reason.strip():
        raise ValidationError("Enter why the clock is being cancelled.")
    clock.state = Clock.State.CANCELLED
    clock.cancelled_reason = reason.strip()
    clock._history_user = by  # type: ignore[attr-defined]
    clock.save()
    audit_record(by, "clocks.clock.cancelled", clock, reason=clock.cancelled_reason)
    return clock


@transaction.atomic
def clock_record_exception(
    *,
    clock: Clock,
    limb: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
    evidence: str,
    by: Any,
) -> Clock:
    """Record that a regulation's exception applies. The due date never moves (domain.md 0A)."""
    clock = _locked(clock)
    regulation = RULES[clock.kind].exception_list
    if regulation is None:
        raise ValidationError(f"The law allows no exception to '{clock.get_kind_display()}'.")
    limbs = {limb_.code: limb_ for limb_ in EXCEPTION_LIMBS[regulation]}
    if limb not in limbs:
        allowed = ", ".join(f"({code})" for code in limbs)
        raise ValidationError(f"Choose one of the exceptions {regulation} allows: {allowed}.")
    if date_from is None or date_to is None:
        raise ValidationError("Enter the dates the exception covers: both a start and an end.")
    if date_to < date_from:
        raise ValidationError("The exception's end date is before its start date.")
    if not evidence.strip():
        raise ValidationError("Enter the evidence for the exception.")
    if clock.state == Clock.State.CANCELLED:
        raise ValidationError("This clock was cancelled.")
    clock.exception_regulation = regulation
    clock.exception_limb = limb
    clock.exception_from = date_from
    clock.exception_to = date_to
    clock.exception_evidence = evidence.strip()
    clock._history_user = by  # type: ignore[attr-defined]
    clock.save()
    audit_record(by, "clocks.clock.exception_recorded", clock, regulation=regulation, limb=limb)
    return clock


# Notifications are not history-tracked and belong to one person: marking them read is a plain
# update of the caller's own rows (the caller has fetched `notification` through the selector).
def notification_mark_read(*, notification: Notification, by: Any) -> Notification:
    if notification.user_id != by.pk:
        raise ValidationError("This notification is not yours.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, by: Any) -> int:
    return Notification.objects.filter(user=by, read_at__isnull=True).update(read_at=timezone.now())
