"""Exactly once with a real Celery worker on the real Redis and PostgreSQL, and across the clock
changes: the sweep run twice, a worker killed mid-batch and restarted, October and March.

The worker is a subprocess on the pytest test database (its name from the live connection) and
the broker and cache from REDIS_URL; it writes e-mail to files so the test can count them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from pupils.models import Pupil
from sendadmin.accounts.models import School, User
from sendadmin.accounts.roles import Role
from sendadmin.celery import app as celery_app
from sendadmin.clocks import sweep as sweep_module
from sendadmin.clocks.models import Clock, Notification, Reminder
from sendadmin.clocks.reminders import stage_due
from sendadmin.clocks.sweep import LOCK_KEY, sweep
from sendadmin.clocks.tasks import sweep_clocks
from tests.conftest import LONDON
from tests.factories import ClockFactory, MembershipFactory, PupilFactory, SchoolFactory

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WORKER_START_TIMEOUT = 30.0
DELIVERY_TIMEOUT = 60.0
SEPARATOR = b"-" * 79 + b"\n"
LONG_AGO = dt.date(2000, 1, 1)


# The worker and what it needs.


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("needs REDIS_URL: the worker and this test must share a broker")
    return url


def _test_database_url() -> str:
    """DATABASE_URL from the environment, pointed at the database pytest created for this run."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        pytest.skip("needs DATABASE_URL: the worker must reach this test's PostgreSQL database")
    parts = urlsplit(url)
    name = connection.settings_dict["NAME"]
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _worker_env(mail_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="sendadmin.settings.test",
        DATABASE_URL=_test_database_url(),
        REDIS_URL=_redis_url(),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        PYTHONUNBUFFERED="1",
    )
    return env


def _reset_broker() -> None:
    """An empty queue, and no unacknowledged messages a killed worker of an earlier run left."""
    celery_app.control.purge()
    client = redis.Redis.from_url(_redis_url())
    try:
        client.delete("unacked", "unacked_index", "unacked_mutex")
    finally:
        client.close()


class Worker:
    """`celery worker` in its own process group, so a kill takes the pool children with it."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.name = f"reminders-{uuid.uuid4().hex[:8]}@%h"

    def start(self) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "sendadmin",
                    "worker",
                    "--pool",
                    "prefork",
                    "--concurrency",
                    "2",
                    # Every queue of CELERY_TASK_QUEUES (deliveries and the sweep), as a
                    # worker started without -Q consumes them.
                    "-Q",
                    "default,reminders,sweeps",
                    "--without-heartbeat",
                    "--without-mingle",
                    "--without-gossip",
                    "-l",
                    "info",
                    "-n",
                    self.name,
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited {self.process.returncode}:\n{self.tail()}")
            if b" ready." in self.log.read_bytes()[offset:]:
                return
            time.sleep(0.05)
        pytest.fail(f"the worker was not ready in {WORKER_START_TIMEOUT:.0f} s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL to the whole group: no warm shutdown, no message handed back to the broker."""
        self._signal(signal.SIGKILL, wait=10.0)

    def stop(self) -> None:
        if not self._signal(signal.SIGTERM, wait=10.0):
            self.kill()

    def _signal(self, sig: signal.Signals, wait: float) -> bool:
        if self.process is None:
            return True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            return False
        # Pool children reparented elsewhere are in the same group; make sure none outlives us.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None
        return True

    def assert_alive(self) -> None:
        if self.process is None or self.process.poll() is not None:
            pytest.fail(f"the worker died:\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return "(no log)"
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def running_worker(tmp_path: Path, mail_dir: Path) -> Iterator[Worker]:
    _reset_broker()
    worker = Worker(_worker_env(mail_dir), tmp_path / "worker.log")
    try:
        worker.start()
        yield worker
    finally:
        try:
            worker.stop()
        finally:
            worker.kill()
            _reset_broker()


def _wait_until(
    what: str, condition: Callable[[], bool], worker: Worker, timeout: float = DELIVERY_TIMEOUT
) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        worker.assert_alive()
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}:\n{worker.tail()}")


