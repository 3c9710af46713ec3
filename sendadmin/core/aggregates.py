"""Aggregate counts for governors and leaders: never a named pupil, small numbers suppressed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from pupils.codes import SenProvision
from pupils.models import Pupil

# Counts below this are shown as "fewer than 5" so no child can be singled out (issue 7).
SUPPRESS_BELOW = 5


@dataclass(frozen=True)
class SuppressedCount:
    value: int

    def __str__(self) -> str:
        if 0 < self.value < SUPPRESS_BELOW:
            return f"fewer than {SUPPRESS_BELOW}"
        return f"{self.value:,}"


def school_sen_counts(school_id: int) -> list[tuple[str, SuppressedCount]]:
    rows = dict(
        Pupil.objects.filter(school_id=school_id, leaving_date__isnull=True)
        .values_list("sen_provision")
        .annotate(n=Count("pk"))
        .values_list("sen_provision", "n")
    )
    return [(label, SuppressedCount(rows.get(code, 0))) for code, label in SenProvision.choices]
