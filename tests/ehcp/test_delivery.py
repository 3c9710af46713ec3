"""Section F of the latest issued plan against the provision map: sessions the plan implies since the
issue date (38 teaching weeks in 52), sessions logged and attended, and whether delivery is on track."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehcp.delivery import BEHIND, NOT_ON_MAP, ON_TRACK, plan_delivery
from ehcp.models import Plan, PlanVersion
from pupils.provision.models import Provision
from sendadmin.accounts.models import User
from tests.conftest import World
from tests.factories.dates import TODAY
from tests.factories.ehcp import PlanFactory, PlanProvisionFactory, PlanVersionFactory
from tests.factories.provision import (
    ProvisionAssignmentFactory,
    ProvisionFactory,
    SessionAttendanceFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.django_db

ISSUED_ON = TODAY - dt.timedelta(days=30)
# 31 days (issue day to today) = 31/7 weeks x 38/52 teaching weeks x 3 a week = 9.7, rounded down.
PLANNED_3_A_WEEK = 9


def member(user: User) -> User:
    user.active_membership = user.memberships.get()  # type: ignore[attr-defined]  # as the middleware sets it
    return user


def _issued(world: World, number: int = 1) -> tuple[Plan, PlanVersion]:
    plan = PlanFactory(pupil=world.pupil)
    return plan, PlanVersionFactory(plan=plan, number=number, issued_final=True)


def _on_map(world: World, version: PlanVersion, **assignment: object) -> Provision:
    provision = ProvisionFactory(school=world.school)
    ProvisionAssignmentFactory(pupil=world.pupil, provision=provision, **assignment)
    PlanProvisionFactory(version=version, map_provision=provision, sessions_per_week=3)
    return provision


def _sessions(world: World, provision: Provision, days_ago: list[int], attended: bool) -> None:
    for n in days_ago:
        SessionAttendanceFactory(
            pupil=world.pupil,
            session=SessionLogFactory(provision=provision, date=TODAY - dt.timedelta(days=n)),
            attended=attended,
        )


def test_attending_nine_in_ten_planned_sessions_since_issue_is_on_track(
    world: World, senco: User
) -> None:
    plan, version = _issued(world)
    provision = _on_map(world, version)
    _sessions(world, provision, list(range(0, 27, 3)), attended=True)  # 9 sessions
    _sessions(world, provision, [1], attended=False)
    _sessions(world, provision, [40, 45], attended=True)  # before the plan was issued
    delivery = plan_delivery(member(senco), plan, TODAY)
    assert delivery.version == version
    (row,) = delivery.rows
    assert row.since == ISSUED_ON
    assert row.planned_sessions == PLANNED_3_A_WEEK
    assert (row.logged, row.attended, row.missed) == (10, 9, 1)
    assert (row.minutes_attended, row.minutes_planned) == (9 * 30, PLANNED_3_A_WEEK * 30)
    assert row.status == ON_TRACK


def test_attending_fewer_than_nine_in_ten_is_behind(world: World, senco: User) -> None:
    plan, version = _issued(world)
    provision = _on_map(world, version)
    _sessions(world, provision, list(range(0, 24, 3)), attended=True)  # 8 of 9: 89%
    (row,) = plan_delivery(member(senco), plan, TODAY).rows
    assert (row.planned_sessions, row.attended) == (PLANNED_3_A_WEEK, 8)
    assert row.status == BEHIND


def test_a_pupil_who_joined_after_the_issue_date_is_counted_from_joining(
    world: World, senco: User
) -> None:
    plan, version = _issued(world)
    _on_map(world, version, start=TODAY - dt.timedelta(days=13))
    (row,) = plan_delivery(member(senco), plan, TODAY).rows
    assert row.since == TODAY - dt.timedelta(days=13)
    # 14 days = 2 weeks x 38/52 x 3 = 4.38, rounded down.
    assert row.planned_sessions == 4
    assert row.status == BEHIND


def test_rows_without_a_map_provision_or_an_assignment_are_not_on_the_provision_map(
    world: World, senco: User
) -> None:
    plan, version = _issued(world)
    PlanProvisionFactory(version=version, what="Speech therapy", position=0)
    PlanProvisionFactory(
        version=version,
        what="Phonics",
        position=1,
        map_provision=ProvisionFactory(school=world.school),  # the pupil is not on it
    )
    rows = plan_delivery(member(senco), plan, TODAY).rows
    assert [(r.number, r.provision.what, r.status) for r in rows] == [
        (1, "Speech therapy", NOT_ON_MAP),
        (2, "Phonics", NOT_ON_MAP),
    ]


def test_the_latest_issued_version_is_compared_not_a_draft_in_progress(
    world: World, la_caseworker: User
) -> None:
    plan, first = _issued(world)
    second = PlanVersionFactory(plan=plan, number=2, issued_final=True)
    PlanVersionFactory(plan=plan, number=3, kind=PlanVersion.Kind.AMENDED)  # not issued
    assert plan_delivery(member(la_caseworker), plan, TODAY).version == second
    assert first != second


def test_a_plan_with_no_issued_version_has_nothing_to_compare(
    world: World, la_caseworker: User
) -> None:
    plan = PlanFactory(pupil=world.pupil)
    PlanVersionFactory(plan=plan, number=1)
    delivery = plan_delivery(member(la_caseworker), plan, TODAY)
    assert (delivery.version, delivery.rows) == (None, [])


def _delivery_queries(world: World, user: User, rows: int) -> int:
    plan, version = _issued(world, number=rows)  # a later version each time: the one compared
    for _ in range(rows):
        provision = _on_map(world, version)
        _sessions(world, provision, [0, 3], attended=True)
    plan = Plan.objects.get(pk=plan.pk)
    with CaptureQueriesContext(connection) as ctx:
        result = plan_delivery(member(user), plan, TODAY)
    assert len(result.rows) == rows
    assert all(r.attended == 2 for r in result.rows)
    return len(ctx.captured_queries)


def test_the_same_number_of_queries_for_two_and_ten_rows(world: World, senco: User) -> None:
    assert _delivery_queries(world, senco, 2) == _delivery_queries(world, senco, 10)
