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


def school_ehcp_counts(school_id: int) -> list[tuple[str, SuppressedCount]]:
    """EHC needs assessments and advice for the school's pupils, as counts (issue 5: governors see
    counts, never a case)."""
    from ehcp.models import AdviceKind, AdviceRequest, AssessmentCase

    cases = AssessmentCase.objects.filter(pupil__school_id=school_id)
    advice = AdviceRequest.objects.filter(school_id=school_id, kind=AdviceKind.EDUCATIONAL)
    return [
        ("Assessments in progress", SuppressedCount(cases.filter(closed_on__isnull=True).count())),
        (
            "Requests for educational advice waiting for the school",
            SuppressedCount(advice.filter(status=AdviceRequest.Status.REQUESTED).count()),
        ),
        (
            "Educational advice sent to the LA",
            SuppressedCount(advice.filter(status=AdviceRequest.Status.SUBMITTED).count()),
        ),
    ]
