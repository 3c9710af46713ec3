"""Selectors of the school compliance dashboard (issue 7 parts 3 and 4).

Aggregates of one school in a constant number of queries whatever its size: every figure is a
`Count(filter=...)` (or a grouped count) in one query per table, never a query per pupil or row.
The named rows behind a count (drill-down) are filtered with the same Q objects as the count, so a
number and its list cannot disagree (ADR 0003), and with `pupil_visible_q` besides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from offer.selectors import OfferCompliance, offer_compliance
from pupils.codes import NEED_AREA, Area, NeedType, SenProvision, YearGroup
from pupils.models import Pupil, PupilNeed, SenStatus
from pupils.provision.selectors import (
    ProvisionMap,
    financial_year_start,
    provision_map_for_school,
)
from pupils.rules import pupil_visible_q
from sendadmin.accounts.models import School
from sendadmin.calendar import add_months
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock

from .census import CensusDay, last_census_days

SEN = (SenProvision.EHC_PLAN, SenProvision.SEN_SUPPORT)
# The window of the clock figures: met in the last 12 calendar months (domain.md 0A).
WINDOW_MONTHS = 12

# The school's own duties, each with the standard a governor checks it against. Clocks of the
# LA's duties that carry the school (the 20 weeks) belong on the LA dashboard.
CLOCK_STANDARDS: dict[str, str] = {
    Kind.ADVICE_REQUEST: "Educational advice to the LA within six weeks (reg 8(1))",
    Kind.ANNUAL_REVIEW: "Annual reviews of EHC plans within 12 months (CFA s.44(1))",
    Kind.REVIEW_INVITATIONS: "Review invitations at least two weeks before (reg 20(3))",
    Kind.REVIEW_PAPERS: "Review papers circulated two weeks before (reg 20(4))",
    Kind.REVIEW_REPORT: "Review reports within two weeks of the meeting (reg 20(7))",
    Kind.PARENT_MEETING: "Meetings with parents three times a year (CoP 6.65)",
    Kind.SEN_SUPPORT_REVIEW: "SEN support plans reviewed each term (CoP 6.54-6.56)",
    Kind.PARENTS_TOLD: "Parents told SEN provision is made (CFA s.68)",
    Kind.CONCERN_DECISION: "Decisions on concerns raised (CoP 6.44-6.45)",
    Kind.HEALTHCARE_PLAN_REVIEW: "Individual healthcare plans reviewed yearly (CFA s.100)",
    Kind.INFORMATION_REPORT_REVIEW: "SEN Information Report updated yearly (CoP 6.79)",
    Kind.SENCO_QUALIFICATION: "SENCO qualification within three years (reg 49(4))",
}


@dataclass(frozen=True)
class Tally:
    """One count with the key that drills down to the pupils behind it."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class YearLine:
    year: int
    label: str
    ehc: int
    support: int
    roll: int

    @property
    def sen(self) -> int:
        return self.ehc + self.support


@dataclass(frozen=True)
class CensusPoint:
    day: CensusDay
    ehc: int
    support: int


@dataclass(frozen=True)
class ClockLine:
    """One kind of clock: met on time and late in the window; exception, overdue and open now."""

    kind: str
    label: str
    on_time: int
    late: int
    exception: int
    overdue: int
    open: int


@dataclass(frozen=True)
class SchoolDashboard:
    school: School
    today: dt.date
    by_status: list[Tally]
    by_need: list[Tally]
    by_area: list[Tally]
    by_year: list[YearLine]
    over_time: list[CensusPoint]
    clocks: list[ClockLine]
    offer: OfferCompliance
    provision: ProvisionMap

    @property
    def overdue(self) -> list[ClockLine]:
        return [line for line in self.clocks if line.overdue]


def on_roll_q(on: dt.date, prefix: str = "") -> Q:
    """Pupils on roll on `on`: admitted by then and not left before it (as census_as_at counts)."""
    return Q(**{f"{prefix}admission_date__lte": on}) & (
        Q(**{f"{prefix}leaving_date__isnull": True}) | Q(**{f"{prefix}leaving_date__gte": on})
    )


def _roll(school_id: int, today: dt.date) -> QuerySet[Pupil]:
    return Pupil.objects.filter(on_roll_q(today), school_id=school_id)


