"""The reminder sweep: single-flight, idempotent, and as cheap as what is due.

Each run (beat: every 15 minutes, UTC) does, in one transaction:

1. read the open clocks due on or before today + the largest lead time (the partial index
   clock_open_due_idx: the cost follows the due set, not the table);
2. work out each clock's current stage (reminders.stage_due, London dates) and its recipients from
   one query of current memberships;
3. insert one Reminder per (clock, stage, recipient) with ON CONFLICT DO NOTHING RETURNING id: the
   unique constraint makes a second run, or two overlapping ones, insert nothing twice, and the ids
   returned are the reminders this run made;
4. select the reminders inserted earlier and still unsent whose message seems lost (older than
   RETRY_AFTER: a worker killed with it, a broker that lost it, a commit hook that could not reach
   the broker), through the partial index on unsent reminders; and
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
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Clock, Reminder
from .reminders import (
    is_overdue_stage,
    lead_days,
    load_members,
    max_lead_days,
    overdue_every_days,
    pick_recipients,
    stage_due,
)

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
# Reminder rows per INSERT statement (arrays of this length are sent as four parameters).
INSERT_BATCH = 50_000
# The table is named here rather than through the ORM: bulk_create cannot say which rows
# ON CONFLICT DO NOTHING skipped, and builds a model instance per row.
INSERT_SQL = (
    "INSERT INTO clocks_reminder "
    "(clock_id, stage, recipient_id, escalated, created_at, sent_at, attempts, last_error) "
    "SELECT r.clock_id, r.stage, r.recipient_id, r.escalated, %s, NULL, 0, '' "
    "FROM unnest(%s::bigint[], %s::varchar[], %s::bigint[], %s::boolean[]) "
    "AS r(clock_id, stage, recipient_id, escalated) "
    "ON CONFLICT DO NOTHING RETURNING id"
)
ALREADY_MADE_SQL = (
    "SELECT r.clock_id, r.stage, r.recipient_id FROM clocks_reminder r "
    "JOIN unnest(%s::bigint[], %s::varchar[]) AS d(clock_id, stage) "
    "ON r.clock_id = d.clock_id AND r.stage = d.stage"
)


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


class DueClock(NamedTuple):
    """The columns of an open clock the sweep needs: read as tuples, not model instances, since
    a national sweep reads hundreds of thousands (benchmarks/sweep.py)."""

    pk: int
    due_on: dt.date
    school_id: int | None
    local_authority_id: int | None
    responsible_role: str
    responsible_user_id: int | None


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


def due_clocks_query(horizon: dt.date) -> QuerySet[Clock, tuple[Any, ...]]:
    """The open clocks due on or before `horizon`, by the partial index clock_open_due_idx."""
    return (
        Clock.objects.filter(state=Clock.State.OPEN, due_on__lte=horizon)
        .values_list(*DueClock._fields)
        .order_by("due_on", "pk")
    )


def due_clocks(horizon: dt.date) -> list[DueClock]:
    return [DueClock(*row) for row in due_clocks_query(horizon)]


def _sweep(today: dt.date) -> SweepResult:
    with transaction.atomic():
        now = timezone.now()
        leads, every = lead_days(), overdue_every_days()
        clocks = due_clocks(today + dt.timedelta(days=max_lead_days()))
        # A stage depends on the due date alone: about 700 dates for hundreds of thousands of clocks.
        stage_on = {
            due_on: stage_due(due_on, today, leads=leads, every=every)
            for due_on in {clock.due_on for clock in clocks}
        }
        due = [(clock, stage) for clock in clocks if (stage := stage_on[clock.due_on])]
        rows = reminder_rows(due, today)
        made = already_made(due)
        inserted = sorted(_insert_new([row for row in rows if row[:3] not in made], now))
        retried = _lost(now, today, leads, every)
        transaction.on_commit(partial(_enqueue, inserted + retried))
    return SweepResult(
        ran=True, clocks=len(clocks), rows=len(rows), inserted=len(inserted), retried=len(retried)
    )


Row = tuple[int, str, int, bool]  # clock id, stage, recipient id, escalated


def reminder_rows(due: list[tuple[DueClock, str]], today: dt.date) -> list[Row]:
    """One row per (clock, stage, recipient). Who receives a stage depends only on the clock's
    school, LA, responsible role and person and on whether the stage is overdue (reminders.py), so
    the recipients are worked out once per such group (nationally about one per ten clocks)."""
    groups: dict[tuple[Any, ...], tuple[DueClock, str, list[tuple[int, str]]]] = {}
    for clock, stage in due:
        key = (
            clock.school_id,
            clock.local_authority_id,
            clock.responsible_role,
            clock.responsible_user_id,
            is_overdue_stage(stage),
        )
        group = groups.get(key)
        if group is None:
            group = groups[key] = (clock, stage, [])
        group[2].append((clock.pk, stage))
    firsts = list(groups.values())
    members, anywhere = load_members([g[0] for g in firsts], [g[1] for g in firsts], today)
    rows: list[Row] = []
    for clock, stage, of_group in firsts:
        recipients = pick_recipients(clock, stage, members, anywhere)
        rows.extend(
            (pk, clock_stage, r.user_id, r.escalated)
            for pk, clock_stage in of_group
            for r in recipients
        )
    return rows


def already_made(due: list[tuple[DueClock, str]]) -> set[tuple[int, str, int]]:
    """The (clock, stage, recipient) reminders that exist for the current stage of each clock due,
    read through the unique index (clock, stage, recipient): so a sweep that finds them made
    skips them here instead of asking the unique constraint row by row in its INSERT, and its cost
    follows the due set, not the reminders stored."""
    if not due:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            ALREADY_MADE_SQL, [[clock.pk for clock, _ in due], [stage for _, stage in due]]
        )
        return {(clock_id, stage, user_id) for clock_id, stage, user_id in cursor.fetchall()}


def _insert_new(rows: list[tuple[int, str, int, bool]], now: dt.datetime) -> list[int]:
    """Insert the reminders not already there; return the ids of those inserted.

    One statement per INSERT_BATCH rows, the rows passed as four arrays, and ON CONFLICT DO
    NOTHING under reminder_once_per_stage_and_person, so a row already made by an earlier or an
    overlapping sweep is skipped. RETURNING names exactly the rows this sweep made, without
    building a model instance per row or reading them back.
    """
    inserted: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            columns: list[list[Any]] = [list(column) for column in zip(*batch, strict=True)]
            cursor.execute(INSERT_SQL, [now, *columns])
            inserted.extend(pk for (pk,) in cursor.fetchall())
    return inserted


def _lost(now: dt.datetime, today: dt.date, leads: tuple[int, ...], every: int) -> list[int]:
    """Reminders inserted by an earlier sweep and still unsent after RETRY_AFTER: their message
    seems lost (a worker killed with it, a broker that lost it, a commit hook that could not reach
    the broker). Read through the partial index reminder_unsent_idx, so the cost follows the
    unsent backlog, not the table."""
    # An older stage never sent is left alone: its successor has been inserted instead.
    return [
        pk
        for pk, stage, due_on in lost_query(now)
        if stage == stage_due(due_on, today, leads=leads, every=every)
    ]


def lost_query(now: dt.datetime) -> QuerySet[Reminder, tuple[Any, ...]]:
    return (
        Reminder.objects.filter(
            created_at__lt=now - RETRY_AFTER,
            sent_at__isnull=True,
            attempts__lt=MAX_ATTEMPTS,
            clock__state=Clock.State.OPEN,
            recipient__is_active=True,
        )
        .values_list("pk", "stage", "clock__due_on")
        .order_by("pk")
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
