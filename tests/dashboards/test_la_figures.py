"""The LA dashboard's figures against counts made by hand from the inputs (issue 7 part 5).

Each test builds cases in the home LA (Northmoor), some in the other LA, some in another year, and
works out what the figure must be with plain arithmetic on the inputs, never by calling the code
under test; then it compares.
"""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from django.contrib.contenttypes.models import ContentType

from ehcp.models import AdviceKind, AdviceRequest, PlanVersion
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.dashboards import la as figures
from tests.conftest import World
from tests.dashboards.la_data import Issued, issued_case, legacy_plan, open_case
from tests.factories import (
    AdviceRequestFactory,
    AssessmentCaseFactory,
    ClockFactory,
    PlanFactory,
    PlanNeedFactory,
    PlanVersionFactory,
    PupilFactory,
)
from tests.factories.dates import TODAY

YEAR = TODAY.year - 1
D = dt.date


def by_hand_percent(numerator: int, denominator: int) -> str:
    """Tenths of a per cent, halves up, in whole-number arithmetic."""
    if denominator == 0:
        return "no plans issued"
    tenths = (numerator * 2000 + denominator) // (2 * denominator)
    return f"{tenths // 10}.{tenths % 10}%"


def inputs(world: World) -> list[Issued]:
    oak, river, hill = world.school, world.second_school, world.other_la_school
    return [
        # Northmoor, final plans issued last year.
        Issued(oak, D(YEAR, 1, 6), 100),
        Issued(oak, D(YEAR, 2, 3), 140),  # exactly 20 weeks: on time (domain.md 0A)
        Issued(oak, D(YEAR, 2, 10), 141),  # one day late
        Issued(oak, D(YEAR, 3, 3), 150, exception=True),
        Issued(oak, D(YEAR, 1, 13), 120, exception=True),
        Issued(river, D(YEAR - 1, 10, 1), 364),  # exactly 52 weeks
        Issued(river, D(YEAR - 1, 6, 3), 366),  # over 52 weeks
        Issued(river, D(YEAR, 4, 1), 70),
        # Not last year's: issued the year before, or this year.
        Issued(oak, D(YEAR - 1, 6, 1), 100),
        Issued(oak, D(YEAR, 11, 3), 100),
        # Another LA's.
        Issued(hill, D(YEAR, 2, 2), 200),
        Issued(hill, D(YEAR, 3, 2), 50),
    ]


def expected(items: list[Issued], world: World, year: int) -> dict[str, object]:
    mine = [
        i
        for i in items
        if i.school.local_authority_id == world.home_la.pk and i.issued.year == year
    ]
    clean = [i for i in mine if not i.exception]
    within = [i for i in mine if i.days <= 140]
    within_clean = [i for i in clean if i.days <= 140]
    return {
        "new": len(mine),
        "within": len(within),
        "exceptions": len(mine) - len(clean),
        "within_clean": len(within_clean),
        "clean": len(clean),
        "middle": len([i for i in mine if 140 < i.days <= 364]),
        "over": len([i for i in mine if i.days > 364]),
        "mean_days": sum(i.days for i in mine),
    }


def test_the_20_week_figure_matches_a_count_by_hand(world: World) -> None:
    items = inputs(world)
    for item in items:
        issued_case(item)
    # A plan first issued the year before and amended last year is not new.
    old = issued_case(Issued(world.school, D(YEAR - 1, 1, 6), 90))
    PlanVersionFactory(
        plan=old.plan, number=3, kind=PlanVersion.Kind.AMENDED, issued_on=D(YEAR, 5, 1)
    )
    # A plan made before sendadmin (no request date) and a draft never finalised are not counted.
    legacy_plan(world.school, D(YEAR, 5, 1))
    draft_only = AssessmentCaseFactory(
        pupil=PupilFactory(school=world.school), request_received_on=D(YEAR, 6, 1)
    )
    PlanVersionFactory(
        plan=PlanFactory(pupil=draft_only.pupil, case=draft_only), issued_on=D(YEAR, 9, 1)
    )
    want = expected(items, world, YEAR)

    got = figures.twenty_week_figure(world.home_la.pk, YEAR, TODAY)

    assert got.new_plans == want["new"] == 8
    assert got.within_20 == want["within"]
    assert got.with_exception == want["exceptions"]
    assert got.within_20_without_exception == want["within_clean"]
    assert got.without_exception == want["clean"]
    assert got.weeks_20_to_52 == want["middle"]
    assert got.over_52 == want["over"]
    assert got.within_20_percent == by_hand_percent(want["within"], want["new"])  # type: ignore[arg-type]
    assert got.excluding_percent == by_hand_percent(want["within_clean"], want["clean"])  # type: ignore[arg-type]
    assert got.over_52_percent == by_hand_percent(want["over"], want["new"])  # type: ignore[arg-type]
    mean = round(want["mean_days"] / 7 / want["new"], 1)  # type: ignore[operator]
    assert float(got.mean_weeks or 0) == pytest.approx(mean)


