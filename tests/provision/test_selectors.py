"""Provision map reads: the year's costs add up, query counts stay flat, teachers see taught pupils."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pupils.codes import Area
from pupils.provision import selectors
from sendadmin.accounts.models import User
from sendadmin.accounts.selectors import membership_current_for
from tests.conftest import World
from tests.factories import (
    NotionalSenBudgetFactory,
    ProvisionAssignmentFactory,
    ProvisionFactory,
    PupilFactory,
    SessionLogFactory,
)
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db
YEAR = dt.date(2026, 4, 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 31), dt.date(2025, 4, 1)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
        (dt.date(2026, 11, 23), dt.date(2026, 4, 1)),
    ],
)
def test_financial_year_starts_on_1_april(day: dt.date, expected: dt.date) -> None:
    assert selectors.financial_year_start(day) == expected


def test_provision_map_adds_up_planned_and_delivered_costs_against_the_budget(
    world: World,
) -> None:
    # 3 x 30 min at 15.00/h shared by 6: 142.50 a pupil a year.
    group = ProvisionFactory(school=world.school, name="B reading", area=Area.COGNITION)
    ProvisionAssignmentFactory(provision=group, pupil=world.pupil)
    ProvisionAssignmentFactory(provision=group, pupil=world.untaught_pupil)
    # 1:1, 2 x 20 min at 12.50/h: 316.67 a year.
    one = ProvisionFactory(
        school=world.school,
        name="A mentoring",
        area=Area.SEMH,
        one_to_one=True,
        max_group_size=1,
        sessions_per_week=2,
        minutes_per_session=20,
        cost_per_hour=Decimal("12.50"),
    )
    ProvisionAssignmentFactory(provision=one, pupil=world.pupil)
    SessionLogFactory(provision=group, date=TODAY, duration_minutes=30)
    SessionLogFactory(provision=group, date=TODAY - dt.timedelta(days=1), duration_minutes=45)
    SessionLogFactory(provision=group, date=dt.date(2026, 3, 1), duration_minutes=600)  # last year
    ProvisionAssignmentFactory(provision=ProvisionFactory(school=world.second_school))
    NotionalSenBudgetFactory(school=world.school, year_start=YEAR, amount=Decimal("1000"))

    result = selectors.provision_map_for_school(world.school.pk, YEAR)

    assert [(r.pupils, r.planned, r.delivered) for r in result.rows] == [
        (1, Decimal("316.67"), Decimal("0.00")),
        (2, Decimal("285.00"), Decimal("18.75")),
    ]
    assert result.by_area == {
        "Cognition and learning": (Decimal("285.00"), Decimal("18.75")),
        "Social, emotional and mental health": (Decimal("316.67"), Decimal("0.00")),
    }
    assert result.planned_total == Decimal("601.67")
    assert result.delivered_total == Decimal("18.75")
    assert result.budget is not None
    assert result.budget.remaining == Decimal("398.33")


def test_provision_map_without_a_budget_has_no_budget_position(world: World) -> None:
    assert selectors.provision_map_for_school(world.school.pk, YEAR).budget is None


def _build(world: World, n: int) -> None:
    for i in range(n):
        provision = ProvisionFactory(school=world.school, name=f"Provision {n}-{i}")
        pupil = PupilFactory(school=world.school, sen_support=True)
        ProvisionAssignmentFactory(provision=provision, pupil=pupil)
        SessionLogFactory(provision=provision, date=TODAY)


def test_provision_map_query_count_does_not_grow_with_rows(world: World) -> None:
    _build(world, 3)
    with CaptureQueriesContext(connection) as small:
        selectors.provision_map_for_school(world.school.pk, YEAR)
    _build(world, 30)
    with CaptureQueriesContext(connection) as large:
        result = selectors.provision_map_for_school(world.school.pk, YEAR)
    assert len(result.rows) == 33
    assert len(small) == len(large)


def _acting(user: User) -> User:
    user.active_membership = membership_current_for(user)  # type: ignore[attr-defined]
    return user


def test_teacher_sees_only_the_pupils_they_teach_on_a_provision(
    world: World, class_teacher: User, senco: User
) -> None:
    provision = ProvisionFactory(school=world.school)
    ProvisionAssignmentFactory(provision=provision, pupil=world.pupil)
    ProvisionAssignmentFactory(provision=provision, pupil=world.untaught_pupil)
    teacher_sees = selectors.assignment_list_for_provision(_acting(class_teacher), provision)
    senco_sees = selectors.assignment_list_for_provision(_acting(senco), provision)
    assert [a.pupil for a in teacher_sees] == [world.pupil]
    assert {a.pupil for a in senco_sees} == {world.pupil, world.untaught_pupil}


def test_provision_list_is_the_schools_catalogue_only(
    world: World, senco: User, la_caseworker: User
) -> None:
    mine = ProvisionFactory(school=world.school)
    ProvisionFactory(school=world.second_school)
    assert list(selectors.provision_list_for(_acting(senco))) == [mine]
    assert not selectors.provision_list_for(_acting(la_caseworker)).exists()
