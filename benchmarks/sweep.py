"""Benchmark the clock sweep over the national profile, then over twice the stored data.

    python -m benchmarks.sweep [--fraction 1.0] [--repeat 3] [--enqueue] [--json out.json]
    python -m benchmarks.sweep --database-url postgres://.../sendadmin_national [--seed] ...

Without --database-url it works in a database of its own, as benchmarks/run.py does: Django's
test-database machinery creates `<NAME>_sweep` (NAME from DATABASE_URL, by default
sendadmin_bench), `seed_scale --profile national --fraction F` fills it, the sweep is measured,
`--double-stored` adds as much data again that is not due, the sweep is measured again, and the
database is dropped (kept with --keep). A full national seed takes tens of minutes.

With --database-url it measures a database already holding the national profile (seed it with
`manage.py seed_scale --profile national`, or pass --seed to seed it when empty), then a copy of it,
`<name>_double` (CREATE DATABASE ... TEMPLATE, then seed_scale --double-stored), kept for the next
run unless --drop-double. Neither database's data is changed by the measuring: every sweep runs
in a transaction that is rolled back.

What is measured, in each state (see benchmarks/README.md):

- floors: `count(*)` of the due set, and the bare read of the due set into Python (the sweep's
  first query as is: open clocks due on or before the horizon, by clock_open_due_idx);
- the go-live sweep: no reminder made yet, so every clock due gets its current stage (the most a
  sweep ever inserts: after go-live, or after the reminders were lost);
- the sweep 15 minutes later in the same transaction, which finds everything made (the sweep beat
  runs every 15 minutes);
- a day's first sweep: yesterday's sweep made and sent its stages, so only the stages that begin
  today are new;
- EXPLAIN (ANALYZE, BUFFERS) of the due-set read, of load_members' one query, of the INSERT of the
  go-live sweep's reminders (with the time of each foreign-key trigger) and of the read of the
  reminders already made.

Every sweep runs in a transaction that is rolled back. Its reminders' foreign keys are deferred
(Django's default) and checked by the COMMIT, which a rollback skips, so each timed sweep ends with
SET CONSTRAINTS ALL IMMEDIATE, which runs those checks inside the timing. A rolled-back sweep
enqueues nothing: its on-commit hook never runs. --enqueue measures that part separately:
clocks.deliver_reminder published to the Redis broker (REDIS_URL) once per reminder of the go-live
sweep, in chunks, each chunk purged from the queue straight after (no worker runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sendadmin_bench"
SETTINGS_MODULE = "sendadmin.settings.test"
FLOOR_SAMPLES = 3
TARGET_SECONDS = 60.0
ENQUEUE_CHUNK = 50_000
DUE_INDEX = "clock_open_due_idx"

OPERATIONS = {
    "floor_count": "floor: count(*) of the due set",
    "floor_read": "floor: read the due set (the sweep's first query)",
    "sweep_first": "go-live sweep: no reminder made yet, every clock due gets its stage",
    "sweep_repeat": "the sweep 15 minutes later (nothing new)",
    "sweep_next_day": "a day's first sweep (yesterday's stages made and sent)",
}
SWEEPS = ("sweep_first", "sweep_repeat", "sweep_next_day")
FLOOR = "floor_read"

Log = Callable[[str], None]


def _median(samples: list[float]) -> float | None:
    return statistics.median(samples) if samples else None


@dataclass
class Explain:
    """One EXPLAIN (ANALYZE, BUFFERS): the plan's nodes, indexes, rows, buffers and time."""

    query: str
    nodes: list[str]
    rows: int
    shared_hit: int
    shared_read: int
    ms: float

    @property
    def buffers(self) -> int:
        return self.shared_hit + self.shared_read

    def uses(self, index: str) -> bool:
        return any(index in node for node in self.nodes)

    def summary(self) -> str:
        return (
            f"{'; '.join(dict.fromkeys(self.nodes))}: {self.rows:,} rows, {self.buffers:,} "
            f"buffers ({self.shared_read:,} read), {self.ms:.0f} ms"
        )


