"""The LA dashboard's figures (issue 7 part 5): reads only, over the user's own LA, each figure in one
query whatever the number of cases, plans or schools (ADR 0013).

Every selector takes the LA's id from `rules.dashboard_la_id(user)` and an optional school of that
LA, which the view has checked against `la_schools`; nothing here accepts another LA's id from a
request.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from ehcp.deadlines import advice_due, final_plan_due
from ehcp.models import AdviceKind, AdviceRequest, AssessmentCase, Plan, PlanNeed, PlanVersion
from pupils.codes import NeedType
from pupils.models import PupilNeed
from sendadmin.accounts.models import School
from sendadmin.calendar import add_weeks
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock

# domain.md 1.1 step 7; reg 13(2): the final plan within 20 weeks of the request. The weeks of an
# open assessment are shown 1 to 20, then "over 20 weeks" (week 1 = the 7 days from the request,
# domain.md 0A; AssessmentCase.week_number).
FINAL_PLAN_WEEKS = 20
# domain.md 7.2: SEN2 also reports new plans issued in 20 to 52 weeks and over 52 weeks.
LONG_WAIT_WEEKS = 52
NO_PLANS = "no plans issued"
NOT_RECORDED = "Not recorded"
SCHOOL_TYPES = dict(School.Type.choices)
SCHOOL_PHASES = dict(School.Phase.choices)
NEED_LABELS = dict(NeedType.choices)


def percent(numerator: int, denominator: int, empty: str = NO_PLANS) -> str:
    """A percentage to one decimal place, halves rounded up; `empty` when there is nothing to
    divide by (a 0% would claim plans were late when none were issued)."""
    if denominator == 0:
        return empty
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return f"{value}%"


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def la_schools(la_id: int) -> QuerySet[School]:
    """The LA's own schools: the only schools the dashboard's filter accepts."""
    return School.objects.filter(local_authority_id=la_id).order_by("name", "pk")


def year_bounds(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """1 January to 31 December, or to today in the current year (the year to date)."""
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)


# --- Open assessments by week ---
@dataclass(frozen=True)
class WeekRow:
    label: str
    count: int
    over: bool = False


def open_assessments_by_week(
    la_id: int, today: dt.date, school_id: int | None = None
) -> list[WeekRow]:
    """How many open cases are in each week of the 20, and how many are past it (one query).

    Cases are grouped by the day their request arrived, so the query returns at most one row a day
    however many cases there are."""
    cases = AssessmentCase.objects.filter(local_authority_id=la_id, closed_on__isnull=True)
    if school_id is not None:
        cases = cases.filter(pupil__school_id=school_id)
    by_day = cases.values_list("request_received_on").annotate(n=Count("pk")).order_by()
    weeks: Counter[int] = Counter()
    for received, n in by_day:
        # AssessmentCase.week_number, applied to the day rather than to each case.
        weeks[max((today - received).days // 7 + 1, 1)] += n
    rows = [WeekRow(f"Week {w}", weeks[w]) for w in range(1, FINAL_PLAN_WEEKS + 1)]
    over = sum(n for w, n in weeks.items() if w > FINAL_PLAN_WEEKS)
    rows.append(WeekRow(f"Over {FINAL_PLAN_WEEKS} weeks", over, over=True))
    return rows


# --- The 20-week figure ---
@dataclass(frozen=True)
class TwentyWeeks:
    """New EHC plans issued in a year as SEN2 counts them (domain.md 7.2 and 0A)."""

    year: int
    first_day: dt.date
    last_day: dt.date
    new_plans: int
    within_20: int
    with_exception: int
    within_20_without_exception: int
    weeks_20_to_52: int
    over_52: int
    mean_weeks: Decimal | None

    @property
    def without_exception(self) -> int:
        return self.new_plans - self.with_exception

    @property
    def within_20_percent(self) -> str:
        return percent(self.within_20, self.new_plans)

    @property
    def excluding_percent(self) -> str:
        return percent(self.within_20_without_exception, self.without_exception)

    @property
    def weeks_20_to_52_percent(self) -> str:
        return percent(self.weeks_20_to_52, self.new_plans)

    @property
    def over_52_percent(self) -> str:
        return percent(self.over_52, self.new_plans)


def final_plan_exception_recorded() -> Exists:
    """The case's FINAL_PLAN clock records an exception (reg 13(3) borrowing reg 10(4)); the due
    date never moves (domain.md 0A), so this flag is the only trace an exception leaves."""
    return Exists(
        Clock.objects.filter(
            kind=Kind.FINAL_PLAN,
            subject_type=ContentType.objects.get_for_model(AssessmentCase),
            subject_id=OuterRef("pk"),
        ).exclude(exception_regulation="")
    )


def new_plan_cases(
    la_id: int, first_day: dt.date, last_day: dt.date, school_id: int | None = None
) -> QuerySet[AssessmentCase]:
    """The LA's cases whose first final plan was issued between the two days, annotated with that
    date (`first_final_on`) and whether an exception was recorded (`has_exception`)."""
    cases = AssessmentCase.objects.filter(local_authority_id=la_id)
    if school_id is not None:
        cases = cases.filter(pupil__school_id=school_id)
    return (
        cases.annotate(
            first_final_on=Min(
                "plan__versions__issued_on",
                filter=Q(plan__versions__kind=PlanVersion.Kind.FINAL),
            ),
            has_exception=final_plan_exception_recorded(),
        )
        .filter(first_final_on__gte=first_day, first_final_on__lte=last_day)
        .order_by()
    )


def twenty_weeks_from(
    rows: Iterable[tuple[dt.date, dt.date, bool]], year: int, first_day: dt.date, last_day: dt.date
) -> TwentyWeeks:
    """The figure from (request received, first final issued, exception recorded) triples."""
    new = within = exceptions = within_clean = middle = over = 0
    total_days = 0
    for received, issued, has_exception in rows:
        new += 1
        total_days += (issued - received).days
        on_time = issued <= final_plan_due(received)
        within += on_time
        if has_exception:
            exceptions += 1
        else:
            within_clean += on_time
        if not on_time:
            if issued <= add_weeks(received, LONG_WAIT_WEEKS):
                middle += 1
            else:
                over += 1
    mean = _one_decimal(Decimal(total_days) / Decimal(7 * new)) if new else None
    return TwentyWeeks(
        year=year,
        first_day=first_day,
        last_day=last_day,
        new_plans=new,
        within_20=within,
        with_exception=exceptions,
        within_20_without_exception=within_clean,
        weeks_20_to_52=middle,
        over_52=over,
        mean_weeks=mean,
    )


def twenty_week_figure(
    la_id: int, year: int, today: dt.date, school_id: int | None = None
) -> TwentyWeeks:
    """The 20-week figure for new plans issued in `year` (to date in the current year), including
    and excluding cases with an exception; the DfE headline excludes them (domain.md 7.2)."""
    first_day, last_day = year_bounds(year, today)
    cases: QuerySet[Any] = new_plan_cases(la_id, first_day, last_day, school_id)
    rows = cases.values_list("request_received_on", "first_final_on", "has_exception")
    return twenty_weeks_from(rows, year, first_day, last_day)


# --- Advice turnaround by school ---
@dataclass(frozen=True)
class AdviceRow:
    school: str
    answered: int
    on_time: int
    median_days: Decimal

    @property
    def on_time_percent(self) -> str:
        return percent(self.on_time, self.answered, empty="none answered")


def advice_turnaround(
    la_id: int, year: int, today: dt.date, school_id: int | None = None
) -> list[AdviceRow]:
    """Educational advice (reg 6(1)(b)) for the LA's cases sent by schools in the period, per
    school: how many, how many within six weeks of the school receiving the request (reg 8(1);
    domain.md 1.1 step 4) and the median days taken. One query."""
    first_day, last_day = year_bounds(year, today)
    advice = AdviceRequest.objects.filter(
        case__local_authority_id=la_id,
        kind=AdviceKind.EDUCATIONAL,
        status=AdviceRequest.Status.SUBMITTED,
        submitted_on__gte=first_day,
        submitted_on__lte=last_day,
    )
    if school_id is not None:
        advice = advice.filter(school_id=school_id)
    days: dict[str, list[int]] = defaultdict(list)
    on_time: Counter[str] = Counter()
    for name, received, submitted in advice.values_list(
        "school__name", "received_on", "submitted_on"
    ).order_by():
        if submitted is None:  # a submitted status always has its date (a check constraint)
            continue
        school = name or NOT_RECORDED
        days[school].append((submitted - received).days)
        on_time[school] += submitted <= advice_due(received)
    return [
        AdviceRow(
            school=school,
            answered=len(taken),
            on_time=on_time[school],
            median_days=_one_decimal(Decimal(str(statistics.median(taken)))),
        )
        for school, taken in sorted(days.items())
    ]


# --- Annual reviews overdue ---
def reviews_overdue(
    la_id: int, today: dt.date, school_id: int | None = None
) -> list[tuple[str, int]]:
    """Open annual review clocks past their due date (CFA s.44(1), reg 18; domain.md 2.1), by the
    school convening the review. One query."""
    clocks = Clock.objects.filter(
        local_authority_id=la_id,
        kind=Kind.ANNUAL_REVIEW,
        state=Clock.State.OPEN,
        due_on__lt=today,
    )
    if school_id is not None:
        clocks = clocks.filter(school_id=school_id)
    rows = clocks.values_list("school__name").annotate(n=Count("pk")).order_by("school__name")
    return [(name or NOT_RECORDED, n) for name, n in rows]


# --- Plans by primary need and by setting ---
def live_plans(la_id: int, school_id: int | None = None) -> QuerySet[Plan]:
    """The LA's plans in force: not ceased, with a final (or later amended) version issued."""
    issued = PlanVersion.objects.filter(
        plan_id=OuterRef("pk"),
        issued_on__isnull=False,
        kind__in=[PlanVersion.Kind.FINAL, PlanVersion.Kind.AMENDED],
    )
    plans = Plan.objects.filter(local_authority_id=la_id, ceased_on__isnull=True).filter(
        Exists(issued)
    )
    if school_id is not None:
        plans = plans.filter(pupil__school_id=school_id)
    return plans