def test_the_20_week_figure_for_one_school_counts_only_its_pupils(world: World) -> None:
    items = inputs(world)
    for item in items:
        issued_case(item)
    river = [i for i in items if i.school == world.second_school and i.issued.year == YEAR]

    got = figures.twenty_week_figure(world.home_la.pk, YEAR, TODAY, world.second_school.pk)

    assert got.new_plans == len(river) == 3
    assert got.within_20 == len([i for i in river if i.days <= 140])
    assert got.over_52 == len([i for i in river if i.days > 364])


def test_the_current_year_runs_to_today(world: World) -> None:
    items = inputs(world)
    for item in items:
        issued_case(item)
    this_year = [
        i
        for i in items
        if i.school.local_authority_id == world.home_la.pk and i.issued.year == TODAY.year
    ]

    got = figures.twenty_week_figure(world.home_la.pk, TODAY.year, TODAY)

    assert (got.first_day, got.last_day) == (D(TODAY.year, 1, 1), TODAY)
    assert got.new_plans == len(this_year) == 1


def test_no_plans_issued_is_said_not_shown_as_0_per_cent(world: World) -> None:
    issued_case(Issued(world.school, D(YEAR, 3, 3), 150, exception=True))

    none_at_all = figures.twenty_week_figure(world.home_la.pk, YEAR - 3, TODAY)
    only_exceptions = figures.twenty_week_figure(world.home_la.pk, YEAR, TODAY)

    assert none_at_all.new_plans == 0
    assert none_at_all.within_20_percent == "no plans issued"
    assert none_at_all.mean_weeks is None
    assert only_exceptions.new_plans == 1
    assert only_exceptions.within_20_percent == "0.0%"
    assert only_exceptions.excluding_percent == "no plans issued"


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [(1, 8, "12.5%"), (1, 16, "6.3%"), (2, 3, "66.7%"), (0, 4, "0.0%"), (5, 5, "100.0%")],
)
def test_percentages_have_one_decimal_place_halves_up(
    numerator: int, denominator: int, shown: str
) -> None:
    assert (
        figures.percent(numerator, denominator) == shown == by_hand_percent(numerator, denominator)
    )


