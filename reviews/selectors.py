"""Reads of reviews, always filtered by what the asking user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from sendadmin.access import get_visible_or_404

from .models import Invitee, Review
from .rules import review_visible_q


def review_list_for(user: Any, *, open_only: bool = True) -> QuerySet[Review]:
    qs = Review.objects.filter(review_visible_q(user)).select_related(
        "pupil__school", "school", "local_authority", "plan", "reviewed_version"
    )
    if open_only:
        qs = qs.filter(closed_on__isnull=True)
    return qs.order_by("due_on", "meeting_on", "pk")


def review_get_for_user_or_404(user: Any, pk: Any) -> Review:
    qs = (
        Review.objects.filter(review_visible_q(user))
        .select_related(
            "pupil__school",
            "school",
            "local_authority",
            "plan",
            "reviewed_version",
            "amended_version",
        )
        .prefetch_related(
            Prefetch("invitees", queryset=Invitee.objects.order_by("pk")),
            "progress__outcome",
            "proposed_changes",
        )
    )
    return get_visible_or_404(qs, pk=pk)
