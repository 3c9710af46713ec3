"""The LA reviews list's decisions and amended plans due, found from the open clocks: only the
user's LA's open reviews, each once, soonest first, with how many there are in all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from reviews.models import Review
from sendadmin.clocks.kinds import Kind
from tests.conftest import World
from tests.factories.clocks import ClockFactory
from tests.factories.dates import TODAY
from tests.factories.ehcp import PlanVersionFactory
from tests.factories.reviews import ReviewFactory
from tests.reviews.test_la_pages import MEETING, _decide_url, _list_queries, _reviews

pytestmark = pytest.mark.django_db


def _decision_clock(review: Review, days: int) -> None:
    ClockFactory(
        kind=Kind.LA_REVIEW_DECISION,
        subject_type=ContentType.objects.get_for_model(Review),
        subject_id=review.pk,
        pupil=review.pupil,
        school=None,
        local_authority=review.local_authority,
        responsible_role="la_caseworker",
        started_on=MEETING,
        due_on=TODAY + dt.timedelta(days=days),
    )


def test_decisions_due_are_the_las_open_reviews_only(world: World) -> None:
    mine = _reviews(world, 2)[0]  # the first of two waits for a decision
    theirs = ReviewFactory(
        reviewed_version=PlanVersionFactory(plan__pupil=world.other_la_pupil, issued_final=True),
        held_on=MEETING,
    )
    _decision_clock(theirs, days=0)
    closed = ReviewFactory(
        reviewed_version=PlanVersionFactory(
            plan__pupil=world.second_school_pupil, issued_final=True
        ),
        held_on=MEETING,
        closed_on=TODAY,
    )
    _decision_clock(closed, days=0)
    _, body = _list_queries(world)
    decisions = body.split("Decisions due", 1)[1].split("Amended plans due", 1)[0]
    assert _decide_url(mine) in decisions
    assert _decide_url(theirs) not in body
    assert _decide_url(closed) not in decisions


def test_the_soonest_are_shown_of_how_many_are_due(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviews.views_la.DUE_SHOWN", 2)
    made = _reviews(world, 6)  # three decisions due in 6, 5 and 4 days
    _, body = _list_queries(world)
    decisions = body.split("Decisions due", 1)[1].split("Amended plans due", 1)[0]
    assert "the 2 due soonest of 3" in decisions
    assert _decide_url(made[2]) in decisions and _decide_url(made[1]) in decisions
    assert _decide_url(made[0]) not in decisions
    assert decisions.index(_decide_url(made[2])) < decisions.index(_decide_url(made[1]))
    amended = body.split("Amended plans due", 1)[1].split("Open reviews", 1)[0]
    assert "the 2 due soonest of 3" in amended