def test_open_assessments_are_counted_in_their_week_and_past_20_weeks(world: World) -> None:
    days_ago = [0, 6, 7, 13, 20, 139, 140, 200, 400]
    for n in days_ago:
        open_case(world.school, TODAY - dt.timedelta(days=n))
    open_case(world.other_la_school, TODAY - dt.timedelta(days=10))
    issued_case(Issued(world.school, TODAY - dt.timedelta(days=100), 50))  # closed

    rows = figures.open_assessments_by_week(world.home_la.pk, TODAY)

    weeks = [n // 7 + 1 for n in days_ago]
    assert [r.count for r in rows[:20]] == [weeks.count(w) for w in range(1, 21)]
    assert rows[20].label == "Over 20 weeks"
    assert rows[20].count == len([w for w in weeks if w > 20]) == 3
    assert sum(r.count for r in rows) == len(days_ago)


def _advice(at: object, received: dt.date, days: int | None, **kw: object) -> AdviceRequest:
    case = AssessmentCaseFactory(
        pupil=PupilFactory(school=at),
        request_received_on=received - dt.timedelta(days=30),
        assessing=True,
        assess_decision_on=received,
    )
    submitted = {}
    if days is not None:
        submitted = {
            "status": AdviceRequest.Status.SUBMITTED,
            "submitted_on": received + dt.timedelta(days=days),
        }
    return AdviceRequestFactory(
        case=case,
        sent_on=received,
        received_on=received,
        **{"school": at, **submitted, **kw},
    )


def test_advice_turnaround_by_school_counts_six_weeks_from_receipt(world: World) -> None:
    oak_days, river_days = [10, 42, 43, 20], [50]
    for n, days in enumerate(oak_days):
        _advice(world.school, D(YEAR, 2 + n, 1), days)
    for days in river_days:
        _advice(world.second_school, D(YEAR, 5, 1), days)
    _advice(world.school, D(TODAY.year, 2, 1), 5)  # sent this year
    _advice(world.school, D(YEAR, 9, 1), None)  # not sent
    _advice(world.other_la_school, D(YEAR, 2, 1), 5)  # another LA's
    _advice(
        world.school,
        D(YEAR, 3, 1),
        5,
        kind=AdviceKind.PSYCHOLOGICAL,
        school=None,
        adviser_name="EP",
    )

    rows = {r.school: r for r in figures.advice_turnaround(world.home_la.pk, YEAR, TODAY)}

    assert set(rows) == {world.school.name, world.second_school.name}
    oak = rows[world.school.name]
    assert oak.answered == len(oak_days)
    assert oak.on_time == len([d for d in oak_days if d <= 42]) == 3
    assert oak.on_time_percent == by_hand_percent(3, 4)
    assert float(oak.median_days) == statistics.median(oak_days)
    river = rows[world.second_school.name]
    assert (river.answered, river.on_time, river.on_time_percent) == (1, 0, "0.0%")


def _review_clock(school: object, due: dt.date, **kw: object) -> Clock:
    plan = PlanFactory(pupil=PupilFactory(school=school, ehc_plan=True))
    return ClockFactory(
        kind=Kind.ANNUAL_REVIEW,
        pupil=plan.pupil,
        subject_type=ContentType.objects.get_for_model(plan),
        subject_id=plan.pk,
        school=school,
        started_on=due - dt.timedelta(days=365),
        due_on=due,
        **kw,
    )


def test_reviews_overdue_are_open_annual_review_clocks_past_due_by_school(world: World) -> None:
    late = TODAY - dt.timedelta(days=3)
    _review_clock(world.school, late)
    _review_clock(world.school, TODAY - dt.timedelta(days=90))
    _review_clock(world.second_school, late)
    _review_clock(world.school, TODAY)  # due today: not yet overdue
    _review_clock(world.school, late, state=Clock.State.MET, met_on=TODAY)
    _review_clock(world.other_la_school, late)

    got = figures.reviews_overdue(world.home_la.pk, TODAY)

    assert sorted(got) == sorted([(world.school.name, 2), (world.second_school.name, 1)])


def test_plans_by_need_and_setting_use_the_register_and_section_i(world: World) -> None:
    issued_case(Issued(world.school, D(YEAR, 1, 6), 100), need="ASD")
    issued_case(Issued(world.school, D(YEAR, 1, 7), 100), need="ASD")
    issued_case(Issued(world.second_school, D(YEAR, 1, 8), 100), need="SEMH")
    no_school = legacy_plan(
        world.school,
        D(YEAR, 5, 1),
        need="SLCN",
        section_i_school=None,
        section_i_name="",
        section_i_type="Independent special school",
    )
    # A pupil with no need on the register: the plan's section B gives it.
    bare = PlanFactory(pupil=PupilFactory(school=world.second_school, ehc_plan=True))
    version = PlanVersionFactory(plan=bare, number=1, issued_final=True)
    PlanNeedFactory(version=version, code="HI")
    ceased = legacy_plan(world.school, D(YEAR, 5, 1), need="PD")
    ceased.ceased_on = D(YEAR, 9, 1)
    ceased.save()
    legacy_plan(world.other_la_school, D(YEAR, 5, 1), need="VI")

    needs = {code: n for code, _, n in figures.plans_by_need(world.home_la.pk)}
    settings = dict(figures.plans_by_setting(world.home_la.pk))

    assert needs == {"ASD": 2, "SEMH": 1, "SLCN": 1, "HI": 1}
    assert settings == {
        "Maintained (primary)": 2,
        "Academy (secondary)": 2,
        "Independent special school": 1,
    }
    assert no_school.pk
    only_oak = dict(figures.plans_by_setting(world.home_la.pk, world.school.pk))
    assert only_oak == {"Maintained (primary)": 2, "Independent special school": 1}
