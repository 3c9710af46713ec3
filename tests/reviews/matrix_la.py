"""Access-matrix rows for the review pages (la side), merged into tests/test_access_matrix.py.

A review is visible exactly when its plan is (reviews.rules.review_visible_q), so its documents are
read by the people who read the pupil's issued plan; only a caseworker or manager of the LA that
holds the plan records its decision (reg 20(10)); the list of the LA's reviews is for LA roles.
"""

from __future__ import annotations

from typing import Any

from reviews.models import Review
from tests.access_rows import ANON_REDIRECT, HIDDEN, Row, everyone
from tests.ehcp.matrix_plan_docs import HOME_LA, OTHER_LA, SEES_ISSUED_PLANS
from tests.factories.ehcp import PlanVersionFactory
from tests.factories.reviews import ReviewFactory

SEEN_NOT_DECIDED_WIDE = (403, 403, 404, 404)
SEEN_NOT_DECIDED_TAUGHT = (403, 404, 404, 404)


def _review(pupil: Any) -> dict[str, Any]:
    """The open review of the pupil's plan (a plan has only one), made with its meeting date set."""
    review = Review.objects.filter(plan__pupil=pupil, closed_on__isnull=True).first()
    if review is None:
        review = ReviewFactory(
            reviewed_version=PlanVersionFactory(plan__pupil=pupil, issued_final=True)
        )
    return {"pk": review.pk}


DECIDES = everyone(
    HIDDEN,
    anon=ANON_REDIRECT,
    senco=SEEN_NOT_DECIDED_WIDE,
    head=SEEN_NOT_DECIDED_WIDE,
    senior_leader=SEEN_NOT_DECIDED_WIDE,
    class_teacher=SEEN_NOT_DECIDED_TAUGHT,
    ta=SEEN_NOT_DECIDED_TAUGHT,
    designated_teacher=SEEN_NOT_DECIDED_TAUGHT,
    other_teacher=(404, 403, 404, 404),
    other_school_senco=(404, 404, 403, 404),
    la_caseworker=HOME_LA,
    la_manager=HOME_LA,
    other_la_caseworker=OTHER_LA,
)

ROWS: dict[str, Row] = {
    "reviews:la-review-list": Row(
        everyone(403, la_caseworker=200, la_manager=200, other_la_caseworker=200)
    ),
    "reviews:review-decide": Row(DECIDES, kwargs=_review),
    "reviews:invitation-pdf": Row(SEES_ISSUED_PLANS, kwargs=_review),
    "reviews:papers-pdf": Row(SEES_ISSUED_PLANS, kwargs=_review),
    "reviews:report-pdf": Row(SEES_ISSUED_PLANS, kwargs=_review),
}