def latest_issued_versions(on: dt.date | None = None, plan: Any = None) -> QuerySet[PlanVersion]:
    """The plan's issued versions (on or before `on`), latest first; `plan` refers to the plan's id
    from a nested subquery."""
    plan = OuterRef("pk") if plan is None else plan
    versions = PlanVersion.objects.filter(plan_id=plan, issued_on__isnull=False)
    if on is not None:
        versions = versions.filter(issued_on__lte=on)
    return versions.order_by("-number")


def primary_need_expression(on: dt.date | None = None) -> Coalesce:
    """The pupil's rank 1 need on the register (the census's primary need, domain.md 7.1), or the
    first need in section B of the latest issued version when the register has none."""
    # No ordering: (pupil, rank) is unique, and PupilNeed's default one (by the pupil, so by
    # name) joined the pupil table and sorted for every plan (benchmarks/load, the LA dashboard).
    register = (
        PupilNeed.objects.filter(pupil_id=OuterRef("pupil_id"), rank=1)
        .order_by()
        .values("code")[:1]
    )
    section_b = (
        PlanNeed.objects.filter(
            version=Subquery(latest_issued_versions(on, OuterRef(OuterRef("pk"))).values("pk")[:1])
        )
        .exclude(code="")
        .order_by("position", "pk")
        .values("code")[:1]
    )
    return Coalesce(Subquery(register), NullIf(Subquery(section_b), Value("")))


