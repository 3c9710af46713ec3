"""Aggregate counts for governors and leaders: never a named pupil, small numbers suppressed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from pupils.codes import SenProvision
from pupils.models import Pupil

# Counts below this are shown as "fewer than 5" so no child can be singled out (issue 7).
SUPPRESS_BELOW = 5


@dataclass(frozen=True)
class SuppressedCount:
    value: int

    @property
    def suppressed(self) -> bool:
        """Whether the exact value is hidden: a chart must not draw it either."""
        return 0 < self.value < SUPPRESS_BELOW

    def __str__(self) -> str:
        if self.suppressed:
            return f"fewer than {SUPPRESS_BELOW}"
        return f"{self.value:,}"


@dataclass(frozen=True)
class ExactCount:
    """A count for the roles that may see named pupils anyway (head, senior leaders, SENCO): small
    numbers hide nothing from them, and they drill down from them."""

    value: int
    suppressed = False

    def __str__(self) -> str:
        return f"{self.value:,}"


def count_shown(value: int, *, suppress: bool) -> SuppressedCount | ExactCount:
    """The count as one viewer may see it: suppressed for governors, exact for leaders."""
    return SuppressedCount(value) if suppress else ExactCount(value)


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


def school_review_counts(school_id: int) -> list[tuple[str, SuppressedCount]]:
    """Annual reviews of the school's EHC plans as counts (issue 6: governors see counts of reviews
    on time, never a review). A review is complete when the LA decides (CFA s.44(1), reg 20(10)):
    that meets the annual review clock, on time when on or before its due date."""
    from sendadmin.clocks.kinds import Kind
    from sendadmin.clocks.models import Clock

    today = timezone.localdate()
    met = Q(state=Clock.State.MET, met_on__gte=today - dt.timedelta(days=365), met_on__lte=today)
    counts = Clock.objects.filter(kind=Kind.ANNUAL_REVIEW, school_id=school_id).aggregate(
        on_time=Count("pk", filter=met & Q(met_on__lte=F("due_on"))),
        late=Count("pk", filter=met & Q(met_on__gt=F("due_on"))),
        overdue=Count("pk", filter=Q(state=Clock.State.OPEN, due_on__lt=today)),
    )
    return [
        (
            "Annual reviews completed on time in the last 12 months",
            SuppressedCount(counts["on_time"]),
        ),
        ("Annual reviews completed late in the last 12 months", SuppressedCount(counts["late"])),
        ("Annual reviews overdue now", SuppressedCount(counts["overdue"])),
    ]
