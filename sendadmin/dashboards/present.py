"""The school dashboard's figures as one viewer may see them: tables and charts, suppressed for
governors and exact with drill-down links for the head, senior leaders and the SENCO.

The governors' report PDF uses the same tables, always suppressed and never linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from sendadmin.clocks.kinds import Kind
from sendadmin.core.aggregates import SUPPRESS_BELOW, ExactCount, SuppressedCount, count_shown

from .charts import BLUE, GREEN, BarSpec, Chart, bar_chart
from .school import SchoolDashboard, Tally

Shown = SuppressedCount | ExactCount


@dataclass(frozen=True)
class Cell:
    count: Shown
    href: str | None = None


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[Cell]
    code: str = ""
    detail: str = ""


COLUMNS = {
    "count": ["Pupils"],
    "year": ["EHC plan", "SEN support", "Pupils with SEN", "On roll"],
    "time": ["EHC plan", "SEN support"],
    "clocks": ["Met on time", "Met late", "Late, exception applied", "Overdue now", "Open"],
    "overdue": ["Overdue now"],
}


def drill_href(metric: str, key: str | int) -> str:
    url = reverse("dashboards:school-drill", kwargs={"metric": metric})
    return f"{url}?{urlencode({'key': key})}"


class _Viewer:
    def __init__(self, *, suppress: bool, links: bool) -> None:
        self.suppress = suppress
        self.links = links

    def cell(self, value: int, metric: str = "", key: str | int = "") -> Cell:
        href = drill_href(metric, key) if self.links and metric and value else None
        return Cell(count_shown(value, suppress=self.suppress), href)

    def count(self, value: int) -> Shown:
        return count_shown(value, suppress=self.suppress)


def _tally_rows(view: _Viewer, metric: str, tallies: list[Tally]) -> list[TableRow]:
    return [TableRow(t.label, [view.cell(t.value, metric, t.key)], code=t.key) for t in tallies]


def dashboard_context(data: SchoolDashboard, *, suppress: bool, links: bool) -> dict[str, Any]:
    """Tables and charts of the dashboard; `links` only for those who may drill down."""
    view = _Viewer(suppress=suppress, links=links)
    needs = [t for t in data.by_need if t.value]
    years = [
        TableRow(
            y.label,
            [
                view.cell(y.ehc),
                view.cell(y.support),
                view.cell(y.sen, "year", y.year),
                view.cell(y.roll),
            ],
        )
        for y in data.by_year
    ]
    over_time = [
        TableRow(
            p.day.name,
            [view.cell(p.ehc), view.cell(p.support)],
            detail=f"{p.day.on:%-d %B %Y}",
        )
        for p in data.over_time
    ]
    clocks = [
        TableRow(
            line.label,
            [
                view.cell(line.on_time),
                view.cell(line.late),
                view.cell(line.exception),
                view.cell(line.overdue, "overdue", line.kind),
                view.cell(line.open),
            ],
            code=line.kind,
        )
        for line in data.clocks
    ]
    kind_labels = dict(Kind.choices)
    overdue = [
        TableRow(line.label, [view.cell(line.overdue, "overdue", line.kind)], code=line.kind)
        for line in data.overdue
    ]
    return {
        "dashboard": data,
        "suppress": suppress,
        "links": links,
        "threshold": SUPPRESS_BELOW,
        "status_rows": _tally_rows(view, "status", data.by_status),
        "status_chart": bar_chart([BarSpec(t.label, view.count(t.value)) for t in data.by_status]),
        "need_rows": _tally_rows(view, "need", needs),
        "need_chart": bar_chart([BarSpec(t.label, view.count(t.value)) for t in needs]),
        "area_rows": _tally_rows(view, "area", data.by_area),
        "area_chart": bar_chart([BarSpec(t.label, view.count(t.value)) for t in data.by_area]),
        "year_rows": years,
        "year_chart": bar_chart([BarSpec(y.label, view.count(y.sen)) for y in data.by_year]),
        "time_rows": over_time,
        "time_chart": _time_chart(view, data),
        "clock_rows": clocks,
        "overdue_rows": overdue,
        "overdue_chart": bar_chart(
            [BarSpec(kind_labels[line.kind], view.count(line.overdue)) for line in data.overdue]
        ),
        "columns": COLUMNS,
        "offer": data.offer,
        "provision": data.provision,
        "over_budget": _over_budget(data),
    }


def _over_budget(data: SchoolDashboard) -> Decimal | None:
    budget = data.provision.budget
    return -budget.remaining if budget is not None and budget.remaining < 0 else None


def _time_chart(view: _Viewer, data: SchoolDashboard) -> Chart:
    specs = []
    for p in data.over_time:
        specs.append(BarSpec(f"{p.day.name}: EHC plan", view.count(p.ehc), BLUE))
        specs.append(BarSpec(f"{p.day.name}: SEN support", view.count(p.support), GREEN))
    return bar_chart(specs)
