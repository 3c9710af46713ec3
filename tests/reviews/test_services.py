"""The review chain of reg 20 and reg 22 through reviews.services, with its clocks (domain.md 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ehcp import plans
from ehcp.models import PlanVersion
from reviews.models import Review
from reviews.services import (
    invitations_send,
    la_decide,
    meeting_record,
    papers_circulate,
    report_send,
    review_open,
    review_schedule,
    suggested_meeting_date,
)
from sendadmin.accounts.models import Membership
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World
from tests.factories.dates import TODAY
from tests.factories.ehcp import (
    PlanNeedFactory,
    PlanOutcomeFactory,
    PlanProvisionFactory,
    PlanVersionFactory,
)

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 1, 10)
INVITED = TODAY - dt.timedelta(days=30)
MEETING = TODAY - dt.timedelta(days=10)


def _acting(user: Any) -> Any:
    user.active_membership = Membership.objects.current().get(user=user)
    return user


def _final(world: World) -> PlanVersion:
    version = PlanVersionFactory(plan__pupil=world.pupil, issued_final=True, issued_on=ISSUED)
    need = PlanNeedFactory(version=version)
    outcome = PlanOutcomeFactory(version=version)
    outcome.needs.add(need)
    provision = PlanProvisionFactory(version=version)
    provision.needs.add(need)
    return version


def _held(world: World, **kw: Any) -> Review:
    senco = world.users["senco"]
    version = _final(world)
    review = review_open(plan=version.plan, by=senco)
    review = review_schedule(review=review, meeting_on=MEETING, by=senco)
    review = invitations_send(
        review=review,
        sent_on=INVITED,
        invitees=[("parent", "Mrs Okafor"), ("la_officer", "Northmoor SEN team")],
        by=senco,
    )
    outcome = version.outcomes.get()
    args: dict[str, Any] = {
        "review": review,
        "held_on": MEETING,
        "progress": {outcome.pk: ("on_track", "Reads 40 words a minute, up from 25.")},
        "changes": {"F": "Increase speech and language therapy to twice a week."},
        "recommendation": "amend",
        "by": senco,
    }
    args.update(kw)
    return meeting_record(**args)


def test_a_review_is_due_12_months_after_the_plan_and_a_meeting_is_suggested_in_time(
    world: World,
) -> None:
    version = _final(world)
    review = review_open(plan=version.plan, by=None)
    assert review.due_on == dt.date(2027, 1, 10)
    assert review_open(plan=version.plan, by=None) == review  # a double submission
    suggested = suggested_meeting_date(review, TODAY)
    # Early enough that the LA's 4-week decision falls inside the 12 months (CoP 9.176).
    assert suggested + dt.timedelta(weeks=4) <= review.due_on
    assert suggested >= TODAY + dt.timedelta(days=15)


def test_invitations_with_less_than_two_weeks_notice_are_refused(world: World) -> None:
    senco = world.users["senco"]
    review = review_open(plan=_final(world).plan, by=senco)
    review = review_schedule(review=review, meeting_on=TODAY + dt.timedelta(days=13), by=senco)
    with pytest.raises(ValidationError, match="at least two weeks' notice"):
        invitations_send(review=review, sent_on=TODAY, invitees=[("parent", "Mr Hughes")], by=senco)
    review.refresh_from_db()
    assert review.invitations_sent_on is None
    assert not review.invitees.exists()


def test_the_parent_must_be_invited(world: World) -> None:
    senco = world.users["senco"]
    review = review_open(plan=_final(world).plan, by=senco)
    review = review_schedule(review=review, meeting_on=TODAY + dt.timedelta(days=20), by=senco)
    with pytest.raises(ValidationError, match="parent or the young person"):
        invitations_send(review=review, sent_on=TODAY, invitees=[("health", "Dr Shah")], by=senco)


def test_papers_sent_late_are_recorded_and_the_clock_shows_it(world: World) -> None:
    review = _held(world)
    papers_circulate(review=review, on=MEETING - dt.timedelta(days=3), by=None)
    clock = Clock.objects.get(kind=Kind.REVIEW_PAPERS, subject_id=review.pk)
    assert clock.state == Clock.State.MET
    assert clock.status().value == "met_late"


def test_the_meeting_needs_progress_on_every_outcome(world: World) -> None:
    with pytest.raises(ValidationError, match="every outcome in section E"):
        _held(world, progress={})


def test_from_year_9_the_meeting_must_consider_adulthood(world: World) -> None:
    world.pupil.year_group = 9
    world.pupil.save()
    with pytest.raises(ValidationError, match="preparing for adulthood"):
        _held(world)


def test_a_report_dated_before_the_meeting_is_refused(world: World) -> None:
    review = _held(world)
    with pytest.raises(ValidationError, match="before the meeting"):
        report_send(review=review, sent_on=MEETING - dt.timedelta(days=1), by=None)
    report_send(review=review, sent_on=MEETING + dt.timedelta(days=5), by=None)
    clock = Clock.objects.get(kind=Kind.REVIEW_REPORT, subject_id=review.pk)
    assert (clock.due_on, clock.state) == (MEETING + dt.timedelta(weeks=2), Clock.State.MET)


def test_only_the_las_own_role_decides(world: World) -> None:
    review = _held(world)
    for persona in ("senco", "head", "other_la_caseworker"):
        with pytest.raises(PermissionDenied):
            la_decide(
                review=review, decision="amend", decided_on=TODAY, by=_acting(world.users[persona])
            )


def test_amending_starts_a_version_due_8_weeks_after_the_notice_and_limits_it_to_the_proposal(
    world: World,
) -> None:
    review = _held(world)
    caseworker = _acting(world.users["la_caseworker"])
    review = la_decide(review=review, decision="amend", decided_on=TODAY, by=caseworker)
    decision = Clock.objects.get(kind=Kind.LA_REVIEW_DECISION, subject_id=review.pk)
    assert (decision.due_on, decision.state) == (MEETING + dt.timedelta(weeks=4), Clock.State.MET)
    amended_clock = Clock.objects.get(kind=Kind.AMENDED_PLAN, subject_id=review.pk)
    assert amended_clock.due_on == TODAY + dt.timedelta(weeks=8)
    # The annual review is complete; the next is due 12 months after this meeting.
    annual = Clock.objects.filter(kind=Kind.ANNUAL_REVIEW, subject_id=review.plan_id)
    assert annual.get(state=Clock.State.OPEN).due_on == dt.date(2027, 11, 13)

    amended = review.amended_version
    assert amended is not None and amended.kind == "amended"
    # A change to section A, which nobody proposed, stops the amended plan being issued.
    amended = plans.version_sections_update(
        version=amended, data={"section_a": "New views"}, expected_version=None, by=caseworker
    )
    with pytest.raises(ValidationError, match="section A, which the review did not propose"):
        plans.version_issue(version=amended, issued_on=TODAY, by=caseworker, expected_version=None)
    amended = plans.version_sections_update(
        version=amended, data={"section_a": ""}, expected_version=None, by=caseworker
    )
    row = amended.provisions.get()
    plans.provision_update(
        row=row,
        what=row.what,
        sessions_per_week=2,
        minutes_per_session=row.minutes_per_session,
        duration=row.duration,
        delivered_by=row.delivered_by,
        group_size=row.group_size,
        needs=list(row.needs.all()),
        outcomes=list(row.outcomes.all()),
        by=caseworker,
    )
    amended.refresh_from_db()
    # The parent has 15 days to make representations on the proposed amendments (reg 22(2)(c)).
    reps = Clock.objects.get(kind=Kind.REPRESENTATIONS, subject_id=amended.pk)
    assert reps.due_on == TODAY + dt.timedelta(days=14)
    with pytest.raises(ValidationError, match=r"reg 22\(2\)\(c\)"):
        plans.version_issue(version=amended, issued_on=TODAY, by=caseworker, expected_version=None)
    amended = plans.representations_record(
        version=amended, received_on=TODAY, text="Agree with the change to F.", by=caseworker
    )
    plans.version_issue(version=amended, issued_on=TODAY, by=caseworker, expected_version=None)
    reps.refresh_from_db()
    assert reps.state == Clock.State.MET
    amended_clock.refresh_from_db()
    review.refresh_from_db()
    assert (amended_clock.state, review.closed_on) == (Clock.State.MET, TODAY)


def test_keeping_the_plan_closes_the_review(world: World) -> None:
    review = _held(world, recommendation="maintain", changes={})
    caseworker = _acting(world.users["la_caseworker"])
    review = la_decide(review=review, decision="maintain", decided_on=TODAY, by=caseworker)
    assert review.closed_on == TODAY
    assert review.amended_version is None
