"""Bulk writing with PostgreSQL COPY: reserved primary keys, rows as tuples, history rows beside.

    ids = reserve_ids(Pupil, len(rows))
    copy_rows(Pupil, ["id", "school_id", ...], rows)
    copy_history(Pupil, ["id", "school_id", ...], rows, by_id=user.pk, at=now)

`copy_history` leaves out the columns the historical model excludes (User's password, for one), and
can be given reserved `history_ids` so the snapshot rows of a history's many-to-many fields
(`copy_m2m_history`) can refer to them, as simple-history writes them beside each record.

Only for PostgreSQL: `seed_scale` refuses any other engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
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


def history_model(model: type[Model]) -> type[Model]:
    return model.history.model  # type: ignore[attr-defined]


def copy_history(
    model: type[Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    by_id: int | None,
    at: dt.datetime,
    reason: str = "seed_scale",
    history_ids: Sequence[int] | None = None,
) -> int:
    """Write each row's creation record ('+') into the model's simple-history table, as the
    `history = HistoricalRecords()` signal would have, with `by_id` as history_user.

    Columns the historical model does not keep (its `excluded_fields`) are dropped. With
    `history_ids` (one per row, from `reserve_ids(history_model(model), n)`) each record gets that
    id, for `copy_m2m_history`."""
    history = history_model(model)
    kept = {f.column for f in history._meta.concrete_fields}
    keep = [i for i, c in enumerate(columns) if c in kept]
    cols = [columns[i] for i in keep]
    extra = ("history_date", "history_change_reason", "history_type", "history_user_id")
    tail = (at, reason, "+", by_id)
    if len(keep) == len(columns):
        body: Iterable[tuple[Any, ...]] = (tuple(row) for row in rows)
    else:
        body = (tuple(row[i] for i in keep) for row in rows)
    if history_ids is None:
        return copy_rows(history, [*cols, *extra], (row + tail for row in body))
    return copy_rows(
        history,
        [*cols, *extra, "history_id"],
        (row + tail + (hid,) for row, hid in zip(body, history_ids, strict=True)),
    )


def m2m_history_model(model: type[Model], field: str) -> type[Model]:
    """The table simple-history keeps a many-to-many field's snapshot in, per historical record."""
    return getattr(history_model(model), field).model


def copy_m2m_history(
    model: type[Model], field: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write the snapshot rows of a many-to-many field beside historical records: each row is the
    through row's columns (`id` and the two foreign keys) and `history_id`, in `columns` order."""
    return copy_rows(m2m_history_model(model, field), columns, rows)


@contextmanager
def foreign_keys_set_aside(models: Iterable[type[Model]]) -> Iterator[int]:
    """Drop the foreign keys of the models' tables for a bulk load and add them back after it, as
    pg_restore does: adding a constraint checks every row in one pass, where a constraint left in
    place queues a check per row until the transaction commits. Use inside a transaction, so a
    failure (a row the constraint refuses included) leaves the schema as it was. Yields how many
    constraints were set aside."""
    tables = sorted({m._meta.db_table for m in models})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        constraints = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield len(constraints)
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )


@contextmanager
def indexes_set_aside(models: Iterable[type[Model]]) -> Iterator[int]:
    """Drop the secondary indexes and unique constraints of the models' tables for a bulk load and
    build them again after it, as pg_restore does: one sorted build per index instead of an insert
    into each per row. Primary keys stay. A unique constraint or unique index the loaded rows break
    fails its rebuild, and with it the transaction. Yields how many were set aside."""
    tables = sorted({m._meta.db_table for m in models})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'u' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        uniques = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            " ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in uniques:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for index, _definition in indexes:
            cursor.execute(f"DROP INDEX {index}")
    yield len(uniques) + len(indexes)
    with connection.cursor() as cursor:
        for _index, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in uniques:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )


def analyze(*models: type[Model]) -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would later."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {_table(model)}")
