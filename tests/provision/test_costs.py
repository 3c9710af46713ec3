"""Table tests for the provision cost arithmetic: no database, Decimals, rounded to the penny."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pupils.provision.costs import (
    LoggedSession,
    PlannedCost,
    budget_position,
    delivered_cost_for_provision,
    delivered_cost_for_pupil,
    planned_cost_for_weeks,
    planned_cost_per_pupil,
    planned_sessions,
    sum_by,
    to_pennies,
)

D = Decimal


@pytest.mark.parametrize(
    ("sessions", "minutes", "rate", "group", "one_to_one", "expected"),
    [
        # 3 x 30 min at 15.00/h = 22.50 a week, shared by 6.
        (3, 30, D("15.00"), 6, False, PlannedCost(D("3.75"), D("47.50"), D("142.50"))),
        # 1:1 takes the whole cost whatever the group size says.
        (2, 20, D("12.50"), 5, True, PlannedCost(D("8.33"), D("105.56"), D("316.67"))),
        # Sharing by 7 leaves recurring fractions: rounded once, at the end.
        (1, 45, D("20.00"), 7, False, PlannedCost(D("2.14"), D("27.14"), D("81.43"))),
        # Half a penny rounds up.
        (1, 1, D("0.30"), 1, False, PlannedCost(D("0.01"), D("0.06"), D("0.19"))),
        (0, 30, D("15.00"), 6, False, PlannedCost(D("0.00"), D("0.00"), D("0.00"))),
    ],
)
def test_planned_cost_per_pupil_shares_weekly_staff_cost_by_group_size(
    sessions: int, minutes: int, rate: Decimal, group: int, one_to_one: bool, expected: PlannedCost
) -> None:
    assert (
        planned_cost_per_pupil(
            sessions_per_week=sessions,
            minutes_per_session=minutes,
            rate_per_hour=rate,
            max_group_size=group,
            one_to_one=one_to_one,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("weeks", "expected"), [(0, D("0.00")), (1, D("3.75")), (6, D("22.50")), (38, D("142.50"))]
)
def test_planned_cost_for_weeks_covers_an_assignments_own_run(
    weeks: int, expected: Decimal
) -> None:
    cost = planned_cost_for_weeks(
        sessions_per_week=3,
        minutes_per_session=30,
        rate_per_hour=D("15.00"),
        max_group_size=6,
        one_to_one=False,
        weeks=weeks,
    )
    assert cost == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"minutes_per_session": -1}, "minutes"),
        ({"sessions_per_week": -1}, "sessions_per_week"),
        ({"rate_per_hour": D("-0.01")}, "rate_per_hour"),
        ({"max_group_size": 0}, "max_group_size"),
    ],
)
def test_planned_cost_refuses_impossible_input(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "sessions_per_week": 1,
        "minutes_per_session": 30,
        "rate_per_hour": D("15.00"),
        "max_group_size": 4,
        "one_to_one": False,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        planned_cost_per_pupil(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        ([], D("0.00")),
        # A session nobody attended still costs the school.
        ([LoggedSession(30, 3), LoggedSession(30, 0), LoggedSession(45, 2)], D("26.25")),
        ([LoggedSession(1, 1)] * 3, D("0.75")),
    ],
)
def test_delivered_cost_for_provision_counts_every_logged_session(
    sessions: list[LoggedSession], expected: Decimal
) -> None:
    assert delivered_cost_for_provision(sessions, D("15.00")) == expected


@pytest.mark.parametrize(
    ("sessions", "rate", "expected"),
    [
        ([], D("15.00"), D("0.00")),
        # 7.50 / 3 + 11.25 / 2 = 8.125, rounded half up.
        ([LoggedSession(30, 3), LoggedSession(45, 2)], D("15.00"), D("8.13")),
        # A 1:1 session: the pupil is the only attendee and takes the whole cost.
        ([LoggedSession(40, 1)], D("18.00"), D("12.00")),
        # Three thirds of 3.33...: the exact sum is rounded, not the parts.
        ([LoggedSession(20, 3)] * 3, D("10.00"), D("3.33")),
    ],
)
def test_delivered_cost_for_pupil_shares_each_session_by_its_attendees(
    sessions: list[LoggedSession], rate: Decimal, expected: Decimal
) -> None:
    assert delivered_cost_for_pupil(sessions, rate) == expected


def test_delivered_cost_for_pupil_refuses_a_session_with_no_attendees() -> None:
    with pytest.raises(ValueError):
        delivered_cost_for_pupil([LoggedSession(30, 0)], D("15.00"))


def test_delivered_cost_refuses_negative_minutes() -> None:
    with pytest.raises(ValueError, match="minutes"):
        delivered_cost_for_provision([LoggedSession(-5, 1)], D("15.00"))


def test_sum_by_rounds_each_total_once_not_each_row() -> None:
    rows = [("cognition", D("0.005")), ("cognition", D("0.005")), ("semh", D("1"))]
    assert sum_by(rows) == {"cognition": D("0.01"), "semh": D("1.00")}


@pytest.mark.parametrize(
    ("spent", "budget", "remaining", "percent"),
    [
        (D("2500"), D("10000"), D("7500.00"), D("25.0")),
        (D("12000"), D("10000"), D("-2000.00"), D("120.0")),
        (D("1"), D("3"), D("2.00"), D("33.3")),
        (D("100"), D("0"), D("-100.00"), None),
    ],
)
def test_budget_position_compares_spending_with_the_notional_sen_budget(
    spent: Decimal, budget: Decimal, remaining: Decimal, percent: Decimal | None
) -> None:
    position = budget_position(spent, budget)
    assert position.remaining == remaining
    assert position.percent_used == percent
    assert position.spent == to_pennies(spent)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (D("0.005"), D("0.01")),
        (D("0.004"), D("0.00")),
        (D("-0.005"), D("-0.01")),
        (D("2"), D("2.00")),
    ],
)
def test_to_pennies_rounds_halves_away_from_zero(amount: Decimal, expected: Decimal) -> None:
    assert to_pennies(amount) == expected


@pytest.mark.parametrize(
    ("days", "sessions_per_week", "expected"),
    [
        (0, 3, 0),
        (6, 3, 1),  # under a week: 6/7 x 38/52 x 3 = 1.88, rounded down
        (7, 3, 2),  # one calendar week: 3 x 38/52 = 2.19 -> 2
        (364, 1, 38),  # a calendar year is the 38 teaching weeks
        (364, 5, 190),  # 190 teaching days
        (182, 2, 38),
    ],
)
def test_planned_sessions_scale_calendar_weeks_to_teaching_weeks(
    days: int, sessions_per_week: int, expected: int
) -> None:
    assert planned_sessions(days=days, sessions_per_week=sessions_per_week) == expected


def test_planned_sessions_refuse_negative_days() -> None:
    with pytest.raises(ValueError):
        planned_sessions(days=-1, sessions_per_week=1)