def _sent() -> int:
    return Reminder.objects.filter(sent_at__isnull=False).count()


def _emails(mail_dir: Path) -> list[tuple[str, str]]:
    """(To, Subject) of every message the file backend wrote, however its files were split."""
    found = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                found.append((str(message["To"]), str(message["Subject"])))
    return found


# The data: one school, its staff, and clocks due at a lead stage.


def _school_with(sencos: int) -> tuple[School, list[User]]:
    school = SchoolFactory()
    staff = [
        MembershipFactory(school=school, role=Role.SENCO, start=LONG_AGO).user
        for _ in range(sencos)
    ]
    MembershipFactory(school=school, role=Role.HEADTEACHER, start=LONG_AGO)
    return school, staff


def _pupils(school: School, n: int) -> list[Pupil]:
    # Distinct names, so each (recipient, subject) pair identifies one reminder.
    return [
        PupilFactory(school=school, legal_first_name=f"Pupil{i:03d}", legal_last_name="Test")
        for i in range(n)
    ]


def _lead_7_clocks(school: School, n: int, responsible: User | None = None) -> list[Clock]:
    due = timezone.localdate() + dt.timedelta(days=7)
    return [
        ClockFactory(pupil=pupil, due_on=due, responsible_user=responsible)
        for pupil in _pupils(school, n)
    ]


def _assert_each_reminder_notified_once(expected: int) -> None:
    assert Reminder.objects.count() == expected
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
    assert Notification.objects.count() == expected
    assert Notification.objects.filter(reminder__isnull=False).count() == expected
    # attempts counts successful deliveries: 1 everywhere means no reminder was delivered twice.
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_a_due_reminder_is_delivered_exactly_once_when_the_sweep_runs_twice(
    tmp_path: Path,
) -> None:
    cache.delete(LOCK_KEY)
    mail_dir = tmp_path / "mail"
    school, sencos = _school_with(sencos=2)
    _lead_7_clocks(school, 30)
    expected = 30 * len(sencos)
    started = time.monotonic()
    with running_worker(tmp_path, mail_dir) as worker:
        first, second = sweep(), sweep()
        sweep_clocks.delay()  # and a third, through the worker itself
        took = _wait_until(f"{expected} reminders sent", lambda: _sent() == expected, worker)
        _wait_until(
            "the worker's sweep",
            lambda: (
                b"Task clocks.sweep[" in worker.log.read_bytes()
                and b"succeeded" in worker.log.read_bytes().split(b"Task clocks.sweep[", 1)[1]
            ),
            worker,
        )
        time.sleep(0.5)  # room for a duplicate, were there one, to land
    emails = _emails(mail_dir)
    duplicates = sum(n - 1 for n in Counter(emails).values())
    print(
        f"\nsweep twice: {first.inserted} + {second.inserted} inserted, {len(emails)} e-mails, "
        f"{duplicates} duplicates, delivered in {took:.2f} s "
        f"({time.monotonic() - started:.1f} s with worker start and stop)"
    )
    assert (first.inserted, second.inserted, second.retried) == (expected, 0, 0)
    assert len(emails) == expected
    assert duplicates == 0
    assert {to for to, _ in emails} == {user.email for user in sencos}
    _assert_each_reminder_notified_once(expected)


def _stranded() -> int:
    """Messages a worker took from the queue and never acknowledged."""
    client = redis.Redis.from_url(_redis_url())
    try:
        return int(client.hlen("unacked"))
    finally:
        client.close()


