"""Phase transfers (reviews/phase.py; domain.md 2.4, reg 18): who moves next September, and the clock.

Every expected date in the tables was counted by hand on a calendar, not computed by the code.
Time is frozen at TODAY (23 November 2026) 10:00 by the autouse fixture in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehcp.models import Plan
from reviews.deadlines import meeting_deadlines
from reviews.phase import (
    TransferKind,
    next_phase_transfer,
    phase_transfer_clocks_open,
    phase_transfer_warning,
)
from reviews.tasks import open_phase_transfer_clocks
from sendadmin.accounts.models import AuditEvent, School
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_meet
from sendadmin.schedule import BEAT_SCHEDULE
from tests.conftest import World
from tests.factories.accounts import SchoolFactory
from tests.factories.dates import TODAY
from tests.factories.ehcp import PlanVersionFactory
from tests.factories.pupils import PupilFactory

d = dt.date.fromisoformat
P = School.Phase
EARLY, PRIMARY, POST16 = (
    TransferKind.EARLY_YEARS_TO_SCHOOL,
    TransferKind.PRIMARY_TO_SECONDARY,
    TransferKind.SECONDARY_TO_POST16,
)


@pytest.mark.parametrize(
    ("year_group", "phase", "on", "kind", "year", "deadline", "meeting_by"),
    [
        # The example: 15 Feb 2027 - 84 days = 23 Nov 2026 (the meeting is due today).
        (6, P.PRIMARY, "2026-11-23", PRIMARY, 2027, "2027-02-15", "2026-11-23"),
        # The academic year runs 1 September to 31 August: both ends give the same move.
        (6, P.PRIMARY, "2026-09-01", PRIMARY, 2027, "2027-02-15", "2026-11-23"),
        (6, P.PRIMARY, "2027-08-31", PRIMARY, 2027, "2027-02-15", "2026-11-23"),
        (6, P.PRIMARY, "2027-09-01", PRIMARY, 2028, "2028-02-15", "2027-11-23"),
        # domain.md 2.4: the transfer applies within an all-through school too.
        (6, P.ALL_THROUGH, "2026-11-23", PRIMARY, 2027, "2027-02-15", "2026-11-23"),
        # reg 18(1)(a): 31 Mar 2027 - 84 days = 6 Jan 2027.
        (11, P.SECONDARY, "2026-11-23", POST16, 2027, "2027-03-31", "2027-01-06"),
        (11, P.ALL_THROUGH, "2027-06-30", POST16, 2027, "2027-03-31", "2027-01-06"),
        # A leap year: 31 Mar 2028 - 84 days = 7 Jan 2028.
        (11, P.SECONDARY, "2027-09-01", POST16, 2028, "2028-03-31", "2028-01-07"),
        # Nursery 2 starts reception next September, from a nursery school or a nursery class.
        (-1, P.NURSERY, "2026-11-23", EARLY, 2027, "2027-02-15", "2026-11-23"),
        (-1, P.PRIMARY, "2027-02-01", EARLY, 2027, "2027-02-15", "2026-11-23"),
    ],
)
def test_a_pupil_in_the_last_year_of_a_phase_transfers_next_september(
    year_group: int,
    phase: str,
    on: str,
    kind: TransferKind,
    year: int,
    deadline: str,
    meeting_by: str,
) -> None:
    transfer = next_phase_transfer(year_group=year_group, school_phase=phase, on=d(on))
    assert transfer is not None
    assert transfer.kind == kind
    assert transfer.transfer_year == year
    assert transfer.deadline == d(deadline)
    assert transfer.to_post16 is (kind == POST16)
    assert transfer.review_meeting_by == d(meeting_by)


@pytest.mark.parametrize(
    ("year_group", "phase"),
    [
        (5, P.PRIMARY),  # moves next year, not this one
        (6, P.SECONDARY),  # a secondary school has no Year 6 leaving for secondary
        (11, P.PRIMARY),
        (-2, P.NURSERY),  # Nursery 1 goes to Nursery 2, still early years
        (0, P.PRIMARY),
        (7, P.SECONDARY),
        (12, P.POST16),
        # Known limit (module docstring): middle schools' ranges are not in our data.
        (6, P.MIDDLE),
        (4, P.PRIMARY),
        (2, P.PRIMARY),
    ],
)
def test_no_transfer_when_the_year_group_and_phase_do_not_end_a_phase(
    year_group: int, phase: str
) -> None:
    assert next_phase_transfer(year_group=year_group, school_phase=phase, on=TODAY) is None


@pytest.mark.parametrize(("year_group", "phase"), [(6, P.PRIMARY), (11, P.SECONDARY)])
def test_a_review_held_on_the_latest_meeting_date_gets_the_amended_plan_out_by_the_deadline(
    year_group: int, phase: str
) -> None:
    transfer = next_phase_transfer(year_group=year_group, school_phase=phase, on=TODAY)
    assert transfer is not None
    assert meeting_deadlines(transfer.review_meeting_by).amended_plan_by == transfer.deadline


def _pupil(year_group: int, phase: str) -> Any:
    return SimpleNamespace(year_group=year_group, school=SimpleNamespace(phase=phase))


@pytest.mark.parametrize(
    ("year_group", "phase", "on", "expected"),
    [
        (
            6,
            P.PRIMARY,
            "2026-11-23",
            "Moves to secondary school in September 2027: the plan must be amended by "
            "15 February 2027, so hold the review by 23 November 2026.",
        ),
        (
            11,
            P.SECONDARY,
            "2026-11-23",
            "Moves to post-16 education in September 2027: the plan must be amended by "
            "31 March 2027, so hold the review by 6 January 2027.",
        ),
        (
            -1,
            P.NURSERY,
            "2026-09-01",
            "Starts school in September 2027: the plan must be amended by 15 February 2027, "
            "so hold the review by 23 November 2026.",
        ),
        (
            6,
            P.PRIMARY,
            "2026-11-24",
            "Moves to secondary school in September 2027: the plan must be amended by "
            "15 February 2027; the latest review date that leaves time for the decision and "
            "the amended plan, 23 November 2026, has passed.",
        ),
        (5, P.PRIMARY, "2026-11-23", None),
    ],
)
def test_the_warning_says_when_the_pupil_moves_and_when_to_hold_the_review(
    year_group: int, phase: str, on: str, expected: str | None
) -> None:
    assert phase_transfer_warning(_pupil(year_group, phase), d(on)) == expected


# The service and the task, on a real database.


def _plan(year_group: int = 6, phase: str = P.PRIMARY, **version: Any) -> Plan:
    pupil = PupilFactory(year_group=year_group, school=SchoolFactory(phase=phase), ehc_plan=True)
    return PlanVersionFactory(plan__pupil=pupil, issued_final=True, **version).plan


def _phase_clocks() -> Any:
    return Clock.objects.filter(kind=Kind.PHASE_TRANSFER)


@pytest.mark.django_db
def test_a_year_6_pupil_with_an_issued_plan_gets_the_15_february_clock() -> None:
    plan = _plan()
    assert phase_transfer_clocks_open(today=TODAY) == 1
    clock = _phase_clocks().get()
    assert clock.subject_type == ContentType.objects.get_for_model(Plan)
    assert clock.subject_id == plan.pk
    assert clock.state == Clock.State.OPEN
    assert clock.due_on == d("2027-02-15")
    # The plan was first issued on 24 Oct 2026, after the academic year began.
    assert clock.started_on == TODAY - dt.timedelta(days=30)
    assert clock.start_event == "Moves from primary to secondary school in September 2027"
    assert clock.pupil == plan.pupil
    assert clock.school == plan.pupil.school
    assert clock.local_authority == plan.local_authority
    assert clock.responsible_role == Role.LA_CASEWORKER
    assert AuditEvent.objects.filter(action="clocks.clock.opened").count() == 1


@pytest.mark.django_db
def test_a_plan_issued_before_the_school_year_starts_its_clock_on_1_september() -> None:
    _plan(issued_on=d("2025-01-10"))
    phase_transfer_clocks_open(today=TODAY)
    assert _phase_clocks().get().started_on == d("2026-09-01")


@pytest.mark.django_db
def test_a_year_11_pupil_at_a_secondary_school_gets_the_31_march_clock() -> None:
    _plan(year_group=11, phase=P.SECONDARY)
    assert phase_transfer_clocks_open(today=TODAY) == 1
    clock = _phase_clocks().get()
    assert clock.due_on == d("2027-03-31")
    assert clock.start_event == "Moves from secondary school to post-16 education in September 2027"


@pytest.mark.django_db
def test_no_clock_for_a_year_5_pupil() -> None:
    _plan(year_group=5)
    assert phase_transfer_clocks_open(today=TODAY) == 0
    assert not _phase_clocks().exists()


@pytest.mark.django_db
def test_no_clock_for_a_plan_that_has_only_an_unissued_draft() -> None:
    PlanVersionFactory(plan__pupil=PupilFactory(year_group=6, ehc_plan=True))
    assert phase_transfer_clocks_open(today=TODAY) == 0
    assert not _phase_clocks().exists()


@pytest.mark.django_db
def test_no_clock_for_a_ceased_plan() -> None:
    plan = _plan()
    plan.ceased_on = TODAY - dt.timedelta(days=1)
    plan.save()
    assert phase_transfer_clocks_open(today=TODAY) == 0
    assert not _phase_clocks().exists()


@pytest.mark.django_db
def test_no_clock_for_a_pupil_who_has_left() -> None:
    plan = _plan()
    plan.pupil.leaving_date = TODAY
    plan.pupil.save()
    assert phase_transfer_clocks_open(today=TODAY) == 0


@pytest.mark.django_db
def test_no_clock_for_a_plan_first_issued_after_the_deadline() -> None:
    # Made in March 2027, the plan already names the secondary school.
    _plan(issued_on=d("2027-03-01"))
    assert phase_transfer_clocks_open(today=d("2027-04-01")) == 0


@pytest.mark.django_db
def test_running_again_opens_nothing_new_even_after_the_clock_is_met(world: World) -> None:
    _plan()
    assert phase_transfer_clocks_open(today=TODAY) == 1
    assert phase_transfer_clocks_open(today=TODAY) == 0
    clock_meet(clock=_phase_clocks().get(), met_on=TODAY, by=world.users["la_caseworker"])
    assert phase_transfer_clocks_open(today=TODAY + dt.timedelta(days=1)) == 0
    assert _phase_clocks().count() == 1


@pytest.mark.django_db
def test_next_school_year_opens_the_next_deadline_for_a_pupil_still_in_year_6(
    world: World,
) -> None:
    # Kept down a year: the met 2027 clock does not stop the 2028 one.
    plan = _plan()
    phase_transfer_clocks_open(today=TODAY)
    clock_meet(clock=_phase_clocks().get(), met_on=TODAY, by=world.users["la_caseworker"])
    assert phase_transfer_clocks_open(today=d("2027-09-01")) == 1
    assert sorted(_phase_clocks().filter(subject_id=plan.pk).values_list("due_on", flat=True)) == [
        d("2027-02-15"),
        d("2028-02-15"),
    ]


@pytest.mark.django_db
def test_the_run_makes_the_same_queries_for_one_plan_and_for_many() -> None:
    def queries_of_a_second_run() -> int:
        phase_transfer_clocks_open(today=TODAY)
        with CaptureQueriesContext(connection) as ctx:
            assert phase_transfer_clocks_open(today=TODAY) == 0
        return len(ctx.captured_queries)

    _plan()
    few = queries_of_a_second_run()
    for _ in range(5):
        _plan()
    assert queries_of_a_second_run() == few


@pytest.mark.django_db
def test_the_task_opens_the_clocks_once() -> None:
    _plan()
    assert open_phase_transfer_clocks.apply().get() == 1
    assert open_phase_transfer_clocks.apply().get() == 0


def test_the_task_is_named_for_its_app_and_acks_late() -> None:
    assert open_phase_transfer_clocks.name == "reviews.open_phase_transfer_clocks"
    assert open_phase_transfer_clocks.acks_late
    assert open_phase_transfer_clocks.reject_on_worker_lost


def test_the_worker_discovers_the_task_beat_names() -> None:
    from sendadmin.celery import app

    app.loader.import_default_modules()
    assert "reviews.open_phase_transfer_clocks" in app.tasks


def test_beat_opens_phase_transfer_clocks_daily_before_the_working_day() -> None:
    entry = BEAT_SCHEDULE["reviews.open_phase_transfer_clocks"]
    assert entry["task"] == "reviews.open_phase_transfer_clocks"
    assert entry["schedule"].minute == {30}
    assert entry["schedule"].hour == {5}
    assert entry["schedule"].day_of_month == set(range(1, 32))


@pytest.mark.django_db
def test_a_year_6_pupil_with_a_plan_shows_the_15_february_clock_on_their_timeline(
    world: World, login: Any
) -> None:
    # The done-when check: Oakfield is a primary school.
    assert world.pupil.school.phase == P.PRIMARY
    world.pupil.year_group = 6
    world.pupil.save()
    PlanVersionFactory(plan__pupil=world.pupil, issued_final=True)
    phase_transfer_clocks_open(today=TODAY)
    response = login(world.users["senco"]).get(
        reverse("clocks:pupil-timeline", args=[world.pupil.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Plan amended for a phase transfer" in page
    assert "15 Feb 2027" in page
    assert "Moves from primary to secondary school in September 2027" in page
