"""What every step of the county profile shares: the run's context, the writer and the clocks.

`Run.put` reserves nothing itself: a step reserves ids (`Run.ids`), builds its rows as tuples in
the order of the columns it names, and puts them; `put` COPYs them and their creation history
('+', by the seeding user, at the seeding time) in one pass.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from sendadmin.clocks.models import Clock

from ..copyutil import copy_history, copy_rows, history_model, m2m_history_model, reserve_ids

REASON = "seed_scale"


@dataclass
class Run:
    rng: random.Random
    fraction: float
    today: dt.date
    now: dt.datetime
    out: Any
    seed_user_id: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    touched: list[type[Model]] = field(default_factory=list)
    _step_started: float = 0.0
    _step_name: str | None = None
    _step_counts: dict[str, int] = field(default_factory=dict)

    def scaled(self, n: int, minimum: int = 1) -> int:
        return max(minimum, round(n * self.fraction))

    def ids(self, model: type[Model], count: int) -> range:
        return reserve_ids(model, count)

    def put(
        self,
        model: type[Model],
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
        *,
        history_ids: Sequence[int] | None = None,
    ) -> int:
        """COPY rows into the model's table and, if it keeps history, their '+' records."""
        if not rows:
            return 0
        n = copy_rows(model, columns, rows)
        if hasattr(model, "history"):
            copy_history(
                model,
                columns,
                rows,
                by_id=self.seed_user_id or None,
                at=self.now,
                reason=REASON,
                history_ids=history_ids,
            )
            self._note(history_model(model), n)
        self._note(model, n)
        return n

    def put_plain(
        self, model: type[Model], columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> int:
        """COPY rows of a table with no history of its own (through tables, m2m snapshots)."""
        if not rows:
            return 0
        n = copy_rows(model, columns, rows)
        self._note(model, n)
        return n

    def m2m_history(
        self, model: type[Model], field: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> int:
        """The many-to-many snapshot rows of `model`'s '+' records (copyutil.copy_m2m_history)."""
        return self.put_plain(m2m_history_model(model, field), columns, rows)

    def _note(self, model: type[Model], n: int) -> None:
        label = model._meta.db_table
        self.counts[label] = self.counts.get(label, 0) + n
        self._step_counts[label] = self._step_counts.get(label, 0) + n
        if model not in self.touched:
            self.touched.append(model)

    def step(self, name: str) -> None:
        """Start a step: print the one before with its rows and seconds."""
        self.end_step()
        self._step_name = name
        self._step_started = time.perf_counter()
        self._step_counts = {}

    def end_step(self) -> None:
        name = self._step_name
        if name is None:
            return
        took = time.perf_counter() - self._step_started
        rows = sum(self._step_counts.values())
        self.out.write(f"  {name}: {rows:,} rows in {took:.1f} s")
        for table, n in sorted(self._step_counts.items()):
            self.out.write(f"      {table:<48} {n:>10,}")
        self._step_name = None

    def ct(self, model: type[Model]) -> int:
        return int(ContentType.objects.get_for_model(model).pk)

    def at(self, day: dt.date, hour: int = 9) -> dt.datetime:
        """A moment on `day` in working hours, for created_at and opened_at columns."""
        return dt.datetime.combine(
            day, dt.time(hour, self.rng.randint(0, 59)), tzinfo=self.now.tzinfo
        )

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))


class Ids:
    """Primary keys handed out one at a time from blocks reserved on the table's sequence, for rows
    whose number is known only once they are built. Unused ids at the end of the last block are a
    gap in the sequence, as a rolled-back insert leaves."""

    def __init__(self, model: type[Model], block: int = 20_000) -> None:
        self.model = model
        self.block = block
        self._range: range = range(0)
        self._next = 0

    def peek(self) -> int:
        """The id the next call returns, for rows that must name their parent before it is built."""
        if self._next >= len(self._range):
            self._range = reserve_ids(self.model, self.block)
            self._next = 0
        return self._range[self._next]

    def __call__(self) -> int:
        pk = self.peek()
        self._next += 1
        return pk


CLOCK_COLUMNS = (
    "id",
    "kind",
    "subject_type_id",
    "subject_id",
    "pupil_id",
    "school_id",
    "local_authority_id",
    "responsible_role",
    "responsible_user_id",
    "start_event",
    "started_on",
    "due_on",
    "state",
    "opened_at",
    "met_on",
    "met_by_id",
    "met_note",
    "cancelled_reason",
    "exception_regulation",
    "exception_limb",
    "exception_from",
    "exception_to",
    "exception_evidence",
)


class Clocks:
    """Clocks collected by the steps as the services would have opened, met or cancelled them,
    written together (one id range, one COPY) at the end of a step."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.rows: list[list[Any]] = []
        self.open_keys: set[tuple[str, int, int]] = set()

    def add(
        self,
        kind: str,
        subject_type: int,
        subject_id: int,
        *,
        started_on: dt.date,
        due_on: dt.date,
        start_event: str,
        role: str,
        la_id: int,
        school_id: int | None = None,
        pupil_id: int | None = None,
        user_id: int | None = None,
        met_on: dt.date | None = None,
        met_by: int | None = None,
        met_note: str = "",
        cancelled: str = "",
        exception: tuple[str, str, dt.date, dt.date, str] | None = None,
    ) -> None:
        if cancelled:
            state = Clock.State.CANCELLED
        elif met_on is not None:
            state = Clock.State.MET
            met_on = max(met_on, started_on)  # clock_met_not_before_start
        else:
            state = Clock.State.OPEN
            key = (kind, subject_type, subject_id)
            # clock_one_open_per_kind_and_subject: the service would return the open one.
            if key in self.open_keys:
                return
            self.open_keys.add(key)
        exc = exception or ("", "", None, None, "")
        self.rows.append(
            [
                0,
                kind,
                subject_type,
                subject_id,
                pupil_id,
                school_id,
                la_id,
                role,
                user_id,
                start_event,
                started_on,
                due_on,
                state,
                self.run.at(started_on),
                met_on,
                met_by if met_on is not None else None,
                met_note if met_on is not None else "",
                cancelled,
                *exc,
            ]
        )

    def flush(self) -> int:
        if not self.rows:
            return 0
        ids = self.run.ids(Clock, len(self.rows))
        rows = []
        for pk, row in zip(ids, self.rows, strict=True):
            row[0] = pk
            rows.append(tuple(row))
        self.rows = []
        return self.run.put(Clock, CLOCK_COLUMNS, rows)
