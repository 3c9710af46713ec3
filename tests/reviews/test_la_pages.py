"""The LA's review pages: the decision after the meeting, the list of the LA's reviews, and the
governors' counts of annual reviews on time, through the browser-free test client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from ehcp.models import PlanVersion
from reviews.deadlines import meeting_deadlines
from reviews.models import Review
from reviews.services import invitations_send, meeting_record, review_open, review_schedule
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World, client_for
from tests.factories.clocks import ClockFactory
from tests.factories.dates import TODAY
from tests.factories.ehcp import (
    PlanNeedFactory,
    PlanOutcomeFactory,
    PlanProvisionFactory,
    PlanVersionFactory,
)
from tests.factories.pupils import PupilFactory
from tests.factories.reviews import ReviewFactory

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 1, 10)
INVITED = TODAY - dt.timedelta(days=30)
MEETING = TODAY - dt.timedelta(days=10)


def _date(prefix: str, when: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(when.day),
        f"{prefix}_month": str(when.month),
        f"{prefix}_year": str(when.year),
    }


def held_review(world: World, recommendation: str = "amend") -> Review:
    """A review of Amara's plan whose meeting is recorded, proposing a change to section F."""
    senco = world.users["senco"]
    version = PlanVersionFactory(plan__pupil=world.pupil, issued_final=True, issued_on=ISSUED)
    need = PlanNeedFactory(version=version)
    outcome = PlanOutcomeFactory(version=version, outcome="Reads a page aloud with confidence")
    outcome.needs.add(need)
    provision = PlanProvisionFactory(version=version)
    provision.needs.add(need)
    review = review_open(plan=version.plan, by=senco)
    review = review_schedule(review=review, meeting_on=MEETING, by=senco)
    review = invitations_send(
        review=review, sent_on=INVITED, invitees=[("parent", "Mrs Okafor")], by=senco
    )
    return meeting_record(
        review=review,
        held_on=MEETING,
        progress={outcome.pk: ("on_track", "Reads 40 words a minute, up from 25.")},
        changes={"F": "Increase speech and language therapy to twice a week."}
        if recommendation == "amend"
        else {},
        recommendation=recommendation,
        disagreements="The parents would like daily therapy.",
        by=senco,
    )


def _decide(
    world: World, review: Review, persona: str = "la_caseworker", client: Any = None, **data: Any
) -> Any:
    post = {
        "version": str(review.version),
        "decision": "amend",
        **_date("decided_on", TODAY),
        "reasons": "",
    }
    post.update(data)
    return (client or client_for(world.users[persona])).post(
        reverse("reviews:review-decide", args=[review.pk]), post
    )


