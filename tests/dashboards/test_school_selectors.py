"""The school dashboard's selectors count what they say (issue 7 parts 3 and 4; domain.md 7.1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pupils.codes import Area, NeedType, SenProvision
from pupils.selectors import census_as_at
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.dashboards.census import last_census_days, nth_thursday, term_of
from sendadmin.dashboards.school import (
    area_counts,
    census_over_time,
    clock_counts,
    drill_overdue_clocks,
    drill_pupils,
    need_counts,
    school_dashboard,
    status_counts,
    year_counts,
)
from tests.conftest import World
from tests.factories import (
    ClockFactory,
    MembershipFactory,
    PupilFactory,
    PupilNeedFactory,
    SchoolFactory,
    SenStatusFactory,
    UserFactory,
)
from tests.factories.dates import TODAY

E, K, N = SenProvision.EHC_PLAN, SenProvision.SEN_SUPPORT, SenProvision.NO_SEN


def _acting(user: Any) -> Any:
    user.active_membership = user.memberships.get()  # as the middleware sets it
    return user


def _counts(tallies: list[Any]) -> dict[str, int]:
    return {t.key: t.value for t in tallies}


@pytest.mark.parametrize(
    ("year", "month", "n", "expected"),
    [
        (2025, 1, 3, dt.date(2025, 1, 16)),  # domain.md 7.1's example: spring census 16 Jan 2025
        (2026, 10, 1, dt.date(2026, 10, 1)),  # 1 October 2026 is a Thursday
        (2025, 10, 1, dt.date(2025, 10, 2)),
        (2026, 5, 3, dt.date(2026, 5, 21)),
    ],
)
def test_census_days_are_the_nth_thursday(year: int, month: int, n: int, expected: Any) -> None:
    assert nth_thursday(year, month, n) == expected
    assert expected.weekday() == 3


def test_the_last_six_census_days_end_with_the_latest_on_or_before_today() -> None:
    days = last_census_days(dt.date(2026, 11, 23))
    assert [d.name for d in days] == [
        "Spring 2025",
        "Summer 2025",
        "Autumn 2025",
        "Spring 2026",
        "Summer 2026",
        "Autumn 2026",
    ]
    # On the census day itself that census counts.
    assert last_census_days(dt.date(2026, 1, 15))[-1].on == dt.date(2026, 1, 15)
    assert last_census_days(dt.date(2026, 1, 14))[-1].name == "Autumn 2025"


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2026, 11, 23), "Autumn term 2026/27"),
        (dt.date(2027, 2, 1), "Spring term 2026/27"),
        (dt.date(2027, 6, 30), "Summer term 2026/27"),
        (dt.date(2099, 9, 1), "Autumn term 2099/00"),
    ],
)
def test_the_term_is_named_from_the_date(day: Any, name: str) -> None:
    assert term_of(day).name == name


def _roll(db: Any) -> Any:
    """A school with 3 E, 2 K and 4 N on roll; one E pupil left and one K pupil not yet admitted;
    and another school's pupils, which count nowhere."""
    school = SchoolFactory()
    pupils = {
        "e": [PupilFactory(school=school, ehc_plan=True, year_group=y) for y in (4, 4, 6)],
        "k": [PupilFactory(school=school, sen_support=True, year_group=y) for y in (4, 6)],
        "n": [PupilFactory(school=school, year_group=4) for _ in range(4)],
    }
    PupilFactory(school=school, ehc_plan=True, leaving_date=TODAY - dt.timedelta(days=1))
    PupilFactory(school=school, sen_support=True, admission_date=TODAY + dt.timedelta(days=1))
    other = SchoolFactory()
    for _ in range(3):
        PupilNeedFactory(pupil=PupilFactory(school=other, ehc_plan=True), code=NeedType.ASD)
    return school, pupils


def test_status_counts_are_the_pupils_on_roll_today(db: Any) -> None:
    school, _ = _roll(db)
    assert _counts(status_counts(school.pk, TODAY)) == {E: 3, K: 2, N: 4}