@dataclass
class State:
    """The measurements of one database state (the profile, or with --double-stored)."""

    label: str
    day: dt.date
    horizon: dt.date
    stored: dict[str, int]
    due_set: int = 0
    reminder_rows: int = 0
    inserted_first: int = 0
    inserted_repeat: int = 0
    inserted_next_day: int = 0
    samples: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in OPERATIONS})
    explains: list[Explain] = field(default_factory=list)

    def median(self, key: str) -> float | None:
        return _median(self.samples[key])

    def ratio(self, key: str) -> float | None:
        value, floor = self.median(key), self.median(FLOOR)
        return value / floor if value is not None and floor else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "day": self.day.isoformat(),
            "horizon": self.horizon.isoformat(),
            "stored": self.stored,
            "due_set": self.due_set,
            "reminder_rows": self.reminder_rows,
            "inserted_first": self.inserted_first,
            "inserted_repeat": self.inserted_repeat,
            "inserted_next_day": self.inserted_next_day,
            "timings": {
                key: {
                    "operation": OPERATIONS[key],
                    "samples_s": self.samples[key],
                    "median_s": self.median(key),
                    "ratio_to_floor": None if key == FLOOR else self.ratio(key),
                }
                for key in OPERATIONS
            },
            "explain": [
                {**e.__dict__, "buffers": e.buffers, "summary": e.summary()} for e in self.explains
            ],
        }


@dataclass
class Enqueue:
    messages: int
    seconds: float
    queue: str
    purged: int

    @property
    def per_message_us(self) -> float:
        return self.seconds / self.messages * 1e6 if self.messages else 0.0


@dataclass
class Report:
    repeat: int
    states: list[State] = field(default_factory=list)
    seeding: dict[str, float] = field(default_factory=dict)
    enqueue: Enqueue | None = None
    environment: dict[str, Any] = field(default_factory=dict)

    def growth(self, key: str) -> float | None:
        """Median with --double-stored over median without: ~1 when cost follows the due set."""
        if len(self.states) < 2:
            return None
        base, double = self.states[0].median(key), self.states[1].median(key)
        return double / base if base and double is not None else None

    def target_met(self, key: str) -> bool | None:
        """Whether every state's median of this sweep is under TARGET_SECONDS."""
        medians = [s.median(key) for s in self.states]
        if not medians or any(m is None for m in medians):
            return None
        return all(m is not None and m < TARGET_SECONDS for m in medians)

    @property
    def problems(self) -> list[str]:
        """Correctness failures (never a timing)."""
        found = []
        if len(self.states) == 2:
            base, double = self.states
            for name in ("due_set", "reminder_rows", "inserted_first", "inserted_next_day"):
                if getattr(base, name) != getattr(double, name):
                    found.append(
                        f"{name} differs: {getattr(base, name)} and {getattr(double, name)}"
                    )
            if double.stored.get("clocks", 0) < 2 * base.stored.get("clocks", 0) * 0.99:
                found.append("--double-stored did not double the stored clocks")
        for state in self.states:
            if state.inserted_repeat:
                found.append(f"{state.label}: a repeat sweep inserted {state.inserted_repeat}")
            if state.inserted_first != state.reminder_rows:
                found.append(f"{state.label}: the first sweep inserted fewer rows than it made")
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "repeat": self.repeat,
            "environment": self.environment,
            "seeding_s": self.seeding,
            "states": [s.as_dict() for s in self.states],
            "growth_with_double_stored": {key: self.growth(key) for key in OPERATIONS},
            "target_seconds": TARGET_SECONDS,
            "target_met": {key: self.target_met(key) for key in SWEEPS},
            "enqueue": None
            if self.enqueue is None
            else {**self.enqueue.__dict__, "per_message_us": self.enqueue.per_message_us},
            "problems": self.problems,
        }


# --- Measuring ----------------------------------------------------------------------------------


