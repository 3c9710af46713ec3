"""Bulk writing with PostgreSQL COPY: reserved primary keys, rows as tuples, history rows beside.

    ids = reserve_ids(Pupil, len(rows))
    copy_rows(Pupil, ["id", "school_id", ...], rows)
    copy_history(Pupil, ["id", "school_id", ...], rows, by=user, at=now)

Only for PostgreSQL: `seed_scale` refuses any other engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def reserve_ids(model: type[Model], count: int) -> range:
    """Take `count` consecutive primary keys from the table's sequence, so rows written by COPY
    can carry their own ids (and rows that refer to them can be built before they are written)."""
    if count <= 0:
        return range(0)
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
        (sequence,) = cursor.fetchone()
        # Lock out other writers of the sequence for the moment between read and set.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [sequence])
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, %s, true)", [sequence, first + count - 1])
    return range(first, first + count)


def copy_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows (tuples in `columns` order, database column names) into the model's table."""
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {_table(model)} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
    return written


def copy_history(
    model: type[Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    by_id: int | None,
    at: dt.datetime,
    reason: str = "seed_scale",
) -> int:
    """Write each row's creation record ('+') into the model's simple-history table, as the
    `history = HistoricalRecords()` signal would have, with `by_id` as history_user."""
    history = model.history.model  # type: ignore[attr-defined]
    extra = ("history_date", "history_change_reason", "history_type", "history_user_id")
    tail = (at, reason, "+", by_id)
    return copy_rows(history, [*columns, *extra], (tuple(row) + tail for row in rows))


def analyze(*models: type[Model]) -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would later."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {_table(model)}")