def test_needs_count_the_primary_need_of_pupils_with_sen_and_add_up_by_area(db: Any) -> None:
    school, pupils = _roll(db)
    e1, e2, e3 = pupils["e"]
    PupilNeedFactory(pupil=e1, rank=1, code=NeedType.ASD)
    PupilNeedFactory(pupil=e1, rank=2, code=NeedType.SPLD)  # secondary: not counted
    PupilNeedFactory(pupil=e2, rank=1, code=NeedType.SLCN)
    PupilNeedFactory(pupil=e3, rank=1, code=NeedType.SEMH)
    PupilNeedFactory(pupil=pupils["k"][0], rank=1, code=NeedType.MLD)
    left = PupilFactory(school=school, ehc_plan=True, leaving_date=TODAY - dt.timedelta(days=9))
    PupilNeedFactory(pupil=left, code=NeedType.ASD)
    needs = _counts(need_counts(school.pk, TODAY))
    assert needs[NeedType.ASD] == 1
    assert needs[NeedType.SLCN] == 1
    assert needs[NeedType.SEMH] == 1
    assert needs[NeedType.MLD] == 1
    assert needs[NeedType.SPLD] == 0
    assert sum(needs.values()) == 4
    areas = _counts(area_counts(need_counts(school.pk, TODAY)))
    assert areas == {
        Area.COMMUNICATION: 2,
        Area.COGNITION: 1,
        Area.SEMH: 1,
        Area.SENSORY_PHYSICAL: 0,
        Area.UNCATEGORISED: 0,
    }


def test_year_counts_split_the_roll_of_each_year_group(db: Any) -> None:
    school, _ = _roll(db)
    lines = {y.year: (y.ehc, y.support, y.sen, y.roll) for y in year_counts(school.pk, TODAY)}
    assert lines == {4: (2, 1, 3, 7), 6: (1, 1, 2, 2)}


def test_census_over_time_reads_the_status_periods_as_census_as_at_does(world: World) -> None:
    school = world.school
    moved = PupilFactory(school=school, ehc_plan=True)
    SenStatusFactory(pupil=moved, provision=K, start=dt.date(2024, 9, 1), end=dt.date(2025, 12, 31))
    SenStatusFactory(pupil=moved, provision=E, start=dt.date(2026, 1, 1))
    joined = PupilFactory(school=school, sen_support=True, admission_date=dt.date(2026, 9, 1))
    SenStatusFactory(pupil=joined, provision=K, start=dt.date(2026, 9, 1))
    left = PupilFactory(school=school, sen_support=True, leaving_date=dt.date(2025, 7, 1))
    SenStatusFactory(pupil=left, provision=K, start=dt.date(2024, 9, 1))
    ended = PupilFactory(school=school)
    SenStatusFactory(pupil=ended, provision=K, start=dt.date(2024, 9, 1), end=dt.date(2025, 3, 1))
    other = PupilFactory(school=world.second_school, ehc_plan=True)
    SenStatusFactory(pupil=other, provision=E, start=dt.date(2024, 9, 1))

    days = last_census_days(TODAY)
    points = census_over_time(school.pk, days)
    got = {p.day.name: (p.ehc, p.support) for p in points}
    assert got == {
        "Spring 2025": (0, 3),
        "Summer 2025": (0, 2),
        "Autumn 2025": (0, 1),
        "Spring 2026": (1, 0),
        "Summer 2026": (1, 0),
        "Autumn 2026": (1, 1),
    }
    # An independent count: the register's census page as at each day.
    for point in points:
        census = census_as_at(_acting(world.users["senco"]), point.day.on)["counts"]
        assert (point.ehc, point.support) == (census[E], census[K]), point.day.name


def _clock(school: Any, kind: str, **kwargs: Any) -> Clock:
    return ClockFactory(pupil=PupilFactory(school=school, sen_support=True), kind=kind, **kwargs)


