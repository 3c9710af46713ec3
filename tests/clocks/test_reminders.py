"""Reminder stages (pure, a table) and who receives them (current memberships, escalation, tenants)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.reminders import (
    Recipient,
    max_lead_days,
    pick_recipients,
    recipients_for,
    stage_due,
    when_phrase,
)
from tests.conftest import World
from tests.factories import ClockFactory, MembershipFactory, UserFactory
from tests.factories.dates import TODAY

DUE = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("days_before_due", "stage"),
    [
        (40, None),
        (15, None),
        (14, "lead_14"),
        (10, "lead_14"),
        (8, "lead_14"),
        (7, "lead_7"),
        (3, "lead_7"),
        (1, "lead_7"),
        (0, "due_day"),
        (-1, "overdue_1"),
        (-7, "overdue_1"),
        (-8, "overdue_2"),
        (-14, "overdue_2"),
        (-15, "overdue_3"),
        (-70, "overdue_10"),
        (-71, "overdue_11"),
    ],
)
def test_stage_due_is_the_latest_stage_whose_first_day_has_come(
    days_before_due: int, stage: str | None
) -> None:
    assert stage_due(DUE, DUE - dt.timedelta(days=days_before_due)) == stage


def test_each_stage_starts_exactly_once_over_the_life_of_a_clock() -> None:
    days = [DUE + dt.timedelta(days=n) for n in range(-30, 30)]
    starts = []
    previous = None
    for day in days:
        stage = stage_due(DUE, day)
        if stage != previous and stage is not None:
            starts.append((stage, (day - DUE).days))
        previous = stage
    assert starts == [
        ("lead_14", -14),
        ("lead_7", -7),
        ("due_day", 0),
        ("overdue_1", 1),
        ("overdue_2", 8),
        ("overdue_3", 15),
        ("overdue_4", 22),
        ("overdue_5", 29),
    ]


def test_after_three_days_of_downtime_only_the_latest_stage_is_due() -> None:
    """Last sweep two days before the due date; down for three days; back two days after it."""
    last_run, back = DUE - dt.timedelta(days=2), DUE + dt.timedelta(days=2)
    assert stage_due(DUE, last_run) == "lead_7"
    # due_day fell in the downtime: it is never sent late; overdue_1 is what is current.
    assert stage_due(DUE, back) == "overdue_1"


def test_a_clock_first_seen_inside_its_lead_time_gets_the_current_stage_not_the_earlier_ones() -> (
    None
):
    assert stage_due(DUE, DUE - dt.timedelta(days=3)) == "lead_7"


@pytest.mark.parametrize(
    ("leads", "every", "days_before_due", "stage"),
    [
        ((30, 14, 1), 14, 20, "lead_30"),
        ((30, 14, 1), 14, 1, "lead_1"),
        # No due-day stage configured: the last lead stage lasts through the due day.
        ((30, 14, 1), 14, 0, "lead_1"),
        ((30, 14, 1), 14, -14, "overdue_1"),
        ((30, 14, 1), 14, -15, "overdue_2"),
        ((), 7, 3, None),
        ((), 7, -1, "overdue_1"),
    ],
)
def test_stage_due_follows_the_configured_lead_times(
    leads: tuple[int, ...], every: int, days_before_due: int, stage: str | None
) -> None:
    today = DUE - dt.timedelta(days=days_before_due)
    assert stage_due(DUE, today, leads=leads, every=every) == stage


def test_lead_times_come_from_settings(settings: Any) -> None:
    settings.CLOCK_REMINDER_LEAD_DAYS = (28, 0)
    settings.CLOCK_OVERDUE_EVERY_DAYS = 1
    assert max_lead_days() == 28
    assert stage_due(DUE, DUE - dt.timedelta(days=7)) == "lead_28"
    assert stage_due(DUE, DUE + dt.timedelta(days=3)) == "overdue_3"


@pytest.mark.parametrize(
    ("days_before_due", "phrase"),
    [
        (7, "Due in 7 days"),
        (1, "Due tomorrow"),
        (0, "Due today"),
        (-1, "Overdue by 1 day"),
        (-9, "Overdue by 9 days"),
    ],
)
def test_when_phrase_reads_as_a_person_would_say_it(days_before_due: int, phrase: str) -> None:
    assert when_phrase(DUE, DUE - dt.timedelta(days=days_before_due)) == phrase


def _clock(**kwargs: Any) -> Any:
    fields = {
        "school_id": 1,
        "local_authority_id": 10,
        "responsible_role": Role.SENCO.value,
        "responsible_user_id": None,
    }
    fields.update(kwargs)
    return SimpleNamespace(**fields)


MEMBERS = {
    ("school", 1, "senco"): [100, 101],
    ("school", 1, "headteacher"): [200],
    ("school", 2, "senco"): [300],
    ("la", 10, "la_caseworker"): [400],
    ("la", 10, "la_manager"): [500],
}
ANYWHERE = {("school", 1): {100, 101, 200}, ("school", 2): {300}, ("la", 10): {400, 500}}


@pytest.mark.parametrize(
    ("clock", "stage", "expected"),
    [
        (_clock(), "lead_7", [Recipient(100, False), Recipient(101, False)]),
        (
            _clock(),
            "overdue_1",
            [Recipient(100, False), Recipient(101, False), Recipient(200, True)],
        ),
        (_clock(responsible_user_id=101), "lead_14", [Recipient(101, False)]),
        (
            _clock(responsible_user_id=101),
            "overdue_2",
            [Recipient(101, False), Recipient(200, True)],
        ),
        # Responsible person not (or no longer) at the clock's school: the role holders instead.
        (
            _clock(responsible_user_id=300),
            "due_day",
            [Recipient(100, False), Recipient(101, False)],
        ),
        (
            _clock(school_id=None, responsible_role="la_caseworker"),
            "overdue_1",
            [Recipient(400, False), Recipient(500, True)],
        ),
        # An LA role on a pupil's clock at a school is reminded at the school's LA.
        (_clock(responsible_role="la_caseworker"), "lead_7", [Recipient(400, False)]),
        # The headteacher has no line manager role: nobody to escalate to.
        (_clock(responsible_role="headteacher"), "overdue_1", [Recipient(200, False)]),
        (_clock(school_id=2), "overdue_1", [Recipient(300, False)]),
    ],
)
def test_pick_recipients(clock: Any, stage: str, expected: list[Recipient]) -> None:
    assert pick_recipients(clock, stage, MEMBERS, ANYWHERE) == expected


# With the database: the same rules over real memberships.


def _ids(recipients: list[Recipient]) -> dict[int, bool]:
    return {r.user_id: r.escalated for r in recipients}


def test_recipients_are_the_current_holders_of_the_responsible_role_at_the_clock_school(
    world: World,
) -> None:
    senco = world.users["senco"]
    second_senco = MembershipFactory(school=world.school, role=Role.SENCO).user
    left = MembershipFactory(school=world.school, role=Role.SENCO, ended=True).user
    not_yet = MembershipFactory(
        school=world.school, role=Role.SENCO, start=TODAY + dt.timedelta(days=1)
    ).user
    clock = ClockFactory(pupil=world.pupil)
    got = _ids(recipients_for(clock, "lead_7"))
    assert got == {senco.pk: False, second_senco.pk: False}
    assert left.pk not in got and not_yet.pk not in got


def test_overdue_reminders_escalate_to_the_headteacher_of_the_same_school(world: World) -> None:
    clock = ClockFactory(pupil=world.pupil, overdue=True)
    got = _ids(recipients_for(clock, "overdue_1"))
    assert got == {world.users["senco"].pk: False, world.users["head"].pk: True}


def test_a_clock_at_school_a_never_reminds_school_b_staff(world: World) -> None:
    MembershipFactory(school=world.second_school, role=Role.HEADTEACHER)
    clock = ClockFactory(pupil=world.pupil, overdue=True)
    for stage in ("lead_14", "lead_7", "due_day", "overdue_1", "overdue_5"):
        got = _ids(recipients_for(clock, stage))
        assert world.users["other_school_senco"].pk not in got
        assert got.keys() <= {world.users["senco"].pk, world.users["head"].pk}


def test_la_clock_reminds_the_caseworkers_of_its_la_and_escalates_to_the_send_manager(
    world: World,
) -> None:
    clock = ClockFactory(
        pupil=world.pupil,
        kind=Kind.DECISION_TO_ASSESS,
        school=None,
        local_authority=world.home_la,
        responsible_role=Role.LA_CASEWORKER,
        overdue=True,
    )
    assert _ids(recipients_for(clock, "lead_7")) == {world.users["la_caseworker"].pk: False}
    assert _ids(recipients_for(clock, "overdue_1")) == {
        world.users["la_caseworker"].pk: False,
        world.users["la_manager"].pk: True,
    }
    assert world.users["other_la_caseworker"].pk not in _ids(recipients_for(clock, "overdue_3"))


def test_responsible_user_alone_is_reminded_while_they_work_there(world: World) -> None:
    second_senco = MembershipFactory(school=world.school, role=Role.SENCO).user
    clock = ClockFactory(pupil=world.pupil, responsible_user=second_senco)
    assert _ids(recipients_for(clock, "lead_7")) == {second_senco.pk: False}


def test_a_responsible_user_who_has_left_is_replaced_by_the_role_holders(world: World) -> None:
    leaver = MembershipFactory(school=world.school, role=Role.SENCO, ended=True).user
    clock = ClockFactory(pupil=world.pupil, responsible_user=leaver)
    assert _ids(recipients_for(clock, "lead_7")) == {world.users["senco"].pk: False}


def test_inactive_accounts_are_never_reminded(world: World) -> None:
    inactive = UserFactory(is_active=False)
    MembershipFactory(user=inactive, school=world.school, role=Role.SENCO)
    clock = ClockFactory(pupil=world.pupil)
    assert inactive.pk not in _ids(recipients_for(clock, "lead_7"))


def test_a_senco_who_is_also_the_head_is_reminded_once_and_not_as_escalation(
    world: World,
) -> None:
    MembershipFactory(user=world.users["senco"], school=world.school, role=Role.HEADTEACHER)
    clock = ClockFactory(pupil=world.pupil, overdue=True)
    got = recipients_for(clock, "overdue_1")
    assert [r for r in got if r.user_id == world.users["senco"].pk] == [
        Recipient(world.users["senco"].pk, False)
    ]
