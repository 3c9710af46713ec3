"""Pure arithmetic for the costed provision map: Decimals in, pennies out, no ORM and no clock.

Conventions (documented here because every page and export must agree):

- Money is ``Decimal`` throughout. Intermediate values are exact; a result is rounded once, at the
  end, to the penny with ``ROUND_HALF_UP`` (the usual convention for sterling amounts), so summing
  rounded rows can differ from a rounded total by a penny or two. Totals are computed from the
  unrounded parts for that reason.
- A session's staff cost is ``minutes x hourly rate / 60``.
- Planned cost per pupil shares the staff cost across the provision's maximum group size; a 1:1
  provision charges the whole cost to the one pupil. The planned cost assumes a full group, which is
  how schools budget provision (Insight Tracking and Provision Map do the same).
- Delivered cost per pupil shares each logged session's cost across the pupils who attended it; a
  session nobody attended still costs the school (it counts for the provision) but no pupil.
- Sessions planned between two dates are the calendar weeks between them scaled to teaching weeks
  (38 of 52) times the sessions a week, rounded down: a provision does not run in the holidays, and
  a pupil is not counted as missing a session the calendar says was planned but the school was shut.
- A school year is 38 teaching weeks: 190 days (the School Day and School Year (England)
  Regulations 1999 require 380 sessions, i.e. 190 days) of five days each. A term is a third of a
  year, so a term's cost is a year's cost divided by three.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

PENNY = Decimal("0.01")
MINUTES_PER_HOUR = Decimal(60)
WEEKS_PER_YEAR = 38
TERMS_PER_YEAR = 3

K = TypeVar("K", bound=Hashable)


def to_pennies(amount: Decimal) -> Decimal:
    """Round an amount of money to the penny, halves away from zero."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def _check_non_negative(name: str, value: int | Decimal) -> None:
    if value < 0:
        raise ValueError(f"{name} must not be negative (got {value}).")


def session_cost(minutes: int, rate_per_hour: Decimal) -> Decimal:
    """The unrounded staff cost of one session."""
    _check_non_negative("minutes", minutes)
    _check_non_negative("rate_per_hour", rate_per_hour)
    return Decimal(minutes) * rate_per_hour / MINUTES_PER_HOUR


def _weekly_cost_per_pupil(
    *,
    sessions_per_week: int,
    minutes_per_session: int,
    rate_per_hour: Decimal,
    max_group_size: int,
    one_to_one: bool,
) -> Decimal:
    _check_non_negative("sessions_per_week", sessions_per_week)
    weekly = sessions_per_week * session_cost(minutes_per_session, rate_per_hour)
    if one_to_one:
        return weekly
    if max_group_size < 1:
        raise ValueError(f"max_group_size must be at least 1 (got {max_group_size}).")
    return weekly / Decimal(max_group_size)


@dataclass(frozen=True)
class PlannedCost:
    """Planned cost of a provision to one pupil, per week, term and year, in pennies."""

    per_week: Decimal
    per_term: Decimal
    per_year: Decimal


def planned_cost_per_pupil(
    *,
    sessions_per_week: int,
    minutes_per_session: int,
    rate_per_hour: Decimal,
    max_group_size: int,
    one_to_one: bool,
) -> PlannedCost:
    """Planned cost per pupil: sessions/week x minutes x rate / 60, shared by the group size."""
    weekly = _weekly_cost_per_pupil(
        sessions_per_week=sessions_per_week,
        minutes_per_session=minutes_per_session,
        rate_per_hour=rate_per_hour,
        max_group_size=max_group_size,
        one_to_one=one_to_one,
    )
    yearly = weekly * WEEKS_PER_YEAR
    return PlannedCost(
        per_week=to_pennies(weekly),
        per_term=to_pennies(yearly / TERMS_PER_YEAR),
        per_year=to_pennies(yearly),
    )


def planned_cost_for_weeks(
    *,
    sessions_per_week: int,
    minutes_per_session: int,
    rate_per_hour: Decimal,
    max_group_size: int,
    one_to_one: bool,
    weeks: int,
) -> Decimal:
    """Planned cost per pupil over a given number of weeks (an assignment's own run), in pennies."""
    _check_non_negative("weeks", weeks)
    weekly = _weekly_cost_per_pupil(
        sessions_per_week=sessions_per_week,
        minutes_per_session=minutes_per_session,
        rate_per_hour=rate_per_hour,
        max_group_size=max_group_size,
        one_to_one=one_to_one,
    )
    return to_pennies(weekly * weeks)


@dataclass(frozen=True)
class LoggedSession:
    """What the arithmetic needs from a session log: its length and who attended."""

    minutes: int
    attended: int


def delivered_cost_for_provision(sessions: Iterable[LoggedSession], rate: Decimal) -> Decimal:
    """Staff cost of every logged session, whether or not anyone attended, in pennies."""
    return to_pennies(sum((session_cost(s.minutes, rate) for s in sessions), Decimal(0)))


def delivered_cost_for_pupil(sessions: Iterable[LoggedSession], rate: Decimal) -> Decimal:
    """A pupil's share of the sessions they attended: each session's cost / its attendees.

    ``sessions`` are only the sessions this pupil attended, so each has at least one attendee.
    """
    total = Decimal(0)
    for s in sessions:
        if s.attended < 1:
            raise ValueError("A session the pupil attended has at least one attendee.")
        total += session_cost(s.minutes, rate) / Decimal(s.attended)
    return to_pennies(total)


def sum_by(rows: Iterable[tuple[K, Decimal]]) -> dict[K, Decimal]:
    """Add up amounts by key (provision, pupil, area of need), rounding each total once."""
    totals: dict[K, Decimal] = {}
    for key, amount in rows:
        totals[key] = totals.get(key, Decimal(0)) + amount
    return {key: to_pennies(amount) for key, amount in totals.items()}


@dataclass(frozen=True)
class BudgetPosition:
    """Spending against the notional SEN budget, in pennies; percent is None without a budget."""

    spent: Decimal
    budget: Decimal
    remaining: Decimal
    percent_used: Decimal | None


def budget_position(spent: Decimal, budget: Decimal) -> BudgetPosition:
    """Compare a total cost with the notional SEN budget; percent to one decimal place."""
    _check_non_negative("budget", budget)
    percent = (
        (spent / budget * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if budget else None
    )
    return BudgetPosition(
        spent=to_pennies(spent),
        budget=to_pennies(budget),
        remaining=to_pennies(budget - spent),
        percent_used=percent,
    )


def delivered_cost_for_minutes(total_minutes: int, rate_per_hour: Decimal) -> Decimal:
    """Staff cost of sessions whose lengths add up to `total_minutes`, in pennies.

    Cost is linear in minutes, so the sum of logged minutes (one database aggregate) gives the same
    total as costing each session and adding.
    """
    return to_pennies(session_cost(total_minutes, rate_per_hour))


CALENDAR_WEEKS_PER_YEAR = 52


def planned_sessions(*, days: int, sessions_per_week: int) -> int:
    """Sessions planned over `days` calendar days (see the module's conventions), rounded down."""
    _check_non_negative("days", days)
    _check_non_negative("sessions_per_week", sessions_per_week)
    return int(Decimal(days) / 7 * WEEKS_PER_YEAR / CALENDAR_WEEKS_PER_YEAR * sessions_per_week)
