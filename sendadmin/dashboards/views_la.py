"""The LA dashboard and the SEN2 export (issue 7 part 5), for LA roles with VIEW_LA_AGGREGATES over
their own LA only (ADR 0013). Thin views: the permission (403), the filters checked against the
LA's own lists, the figures from `la.py` and `sen2.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import LocalAuthority, School
from sendadmin.core.figure_cache import cached_figures
from sendadmin.core.replica import reads_from_replica

from . import la as figures
from .forms_la import LaFilterForm, default_year
from .rules import dashboard_la_id
from .sen2 import NOT_HELD, census_day, sen2_csv

# The weeks chart: one bar a row, drawn to scale in a fixed box (px in the SVG's own units).
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, BAR_SPACE, COUNT_SPACE = 18, 6, 110, 380, 50


def _la(request: HttpRequest) -> LocalAuthority:
    require_perm(request.user, "dashboards.view_la")
    la_id = dashboard_la_id(request.user)
    assert la_id is not None  # the permission is granted exactly when there is one
    return LocalAuthority.objects.get(pk=la_id)


def _filters(
    data: Any, la: LocalAuthority, today: dt.date, schools: list[School]
) -> tuple[LaFilterForm, int, int | None]:
    """The form, the year and the school; invalid filters give the LA's unfiltered figures."""
    form = LaFilterForm(
        data or None,
        la_name=la.name,
        schools=schools,
        today=today,
        initial={"year": default_year(today)},
    )
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["year"] or default_year(today), form.cleaned_data["school"]
    return form, default_year(today), None


def week_bars(rows: list[figures.WeekRow]) -> dict[str, Any]:
    """Geometry of the server-drawn bar chart (aria-hidden: the table beside it is the accessible
    version)."""
    top = max((r.count for r in rows), default=0) or 1
    bars = []
    for i, row in enumerate(rows):
        y = i * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            {
                "label": row.label,
                "count": row.count,
                "over": row.over,
                "y": y,
                "text_y": y + BAR_HEIGHT - 4,
                "width": round(BAR_SPACE * row.count / top),
                "count_x": LABEL_WIDTH + round(BAR_SPACE * row.count / top) + 6,
            }
        )
    return {
        "bars": bars,
        "height": len(rows) * (BAR_HEIGHT + BAR_GAP),
        "width": LABEL_WIDTH + BAR_SPACE + COUNT_SPACE,
        "bar_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


@require_GET
@reads_from_replica
def la_dashboard(request: HttpRequest) -> HttpResponse:
    la = _la(request)
    today = timezone.localdate()
    schools = list(figures.la_schools(la.pk))
    form, year, school_id = _filters(request.GET, la, today, schools)
    school_name = next((s.name for s in schools if s.pk == school_id), "")

    def count() -> str:
        weeks = figures.open_assessments_by_week(la.pk, today, school_id)
        return render_to_string(
            "dashboards/_la_figures.html",
            {
                "la": la,
                "year": year,
                "today": today,
                "weeks": weeks,
                "open_total": sum(r.count for r in weeks),
                "chart": week_bars(weeks),
                "twenty": figures.twenty_week_figure(la.pk, year, today, school_id),
                "advice": figures.advice_turnaround(la.pk, year, today, school_id),
                "overdue": figures.reviews_overdue(la.pk, today, school_id),
                "needs": figures.plans_by_need(la.pk, school_id),
                "settings": figures.plans_by_setting(la.pk, school_id),
                "census_day": census_day(year),
                "not_held": NOT_HELD,
            },
        )

    # The same figures for everyone at the LA, so they are rendered without the request and kept
    # for a few minutes (figure_cache) by LA, day, year and school; the page says when they were
    # counted. Counting them took 0.4 s at county size, and rendering the tables of 450 schools
    # most of 0.2 s more (benchmarks/load).
    html, counted_at = cached_figures(
        f"la-dashboard:{la.pk}:{today.isoformat()}:{year}:{school_id or ''}", count
    )
    return render(
        request,
        "dashboards/la.html",
        {
            "la": la,
            "form": form,
            "school_name": school_name,
            "figures": mark_safe(html),  # noqa: S308 - our own template's output, escaped there
            "counted_at": counted_at,
            "cache_minutes": settings.FIGURES_CACHE_SECONDS // 60,
        },
    )


@require_GET
@reads_from_replica
def la_sen2(request: HttpRequest) -> HttpResponse:
    """The SEN2 items for `year` as CSV, audited; a bad year goes back to the dashboard, which says
    what was wrong. The export is of the whole LA, so only the year is read."""
    la = _la(request)
    today = timezone.localdate()
    data = {"year": request.GET["year"]} if "year" in request.GET else None
    form, year, _ = _filters(data, la, today, [])
    if form.is_bound and "year" in form.errors:
        return redirect(f"{reverse('dashboards:la')}?{urlencode({'year': request.GET['year']})}")
    body, rows = sen2_csv(la.pk, year)
    filename = f"sen2-{la.code}-{year}.csv"
    audit_record(
        request.user, "dashboards.sen2.exported", la, request=request, year=year, rows=rows
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("la/", la_dashboard, name="la"),
    path("la/sen2.csv", la_sen2, name="la-sen2"),
]
