"""The reminder sweep: idempotent, single-flight, enqueues on commit, cheap when little is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import factory
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sendadmin.accounts.roles import Role
from sendadmin.clocks import sweep as sweep_module
from sendadmin.clocks.models import Clock, Reminder
from sendadmin.clocks.services import clock_cancel, clock_meet
from sendadmin.clocks.sweep import LOCK_KEY, RETRY_AFTER, sweep
from tests.conftest import LONDON, World
from tests.factories import ClockFactory, MembershipFactory, PupilFactory, SchoolFactory
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _free_lock() -> Iterator[None]:
    cache.delete(LOCK_KEY)
    yield
    cache.delete(LOCK_KEY)


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The reminder ids the sweep hands to the broker, in order (no broker involved)."""
    sent: list[int] = []
    monkeypatch.setattr(sweep_module, "_enqueue", sent.extend)
    return sent


def _rows() -> list[tuple[int, str, int, bool]]:
    return list(
        Reminder.objects.order_by("pk").values_list(
            "clock_id", "stage", "recipient_id", "escalated"
        )
    )


def _at(day: dt.date, hour: int = 10) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON), tick=False)


def test_sweeping_twice_inserts_the_same_reminders_once(
    world: World, enqueued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    ClockFactory(pupil=world.pupil, due_on=TODAY + dt.timedelta(days=7))
    ClockFactory(pupil=world.untaught_pupil, overdue=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep()
    rows = _rows()
    with django_capture_on_commit_callbacks(execute=True):
        second = sweep()
    assert first.inserted == 3  # lead_7 to the SENCO; overdue_1 to the SENCO and the head
    assert second.ran and second.inserted == 0 and second.retried == 0
    assert _rows() == rows
    assert sorted(enqueued) == sorted(Reminder.objects.values_list("pk", flat=True))


def test_reminders_are_enqueued_only_when_the_sweep_commits(
    world: World, enqueued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    ClockFactory(pupil=world.pupil, due_on=TODAY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sweep()
    assert enqueued == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert enqueued == list(Reminder.objects.values_list("pk", flat=True))


def test_an_unsent_reminder_whose_message_was_lost_is_enqueued_again_by_a_later_sweep(
    world: World, enqueued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    ClockFactory(pupil=world.pupil, due_on=TODAY + dt.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    (reminder_id,) = enqueued
    later = timezone.now() + RETRY_AFTER + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        result = sweep()
    assert (result.inserted, result.retried) == (0, 1)
    assert enqueued == [reminder_id, reminder_id]
    Reminder.objects.filter(pk=reminder_id).update(sent_at=timezone.now())
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert sweep().retried == 0


def test_a_reminder_in_flight_for_less_than_the_retry_delay_is_not_enqueued_twice(
    world: World, enqueued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    ClockFactory(pupil=world.pupil, due_on=TODAY + dt.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    soon = timezone.now() + RETRY_AFTER - dt.timedelta(minutes=1)
    with time_machine.travel(soon, tick=False), django_capture_on_commit_callbacks(execute=True):
        sweep()
    assert len(enqueued) == 1


def test_a_superseded_unsent_stage_is_not_retried_once_its_successor_exists(
    world: World, enqueued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    clock = ClockFactory(pupil=world.pupil, due_on=TODAY + dt.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    with _at(TODAY + dt.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        result = sweep()
    assert (result.inserted, result.retried) == (1, 0)
    assert sorted(clock.reminders.values_list("stage", flat=True)) == ["lead_14", "lead_7"]
    assert len(enqueued) == 2


def test_a_second_sweep_while_the_lock_is_held_does_nothing(
    world: World, enqueued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    ClockFactory(pupil=world.pupil, due_on=TODAY)
    assert cache.add(LOCK_KEY, "another-sweep", 60)
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep()
    assert not result.ran
    assert Reminder.objects.count() == 0
    assert enqueued == []
    # It did not release a lock it does not own.
    assert cache.get(LOCK_KEY) == "another-sweep"


def test_the_sweep_releases_its_lock_so_the_next_run_can_start(world: World) -> None:
    sweep()
    assert cache.get(LOCK_KEY) is None
    assert sweep().ran


def test_the_sweep_releases_its_lock_when_it_fails(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(sweep_module, "load_members", boom)
    ClockFactory(pupil=world.pupil, due_on=TODAY)
    with pytest.raises(RuntimeError):
        sweep()
    assert cache.get(LOCK_KEY) is None


def test_a_clock_met_or_cancelled_before_the_sweep_gets_no_reminder(
    world: World, enqueued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    met = ClockFactory(pupil=world.pupil, due_on=TODAY)
    cancelled = ClockFactory(pupil=world.untaught_pupil, overdue=True)
    clock_meet(clock=met, met_on=TODAY, by=world.users["senco"])
    clock_cancel(clock=cancelled, reason="Pupil left the school", by=world.users["senco"])
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep()
    assert result.clocks == 0
    assert Reminder.objects.count() == 0
    assert enqueued == []


def test_after_three_days_of_downtime_the_sweep_sends_the_current_stage_only(
    world: World, enqueued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    clock = ClockFactory(pupil=world.pupil, due_on=TODAY + dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    with _at(TODAY + dt.timedelta(days=4)), django_capture_on_commit_callbacks(execute=True):
        sweep()
    got = sorted(clock.reminders.values_list("stage", "recipient_id", "escalated"))
    assert got == sorted(
        [
            ("lead_7", world.users["senco"].pk, False),
            ("overdue_1", world.users["senco"].pk, False),
            ("overdue_1", world.users["head"].pk, True),
        ]
    )


def test_the_sweep_uses_the_london_date_not_the_utc_date(world: World, enqueued: list[int]) -> None:
    """At 23:30 UTC on a summer evening it is already tomorrow in London."""
    clock = ClockFactory(pupil=world.pupil, due_on=dt.date(2026, 7, 2))
    with time_machine.travel(dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC), tick=False):
        sweep()
    assert list(clock.reminders.values_list("stage", flat=True)) == ["due_day"]


def _far_future_clocks(n: int) -> None:
    pupil = PupilFactory(school=SchoolFactory())
    ClockFactory.create_batch(
        n,
        pupil=pupil,
        subject_id=factory.Sequence(lambda i: 1_000_000 + i),
        due_on=TODAY + dt.timedelta(days=400),
    )


def _due_clocks(n: int) -> None:
    for i in range(n):
        school = SchoolFactory()
        MembershipFactory(school=school, role=Role.SENCO)
        MembershipFactory(school=school, role=Role.HEADTEACHER)
        ClockFactory(pupil=PupilFactory(school=school), due_on=TODAY - dt.timedelta(days=i % 20))


def _sweep_queries() -> int:
    cache.delete(LOCK_KEY)
    Reminder.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert sweep().ran
    return len(queries)


def test_sweep_query_count_does_not_grow_with_clocks_that_are_not_due(
    db: Any, enqueued: list[int]
) -> None:
    _due_clocks(3)
    _far_future_clocks(10)
    with_10 = _sweep_queries()
    _far_future_clocks(190)
    with_200 = _sweep_queries()
    assert Clock.objects.count() == 203
    assert with_10 == with_200


def test_sweep_query_count_does_not_grow_with_the_number_of_due_clocks(
    db: Any, enqueued: list[int]
) -> None:
    _due_clocks(3)
    with_3 = _sweep_queries()
    inserted_3 = Reminder.objects.count()
    _due_clocks(27)
    with_30 = _sweep_queries()
    assert Reminder.objects.count() > inserted_3
    assert with_3 == with_30