def _world_clocks(school: Any, other_school: Any) -> None:
    ago = TODAY - dt.timedelta(days=60)
    advice = Kind.ADVICE_REQUEST
    on_time = TODAY - dt.timedelta(days=10)
    _clock(
        school,
        advice,
        started_on=ago,
        due_on=TODAY - dt.timedelta(days=5),
        met_on=on_time,
        state="met",
    )
    _clock(school, advice, started_on=ago, due_on=on_time, met_on=on_time, state="met")
    _clock(school, advice, started_on=ago, due_on=TODAY - dt.timedelta(days=20), met=True)
    _clock(
        school,
        advice,
        started_on=ago,
        due_on=TODAY - dt.timedelta(days=20),
        met=True,
        exception_regulation="reg8(2)",
        exception_limb="a",
    )
    long_ago = TODAY - dt.timedelta(days=500)
    _clock(school, advice, started_on=long_ago, due_on=long_ago, met_on=long_ago, state="met")
    _clock(school, Kind.ANNUAL_REVIEW, due_on=TODAY - dt.timedelta(days=3))
    _clock(school, Kind.ANNUAL_REVIEW, due_on=TODAY - dt.timedelta(days=40))
    _clock(school, Kind.ANNUAL_REVIEW, due_on=TODAY + dt.timedelta(days=10))
    _clock(school, Kind.ANNUAL_REVIEW, due_on=TODAY - dt.timedelta(days=3), state="cancelled")
    # The LA's 20 weeks carries the school but is not the school's duty; another school's clock.
    _clock(school, Kind.FINAL_PLAN, due_on=TODAY - dt.timedelta(days=3))
    _clock(other_school, Kind.ANNUAL_REVIEW, due_on=TODAY - dt.timedelta(days=3))


def test_clock_counts_follow_clock_status_over_the_last_12_months(db: Any) -> None:
    school, other = SchoolFactory(), SchoolFactory()
    _world_clocks(school, other)
    lines = {line.kind: line for line in clock_counts(school.pk, TODAY)}
    assert Kind.FINAL_PLAN not in lines
    advice = lines[Kind.ADVICE_REQUEST]
    assert (advice.on_time, advice.late, advice.exception, advice.overdue, advice.open) == (
        2,
        1,
        1,
        0,
        0,
    )
    review = lines[Kind.ANNUAL_REVIEW]
    assert (review.on_time, review.late, review.overdue, review.open) == (0, 0, 2, 1)
    # Every count agrees with Clock.status() on the same clocks.
    for clock in Clock.objects.filter(school=school, kind=Kind.ANNUAL_REVIEW, state="open"):
        assert clock.status(TODAY) in ("overdue", "on_track", "due_soon")
    data = school_dashboard(school, TODAY)
    assert [(line.kind, line.overdue) for line in data.overdue] == [(Kind.ANNUAL_REVIEW, 2)]


def test_drill_down_lists_the_pupils_behind_a_count_that_the_user_may_see(world: World) -> None:
    school = world.school
    on_plan = [PupilFactory(school=school, ehc_plan=True) for _ in range(3)]
    PupilNeedFactory(pupil=on_plan[0], code=NeedType.HI)
    head = _acting(world.users["head"])
    assert set(drill_pupils(head, school.pk, "status", E, TODAY)) == set(on_plan)
    assert list(drill_pupils(head, school.pk, "need", NeedType.HI, TODAY)) == [on_plan[0]]
    assert list(drill_pupils(head, school.pk, "area", Area.SENSORY_PHYSICAL, TODAY)) == [on_plan[0]]
    assert world.pupil in drill_pupils(head, school.pk, "year", "4", TODAY)
    # The same count for another school's id is empty: visibility is the membership's.
    assert not drill_pupils(head, world.second_school.pk, "status", E, TODAY).exists()
    teacher = _acting(world.users["class_teacher"])
    assert list(drill_pupils(teacher, school.pk, "status", K, TODAY)) == [world.pupil]


def test_drill_down_of_overdue_lists_the_clocks_with_the_person_responsible(world: World) -> None:
    senco = world.users["senco"]
    late = ClockFactory(
        pupil=world.pupil,
        kind=Kind.PARENT_MEETING,
        overdue=True,
        responsible_user=senco,
    )
    ClockFactory(pupil=world.untaught_pupil, kind=Kind.PARENT_MEETING)  # not due yet
    ClockFactory(pupil=world.second_school_pupil, kind=Kind.PARENT_MEETING, overdue=True)
    rows = list(
        drill_overdue_clocks(
            _acting(world.users["head"]), world.school.pk, Kind.PARENT_MEETING, TODAY
        )
    )
    assert rows == [late]
    assert rows[0].responsible_user == senco


def test_a_user_with_no_role_at_the_school_drills_down_to_nobody(db: Any) -> None:
    school = SchoolFactory()
    PupilFactory(school=school, ehc_plan=True)
    outsider = UserFactory()
    MembershipFactory(user=outsider, school=SchoolFactory(), role=Role.SENCO)
    assert not drill_pupils(_acting(outsider), school.pk, "status", E, TODAY).exists()
