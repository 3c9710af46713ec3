"""Delivering one reminder: an e-mail and an in-app notification, at most one notification ever.

`reminder_deliver` locks the reminder row, returns at once if it was already sent, writes the
Notification (one-to-one with the reminder) and marks the reminder sent, sends the e-mail as the
last step, then commits; a failed send rolls the notification and sent_at back. Two deliveries
of the same reminder (a retried message, a message the sweep enqueued again) serialise on the
row lock, and the second finds sent_at set and does nothing.

The send-then-commit window: SMTP is not part of the database transaction. If the worker dies
after the mail server accepted the e-mail but before the commit completes, the transaction rolls
back, the reminder stays unsent and its next delivery sends the e-mail again. Sending last keeps
that window to the COMMIT round trip. So the guarantee is:

- the Reminder row and the in-app Notification: exactly once (unique constraint, one-to-one, and
  the row lock);
- the e-mail: at least once, and twice only when a worker is lost inside that window (about a
  millisecond per message).

Sending after the commit instead would turn that into "at most once" and could lose an e-mail
with nobody knowing; a duplicate reminder is the smaller harm.

The e-mail carries no more personal data than a person needs to act: the pupil's display name (or
the school's name for a school-level clock), what is due and when, and where to look. Nothing
about needs, plans or reports.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Clock, Notification, Reminder
from .reminders import stage_due, when_phrase

logger = logging.getLogger(__name__)

DEADLINES_PATH = "/deadlines/"
SENT = "sent"
ALREADY_SENT = "already_sent"
MISSING = "missing"
SKIPPED = "skipped"


def reminder_subject(clock: Clock, today: Any) -> str:
    """'Due in 7 days: Annual review of an EHC plan — Amara Okafor'."""
    return f"{when_phrase(clock.due_on, today)}: {clock.get_kind_display()} — {_about(clock)}"


def _about(clock: Clock) -> str:
    if clock.pupil is not None:
        return clock.pupil.display_name
    org = clock.school or clock.local_authority
    return str(org) if org is not None else "sendadmin"


def _skip_reason(reminder: Reminder, today: Any) -> str:
    clock = reminder.clock
    if clock.state != Clock.State.OPEN:
        return f"not sent: the clock was {clock.state} before delivery"
    if not reminder.recipient.is_active:
        return "not sent: the recipient's account is inactive"
    current = stage_due(clock.due_on, today)
    if current != reminder.stage:
        return f"not sent: stage {reminder.stage} was superseded by {current}"
    return ""


def reminder_deliver(reminder_id: int) -> str:
    """Deliver one reminder; idempotent. Returns what happened (SENT, ALREADY_SENT, MISSING,
    SKIPPED). Errors are recorded on the reminder (attempts, last_error) and raised again so the
    task can retry the transient ones."""
    try:
        return _deliver(reminder_id)
    except Exception as exc:
        _record_failure(reminder_id, exc)
        raise


def _record_failure(reminder_id: int, exc: Exception) -> None:
    try:
        with transaction.atomic():
            Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(
                attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:1000]
            )
    except DatabaseError:
        # The database itself is what failed; the task's retry (or the next sweep) tries again.
        logger.warning("could not record the failed delivery of reminder %s", reminder_id)


def _deliver(reminder_id: int) -> str:
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("clock__pupil", "clock__school", "clock__local_authority", "recipient")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None:
            # The clock (and so its reminders) was deleted, or this message belongs elsewhere.
            return MISSING
        if reminder.sent_at is not None:
            return ALREADY_SENT
        today = timezone.localdate()
        reason = _skip_reason(reminder, today)
        if reason:
            # The sweep's re-select applies the same conditions, so a skipped reminder is not
            # enqueued again.
            reminder.last_error = reason
            reminder.save(update_fields=["last_error"])
            logger.info("reminder %s %s", reminder.pk, reason)
            return SKIPPED
        clock = reminder.clock
        recipient = reminder.recipient
        subject = reminder_subject(clock, today)
        site_url = str(getattr(settings, "SITE_URL", "")).rstrip("/")
        context = {
            "subject": subject,
            "greeting_name": recipient.full_name or recipient.email,
            "what": clock.get_kind_display(),
            "about": _about(clock),
            "due_on": clock.due_on,
            "overdue": clock.due_on < today,
            "when": when_phrase(clock.due_on, today),
            "escalated": reminder.escalated,
            "responsible_role": clock.get_responsible_role_display(),
            "deadlines_url": f"{site_url}{DEADLINES_PATH}",
            "has_site_url": bool(site_url),
        }
        text = render_to_string("clocks/email/reminder.txt", context)
        html = render_to_string("clocks/email/reminder.html", context)
        Notification.objects.create(
            user=recipient,
            clock=clock,
            reminder=reminder,
            title=subject[:200],
            body=(
                "Sent to you as the manager of the person responsible, because it is overdue."
                if reminder.escalated
                else ""
            ),
        )
        reminder.sent_at = timezone.now()
        reminder.attempts += 1
        reminder.last_error = ""
        reminder.save(update_fields=["sent_at", "attempts", "last_error"])
        # Last, so that only the commit itself lies between the send and the durable record; a
        # failed send rolls the notification and sent_at back with it.
        send_mail(subject, text, None, [recipient.email], html_message=html)
    return SENT
