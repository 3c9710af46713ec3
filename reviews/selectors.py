"""Reads of reviews, always filtered by what the asking user may see."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from ehcp.models import Plan
from ehcp.selectors import plan_list_for
from sendadmin.access import get_visible_or_404
from sendadmin.accounts.selectors import active_membership
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock

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


# --- School pages (issue 6 part 1) ----------------------------------------------------------------


def plans_due_for_review_for(user: Any) -> QuerySet[Plan]:
    """Plans of the user's school with an open annual review clock and no open review, due soonest
    first (CFA s.44(1); domain.md 2.1). `review_due_on` is the clock's due date."""
    membership = active_membership(user)
    if membership is None or membership.school_id is None:
        return Plan.objects.none()
    clocks = Clock.objects.filter(
        kind=Kind.ANNUAL_REVIEW,
        subject_type=ContentType.objects.get_for_model(Plan),
        subject_id=OuterRef("pk"),
        state=Clock.State.OPEN,
    ).order_by("due_on")
    open_reviews = Review.objects.filter(plan=OuterRef("pk"), closed_on__isnull=True)
    return (
        plan_list_for(user)
        .filter(pupil__school_id=membership.school_id)
        .annotate(review_due_on=Subquery(clocks.values("due_on")[:1]))
        .filter(review_due_on__isnull=False)
        .filter(~Exists(open_reviews))
        .order_by("review_due_on", "pk")
    )


# --- LA pages (issue 6 parts 1 and 5) -------------------------------------------------------------


def la_review_list_for(user: Any) -> QuerySet[Review]:
    """The open reviews the user's LA may see, each with the due date of its open LA decision clock
    (`decision_due_on`, reg 20(10)) and of its open amended plan clock (`amended_due_on`, reg
    22(3)), or None. Fixed queries however many reviews there are."""
    membership = active_membership(user)
    if membership is None or membership.school_id is not None:
        return Review.objects.none()
    review_type = ContentType.objects.get_for_model(Review)

    def due(kind: Kind) -> Subquery:
        clocks = Clock.objects.filter(
            kind=kind,
            subject_type=review_type,
            subject_id=OuterRef("pk"),
            state=Clock.State.OPEN,
        ).order_by("due_on")
        return Subquery(clocks.values("due_on")[:1])

    return (
        review_list_for(user)
        .filter(local_authority_id=membership.local_authority_id)
        .select_related("amended_version")
        .annotate(
            decision_due_on=due(Kind.LA_REVIEW_DECISION),
            amended_due_on=due(Kind.AMENDED_PLAN),
        )
    )
