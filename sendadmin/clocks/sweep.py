"""The reminder sweep: single-flight, idempotent, and as cheap as what is due.

Each run (beat: every 15 minutes, UTC) does, in one transaction:

1. read the open clocks due on or before today + the largest lead time (the partial index
   clock_open_due_idx: the cost follows the due set, not the table);
2. work out each clock's current stage (reminders.stage_due, London dates) and its recipients from
   one query of current memberships;
3. insert one Reminder per (clock, stage, recipient) with ON CONFLICT DO NOTHING: the unique
   constraint makes a second run, or two overlapping ones, insert nothing twice;
4. re-select the reminders still unsent: the ones this run inserted, and any inserted earlier whose
   message seems lost (older than RETRY_AFTER: a worker killed with it, a broker that lost it, a
   commit hook that could not reach the broker); and
5. on commit, enqueue clocks.deliver_reminder for each. Delivery is idempotent, so a message that
   was only slow and is enqueued again costs a no-op, never a second notification.

So running the sweep twice sends nothing twice, and running it after hours of downtime sends each
person the stage that is current now (see reminders.py for why not the stages missed meanwhile).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Clock, Reminder
from .reminders import load_members, max_lead_days, pick_recipients, stage_due

logger = logging.getLogger(__name__)

LOCK_KEY = "clocks:sweep:lock"
# Longer than the sweep task's hard time limit (300 s), so the lock never expires under a live
# sweep; a sweep killed outright leaves it to expire before the run after next.
LOCK_TIMEOUT_SECONDS = 600
# An unsent reminder older than this is taken as lost and enqueued again. Shorter than the beat
# interval, so the next sweep after a loss retries it.
RETRY_AFTER = dt.timedelta(minutes=10)
# A reminder that failed this many times (a bad address, a template error) stops being retried;
# its last_error says why.
MAX_ATTEMPTS = 10
INSERT_BATCH = 1000


@dataclass(frozen=True)
class SweepResult:
    ran: bool
    clocks: int = 0
    rows: int = 0
    inserted: int = 0
    retried: int = 0

    @property
    def enqueued(self) -> int:
        return self.inserted + self.retried


def sweep(today: dt.date | None = None) -> SweepResult:
    """Run one sweep unless another is running (then return SweepResult(ran=False))."""
    token = secrets.token_hex(16)
    if not cache.add(LOCK_KEY, token, LOCK_TIMEOUT_SECONDS):
        logger.info("clocks.sweep skipped: another sweep holds the lock")
        return SweepResult(ran=False)
    try:
        result = _sweep(today or timezone.localdate())
    finally:
        # Release only a lock that is still ours: if ours expired and another sweep took it, the
        # other sweep's lock stays. (get-then-delete is not atomic, but the timeout is twice the
        # task's hard time limit, so ours cannot expire in between.)
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)
    logger.info(
        "clocks.sweep: %s open clocks due, %s reminder rows, %s new, %s retried",
        result.clocks,
        result.rows,
        result.inserted,
        result.retried,
    )
    return result


def _sweep(today: dt.date) -> SweepResult:
    with transaction.atomic():
        now = timezone.now()
        horizon = today + dt.timedelta(days=max_lead_days())
        clocks = list(
            Clock.objects.filter(state=Clock.State.OPEN, due_on__lte=horizon)
            .only(
                "pk", "due_on", "school", "local_authority", "responsible_role", "responsible_user"
            )
            .order_by("due_on", "pk")
        )
        due = [(clock, stage) for clock in clocks if (stage := stage_due(clock.due_on, today))]
        members, anywhere = load_members(
            [clock for clock, _ in due], [stage for _, stage in due], today
        )
        rows = [
            Reminder(
                clock_id=clock.pk,
                stage=stage,
                recipient_id=recipient.user_id,
                escalated=recipient.escalated,
                created_at=now,
            )
            for clock, stage in due
            for recipient in pick_recipients(clock, stage, members, anywhere)
        ]
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=INSERT_BATCH)
        pending = (
            Reminder.objects.filter(
                Q(created_at=now) | Q(created_at__lt=now - RETRY_AFTER),
                sent_at__isnull=True,
                attempts__lt=MAX_ATTEMPTS,
                clock__state=Clock.State.OPEN,
                recipient__is_active=True,
            )
            .values_list("pk", "stage", "created_at", "clock__due_on")
            .order_by("pk")
        )
        inserted: list[int] = []
        retried: list[int] = []
        for pk, stage, created_at, due_on in pending:
            if created_at == now:
                inserted.append(pk)
            elif stage == stage_due(due_on, today):
                # An older stage never sent is left alone: its successor has been inserted instead.
                retried.append(pk)
        transaction.on_commit(partial(_enqueue, inserted + retried))
    return SweepResult(
        ran=True, clocks=len(clocks), rows=len(rows), inserted=len(inserted), retried=len(retried)
    )


def _enqueue(reminder_ids: list[int]) -> None:
    """Send one delivery message per reminder over one broker connection. If the broker is down
    this raises after the commit: the rows are saved unsent and the next sweep retries them."""
    if not reminder_ids:
        return
    from .tasks import deliver_reminder

    with deliver_reminder.app.producer_or_acquire() as producer:
        for reminder_id in reminder_ids:
            deliver_reminder.apply_async(args=(reminder_id,), producer=producer)