def test_the_decision_page_shows_the_recommendation_changes_progress_and_when_the_amended_plan_is_due(
    world: World,
) -> None:
    review = held_review(world)
    page = client_for(world.users["la_caseworker"]).get(
        reverse("reviews:review-decide", args=[review.pk])
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Amend the plan" in body
    assert "Increase speech and language therapy to twice a week." in body
    assert "F: special educational provision" in body
    assert "The parents would like daily therapy." in body
    assert "Reads 40 words a minute, up from 25." in body
    # Reg 22(2) with Devon CC [2022]: the notice goes with the decision; reg 22(3): 8 weeks later.
    assert "regulation 22(2)" in body and "Devon CC [2022]" in body
    due = meeting_deadlines(MEETING, amendment_notice_sent=TODAY).amended_plan_by
    assert due == TODAY + dt.timedelta(weeks=8)
    assert f"{due:%-d %B %Y}" in body


def test_the_caseworker_decides_to_amend_and_lands_on_the_amended_version(world: World) -> None:
    review = held_review(world)
    client = client_for(world.users["la_caseworker"])
    response = _decide(world, review, client=client)
    review.refresh_from_db()
    assert review.la_decision == "amend"
    assert review.amendment_notice_on == TODAY
    amended = review.amended_version
    assert amended is not None and amended.kind == PlanVersion.Kind.AMENDED
    expected = f"{reverse('ehcp:plan-detail', args=[review.plan_id])}?version={amended.number}"
    assert response.status_code == 302
    assert response["Location"] == expected
    page = client.get(expected)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Version {amended.number}" in body or f"version {amended.number}" in body
    assert "Change only the sections the review proposed (F)" in body
    clock = Clock.objects.get(kind=Kind.AMENDED_PLAN, subject_id=review.pk)
    assert clock.due_on == TODAY + dt.timedelta(weeks=8)


def test_a_second_submission_of_the_same_decision_changes_nothing(world: World) -> None:
    review = held_review(world)
    _decide(world, review)
    review.refresh_from_db()
    amended = review.amended_version
    again = _decide(world, review)
    review.refresh_from_db()
    assert again.status_code == 302
    assert review.amended_version == amended
    assert PlanVersion.objects.filter(plan=review.plan).count() == 2


def test_a_senco_gets_403_on_the_decision_page_and_cannot_post_one(world: World) -> None:
    review = held_review(world)
    client = client_for(world.users["senco"])
    assert client.get(reverse("reviews:review-decide", args=[review.pk])).status_code == 403
    assert _decide(world, review, persona="senco").status_code == 403
    review.refresh_from_db()
    assert review.la_decision == ""


def test_another_las_caseworker_gets_404(world: World) -> None:
    review = held_review(world)
    client = client_for(world.users["other_la_caseworker"])
    assert client.get(reverse("reviews:review-decide", args=[review.pk])).status_code == 404
    assert _decide(world, review, persona="other_la_caseworker").status_code == 404


def test_a_decision_dated_before_the_meeting_shows_the_error_and_keeps_what_was_typed(
    world: World,
) -> None:
    review = held_review(world)
    response = _decide(
        world,
        review,
        decision="maintain",
        reasons="Progress is good and the provision works.",
        **_date("decided_on", MEETING - dt.timedelta(days=1)),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The decision cannot be dated before the meeting." in body
    assert "Progress is good and the provision works." in body
    review.refresh_from_db()
    assert review.la_decision == ""


def test_deciding_differently_from_the_review_needs_reasons(world: World) -> None:
    review = held_review(world, recommendation="maintain")
    response = _decide(world, review, decision="cease")
    assert "Give the reasons for deciding differently from the review." in response.content.decode()
    response = _decide(world, review, decision="cease", reasons="Needs met without a plan.")
    assert response["Location"] == reverse("reviews:la-review-list")
    review.refresh_from_db()
    assert (review.la_decision, review.closed_on) == ("cease", TODAY)


def test_a_stale_decision_form_is_refused_and_keeps_the_reasons(world: World) -> None:
    review = held_review(world, recommendation="maintain")
    stale = review.version
    Review.objects.filter(pk=review.pk).update(version=stale + 1)
    response = _decide(world, review, decision="maintain", reasons="All well.", version=str(stale))
    body = response.content.decode()
    assert "Someone else changed this review" in body
    assert "All well." in body
    assert f'name="version" value="{stale + 1}"' in body


def test_the_decision_page_waits_for_the_meeting(world: World) -> None:
    review = ReviewFactory(
        reviewed_version=PlanVersionFactory(plan__pupil=world.pupil, issued_final=True)
    )
    page = client_for(world.users["la_caseworker"]).get(
        reverse("reviews:review-decide", args=[review.pk])
    )
    body = page.content.decode()
    assert "The school has not recorded the meeting yet" in body
    assert 'name="decision"' not in body


def _reviews(world: World, n: int) -> list[Review]:
    """n open reviews at the home LA: the first half waiting for a decision, the rest amending."""
    review_type = ContentType.objects.get_for_model(Review)
    made = []
    for i in range(n):
        pupil = PupilFactory(school=world.school)
        review = ReviewFactory(
            reviewed_version=PlanVersionFactory(plan__pupil=pupil, issued_final=True),
            meeting_on=MEETING,
            invitations_sent_on=INVITED,
            held_on=MEETING,
            recommendation="amend",
        )
        kind = Kind.LA_REVIEW_DECISION if i < n // 2 else Kind.AMENDED_PLAN
        ClockFactory(
            kind=kind,
            subject_type=review_type,
            subject_id=review.pk,
            pupil=pupil,
            school=None,
            local_authority=world.home_la,
            responsible_role="la_caseworker",
            started_on=MEETING,
            due_on=TODAY + dt.timedelta(days=n - i),
        )
        made.append(review)
    return made


def _decide_url(review: Review) -> str:
    return reverse("reviews:review-decide", args=[review.pk])


def _list_queries(world: World) -> tuple[int, str]:
    client = client_for(world.users["la_caseworker"])
    client.get(reverse("reviews:la-review-list"))  # warm the session and content type caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reviews:la-review-list"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_la_list_makes_the_same_queries_for_2_and_20_reviews(world: World) -> None:
    _reviews(world, 2)
    few, _ = _list_queries(world)
    _reviews(world, 18)
    many, body = _list_queries(world)
    assert few == many
    assert "20 open reviews" in body


def test_the_la_list_shows_decisions_due_soonest_first_with_days_left_and_amended_plans_due(
    world: World,
) -> None:
    first, second, amending, _last = _reviews(world, 4)
    _, body = _list_queries(world)
    decisions, rest = body.split("Amended plans due", 1)
    # Due in 4 and 3 days: the second review's decision comes first.
    assert decisions.index(_decide_url(second)) < decisions.index(_decide_url(first))
    assert "4 days left" in decisions and "3 days left" in decisions
    amended_table = rest.split("Open reviews", 1)[0]
    assert escape(amending.pupil.display_name) in amended_table
    assert "2 days left" in amended_table and "1 day left" in amended_table
    assert "Meeting held: report due from the school" in body


def test_the_la_list_shows_no_other_las_reviews(world: World) -> None:
    mine = _reviews(world, 1)[0]
    theirs = ReviewFactory(
        reviewed_version=PlanVersionFactory(plan__pupil=world.other_la_pupil, issued_final=True)
    )
    _, body = _list_queries(world)
    assert _decide_url(mine) in body
    assert _decide_url(theirs) not in body


def test_a_governor_sees_counts_of_annual_reviews_on_time_and_no_pupil_name(
    world: World,
) -> None:
    def annual(pupil: Any, **kw: Any) -> None:
        plan = PlanVersionFactory(plan__pupil=pupil, issued_final=True).plan
        ClockFactory(
            kind=Kind.ANNUAL_REVIEW,
            subject_type=ContentType.objects.get_for_model(plan),
            subject_id=plan.pk,
            pupil=pupil,
            school=world.school,
            **kw,
        )

    for _ in range(5):
        annual(
            PupilFactory(school=world.school),
            state=Clock.State.MET,
            due_on=TODAY - dt.timedelta(days=30),
            met_on=TODAY - dt.timedelta(days=40),
        )
    annual(
        world.pupil,
        state=Clock.State.MET,
        due_on=TODAY - dt.timedelta(days=60),
        met_on=TODAY - dt.timedelta(days=50),
    )
    annual(world.untaught_pupil, due_on=TODAY - dt.timedelta(days=1))
    # Met more than a year ago: not counted.
    annual(
        PupilFactory(school=world.school),
        state=Clock.State.MET,
        started_on=TODAY - dt.timedelta(days=800),
        due_on=TODAY - dt.timedelta(days=400),
        met_on=TODAY - dt.timedelta(days=400),
    )
    body = client_for(world.users["governor"]).get(reverse("core:home")).content.decode()
    assert "Annual reviews of EHC plans" in body
    on_time = body.split("Annual reviews completed on time in the last 12 months", 1)[1]
    assert on_time.split("</td>", 1)[0].endswith(">5")
    late = body.split("Annual reviews completed late in the last 12 months", 1)[1]
    assert late.split("</td>", 1)[0].endswith(">fewer than 5")
    overdue = body.split("Annual reviews overdue now", 1)[1]
    assert overdue.split("</td>", 1)[0].endswith(">fewer than 5")
    assert world.pupil.display_name not in body
    assert "Okafor" not in body
