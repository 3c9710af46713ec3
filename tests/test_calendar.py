"""Date arithmetic with the counting conventions of domain.md 0A (sendadmin/calendar.py).

Every expected date in these tables was counted by hand on a calendar, not computed by the code.
"""

from collections.abc import Callable
from datetime import date, datetime

import pytest

from sendadmin.calendar import (
    academic_year_start,
    add_days,
    add_months,
    add_weeks,
    add_years,
    date_in_year,
    days_window_closes,
    weeks_before,
    weeks_between,
)

d = date.fromisoformat


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-06-10", 0, "2024-06-10"),
        ("2024-02-28", 1, "2024-02-29"),  # leap day exists in 2024
        ("2024-02-29", 1, "2024-03-01"),
        ("2023-02-28", 1, "2023-03-01"),  # no leap day in 2023
        ("2028-02-28", 1, "2028-02-29"),
        ("2024-12-31", 1, "2025-01-01"),  # year end
        ("2025-01-01", -1, "2024-12-31"),
        ("2025-03-29", 2, "2025-03-31"),  # clocks go forward on 30 March 2025
        ("2025-10-25", 2, "2025-10-27"),  # clocks go back on 26 October 2025
    ],
)
def test_add_days_counts_calendar_days(start: str, n: int, expected: str) -> None:
    assert add_days(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-01-01", 6, "2024-02-12"),
        ("2024-02-22", 1, "2024-02-29"),
        ("2028-02-22", 1, "2028-02-29"),
        ("2025-02-22", 1, "2025-03-01"),
        ("2024-12-20", 2, "2025-01-03"),  # across the year end
        ("2025-03-10", -2, "2025-02-24"),
        ("2025-03-26", 1, "2025-04-02"),  # across the start of British Summer Time
    ],
)
def test_add_weeks_adds_seven_days_a_week(start: str, n: int, expected: str) -> None:
    assert add_weeks(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-05-17", 0, "2024-05-17"),
        ("2024-02-29", 12, "2025-02-28"),  # domain.md 0A example
        ("2024-02-29", 48, "2028-02-29"),  # the next leap year keeps the 29th
        ("2024-02-29", -12, "2023-02-28"),
        ("2024-01-31", 1, "2024-02-29"),  # domain.md 0A example, leap year
        ("2025-01-31", 1, "2025-02-28"),  # domain.md 0A example, common year
        ("2025-03-31", 1, "2025-04-30"),  # 31-day month into a 30-day month
        ("2025-05-31", 1, "2025-06-30"),
        ("2025-08-31", 1, "2025-09-30"),
        ("2025-07-31", 1, "2025-08-31"),  # 31-day month into a 31-day month
        ("2025-04-30", 1, "2025-05-30"),  # 30th stays the 30th in a longer month
        ("2025-12-15", 1, "2026-01-15"),  # year end
        ("2025-11-30", 3, "2026-02-28"),
        ("2025-10-31", 24, "2027-10-31"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2025-01-15", -1, "2024-12-15"),  # back across the year end
        ("2025-01-31", -2, "2024-11-30"),
    ],
)
def test_add_months_keeps_the_day_of_month_or_falls_to_the_last_day(
    start: str, n: int, expected: str
) -> None:
    assert add_months(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-02-29", 1, "2025-02-28"),
        ("2024-02-29", 4, "2028-02-29"),
        ("2028-02-29", -4, "2024-02-29"),
        ("2025-12-31", 1, "2026-12-31"),
        ("2023-03-01", 1, "2024-03-01"),
    ],
)
def test_add_years_counts_twelve_months_a_year(start: str, n: int, expected: str) -> None:
    assert add_years(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("meeting", "n", "expected"),
    [
        ("2025-03-12", 2, "2025-02-26"),
        ("2024-03-07", 1, "2024-02-29"),
        ("2028-03-14", 2, "2028-02-29"),
        ("2025-03-14", 2, "2025-02-28"),
        ("2025-01-05", 2, "2024-12-22"),  # back across the year end
    ],
)
def test_weeks_before_counts_back_seven_days_a_week(meeting: str, n: int, expected: str) -> None:
    assert weeks_before(d(meeting), n) == d(expected)


@pytest.mark.parametrize(
    ("served", "days", "expected"),
    [
        ("2025-06-02", 15, "2025-06-16"),
        ("2025-06-02", 1, "2025-06-02"),  # a one-day window is the day served
        ("2024-02-20", 15, "2024-03-05"),  # through 29 February 2024
        ("2025-02-20", 15, "2025-03-06"),
        ("2025-12-24", 15, "2026-01-07"),  # across the year end
    ],
)
def test_a_window_beginning_with_the_day_served_counts_that_day_as_day_one(
    served: str, days: int, expected: str
) -> None:
    assert days_window_closes(d(served), days) == d(expected)


@pytest.mark.parametrize("days", [0, -3])
def test_a_window_of_no_days_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="at least 1 day"):
        days_window_closes(d("2025-06-02"), days)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-01-06", "2025-01-06", 0),
        ("2025-01-06", "2025-01-12", 0),  # 6 days is not yet a whole week
        ("2025-01-06", "2025-01-13", 1),
        ("2025-01-06", "2025-04-14", 14),  # 98 days: "week 14 of 20"
        ("2024-02-01", "2024-03-01", 4),  # 29 days in leap February
        ("2025-02-01", "2025-03-01", 4),  # 28 days
        ("2024-12-20", "2025-05-09", 20),  # 140 days across the year end
        ("2025-01-13", "2025-01-06", -1),
        ("2025-01-12", "2025-01-06", 0),  # 6 days back drops to zero, like 6 days forward
    ],
)
def test_weeks_between_counts_whole_weeks(start: str, end: str, expected: int) -> None:
    assert weeks_between(d(start), d(end)) == expected


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2027, 2, 15, "2027-02-15"),
        (2027, 3, 31, "2027-03-31"),
        (2028, 2, 29, "2028-02-29"),
    ],
)
def test_date_in_year_is_that_day_of_that_calendar_year(
    year: int, month: int, day: int, expected: str
) -> None:
    assert date_in_year(year, month, day) == d(expected)


def test_date_in_year_refuses_a_day_the_year_does_not_have() -> None:
    with pytest.raises(ValueError):
        date_in_year(2027, 2, 29)


@pytest.mark.parametrize(
    "call",
    [
        lambda when: add_days(when, 1),
        lambda when: add_weeks(when, 1),
        lambda when: add_months(when, 1),
        lambda when: add_years(when, 1),
        lambda when: weeks_before(when, 1),
        lambda when: days_window_closes(when, 15),
        lambda when: weeks_between(when, date(2025, 4, 1)),
        lambda when: weeks_between(date(2025, 3, 1), when),
        lambda when: academic_year_start(when),
    ],
)
def test_a_datetime_is_refused_so_daylight_saving_cannot_move_a_date(
    call: Callable[[date], object],
) -> None:
    # 01:30 on 30 March 2025 does not exist in London: the clocks jump from 01:00 to 02:00.
    with pytest.raises(TypeError, match="not datetimes"):
        call(datetime(2025, 3, 30, 1, 30))


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2026-09-01", "2026-09-01"),  # the first day of the school year
        ("2026-11-23", "2026-09-01"),
        ("2027-01-01", "2026-09-01"),  # a new calendar year, the same school year
        ("2027-08-31", "2026-09-01"),  # the last day of the school year
        ("2027-09-01", "2027-09-01"),
    ],
)
def test_academic_year_start_is_the_1_september_on_or_before_the_date(
    on: str, expected: str
) -> None:
    assert academic_year_start(d(on)) == d(expected)
