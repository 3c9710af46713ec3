"""Turns simple-history rows into readable entries: when, who, what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
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


def history_entries(*querysets: QuerySet[Any], limit: int = 500) -> list[HistoryEntry]:
    """Merge the history of several records, newest first, each entry with its field changes."""
    rows: list[Any] = []
    for qs in querysets:
        rows.extend(qs.select_related("history_user").order_by("-history_date")[:limit])
    rows.sort(key=lambda r: r.history_date, reverse=True)
    entries = []
    for row in rows[:limit]:
        changes: list[tuple[str, str, str]] = []
        previous = row.prev_record
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
