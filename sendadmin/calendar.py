"""Pure date arithmetic for statutory clocks, following the counting conventions of domain.md 0A.

Every function takes and returns `datetime.date`. Statutory clocks are whole local dates, never
datetimes (domain.md 0A, "dates"), so a `datetime` is refused rather than silently carried through:
daylight saving changes can then never move a due date. Weekends and bank holidays are not
skipped: the SEND Regulations 2014 count calendar weeks and days (domain.md 0, "Time units").
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta

__all__ = [
    "academic_year_start",
    "add_days",
    "add_months",
    "add_weeks",
    "add_years",
    "date_in_year",
    "days_window_closes",
    "weeks_before",
    "weeks_between",
]

DAYS_PER_WEEK = 7  # domain.md 0A: "within N weeks of X" is X + 7 * N days (calendar weeks).
MONTHS_PER_YEAR = 12  # domain.md 0A: "within 12 months" is counted as 12 calendar months.
# The school year in England runs from 1 September to 31 August; phase transfers happen at its end
# (domain.md 2.4).
ACADEMIC_YEAR_START_MONTH = 9


def _require_date(d: date) -> None:
    # datetime is a subclass of date; letting one through would make deadlines depend on the
    # time of day and the UTC offset, which domain.md 0A rules out.
    if isinstance(d, datetime):
        raise TypeError(f"statutory clocks take dates, not datetimes: {d!r}")


def add_days(d: date, n: int) -> date:
    """Return the date `n` calendar days after `d` (before it when `n` is negative)."""
    _require_date(d)
    return d + timedelta(days=n)


def add_weeks(d: date, n: int) -> date:
    """Return the date `n` calendar weeks (7 * n days) after `d`: "within N weeks of X"."""
    return add_days(d, DAYS_PER_WEEK * n)


def add_months(d: date, n: int) -> date:
    """Return the same day-of-month `n` months after `d`, clamped to the last day of that month.

    domain.md 0A: 29 Feb 2024 + 12 months = 28 Feb 2025; 31 Jan + 1 month = 28 or 29 Feb.
    `n` may be negative.
    """
    _require_date(d)
    year, month_index = divmod(d.year * MONTHS_PER_YEAR + (d.month - 1) + n, MONTHS_PER_YEAR)
    month = month_index + 1
    last_day = monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def add_years(d: date, n: int) -> date:
    """Return the date `n` years after `d`, counted as 12 * n months (so 29 Feb falls to 28 Feb)."""
    return add_months(d, MONTHS_PER_YEAR * n)


def weeks_before(d: date, n: int) -> date:
    """Return the date `n` weeks before `d`: "at least N weeks before the meeting" (domain.md 0A)."""
    return add_weeks(d, -n)


def days_window_closes(served: date, days: int) -> date:
    """Return the last day of a window of "at least `days` days beginning with the day served".

    domain.md 0A: the day of service is day 1, so the window closes at the end of
    served + (days - 1); 15 days from 2 June closes on 16 June.
    """
    if days < 1:
        raise ValueError(f"a window beginning with the day served lasts at least 1 day, not {days}")
    return add_days(served, days - 1)


def weeks_between(start: date, end: date) -> int:
    """Return the whole weeks from `start` to `end`, for "week 14 of 20" displays.

    Part weeks are dropped towards zero, so the day of the start and the 6 days after it are
    week 0, and swapping the arguments only changes the sign.
    """
    _require_date(start)
    _require_date(end)
    days = (end - start).days
    whole_weeks = abs(days) // DAYS_PER_WEEK
    return whole_weeks if days >= 0 else -whole_weeks


def date_in_year(year: int, month: int, day: int) -> date:
    """Return a fixed day of the calendar year, such as 15 February in the year of transfer.

    domain.md 0A: "by 15 February / 31 March in the year of transfer" is that date in the
    calendar year in which the pupil moves. A day that does not exist raises ValueError.
    """
    return date(year, month, day)


def academic_year_start(on: date) -> date:
    """Return 1 September of the academic year (1 September to 31 August) that contains `on`."""
    _require_date(on)
    year = on.year if on.month >= ACADEMIC_YEAR_START_MONTH else on.year - 1
    return date(year, ACADEMIC_YEAR_START_MONTH, 1)
