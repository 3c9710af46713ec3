"""Who may see and act on reviews of EHC plans. A review is visible exactly when its plan is
(ehcp.rules.plan_visible_q): the LA's own plans, and at a school the issued plans of the pupils a
person may see with their SEN details. What they may do comes from the role's capability:

- the SENCO and the headteacher of the school convening the review arrange and record it (reg 20);
- teachers who can see the pupil contribute their advice (reg 20(4));
- only a caseworker or manager of the LA that maintains the plan records its decision (reg 20(10)),
  by ehcp.rules.manages_case, the same predicate as for the LA's cases.
Governors and the school office see none (governors get counts).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from ehcp.models import Plan
from ehcp.rules import can_view_plan, manages_case, plan_visible_q
from pupils.rules import NOTHING, pupil_ref_visible_q
from sendadmin.accounts.roles import Cap, role_has
from sendadmin.accounts.selectors import active_membership

from .models import Review


def review_visible_q(user: Any) -> Q:
    membership = active_membership(user)
    if membership is None:
        return NOTHING
    q = Q(plan__in=Plan.objects.filter(plan_visible_q(user)).values("pk"))
    if membership.school_id is not None:
        # Implied by the plan's visibility, since a review names its plan's pupil
        # (services.review_open), but tested on the review's own column it lets PostgreSQL start
        # from the school's pupils instead of every open review of the county (benchmarks/load).
        q &= pupil_ref_visible_q(user, "pupil_id")
    return q


@rules.predicate
def can_list_reviews(user: Any) -> bool:
    membership = active_membership(user)
    if membership is None:
        return False
    if membership.school_id is not None:
        return role_has(membership.role, Cap.VIEW_SEN_DETAILS)
    return role_has(membership.role, Cap.VIEW_LA_CASES)


@rules.predicate
def can_view_review(user: Any, review: Review | None) -> bool:
    return (
        review is not None and Review.objects.filter(review_visible_q(user), pk=review.pk).exists()
    )


@rules.predicate
def convenes(user: Any, obj: Any) -> bool:
    """The SENCO or head of the school that convenes the review (or, for a plan not yet under
    review, the pupil's school)."""
    membership = active_membership(user)
    if obj is None or membership is None or not role_has(membership.role, Cap.CONVENE_REVIEWS):
        return False
    school_id = obj.school_id if isinstance(obj, Review) else obj.pupil.school_id
    return bool(membership.school_id == school_id)


@rules.predicate
def contributes(user: Any, review: Review | None) -> bool:
    membership = active_membership(user)
    return (
        review is not None
        and membership is not None
        and membership.school_id == review.school_id
        and role_has(membership.role, Cap.CONTRIBUTE_TO_PLANS)
    )


rules.add_perm("reviews.list_reviews", can_list_reviews)
rules.add_perm("reviews.view_review", can_view_review)
rules.add_perm("reviews.convene_review", can_view_review & convenes)
rules.add_perm("reviews.contribute_review", can_view_review & contributes)
rules.add_perm("reviews.decide_review", can_view_review & manages_case)


# Asked of a plan before a review exists: may this person open one? The school convenes annual
# reviews; an early review may be called by the school or by the LA (CoP 9.166).
rules.add_perm("ehcp.open_review", can_view_plan & convenes)
rules.add_perm("ehcp.call_early_review", can_view_plan & (convenes | manages_case))


# --- LA pages (issue 6 parts 1, 4, 5) -------------------------------------------------------------


@rules.predicate
def works_for_an_la(user: Any) -> bool:
    """An LA role: the list of the LA's open reviews, their decisions and amended plans due."""
    membership = active_membership(user)
    return (
        membership is not None
        and membership.school_id is None
        and role_has(membership.role, Cap.VIEW_LA_CASES)
    )


rules.add_perm("reviews.list_la_reviews", works_for_an_la)
