"""The faster forms of the visibility rules (benchmarks/load) admit exactly what the plain ones do:
clocks and reviews through their own pupil column, and grants read into a list of pks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from ehcp.models import Plan
from ehcp.rules import plan_visible_q
from pupils.models import Pupil
from pupils.rules import pupil_ref_visible_q, pupil_visible_q
from reviews.models import Review
from reviews.rules import review_visible_q
from sendadmin.accounts.selectors import membership_current_for
from sendadmin.accounts.services import access_grant_create
from sendadmin.clocks.models import Clock
from sendadmin.clocks.rules import clock_visible_q
from tests.conftest import PERSONAS, World
from tests.factories import PupilFactory
from tests.factories.clocks import ClockFactory
from tests.factories.dates import TODAY
from tests.factories.ehcp import AssessmentCaseFactory, PlanFactory
from tests.factories.reviews import ReviewFactory


def _acting(world: World, persona: str) -> object:
    user = world.users[persona]
    user.active_membership = membership_current_for(user)
    return user


@pytest.fixture
def clocks(world: World) -> list[Clock]:
    """A clock on each of the world's pupils, one on a pupil with only a case of the home LA, one
    on a pupil granted to the other LA's caseworker, and a school-level clock with no pupil."""
    with_case = PupilFactory(school=world.second_school)
    AssessmentCaseFactory(pupil=with_case)
    granted = PupilFactory(school=world.school)
    access_grant_create(
        user=world.users["other_la_caseworker"],
        target=granted,
        permission="pupils.view_pupil",
        reason="Tribunal bundle",
        expires_on=TODAY + dt.timedelta(days=10),
        by=world.users["head"],
    )
    pupils = [*world.objects().values(), with_case, granted]
    made = [ClockFactory(pupil=p) for p in pupils]
    made.append(
        ClockFactory(
            pupil=None,
            subject_type=ContentType.objects.get_for_model(world.school),
            subject_id=world.school.pk,
            school=world.school,
            local_authority=world.home_la,
        )
    )
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_clock_is_visible_through_its_pupil_column_exactly_when_its_pupil_is(
    world: World, clocks: list[Clock], persona: str
) -> None:
    user = _acting(world, persona)
    visible_pupils = set(Pupil.objects.filter(pupil_visible_q(user)).values_list("pk", flat=True))
    by_pupil = {c.pk for c in clocks if c.pupil_id in visible_pupils}

    by_reference = set(
        Clock.objects.filter(pupil_ref_visible_q(user, "pupil_id")).values_list("pk", flat=True)
    )

    assert by_reference == by_pupil
    # The whole clock rule still adds the school-level clock for school roles, and nothing else.
    visible = set(Clock.objects.filter(clock_visible_q(user)).values_list("pk", flat=True))
    assert visible - by_pupil <= {clocks[-1].pk}


@pytest.mark.django_db
def test_a_grant_admits_its_pupil_to_the_other_las_caseworker_and_nobody_else(
    world: World, clocks: list[Clock]
) -> None:
    granted = clocks[-2].pupil_id
    for persona in ("other_la_caseworker", "other_school_senco"):
        user = _acting(world, persona)
        pks = set(Pupil.objects.filter(pupil_visible_q(user)).values_list("pk", flat=True))
        assert (granted in pks) == (persona == "other_la_caseworker")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_review_is_visible_exactly_when_its_plan_is(world: World, persona: str) -> None:
    reviews = [
        ReviewFactory(reviewed_version__plan=PlanFactory(pupil=pupil))
        for pupil in world.objects().values()
    ]
    user = _acting(world, persona)
    plans = set(Plan.objects.filter(plan_visible_q(user)).values_list("pk", flat=True))

    visible = set(Review.objects.filter(review_visible_q(user)).values_list("pk", flat=True))

    assert visible == {r.pk for r in reviews if r.plan_id in plans}
