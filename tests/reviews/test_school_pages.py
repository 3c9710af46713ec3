"""The school's review pages drive the reg 20 chain (domain.md 2.1-2.2) through the test client."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehcp.models import Plan, PlanVersion
from reviews.models import Invitee, Review
from sendadmin.accounts.models import AuditEvent
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_open
from tests.conftest import World, client_for
from tests.factories import PupilFactory
from tests.factories.dates import TODAY
from tests.factories.ehcp import (
    PlanNeedFactory,
    PlanOutcomeFactory,
    PlanVersionFactory,
)
from tests.factories.reviews import InviteeFactory, ReviewFactory

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 1, 10)
INVITED = TODAY - dt.timedelta(days=30)
MEETING = TODAY - dt.timedelta(days=10)


def _date(prefix: str, d: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(d.day),
        f"{prefix}_month": str(d.month),
        f"{prefix}_year": str(d.year),
    }


def _final(pupil: Any) -> PlanVersion:
    version = PlanVersionFactory(plan__pupil=pupil, issued_final=True, issued_on=ISSUED)
    need = PlanNeedFactory(version=version)
    outcome = PlanOutcomeFactory(version=version, outcome="Reads a Year 4 book aloud")
    outcome.needs.add(need)
    return version


def _annual_clock(plan: Plan) -> Clock:
    return clock_open(
        kind=Kind.ANNUAL_REVIEW,
        subject=plan,
        started_on=ISSUED,
        due_on=dt.date(2027, 1, 10),
        start_event="Plan issued",
        school=plan.pupil.school,
        local_authority=plan.local_authority,
        pupil=plan.pupil,
        responsible_role=Role.SENCO,
        by=None,
    )


def _errors(response: Any) -> str:
    html = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return match.group(0).replace("&#x27;", "'") if match else ""


def _version(review: Review) -> str:
    review.refresh_from_db()
    return str(review.version)


def test_the_senco_drives_a_review_from_the_plans_due_to_the_report(
    world: World, senco: Any
) -> None:
    version = _final(world.pupil)
    _annual_clock(version.plan)
    client = client_for(senco)

    listing = client.get(reverse("reviews:review-list")).content.decode()
    assert "Plans due for review" in listing
    assert "Start the review" in listing
    assert "Amara" in listing

    response = client.post(reverse("reviews:review-open", args=[version.plan.pk]))
    review = Review.objects.get(plan=version.plan)
    assert response.url == reverse("reviews:review-detail", args=[review.pk])
    assert review.due_on == dt.date(2027, 1, 10)
    # Once a review is open the plan leaves the list of plans due.
    assert "Start the review" not in client.get(reverse("reviews:review-list")).content.decode()

    page = client.get(reverse("reviews:review-schedule", args=[review.pk])).content.decode()
    # CoP 9.176: the latest meeting whose 4-week decision falls inside the 12 months.
    assert "hold the meeting by 13 December 2026" in page

    schedule = reverse("reviews:review-schedule", args=[review.pk])
    short = {"version": _version(review), **_date("meeting_on", INVITED + dt.timedelta(days=13))}
    assert client.post(schedule, short).status_code == 302

    invite = reverse("reviews:review-invite", args=[review.pk])
    data = {
        "version": _version(review),
        **_date("sent_on", INVITED),
        "parent": "Mrs Okafor",
        "school": "Mrs Patel, SENCO",
        "health": "Dr Shah",
    }
    refused = client.post(invite, data)
    assert refused.status_code == 200
    # Reg 20(3): 13 days' notice is refused, the reason in the error summary, the names kept.
    assert "is 13 days after the invitations" in _errors(refused)
    assert "two weeks' notice" in _errors(refused)
    assert 'value="Mrs Okafor"' in refused.content.decode()
    assert not Invitee.objects.filter(review=review).exists()

    meeting_on = {"version": _version(review), **_date("meeting_on", MEETING)}
    assert client.post(schedule, meeting_on).status_code == 302
    data["version"] = _version(review)
    assert client.post(invite, data).status_code == 302
    assert set(review.invitees.values_list("role", "name")) == {
        ("parent", "Mrs Okafor"),
        ("school", "Mrs Patel, SENCO"),
        ("health", "Dr Shah"),
    }

    papers = reverse("reviews:review-papers", args=[review.pk])
    assert (
        client.post(papers, _date("circulated_on", INVITED + dt.timedelta(days=10))).status_code
        == 302
    )

    outcome = version.outcomes.get()
    meeting = reverse("reviews:review-meeting", args=[review.pk])
    form = client.get(meeting).content.decode()
    assert "Reads a Year 4 book aloud" in form
    assert "Preparing for adulthood" not in form  # Year 4: reg 20(6) applies from Year 9
    held = {
        "version": _version(review),
        **_date("held_on", MEETING),
        f"rating_{outcome.pk}": "on_track",
        f"evidence_{outcome.pk}": "Reads 40 words a minute, up from 25.",
        "child_views": "Likes the reading club.",
        "parent_views": "Wants more speech therapy.",
        "change_F": "Speech and language therapy twice a week.",
        "recommendation": "amend",
    }
    assert client.post(meeting, held).status_code == 302

    report = reverse("reviews:review-report", args=[review.pk])
    assert client.post(report, _date("sent_on", TODAY)).status_code == 302

    review.refresh_from_db()
    assert review.meeting_on == MEETING
    assert review.invitations_sent_on == INVITED
    assert review.held_on == MEETING
    assert review.recommendation == "amend"
    assert review.report_sent_on == TODAY
    assert review.progress.get().rating == "on_track"
    assert review.proposed_changes.get().section == "F"
    detail = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert "Waiting for the LA&#x27;s decision" in detail
    assert "Speech and language therapy twice a week." in detail
    assert "Review papers circulated" in detail  # the review's own clocks
    assert "Annual review of an EHC plan" in detail  # and the plan's
    assert AuditEvent.objects.filter(action="reviews.review.viewed").exists()


def test_a_stale_meeting_date_is_refused_and_the_typed_date_kept(world: World, senco: Any) -> None:
    review = ReviewFactory(reviewed_version=_final(world.pupil), meeting_on=None)
    client = client_for(senco)
    url = reverse("reviews:review-schedule", args=[review.pk])
    stale = str(review.version)
    assert client.post(url, {"version": stale, **_date("meeting_on", MEETING)}).status_code == 302
    response = client.post(url, {"version": stale, **_date("meeting_on", dt.date(2027, 1, 4))})
    assert response.status_code == 200
    assert "Someone else changed this review" in _errors(response)
    assert 'value="2027"' in response.content.decode()
    review.refresh_from_db()
    assert review.meeting_on == MEETING


def test_the_meeting_asks_about_adulthood_from_year_9(world: World, senco: Any) -> None:
    pupil = PupilFactory(school=world.school, year_group=9, ehc_plan=True)
    version = _final(pupil)
    review = ReviewFactory(reviewed_version=version, invitations_sent_on=INVITED)
    outcome = version.outcomes.get()
    client = client_for(senco)
    url = reverse("reviews:review-meeting", args=[review.pk])
    assert "Preparing for adulthood" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "version": str(review.version),
            **_date("held_on", MEETING),
            f"rating_{outcome.pk}": "achieved",
            f"evidence_{outcome.pk}": "Reads fluently.",
            "recommendation": "maintain",
        },
    )
    assert response.status_code == 200
    assert "preparing for adulthood" in _errors(response)
    assert 'value="achieved" checked' in response.content.decode()
    review.refresh_from_db()
    assert review.held_on is None


def test_a_teacher_of_the_pupil_records_the_schools_advice_but_may_not_convene(
    world: World, class_teacher: Any
) -> None:
    review = ReviewFactory(reviewed_version=_final(world.pupil), invitations_sent_on=INVITED)
    school = InviteeFactory(review=review, role=Invitee.Role.SCHOOL, name="Mrs Patel")
    parent = InviteeFactory(review=review, role=Invitee.Role.PARENT, name="Mrs Okafor")
    client = client_for(class_teacher)

    detail = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert reverse("reviews:invitee-advice", args=[school.pk]) in detail
    assert reverse("reviews:invitee-advice", args=[parent.pk]) not in detail
    assert reverse("reviews:review-meeting", args=[review.pk]) not in detail

    url = reverse("reviews:invitee-advice", args=[school.pk])
    advice = "Amara now reads with a reading ruler and needs one less prompt a lesson."
    response = client.post(url, {**_date("received_on", TODAY), "advice": advice})
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.advice, school.advice_received_on) == (advice, TODAY)
    assert AuditEvent.objects.filter(action="reviews.invitee.advice_recorded").exists()

    assert client.get(reverse("reviews:invitee-advice", args=[parent.pk])).status_code == 403
    for name in (
        "review-schedule",
        "review-invite",
        "review-papers",
        "review-meeting",
        "review-report",
    ):
        assert client.get(reverse(f"reviews:{name}", args=[review.pk])).status_code == 403, name
        assert client.post(reverse(f"reviews:{name}", args=[review.pk])).status_code == 403, name


def test_a_governor_may_not_list_reviews(governor: Any) -> None:
    assert client_for(governor).get(reverse("reviews:review-list")).status_code == 403


def test_an_interim_review_is_only_for_a_child_under_five(world: World, senco: Any) -> None:
    version = _final(world.pupil)  # Amara is in Year 4
    client = client_for(senco)
    url = reverse("reviews:early-review", args=[version.plan.pk])
    response = client.post(url, {"kind": "interim", "reason": "Needs have changed."})
    assert response.status_code == 200
    assert "under five" in _errors(response)
    assert "Needs have changed." in response.content.decode()
    assert not Review.objects.exists()

    response = client.post(url, {"kind": "early", "reason": "The placement is breaking down."})
    review = Review.objects.get()
    assert response.url == reverse("reviews:review-detail", args=[review.pk])
    assert (review.kind, review.due_on) == ("early", None)
    event = AuditEvent.objects.get(action="reviews.review.called_early")
    assert "breaking down" in str(event.data)


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, the session)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_queries_for_2_and_20_reviews(world: World, senco: Any) -> None:
    client = client_for(senco)
    url = reverse("reviews:review-list")

    def grow(n: int) -> None:
        for _ in range(n):
            # Year 6 at a primary school: every row carries a phase-transfer warning.
            pupil = PupilFactory(school=world.school, year_group=6, ehc_plan=True)
            ReviewFactory(reviewed_version=_final(pupil))
            due = PupilFactory(school=world.school, year_group=6, ehc_plan=True)
            _annual_clock(_final(due).plan)

    grow(2)
    few = _queries(client, url)
    grow(18)
    many = _queries(client, url)
    page = client.get(url).content.decode()
    assert page.count("Moves to secondary school in September 2027") == 40
    assert page.count("Start the review") == 20
    assert few == many
