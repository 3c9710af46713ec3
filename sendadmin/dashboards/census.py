"""Census days and school terms for the dashboards: pure dates in, dates and names out, no ORM.

Census days (domain.md 7.1, LA census guidance): autumn is the first Thursday in October, spring the
third Thursday in January, summer the third Thursday in May.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

THURSDAY = 3  # date.weekday()
DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class CensusDay:
    on: dt.date
    season: str  # "Autumn", "Spring" or "Summer"

    @property
    def name(self) -> str:
        return f"{self.season} {self.on.year}"


def nth_thursday(year: int, month: int, n: int) -> dt.date:
    """The n-th Thursday of a month (n from 1)."""
    first = dt.date(year, month, 1)
    offset = (THURSDAY - first.weekday()) % DAYS_PER_WEEK
    return first + dt.timedelta(days=offset + DAYS_PER_WEEK * (n - 1))


def census_days_in_year(year: int) -> list[CensusDay]:
    """The three census days of a calendar year, in date order (domain.md 7.1)."""
    return [
        CensusDay(nth_thursday(year, 1, 3), "Spring"),
        CensusDay(nth_thursday(year, 5, 3), "Summer"),
        CensusDay(nth_thursday(year, 10, 1), "Autumn"),
    ]


def last_census_days(today: dt.date, count: int = 6) -> list[CensusDay]:
    """The last `count` census days on or before `today`, oldest first."""
    years_back = count // 3 + 2
    days = [
        day
        for year in range(today.year - years_back, today.year + 1)
        for day in census_days_in_year(year)
        if day.on <= today
    ]
    return days[-count:]


@dataclass(frozen=True)
class Term:
    season: str  # "Autumn", "Spring" or "Summer"
    academic_year: int  # the calendar year the school year starts in (September)

    @property
    def name(self) -> str:
        return f"{self.season} term {self.academic_year}/{(self.academic_year + 1) % 100:02d}"


def term_of(day: dt.date) -> Term:
    """The school term a date falls in, for naming the termly report to governors.

    Term dates differ by school and Easter moves, so the seasons are approximated by month: autumn
    September to December, spring January to March, summer April to August (holidays count with
    the term before them).
    """
    if day.month >= 9:
        return Term("Autumn", day.year)
    if day.month <= 3:
        return Term("Spring", day.year - 1)
    return Term("Summer", day.year - 1)
