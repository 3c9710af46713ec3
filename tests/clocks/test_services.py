"""Clock services: open, meet, cancel, record exceptions; and who sees which clock.

Time is frozen at TODAY by the autouse fixture in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from pupils.models import Pupil
from sendadmin.accounts.models import AuditEvent, User
from sendadmin.accounts.roles import Role
from sendadmin.accounts.selectors import audit_event_list_for_target, membership_current_for
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock, Status
from sendadmin.clocks.selectors import clock_list_for, clock_list_responsible_for
from sendadmin.clocks.services import (
    clock_cancel,
    clock_meet,
    clock_open,
    clock_record_exception,
)
from tests.conftest import World
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def acting(user: User) -> User:
    """The user acting in their first current membership, as the middleware would set it."""
    user.active_membership = membership_current_for(user)  # type: ignore[attr-defined]
    return user


def open_on_pupil(
    pupil: Pupil,
    kind: Kind = Kind.SEN_SUPPORT_REVIEW,
    started_on: dt.date | None = TODAY - 30 * DAY,
    **extra: Any,
) -> Clock:
    extra.setdefault("responsible_role", Role.SENCO)
    return clock_open(
        kind=kind,
        subject=pupil,
        started_on=started_on,
        start_event="Plan agreed",
        by=None,
        school=pupil.school,
        pupil=pupil,
        **extra,
    )


def snapshot(clock: Clock) -> dict[str, Any]:
    clock.refresh_from_db()
    return model_to_dict(clock)


def audit_actions(clock: Clock) -> list[str]:
    return list(audit_event_list_for_target(clock).values_list("action", flat=True))


@pytest.fixture
def by(senco: User) -> User:
    return acting(senco)


# --- Opening ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "started_on", "due_on"),
    [
        # Reg 8(1): 6 weeks from the adviser's receipt of the request.
        (Kind.ADVICE_REQUEST, dt.date(2026, 11, 2), dt.date(2026, 12, 14)),
        # Reg 13(2): 20 weeks from the request.
        (Kind.FINAL_PLAN, dt.date(2026, 9, 7), dt.date(2027, 1, 25)),
        # CoP 6.54-6.56 as adopted by sendadmin: 4 months, clamped to the month's end (0A).
        (Kind.SEN_SUPPORT_REVIEW, dt.date(2026, 11, 2), dt.date(2027, 3, 2)),
        (Kind.SEN_SUPPORT_REVIEW, dt.date(2026, 10, 31), dt.date(2027, 2, 28)),
        # CFA s.44(1): 12 months from the plan.
        (Kind.ANNUAL_REVIEW, dt.date(2026, 2, 28), dt.date(2027, 2, 28)),
    ],
)
def test_open_computes_the_due_date_from_the_kinds_rule(
    pupil: Pupil, kind: Kind, started_on: dt.date, due_on: dt.date
) -> None:
    clock = open_on_pupil(pupil, kind, started_on)
    assert clock.due_on == due_on
    assert clock.state == Clock.State.OPEN
    assert clock.local_authority == pupil.school.local_authority


def test_open_uses_a_due_date_the_owning_service_worked_out(pupil: Pupil) -> None:
    clock = open_on_pupil(pupil, Kind.REVIEW_REPORT, due_on=TODAY + 10 * DAY)
    assert clock.due_on == TODAY + 10 * DAY


def test_opening_twice_returns_the_same_clock_and_writes_one_audit_event(pupil: Pupil) -> None:
    first = open_on_pupil(pupil)
    second = open_on_pupil(pupil, started_on=TODAY - 5 * DAY)
    assert second.pk == first.pk
    assert second.started_on == TODAY - 30 * DAY
    assert Clock.objects.count() == 1
    assert audit_actions(first) == ["clocks.clock.opened"]


def test_open_refuses_a_missing_start_date_with_a_clear_message_and_writes_nothing(
    pupil: Pupil,
) -> None:
    with pytest.raises(ValidationError, match="Enter the date of plan agreed"):
        open_on_pupil(pupil, started_on=None)
    assert not Clock.objects.exists()
    assert not AuditEvent.objects.exists()


def test_open_refuses_a_kind_without_a_rule_when_no_due_date_is_given(pupil: Pupil) -> None:
    with pytest.raises(ValidationError, match="needs its due date worked out by its service"):
        open_on_pupil(pupil, Kind.REVIEW_REPORT)
    assert not Clock.objects.exists()
    assert not AuditEvent.objects.exists()


def test_open_refuses_a_clock_that_belongs_to_no_school_and_no_local_authority(
    pupil: Pupil,
) -> None:
    with pytest.raises(ValidationError, match="must belong to a school or a local authority"):
        clock_open(
            kind=Kind.SEN_SUPPORT_REVIEW,
            subject=pupil,
            started_on=TODAY,
            start_event="Plan agreed",
            responsible_role=Role.SENCO,
            by=None,
        )
    assert not Clock.objects.exists()


def test_a_met_clock_does_not_stop_the_next_one_of_its_kind_opening(pupil: Pupil, by: User) -> None:
    first = open_on_pupil(pupil)
    clock_meet(clock=first, met_on=TODAY, by=by)
    second = open_on_pupil(pupil, started_on=TODAY)
    assert second.pk != first.pk


# --- Meeting ---------------------------------------------------------------------------------


def test_meeting_on_or_before_the_due_date_is_met_on_time(pupil: Pupil, by: User) -> None:
    clock = open_on_pupil(pupil, Kind.REVIEW_REPORT, due_on=TODAY)
    clock = clock_meet(clock=clock, met_on=TODAY, by=by, note="  Report sent  ")
    assert clock.status() == Status.MET_ON_TIME
    assert (clock.met_by, clock.met_note) == (by, "Report sent")
    assert audit_actions(clock) == ["clocks.clock.met", "clocks.clock.opened"]


def test_meeting_after_the_due_date_is_met_late(pupil: Pupil, by: User) -> None:
    clock = open_on_pupil(pupil, Kind.ADVICE_REQUEST, started_on=TODAY - 50 * DAY)
    clock = clock_meet(clock=clock, met_on=TODAY - 2 * DAY, by=by)
    assert clock.due_on == TODAY - 8 * DAY
    assert clock.status() == Status.MET_LATE


def test_meeting_before_the_clock_started_is_refused_and_the_clock_is_unchanged(
    pupil: Pupil, by: User
) -> None:
    clock = open_on_pupil(pupil)
    before = snapshot(clock)
    with pytest.raises(ValidationError, match="before the clock started"):
        clock_meet(clock=clock, met_on=clock.started_on - DAY, by=by)
    assert snapshot(clock) == before


def test_meeting_in_the_future_is_refused_and_the_clock_is_unchanged(
    pupil: Pupil, by: User
) -> None:
    clock = open_on_pupil(pupil)
    before = snapshot(clock)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        clock_meet(clock=clock, met_on=TODAY + DAY, by=by)
    assert snapshot(clock) == before


def test_meeting_without_a_date_is_refused(pupil: Pupil, by: User) -> None:
    clock = open_on_pupil(pupil)
    with pytest.raises(ValidationError, match="Enter the date"):
        clock_meet(clock=clock, met_on=None, by=by)


def test_meeting_twice_is_harmless_and_keeps_the_first_date(pupil: Pupil, by: User) -> None:
    clock = open_on_pupil(pupil)
    clock_meet(clock=clock, met_on=TODAY - DAY, by=by)
    again = clock_meet(clock=clock, met_on=TODAY, by=by)
    assert again.met_on == TODAY - DAY
    assert audit_actions(clock).count("clocks.clock.met") == 1


# --- Cancelling ------------------------------------------------------------------------------


def test_cancelling_needs_a_reason(pupil: Pupil, by: User) -> None:
    clock = open_on_pupil(pupil)
    before = snapshot(clock)
    with pytest.raises(ValidationError, match="Enter why"):
        clock_cancel(clock=clock, reason="   ", by=by)
    assert snapshot(clock) == before


def test_a_cancelled_clock_cannot_be_met(pupil: Pupil, by: User) -> None:
    clock = clock_cancel(clock=open_on_pupil(pupil), reason="Pupil left the school", by=by)
    assert clock.status() == Status.CANCELLED
    assert clock.cancelled_reason == "Pupil left the school"
    with pytest.raises(ValidationError, match="cancelled"):
        clock_meet(clock=clock, met_on=TODAY, by=by)
    clock.refresh_from_db()
    assert clock.state == Clock.State.CANCELLED
    assert clock.met_on is None


def test_a_met_clock_cannot_be_cancelled(pupil: Pupil, by: User) -> None:
    clock = clock_meet(clock=open_on_pupil(pupil), met_on=TODAY, by=by)
    with pytest.raises(ValidationError, match="has been met"):
        clock_cancel(clock=clock, reason="Changed our mind", by=by)


# --- Exceptions ------------------------------------------------------------------------------

VALID_EXCEPTION: dict[str, Any] = {
    "limb": "c",
    "date_from": TODAY - 40 * DAY,
    "date_to": TODAY - 20 * DAY,
    "evidence": "Letter from the family's social worker",
}


@pytest.mark.parametrize(
    ("kind", "changes", "message"),
    [
        (Kind.FINAL_PLAN, {"date_from": None, "date_to": None}, "Enter the dates"),
        (Kind.FINAL_PLAN, {"date_to": None}, "Enter the dates"),
        (Kind.FINAL_PLAN, {"date_to": TODAY - 41 * DAY}, "end date is before its start date"),
        (Kind.FINAL_PLAN, {"evidence": "  "}, "Enter the evidence"),
        # Reg 10(4) has limbs (a) to (d) only.
        (Kind.FINAL_PLAN, {"limb": "e"}, r"Choose one of the exceptions reg10\(4\) allows"),
        # The law allows no exception to the annual review.
        (Kind.ANNUAL_REVIEW, {}, "The law allows no exception"),
    ],
)
def test_an_incomplete_or_impossible_exception_is_refused_and_the_clock_is_unchanged(
    pupil: Pupil, by: User, kind: Kind, changes: dict[str, Any], message: str
) -> None:
    clock = open_on_pupil(pupil, kind, started_on=TODAY - 100 * DAY)
    before = snapshot(clock)
    with pytest.raises(ValidationError, match=message):
        clock_record_exception(clock=clock, by=by, **{**VALID_EXCEPTION, **changes})
    assert snapshot(clock) == before
    assert audit_actions(clock) == ["clocks.clock.opened"]


def test_an_advice_clock_accepts_a_missed_appointment_under_reg_8_2_c(
    pupil: Pupil, by: User
) -> None:
    clock = open_on_pupil(pupil, Kind.ADVICE_REQUEST)
    clock = clock_record_exception(clock=clock, by=by, **VALID_EXCEPTION)
    assert (clock.exception_regulation, clock.exception_limb) == ("reg8(2)", "c")


def test_an_exception_is_refused_on_a_cancelled_clock(pupil: Pupil, by: User) -> None:
    clock = clock_cancel(clock=open_on_pupil(pupil, Kind.FINAL_PLAN), reason="Withdrawn", by=by)
    with pytest.raises(ValidationError, match="cancelled"):
        clock_record_exception(clock=clock, by=by, **VALID_EXCEPTION)


def test_a_valid_exception_never_moves_the_due_date_and_shows_on_an_overdue_clock(
    pupil: Pupil, by: User
) -> None:
    clock = open_on_pupil(pupil, Kind.FINAL_PLAN, started_on=TODAY - 150 * DAY)
    due_on = clock.due_on
    assert clock.status() == Status.OVERDUE
    clock = clock_record_exception(clock=clock, by=by, **VALID_EXCEPTION)
    clock.refresh_from_db()
    assert clock.due_on == due_on
    assert clock.exception_evidence == VALID_EXCEPTION["evidence"]
    assert clock.status() == Status.EXCEPTION_APPLIES
    assert "clocks.clock.exception_recorded" in audit_actions(clock)


def test_a_clock_met_late_with_an_exception_shows_the_exception(pupil: Pupil, by: User) -> None:
    clock = open_on_pupil(pupil, Kind.FINAL_PLAN, started_on=TODAY - 150 * DAY)
    clock = clock_record_exception(clock=clock, by=by, **VALID_EXCEPTION)
    clock = clock_meet(clock=clock, met_on=TODAY, by=by)
    assert clock.status() == Status.EXCEPTION_APPLIES


def test_an_exception_on_a_clock_still_on_track_changes_nothing_it_shows(
    pupil: Pupil, by: User
) -> None:
    clock = open_on_pupil(pupil, Kind.FINAL_PLAN, started_on=TODAY - 10 * DAY)
    clock = clock_record_exception(clock=clock, by=by, **VALID_EXCEPTION)
    assert clock.status() == Status.ON_TRACK


# --- Status ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "status"),
    [
        (15, Status.ON_TRACK),
        (14, Status.DUE_SOON),
        (0, Status.DUE_SOON),
        (-1, Status.OVERDUE),
    ],
)
def test_status_of_an_open_clock_follows_the_days_left(days_left: int, status: Status) -> None:
    clock = Clock(started_on=TODAY - 60 * DAY, due_on=TODAY + days_left * DAY)
    assert clock.days_left() == days_left
    assert clock.status() == status


# --- Visibility ------------------------------------------------------------------------------

SCHOOL_STAFF = [
    "governor",
    "sen_link_governor",
    "head",
    "senior_leader",
    "senco",
    "class_teacher",
    "other_teacher",
    "ta",
    "designated_teacher",
    "school_admin",
]
LA_STAFF = ["la_caseworker", "la_manager"]
OUTSIDERS = ["other_school_senco", "other_la_caseworker"]
# The in-scope pupil is taught by the class teacher and the TA and is looked after.
SEES_PUPIL = {
    "head",
    "senior_leader",
    "senco",
    "class_teacher",
    "ta",
    "designated_teacher",
    "school_admin",
}


def visible_to(world: World, clock: Clock) -> set[str]:
    return {
        name
        for name in [*SCHOOL_STAFF, *LA_STAFF, *OUTSIDERS]
        if clock_list_for(acting(world.users[name])).filter(pk=clock.pk).exists()
    }


def test_a_pupil_clock_is_visible_exactly_to_those_who_can_see_the_pupil(world: World) -> None:
    clock = open_on_pupil(world.pupil)
    assert visible_to(world, clock) == SEES_PUPIL


def test_a_school_level_clock_is_visible_to_every_role_at_that_school_only(world: World) -> None:
    clock = clock_open(
        kind=Kind.INFORMATION_REPORT_REVIEW,
        subject=world.school,
        started_on=TODAY - 300 * DAY,
        start_event="SEN Information Report published",
        responsible_role=Role.GOVERNOR,
        by=None,
        school=world.school,
    )
    assert visible_to(world, clock) == set(SCHOOL_STAFF)


def test_an_la_clock_is_visible_to_that_las_roles_only(world: World) -> None:
    clock = clock_open(
        kind=Kind.DECISION_TO_ASSESS,
        subject=world.home_la,
        started_on=TODAY - 10 * DAY,
        start_event="Request for assessment received",
        responsible_role=Role.LA_CASEWORKER,
        responsible_user=world.users["la_caseworker"],
        by=None,
        local_authority=world.home_la,
    )
    assert visible_to(world, clock) == set(LA_STAFF)


def test_my_deadlines_holds_the_clocks_of_my_role_and_not_the_heads(world: World) -> None:
    senco, head = acting(world.users["senco"]), acting(world.users["head"])
    review = open_on_pupil(world.pupil)
    report = clock_open(
        kind=Kind.INFORMATION_REPORT_REVIEW,
        subject=world.school,
        started_on=TODAY - 300 * DAY,
        start_event="SEN Information Report published",
        responsible_role=Role.HEADTEACHER,
        by=None,
        school=world.school,
    )
    assert list(clock_list_responsible_for(senco)) == [review]
    assert list(clock_list_responsible_for(head)) == [report]
    assert {review, report} <= set(clock_list_for(senco))


def test_my_deadlines_holds_a_clock_named_for_me_and_not_for_my_role(world: World) -> None:
    teacher, senco = acting(world.users["class_teacher"]), acting(world.users["senco"])
    meeting = open_on_pupil(
        world.pupil,
        Kind.PARENT_MEETING,
        responsible_role=Role.TEACHER,
        responsible_user=teacher,
    )
    assert list(clock_list_responsible_for(teacher)) == [meeting]
    assert list(clock_list_responsible_for(acting(world.users["other_teacher"]))) == []
    assert list(clock_list_responsible_for(senco)) == []


def test_my_deadlines_leaves_out_met_and_cancelled_clocks(world: World) -> None:
    senco = acting(world.users["senco"])
    met = open_on_pupil(world.pupil)
    clock_meet(clock=met, met_on=TODAY, by=senco)
    cancelled = open_on_pupil(world.untaught_pupil)
    clock_cancel(clock=cancelled, reason="Moved to an EHC plan", by=senco)
    assert list(clock_list_responsible_for(senco)) == []
    assert {met, cancelled} <= set(clock_list_for(senco))