def status_counts(school_id: int, today: dt.date) -> list[Tally]:
    """Pupils on roll by census SEN provision: E + K + N is the whole roll (domain.md 7.1)."""
    counts = _roll(school_id, today).aggregate(
        **{code: Count("pk", filter=Q(sen_provision=code)) for code in SenProvision.values}
    )
    return [Tally(code, label, counts[code]) for code, label in SenProvision.choices]


def _primary_needs(school_id: int, today: dt.date) -> QuerySet[PupilNeed]:
    # The census records a type of need for pupils on E or K only (domain.md 7.1); rank 1 is the
    # primary need.
    return PupilNeed.objects.filter(
        on_roll_q(today, "pupil__"),
        rank=1,
        pupil__school_id=school_id,
        pupil__sen_provision__in=SEN,
    )


def need_counts(school_id: int, today: dt.date) -> list[Tally]:
    """Pupils with SEN by primary need, one query for every code."""
    counts = _primary_needs(school_id, today).aggregate(
        **{code: Count("pk", filter=Q(code=code)) for code in NeedType.values}
    )
    return [Tally(code, label, counts[code]) for code, label in NeedType.choices]


def area_counts(by_need: list[Tally]) -> list[Tally]:
    """Pupils with SEN by the broad area of their primary need (CoP 6.28; pupils.codes.NEED_AREA):
    added up from the need counts, so no query."""
    totals = dict.fromkeys(Area.values, 0)
    for tally in by_need:
        totals[NEED_AREA[NeedType(tally.key)]] += tally.value
    return [Tally(area, label, totals[area]) for area, label in Area.choices]


def year_counts(school_id: int, today: dt.date) -> list[YearLine]:
    """EHC plans, SEN support and the roll of each year group with pupils on roll."""
    rows = (
        _roll(school_id, today)
        .values("year_group")
        .annotate(
            ehc=Count("pk", filter=Q(sen_provision=SenProvision.EHC_PLAN)),
            support=Count("pk", filter=Q(sen_provision=SenProvision.SEN_SUPPORT)),
            roll=Count("pk"),
        )
        .order_by("year_group")
    )
    labels = dict(YearGroup.choices)
    return [
        YearLine(
            r["year_group"],
            labels.get(r["year_group"], str(r["year_group"])),
            r["ehc"],
            r["support"],
            r["roll"],
        )
        for r in rows
    ]


def census_over_time(school_id: int, days: list[CensusDay]) -> list[CensusPoint]:
    """E and K at each census day from the SenStatus periods, in one aggregate query.

    As pupils.selectors.census_as_at: a pupil counts on a day when on roll then and a status period
    covering that day (start <= day <= end, or open) is E or K (domain.md 7.1).
    """
    if not days:
        return []

    def _on(day: dt.date, provision: str) -> Q:
        return (
            on_roll_q(day, "pupil__")
            & Q(start__lte=day, provision=provision)
            & (Q(end__isnull=True) | Q(end__gte=day))
        )

    aggregates: dict[str, Any] = {}
    for i, day in enumerate(days):
        for code in SEN:
            aggregates[f"{code}{i}"] = Count("pupil_id", filter=_on(day.on, code), distinct=True)
    counts = SenStatus.objects.filter(pupil__school_id=school_id).aggregate(**aggregates)
    return [
        CensusPoint(
            day, counts[f"{SenProvision.EHC_PLAN}{i}"], counts[f"{SenProvision.SEN_SUPPORT}{i}"]
        )
        for i, day in enumerate(days)
    ]


def window_start(today: dt.date) -> dt.date:
    return add_months(today, -WINDOW_MONTHS)


def met_in_window_q(today: dt.date) -> Q:
    return Q(state=Clock.State.MET, met_on__gte=window_start(today), met_on__lte=today)


def overdue_q(today: dt.date) -> Q:
    """Open and past its due date with no exception recorded: Clock.status() says OVERDUE."""
    return Q(state=Clock.State.OPEN, due_on__lt=today, exception_regulation="")