def _pool_children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
    return children


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_and_restarted_delivers_every_reminder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.delete(LOCK_KEY)
    mail_dir = tmp_path / "mail"
    school, (senco,) = _school_with(sencos=1)
    _lead_7_clocks(school, 60, responsible=senco)
    expected = 60
    with running_worker(tmp_path, mail_dir) as worker:
        assert sweep().inserted == expected
        _wait_until("the first sends", lambda: _sent() >= 1, worker, timeout=30)
        time.sleep(0.1)
        worker.kill()
        sent_at_kill = _sent()
        emails_at_kill = len(_emails(mail_dir))
        stranded = _stranded()
        worker.start()
        # The killed worker's reserved messages sit unacknowledged in Redis until the visibility
        # timeout (an hour). The next sweep is what recovers them: unsent rows older than
        # RETRY_AFTER are enqueued again (here at once, rather than 10 minutes later); the rows
        # whose messages were still queued are enqueued too and their second delivery is a no-op.
        monkeypatch.setattr(sweep_module, "RETRY_AFTER", dt.timedelta(0))
        again = sweep()
        took = _wait_until(f"{expected} reminders sent", lambda: _sent() == expected, worker)
        time.sleep(0.5)
    emails = _emails(mail_dir)
    duplicates = sum(n - 1 for n in Counter(emails).values())
    print(
        f"\nkill -9 of the worker group mid-batch: {sent_at_kill}/{expected} reminders committed, "
        f"{emails_at_kill} e-mails written, {stranded} messages stranded unacknowledged; after the "
        f"restart the sweep re-enqueued {again.retried} unsent; all delivered {took:.2f} s later; "
        f"{len(emails)} e-mails for {expected} reminders: {duplicates} duplicate e-mail(s) (the "
        f"send-then-commit window), 0 duplicate notifications"
    )
    assert 0 < sent_at_kill < expected, "the kill must land in the middle of the batch"
    assert stranded >= 1, "the kill must strand at least one message for the sweep to recover"
    _assert_each_reminder_notified_once(expected)
    # Every reminder's e-mail arrived, and a second copy only for a task the kill interrupted
    # between the send and the commit: at most one per pool process.
    assert len(set(emails)) == expected
    assert duplicates == max(0, emails_at_kill - sent_at_kill)
    assert duplicates <= 2


@pytest.mark.django_db(transaction=True)
def test_pool_processes_killed_mid_task_have_their_messages_requeued_and_delivered_once(
    tmp_path: Path,
) -> None:
    """reject_on_worker_lost: the main process sees its children die and hands their messages back."""
    cache.delete(LOCK_KEY)
    mail_dir = tmp_path / "mail"
    school, (senco,) = _school_with(sencos=1)
    _lead_7_clocks(school, 60, responsible=senco)
    expected = 60
    with running_worker(tmp_path, mail_dir) as worker:
        assert worker.process is not None
        children = _pool_children(worker.process.pid)
        assert len(children) == 2, children
        assert sweep().inserted == expected
        _wait_until("the first sends", lambda: _sent() >= 1, worker, timeout=30)
        # Both pool processes, so one is almost surely inside a task (the main process lives on).
        for child in children:
            os.kill(child, signal.SIGKILL)
        sent_at_kill = _sent()
        # No sweep this time: the requeued message alone must finish the batch.
        took = _wait_until(f"{expected} reminders sent", lambda: _sent() == expected, worker)
        time.sleep(0.5)
        lost = worker.log.read_bytes().count(b"Task handler raised error: WorkerLostError")
    emails = _emails(mail_dir)
    duplicates = sum(n - 1 for n in Counter(emails).values())
    print(
        f"\nkill -9 of both pool processes: {sent_at_kill}/{expected} committed at the kill, "
        f"{lost} task(s) lost with it and requeued, all delivered {took:.2f} s later without a "
        f"sweep; {duplicates} duplicate e-mail(s), 0 duplicate notifications"
    )
    assert sent_at_kill < expected
    _assert_each_reminder_notified_once(expected)
    assert len(set(emails)) == expected
    assert duplicates <= 2


# Across the clock changes: the sweep in this process at every quarter hour of the night.