def plans_by_need(la_id: int, school_id: int | None = None) -> list[tuple[str, str, int]]:
    """(code, label, plans) for every primary need held, most plans first. One query."""
    rows = (
        live_plans(la_id, school_id)
        .annotate(need=primary_need_expression())
        .values_list("need")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = [(code or "", NEED_LABELS.get(code or "", NOT_RECORDED), n) for code, n in rows]
    return sorted(result, key=lambda r: (-r[2], r[1]))


def setting_label(school_type: str | None, phase: str | None, text: str | None) -> str:
    """The kind of setting section I names: the linked school's type and phase, else its text."""
    if school_type:
        kind = SCHOOL_TYPES.get(school_type, school_type)
        return f"{kind} ({SCHOOL_PHASES.get(phase or '', phase or NOT_RECORDED).lower()})"
    return (text or "").strip() or NOT_RECORDED


def plans_by_setting(la_id: int, school_id: int | None = None) -> list[tuple[str, int]]:
    """Plans by the setting named in section I of their latest issued version (reg 12(1)(i)).
    One query."""
    # Each live plan's latest issued version, as the issued version with no later issued one: an
    # anti-join PostgreSQL hashes, where three subqueries a plan took most of a second for a
    # county's 20,000 plans (benchmarks/load). Every live plan has one (live_plans).
    later = PlanVersion.objects.filter(
        plan_id=OuterRef("plan_id"), issued_on__isnull=False, number__gt=OuterRef("number")
    )
    rows = (
        PlanVersion.objects.filter(
            plan__in=live_plans(la_id, school_id).values("pk"), issued_on__isnull=False
        )
        .exclude(Exists(later))
        .values_list("section_i_school__type", "section_i_school__phase", "section_i_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: Counter[str] = Counter()
    for school_type, phase, text, n in rows:
        counts[setting_label(school_type, phase, text)] += n
    return sorted(counts.items(), key=lambda r: (-r[1], r[0]))