def clock_counts(school_id: int, today: dt.date) -> list[ClockLine]:
    """Each kind of the school's clocks in one grouped query; met figures over the last 12 months,
    the others now. The statuses are Clock.status()'s: met after the due date with an exception
    recorded counts as an exception, not late (domain.md 0A: an exception never moves the date)."""
    met = met_in_window_q(today)
    late = met & Q(met_on__gt=F("due_on"))
    has_exception = ~Q(exception_regulation="")
    open_late = Q(state=Clock.State.OPEN, due_on__lt=today)
    rows = {
        r["kind"]: r
        for r in Clock.objects.filter(school_id=school_id, kind__in=list(CLOCK_STANDARDS))
        .values("kind")
        .annotate(
            on_time=Count("pk", filter=met & Q(met_on__lte=F("due_on"))),
            late=Count("pk", filter=late & ~has_exception),
            exception=Count("pk", filter=(late | open_late) & has_exception),
            overdue=Count("pk", filter=overdue_q(today)),
            open=Count("pk", filter=Q(state=Clock.State.OPEN, due_on__gte=today)),
        )
        .order_by()
    }
    empty = {"on_time": 0, "late": 0, "exception": 0, "overdue": 0, "open": 0}
    lines = []
    for kind, label in CLOCK_STANDARDS.items():
        r = rows.get(kind, empty)
        lines.append(
            ClockLine(kind, label, r["on_time"], r["late"], r["exception"], r["overdue"], r["open"])
        )
    return lines


def school_dashboard(school: School, today: dt.date) -> SchoolDashboard:
    """Every figure of the dashboard for one school: a fixed number of queries."""
    by_need = need_counts(school.pk, today)
    return SchoolDashboard(
        school=school,
        today=today,
        by_status=status_counts(school.pk, today),
        by_need=by_need,
        by_area=area_counts(by_need),
        by_year=year_counts(school.pk, today),
        over_time=census_over_time(school.pk, last_census_days(today)),
        clocks=clock_counts(school.pk, today),
        offer=offer_compliance(school, today),
        provision=provision_map_for_school(school.pk, financial_year_start(today)),
    )


# Drill-down: the named rows behind one count, for the head, senior leaders and the SENCO.

DRILL_PUPIL_METRICS = ("status", "need", "area", "year")
DRILL_METRICS = (*DRILL_PUPIL_METRICS, "overdue")


def drill_key_label(metric: str, key: str) -> str | None:
    """What one key of a metric means in words, or None when it is not a key of the metric."""
    choices: dict[str, dict[str, str]] = {
        "status": dict(SenProvision.choices),
        "need": dict(NeedType.choices),
        "area": dict(Area.choices),
        "year": {str(v): str(label) for v, label in YearGroup.choices},
        "overdue": CLOCK_STANDARDS,
    }
    return choices.get(metric, {}).get(key)


def drill_pupils(
    user: Any, school_id: int, metric: str, key: str, today: dt.date
) -> QuerySet[Pupil]:
    """The pupils behind one count, among those the user may see; the same filters as the count."""
    pupils = Pupil.objects.filter(pupil_visible_q(user)).filter(
        on_roll_q(today), school_id=school_id
    )
    if metric == "status":
        pupils = pupils.filter(sen_provision=key)
    elif metric == "need":
        pupils = pupils.filter(sen_provision__in=SEN, needs__rank=1, needs__code=key)
    elif metric == "area":
        codes = [code for code, area in NEED_AREA.items() if area == key]
        pupils = pupils.filter(sen_provision__in=SEN, needs__rank=1, needs__code__in=codes)
    elif metric == "year":
        pupils = pupils.filter(sen_provision__in=SEN, year_group=int(key))
    else:
        raise ValueError(f"not a pupil metric: {metric}")
    return pupils.order_by("legal_last_name", "legal_first_name", "pk")


def drill_overdue_clocks(user: Any, school_id: int, kind: str, today: dt.date) -> QuerySet[Clock]:
    """The clocks behind one overdue count, with the pupil and the person responsible; a pupil's
    clock only when the user may see the pupil."""
    visible = Q(pupil__isnull=True) | Q(pupil__in=Pupil.objects.filter(pupil_visible_q(user)))
    return (
        Clock.objects.filter(overdue_q(today), visible, school_id=school_id, kind=kind)
        .select_related("pupil", "responsible_user")
        .order_by("due_on", "pk")
    )
