"""Turns simple-history rows into readable entries: when, who, what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.db.models import QuerySet

CHANGE_LABELS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class HistoryEntry:
    at: Any
    who: str
    what: str
    record: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _label(record: Any, name: str) -> str:
    try:
        return str(record.instance_type._meta.get_field(name).verbose_name).capitalize()
    except Exception:
        return name


def _previous_rows(rows: list[Any]) -> dict[int, Any]:
    """Each row's previous version of the same record, from the rows already loaded.

    `prev_record` would cost a query per row. A row whose previous version is older than the rows
    loaded (beyond `limit`) shows no field changes rather than costing a query.
    """
    by_record: dict[tuple[type, Any], list[Any]] = {}
    for row in rows:
        key = (type(row), getattr(row, row.instance_type._meta.pk.attname))
        by_record.setdefault(key, []).append(row)
    previous: dict[int, Any] = {}
    for versions in by_record.values():
        versions.sort(key=lambda r: (r.history_date, r.history_id))
        for older, newer in pairwise(versions):
            previous[id(newer)] = older
    return previous


def history_entries(*querysets: QuerySet[Any], limit: int = 500) -> list[HistoryEntry]:
    """Merge the history of several records, newest first, each entry with its field changes.

    A constant number of queries: one per queryset, whatever the number of changes.
    """
    rows: list[Any] = []
    for qs in querysets:
        rows.extend(qs.select_related("history_user").order_by("-history_date")[:limit])
    rows.sort(key=lambda r: r.history_date, reverse=True)
    previous_of = _previous_rows(rows)
    entries = []
    for row in rows[:limit]:
        changes: list[tuple[str, str, str]] = []
        previous = previous_of.get(id(row))
        if previous is not None and row.history_type == "~":
            delta = row.diff_against(previous)
            changes = [(_label(row, c.field), str(c.old), str(c.new)) for c in delta.changes]
        who = str(row.history_user) if row.history_user else "System"
        record = row.instance_type._meta.verbose_name.capitalize()
        entries.append(
            HistoryEntry(
                row.history_date,
                who,
                CHANGE_LABELS.get(row.history_type, "?"),
                f"{record}: {row.instance}",
                changes,
            )
        )
    return entries
