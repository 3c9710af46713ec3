"""Access-matrix rows for the review pages (school side), merged into tests/test_access_matrix.py.

A review is visible when its plan is (reviews/rules.py): Northmoor's roles for the first three
pupils, Eastbrook's for the fourth; at the school, the SEN-wide roles for every pupil and the
teachers, TA and designated teacher for the pupils they teach or look after. The SENCO and head
of the review's school convene it; teachers who contribute record the school's advice; the LA's
caseworker or manager may call an early review.
"""

from __future__ import annotations

from typing import Any

from ehcp.models import Plan
from reviews.models import Invitee, Review
from tests.access_rows import (
    ANON_REDIRECT,
    HIDDEN,
    OTHER_SCHOOL,
    POST_ONLY,
    SCHOOL_WIDE,
    TAUGHT_ONLY,
    Row,
    everyone,
)
from tests.factories.ehcp import PlanFactory, PlanVersionFactory
from tests.factories.reviews import InviteeFactory, ReviewFactory

HOME_LA = (200, 200, 200, 404)  # Northmoor's roles: the plans of the first three pupils
OTHER_LA = (404, 404, 404, 200)  # Eastbrook's caseworker: only the second LA's pupil's plan
UNTAUGHT = (404, 200, 404, 404)  # other_teacher teaches the out-of-scope pupil
SCHOOL_SEES_NOT_ACTS = (403, 403, 404, 404)
TAUGHT_SEES_NOT_ACTS = (403, 404, 404, 404)
UNTAUGHT_SEES_NOT_ACTS = (404, 403, 404, 404)
HOME_LA_SEES_NOT_ACTS = (403, 403, 403, 404)
OTHER_LA_SEES_NOT_ACTS = (404, 404, 404, 403)


def _plan(pupil: Any) -> Plan:
    """The pupil's plan with an issued final version (the same one however often asked)."""
    plan = PlanFactory(pupil=pupil)
    if not plan.versions.filter(issued_on__isnull=False).exists():
        PlanVersionFactory(plan=plan, issued_final=True)
    return plan


def _review(pupil: Any) -> Review:
    plan = _plan(pupil)
    review = Review.objects.filter(plan=plan, closed_on__isnull=True).first()
    if review is None:
        review = ReviewFactory(reviewed_version=plan.versions.filter(issued_on__isnull=False)[0])
    return review


def _school_invitee(pupil: Any) -> dict[str, Any]:
    review = _review(pupil)
    invitee = Invitee.objects.filter(review=review, role=Invitee.Role.SCHOOL).first()
    if invitee is None:
        invitee = InviteeFactory(review=review, role=Invitee.Role.SCHOOL, name="Mrs Patel, SENCO")
    return {"pk": invitee.pk}


PLAN = lambda pupil: {"pk": _plan(pupil).pk}  # noqa: E731
REVIEW = lambda pupil: {"pk": _review(pupil).pk}  # noqa: E731

# The SENCO and head of the review's school convene it; everyone else who can see it gets 403.
CONVENE = everyone(
    HIDDEN,
    anon=ANON_REDIRECT,
    senco=SCHOOL_WIDE,
    head=SCHOOL_WIDE,
    senior_leader=SCHOOL_SEES_NOT_ACTS,
    class_teacher=TAUGHT_SEES_NOT_ACTS,
    ta=TAUGHT_SEES_NOT_ACTS,
    designated_teacher=TAUGHT_SEES_NOT_ACTS,
    other_teacher=UNTAUGHT_SEES_NOT_ACTS,
    other_school_senco=OTHER_SCHOOL,
    la_caseworker=HOME_LA_SEES_NOT_ACTS,
    la_manager=HOME_LA_SEES_NOT_ACTS,
    other_la_caseworker=OTHER_LA_SEES_NOT_ACTS,
)

ROWS: dict[str, Row] = {
    "reviews:review-list": Row(
        everyone(200, governor=403, sen_link_governor=403, school_admin=403)
    ),
    "reviews:review-open": Row(everyone((POST_ONLY,) * 4, anon=ANON_REDIRECT), kwargs=PLAN),
    # CoP 9.166: the school that convenes, or the LA that maintains the plan, calls an early review.
    "reviews:early-review": Row(
        {
            **CONVENE,
            "la_caseworker": HOME_LA,
            "la_manager": HOME_LA,
            "other_la_caseworker": OTHER_LA,
        },
        kwargs=PLAN,
    ),
    "reviews:review-detail": Row(
        everyone(
            HIDDEN,
            anon=ANON_REDIRECT,
            senco=SCHOOL_WIDE,
            head=SCHOOL_WIDE,
            senior_leader=SCHOOL_WIDE,
            class_teacher=TAUGHT_ONLY,
            ta=TAUGHT_ONLY,
            designated_teacher=TAUGHT_ONLY,
            other_teacher=UNTAUGHT,
            other_school_senco=OTHER_SCHOOL,
            la_caseworker=HOME_LA,
            la_manager=HOME_LA,
            other_la_caseworker=OTHER_LA,
        ),
        kwargs=REVIEW,
    ),
    **{
        name: Row(CONVENE, kwargs=REVIEW)
        for name in (
            "reviews:review-schedule",
            "reviews:review-invite",
            "reviews:review-papers",
            "reviews:review-meeting",
            "reviews:review-report",
        )
    },
    # Reg 20(4): teachers who contribute to plans record the school's advice; the TA and the
    # senior leader (no CONTRIBUTE_TO_PLANS) and the LA see the review but may not.
    "reviews:invitee-advice": Row(
        {
            **CONVENE,
            "class_teacher": TAUGHT_ONLY,
            "designated_teacher": TAUGHT_ONLY,
            "other_teacher": UNTAUGHT,
        },
        kwargs=_school_invitee,
    ),
}