def _quarter_hours(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    instants = []
    while start <= end:
        instants.append(start)
        start += dt.timedelta(minutes=15)
    return instants


UTC = dt.UTC
OCTOBER = _quarter_hours(
    dt.datetime(2026, 10, 24, 23, 0, tzinfo=UTC), dt.datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
)
MARCH = _quarter_hours(
    dt.datetime(2027, 3, 27, 23, 0, tzinfo=UTC), dt.datetime(2027, 3, 28, 3, 0, tzinfo=UTC)
) + _quarter_hours(
    # The first midnight of summer time: 23:00 UTC is already the next day in London.
    dt.datetime(2027, 3, 28, 22, 0, tzinfo=UTC),
    dt.datetime(2027, 3, 29, 1, 0, tzinfo=UTC),
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("instants", "expected"),
    [
        (
            OCTOBER,
            {
                # 23:00 UTC on the 24th is 00:00 BST on the 25th: the London date all night.
                dt.date(2026, 10, 25): ["due_day"],
                dt.date(2026, 10, 24): ["overdue_1"],
                dt.date(2026, 10, 26): ["lead_7"],
                dt.date(2026, 11, 1): ["lead_7"],
                dt.date(2026, 11, 8): ["lead_14"],
            },
        ),
        (
            MARCH,
            {
                dt.date(2027, 3, 27): ["due_day", "overdue_1"],
                dt.date(2027, 3, 28): ["lead_7", "due_day", "overdue_1"],
                dt.date(2027, 3, 29): ["lead_7", "due_day"],
                # Eight days away on the 27th, seven on the 28th.
                dt.date(2027, 4, 4): ["lead_14", "lead_7"],
                dt.date(2027, 4, 11): ["lead_14"],
            },
        ),
    ],
    ids=["october-2026", "march-2027"],
)
def test_each_stage_is_inserted_once_across_the_clock_change_on_the_london_date(
    instants: list[dt.datetime],
    expected: dict[dt.date, list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache.delete(LOCK_KEY)
    enqueued: list[int] = []

    def deliver_at_once(ids: list[int]) -> None:
        enqueued.extend(ids)
        Reminder.objects.filter(pk__in=ids).update(sent_at=timezone.now(), attempts=1)

    monkeypatch.setattr(sweep_module, "_enqueue", deliver_at_once)
    school, _ = _school_with(sencos=1)
    clocks = {
        due: ClockFactory(pupil=pupil, due_on=due, started_on=due - dt.timedelta(days=120))
        for due, pupil in zip(expected, _pupils(school, len(expected)), strict=True)
    }
    first_stage_at: dict[tuple[int, str], dt.datetime] = {}
    for instant in instants:
        with time_machine.travel(instant, tick=False):
            london_today = timezone.localdate()
            assert london_today == instant.astimezone(LONDON).date()
            assert sweep().ran
        for clock_id, stage in Reminder.objects.values_list("clock_id", "stage"):
            first_stage_at.setdefault((clock_id, stage), instant)
    for due, clock in clocks.items():
        stages = [
            stage
            for (clock_id, stage), _ in sorted(first_stage_at.items(), key=lambda kv: kv[1])
            if clock_id == clock.pk
        ]
        assert stages == expected[due], due
        # Each stage appeared at the first instant whose London date makes it due.
        for stage in stages:
            at = first_stage_at[(clock.pk, stage)]
            assert stage_due(due, at.astimezone(LONDON).date()) == stage
    duplicates = len(enqueued) - len(set(enqueued))
    per_person = Counter(Reminder.objects.values_list("clock_id", "stage", "recipient_id"))
    print(
        f"\n{instants[0]:%Y-%m-%d %H:%M}Z..{instants[-1]:%Y-%m-%d %H:%M}Z: "
        f"{Reminder.objects.count()} reminders, {duplicates} duplicates across "
        f"{len(instants)} sweeps"
    )
    assert duplicates == 0
    assert set(per_person.values()) == {1}
    assert len(enqueued) == Reminder.objects.count()