# Run before each sample, outside the timing, so no collection lands inside it (tests turn it off:
# a full collection in a pytest process costs more than the tiny sweeps it separates).
collect: Callable[[], object] = gc.collect


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    collect()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that is always rolled back; then a VACUUM of the reminder table (untimed),
    so the dead rows a rolled-back sweep leaves do not slow the next one. (Inside a test's
    transaction, where VACUUM cannot run, there is nothing to vacuum.)"""
    from django.db import connection, transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM clocks_reminder")


def _sweep(day: dt.date) -> Any:
    """One sweep, then the deferred foreign-key checks of what it inserted, which its COMMIT would
    run (and a rollback never does): SET CONSTRAINTS ALL IMMEDIATE fires them here."""
    from django.core.cache import cache
    from django.db import connection

    from sendadmin.clocks.sweep import LOCK_KEY, sweep

    cache.delete(LOCK_KEY)  # a benchmark killed mid-sweep may have left its lock
    result = sweep(day)
    if not result.ran:
        raise RuntimeError("the sweep did not run: another holds its lock")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return result


def explain(label: str, queryset: Any = None, *, sql: str = "", params: Any = ()) -> Explain:
    """EXPLAIN (ANALYZE, BUFFERS) of a queryset, or of raw SQL (an INSERT is executed: call it in
    a rolled-back transaction). Foreign-key triggers fired inside it are listed as nodes."""
    from django.db import connection

    if queryset is not None:
        sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        (document,) = cursor.fetchone()
    if isinstance(document, str):
        document = json.loads(document)
    top = document[0]
    nodes: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        name = node["Node Type"]
        if "Index Name" in node:
            name += f" using {node['Index Name']}"
        if "Relation Name" in node and "Index Name" not in node:
            name += f" on {node['Relation Name']}"
        nodes.append(name)
        for child in node.get("Plans", ()):
            walk(child)

    walk(top["Plan"])
    for trigger in top.get("Triggers", ()):
        nodes.append(
            f"trigger {trigger['Trigger Name']}: {trigger['Calls']:,} calls, "
            f"{trigger['Time'] / 1000:.1f} s"
        )
    plan = top["Plan"]
    return Explain(
        query=label,
        nodes=nodes,
        rows=int(plan.get("Actual Rows", 0)),
        shared_hit=int(plan.get("Shared Hit Blocks", 0)),
        shared_read=int(plan.get("Shared Read Blocks", 0)),
        ms=float(top.get("Execution Time", 0.0)),
    )


def stored_counts() -> dict[str, int]:
    from ehcp.models import Plan
    from pupils.models import Pupil
    from sendadmin.accounts.models import Membership, School
    from sendadmin.clocks.models import Clock

    return {
        "schools": School.objects.count(),
        "memberships": Membership.objects.count(),
        "pupils": Pupil.objects.count(),
        "plans": Plan.objects.count(),
        "clocks": Clock.objects.count(),
        "open_clocks": Clock.objects.filter(state=Clock.State.OPEN).count(),
    }


def measure_state(
    label: str, repeat: int, *, next_day: bool = True, warmup: bool = True, log: Log = print
) -> State:
    """Every measurement of the sweep on the database Django is connected to, as of the day the
    national profile was seeded. Writes nothing that outlives a rolled-back transaction."""
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from sendadmin.clocks.models import Clock, Reminder
    from sendadmin.clocks.reminders import max_lead_days, members_query, stage_due
    from sendadmin.clocks.sweep import (
        ALREADY_MADE_SQL,
        INSERT_SQL,
        due_clocks,
        due_clocks_query,
        reminder_rows,
    )
    from sendadmin.core.scale.national import profile_state

    profile = profile_state()
    if profile is None:
        raise RuntimeError("no national profile here: run seed_scale --profile national")
    day = profile.day
    horizon = day + dt.timedelta(days=max_lead_days())
    state = State(label=label, day=day, horizon=horizon, stored=stored_counts())
    due_query = Clock.objects.filter(state=Clock.State.OPEN, due_on__lte=horizon)

    def floor_count() -> int:
        return due_query.aggregate(n=Count("pk"))["n"]

    def floor_read() -> int:
        return len(due_clocks(horizon))

    def first_and_repeat() -> None:
        with rolled_back():
            seconds, first = _timed(lambda: _sweep(day))
            state.samples["sweep_first"].append(seconds)
            seconds, again = _timed(lambda: _sweep(day))
            state.samples["sweep_repeat"].append(seconds)
        state.reminder_rows, state.inserted_first = first.rows, first.inserted
        state.inserted_repeat = again.inserted
        state.due_set = first.clocks

    def following_day() -> None:
        with rolled_back():
            _sweep(day - dt.timedelta(days=1))
            Reminder.objects.update(sent_at=timezone.now())
            seconds, result = _timed(lambda: _sweep(day))
            state.samples["sweep_next_day"].append(seconds)
        state.inserted_next_day = result.inserted

    log(f"{label}: {state.stored['clocks']:,} clocks stored, as of {day}")
    if warmup:
        log(f"{label}: warming up (one untimed read and sweep)")
        floor_read()
        with rolled_back():
            _sweep(day)
    for n in range(repeat):
        log(f"{label}: round {n + 1} of {repeat}")
        for _ in range(FLOOR_SAMPLES):
            state.samples["floor_count"].append(_timed(floor_count)[0])
            state.samples["floor_read"].append(_timed(floor_read)[0])
        first_and_repeat()
        if next_day:
            following_day()
        log(f"{label}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in state.samples.items() if v))
    state.due_set = floor_count()
    log(f"{label}: EXPLAIN (ANALYZE, BUFFERS)")
    with rolled_back():
        state.explains.append(
            explain("due set (sweep.due_clocks_query)", due_clocks_query(horizon))
        )
        clocks = due_clocks(horizon)
        staged = [(c, s) for c in clocks if (s := stage_due(c.due_on, day))]
        members = members_query([c for c, _ in staged], [s for _, s in staged], day)
        if members is not None:
            state.explains.append(explain("load_members (reminders.members_query)", members))
        rows = reminder_rows(staged, day)
        columns = [list(column) for column in zip(*rows, strict=True)] or [[], [], [], []]
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the triggers run inside the plan
        state.explains.append(
            explain(
                "insert of the go-live sweep's reminders (sweep.INSERT_SQL)",
                sql=INSERT_SQL,
                params=[timezone.now(), *columns],
            )
        )
        ids = [[c.pk for c, _ in staged], [s for _, s in staged]]
        state.explains.append(
            explain(
                "made already, after it (sweep.ALREADY_MADE_SQL)", sql=ALREADY_MADE_SQL, params=ids
            )
        )
    return state


def measure_enqueue(messages: int, log: Log = print) -> Enqueue:
    """Publish `messages` clocks.deliver_reminder messages as the sweep's on-commit hook does,
    ENQUEUE_CHUNK at a time, purging the queue after each chunk (purging is not timed)."""
    from django.conf import settings

    from sendadmin.clocks.sweep import _enqueue
    from sendadmin.clocks.tasks import deliver_reminder

    if not str(settings.CELERY_BROKER_URL).startswith("redis"):
        raise RuntimeError("--enqueue needs the Redis broker: set REDIS_URL")
    app = deliver_reminder.app
    routes = getattr(settings, "CELERY_TASK_ROUTES", {}) or {}
    queue = routes.get(deliver_reminder.name, {}).get("queue", app.conf.task_default_queue)
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        if channel.queue_declare(queue, passive=False).message_count:
            raise RuntimeError(f"queue {queue!r} is not empty: not purging someone's messages")
        seconds, purged = 0.0, 0
        for start in range(0, messages, ENQUEUE_CHUNK):
            ids = list(range(start + 1, min(messages, start + ENQUEUE_CHUNK) + 1))
            log(f"enqueue: {start + len(ids):,} of {messages:,}")
            seconds += _timed(partial(_enqueue, ids))[0]
            purged += channel.queue_purge(queue) or 0
    return Enqueue(messages=messages, seconds=seconds, queue=queue, purged=purged)


def environment() -> dict[str, Any]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server,) = cursor.fetchone()
        cursor.execute("SHOW shared_buffers")
        (buffers,) = cursor.fetchone()
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"PostgreSQL {server}",
        "shared_buffers": buffers,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "load_average": os.getloadavg(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def seed_national(fraction: float, *, double_stored: bool, log: Log) -> float:
    """seed_scale --profile national into the connected database; returns the seconds taken."""
    from django.core.management import call_command

    log(f"seed_scale --profile national --fraction {fraction}{' --double-stored' * double_stored}")
    seconds, _ = _timed(
        lambda: call_command(
            "seed_scale",
            profile="national",
            fraction=fraction,
            double_stored=double_stored,
            stdout=sys.stderr,
        )
    )
    return seconds


# --- Reporting ----------------------------------------------------------------------------------


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def format_table(report: Report) -> str:
    lines = [
        f"Medians in seconds over {report.repeat} rounds (floors: {report.repeat * FLOOR_SAMPLES} "
        f"samples); ratio = median / the due-set read floor of the same state and run.",
        "",
    ]
    header = "| operation |"
    rule = "|---|"
    for s in report.states:
        header += f" {s.label} s | ratio |"
        rule += "---:|---:|"
    if len(report.states) == 2:
        header += " double / profile |"
        rule += "---:|"
    lines += [header, rule]
    for key, operation in OPERATIONS.items():
        row = f"| {operation} |"
        for s in report.states:
            ratio = "(floor)" if key == FLOOR else _num(s.ratio(key), 1)
            row += f" {_num(s.median(key))} | {ratio} |"
        if len(report.states) == 2:
            row += f" {_num(report.growth(key), 2)} |"
        lines.append(row)
    lines += ["", "| | " + " | ".join(s.label for s in report.states) + " |"]
    lines.append("|---|" + "---:|" * len(report.states))
    facts = (
        ("clocks stored", lambda s: f"{s.stored['clocks']:,}"),
        ("open clocks stored", lambda s: f"{s.stored['open_clocks']:,}"),
        ("pupils, schools", lambda s: f"{s.stored['pupils']:,}, {s.stored['schools']:,}"),
        ("due set (open, due by the horizon)", lambda s: f"{s.due_set:,}"),
        ("reminders made by the first sweep", lambda s: f"{s.reminder_rows:,}"),
        ("inserted: go-live / 15 minutes later / next day", lambda s: (
            f"{s.inserted_first:,} / {s.inserted_repeat:,} / {s.inserted_next_day:,}")),
        ("day swept, horizon", lambda s: f"{s.day}, {s.horizon}"),
    )  # fmt: skip
    for name, value in facts:
        lines.append(f"| {name} | " + " | ".join(value(s) for s in report.states) + " |")
    for s in report.states:
        lines += ["", f"EXPLAIN (ANALYZE, BUFFERS), {s.label}:"]
        lines += [f"- {e.query}: {e.summary()}" for e in s.explains]
    lines.append("")
    for key in SWEEPS:
        met = report.target_met(key)
        if met is not None:
            lines.append(
                f"Target, {OPERATIONS[key]}: under {TARGET_SECONDS:.0f} s in both states: "
                f"{'met' if met else 'MISSED'}."
            )
    if report.seeding:
        lines.append(
            "Seeding: " + ", ".join(f"{k} {v:.0f} s" for k, v in report.seeding.items()) + "."
        )
    if report.enqueue is not None:
        e = report.enqueue
        first = report.states[0].median("sweep_first") if report.states else None
        lines.append(
            f"Enqueue of clocks.deliver_reminder to Redis queue {e.queue!r}: {e.messages:,} "
            f"messages in {e.seconds:.1f} s ({e.per_message_us:.0f} us each"
            + (f"; {e.seconds / first:.1f} times the first sweep" if first else "")
            + f"), {e.purged:,} purged."
        )
    lines += [f"PROBLEM: {p}" for p in report.problems]
    return "\n".join(lines)


# --- Command line -------------------------------------------------------------------------------


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.sweep",
        description="Benchmark the clock sweep on the national profile and with twice the data.",
    )
    parser.add_argument("--database-url", help="a database holding the national profile")
    parser.add_argument("--seed", action="store_true", help="seed --database-url when empty")
    parser.add_argument("--fraction", type=float, default=1.0, help="seeding fraction (1.0)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds per state (3)")
    parser.add_argument("--no-next-day", action="store_true", help="skip the next-day sweep")
    parser.add_argument("--enqueue", action="store_true", help="also time the Redis enqueue")
    parser.add_argument("--keep", action="store_true", help="keep the <NAME>_sweep database")
    parser.add_argument("--drop-double", action="store_true", help="drop <name>_double after")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    return parser.parse_args(argv)


def _switch(name: str) -> None:
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name


def _database_exists(name: str) -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _copy_database(source: str, target: str) -> None:
    """CREATE DATABASE target TEMPLATE source, from the maintenance database."""
    from django.db import connection

    _switch("postgres")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def _drop_database(name: str) -> None:
    from django.db import connection

    _switch("postgres")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def run_own_database(args: argparse.Namespace, report: Report, log: Log) -> None:
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    db = connections["default"].settings_dict
    db["TEST"]["NAME"] = f"{db['NAME']}_sweep"
    log(f"creating database {db['TEST']['NAME']}")
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        report.environment = environment()
        report.seeding["profile"] = seed_national(args.fraction, double_stored=False, log=log)
        report.states.append(_measure("profile", args, log))
        _save(report, args)
        report.seeding["double-stored"] = seed_national(args.fraction, double_stored=True, log=log)
        report.states.append(_measure("double-stored", args, log))
        if args.enqueue:
            report.enqueue = measure_enqueue(report.states[0].inserted_first, log)
    finally:
        if args.keep:
            log(f"keeping {db['TEST']['NAME']}")
        else:
            log("dropping the benchmark database")
            teardown_databases(old_config, verbosity=0)


def run_given_database(args: argparse.Namespace, report: Report, log: Log) -> None:
    from django.db import connections

    from sendadmin.core.scale.national import profile_state

    name = connections["default"].settings_dict["NAME"]
    report.environment = environment()
    state = profile_state()
    if state is None:
        if not args.seed:
            raise SystemExit(f"{name} has no national profile: seed it, or pass --seed")
        report.seeding["profile"] = seed_national(args.fraction, double_stored=False, log=log)
        state = profile_state()
        assert state is not None
    if state.control:
        raise SystemExit(f"{name} already has its --double-stored data: give the profile alone")
    report.states.append(_measure("profile", args, log))
    _save(report, args)
    if args.enqueue:
        report.enqueue = measure_enqueue(report.states[0].inserted_first, log)
        _save(report, args)
    double = f"{name}_double"
    if not _database_exists(double):
        log(f"copying {name} to {double}")
        started = time.perf_counter()
        _copy_database(name, double)
        report.seeding["copy"] = time.perf_counter() - started
    _switch(double)
    copied = profile_state()
    if copied is None or not copied.control:
        report.seeding["double-stored"] = seed_national(state.fraction, double_stored=True, log=log)
    report.states.append(_measure("double-stored", args, log))
    if args.drop_double:
        log(f"dropping {double}")
        _drop_database(double)
    _switch(name)


def _measure(label: str, args: argparse.Namespace, log: Log) -> State:
    return measure_state(label, args.repeat, next_day=not args.no_next_day, log=log)


def _save(report: Report, args: argparse.Namespace) -> None:
    """Write the JSON so far (after each state too, so a run cut short keeps what it measured)."""
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report.as_dict(), out, indent=2)
            out.write("\n")


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()
    from django.db import connections

    if connections["default"].vendor != "postgresql":
        print("the sweep benchmark needs PostgreSQL (DATABASE_URL)", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    report = Report(repeat=args.repeat)
    if args.database_url:
        run_given_database(args, report, log)
    else:
        run_own_database(args, report, log)
    print(format_table(report))
    print()
    env = report.environment
    print(
        f"Machine: {env['cpus']} cores ({env['machine']}), Python {env['python']}, Django "
        f"{env['django']}, {env['database']} (shared_buffers {env['shared_buffers']}), load "
        f"average {env['load_average'][0]:.1f} at the start, {env['date']}."
    )
    _save(report, args)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
