"""The school compliance dashboard (issue 7 parts 3 and 4): governors see aggregates with small
counts suppressed; the headteacher, senior leaders and the SENCO see exact counts and drill down to
the named pupils and staff behind one; and the termly "SEN report to governors" as a PDF.

The school is always the active membership's (sendadmin.dashboards.rules): no query parameter can
switch it. A request that names another school gets the user's own school with a notice saying so.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import School
from sendadmin.core.figure_cache import cached_figures
from sendadmin.core.replica import reads_from_replica

from .pdf_school import (
    governors_report_filename,
    governors_report_html,
    governors_report_pdf_render,
)
from .present import SUPPRESS_BELOW, dashboard_context
from .rules import dashboard_school_id, drill_down_school_id
from .school import (
    DRILL_METRICS,
    drill_key_label,
    drill_overdue_clocks,
    drill_pupils,
    school_dashboard,
)

PAGE_SIZE = 50
# Parameters someone might try to choose a school with; the views never read them for that.
SCHOOL_PARAMS = ("school", "school_id", "urn")


def _school(school_id: int | None) -> School:
    if school_id is None:
        raise PermissionDenied("no school dashboard for this membership")
    return School.objects.get(pk=school_id)


def other_school_asked(request: HttpRequest, school: School) -> bool:
    """Whether the request names a school other than the user's own (to say it was ignored)."""
    own = {str(school.pk), school.urn}
    return any(
        value.strip() not in own for name in SCHOOL_PARAMS for value in request.GET.getlist(name)
    )


@require_GET
@reads_from_replica
def school_page(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "dashboards.view_school")
    school = _school(dashboard_school_id(request.user))
    links = request.user.has_perm("dashboards.drill_down")
    # What of the figures' HTML depends on the viewer: the drill-down links (governors see
    # suppressed counts without them) and the links to two other pages.
    perms = {
        "provision": {"view_map": request.user.has_perm("provision.view_map")},
        "offer": {"view_offer": request.user.has_perm("offer.view_offer")},
    }
    today = timezone.localdate()

    def count() -> str:
        context = dashboard_context(
            school_dashboard(school, today), suppress=not links, links=links
        )
        return render_to_string(
            "dashboards/_school_figures.html", {**context, "school": school, "perms": perms}
        )

    # The same figures for everyone at the school who sees them the same way, so they are rendered
    # without the request and kept for a few minutes (figure_cache), the page saying when they
    # were counted: counting and rendering them cost a head's dashboard 150 ms at county size,
    # most of a scenario's time under load (benchmarks/load).
    viewer = "".join(
        "1" if flag else "0"
        for flag in (links, perms["provision"]["view_map"], perms["offer"]["view_offer"])
    )
    html, counted_at = cached_figures(
        f"school-dashboard:{school.pk}:{today.isoformat()}:{viewer}", count
    )
    return render(
        request,
        "dashboards/school.html",
        {
            "school": school,
            "other_school": other_school_asked(request, school),
            "suppress": not links,
            "threshold": SUPPRESS_BELOW,
            "figures": mark_safe(html),  # noqa: S308 - our own template's output, escaped there
            "counted_at": counted_at,
            "cache_minutes": settings.FIGURES_CACHE_SECONDS // 60,
        },
    )


@require_GET
@reads_from_replica
def school_drill(request: HttpRequest, metric: str) -> HttpResponse:
    """The named pupils (or overdue clocks and who is responsible) behind one count: audited as a
    sensitive read, since it lists pupils by their SEN."""
    require_perm(request.user, "dashboards.drill_down")
    school = _school(drill_down_school_id(request.user))
    key = request.GET.get("key", "")
    label = drill_key_label(metric, key) if metric in DRILL_METRICS else None
    if label is None:
        raise Http404("No such count")
    today = timezone.localdate()
    rows = (
        drill_overdue_clocks(request.user, school.pk, key, today)
        if metric == "overdue"
        else drill_pupils(request.user, school.pk, metric, key, today)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        request.user,
        "dashboards.drill_down.viewed",
        school,
        request=request,
        metric=metric,
        key=key,
        page=page.number,
    )
    return render(
        request,
        "dashboards/school_drill.html",
        {
            "school": school,
            "metric": metric,
            "key": key,
            "label": label,
            "page": page,
            "today": today,
            "other_school": other_school_asked(request, school),
        },
    )


@require_GET
@reads_from_replica
def governors_report_pdf(request: HttpRequest) -> HttpResponse:
    """The termly SEN report to governors: the user's own school, aggregates only, suppressed."""
    require_perm(request.user, "dashboards.view_school")
    school = _school(dashboard_school_id(request.user))
    today = timezone.localdate()
    body = governors_report_pdf_render(governors_report_html(school, today))
    audit_record(request.user, "dashboards.governors_report.downloaded", school, request=request)
    response = HttpResponse(body, content_type="application/pdf")
    filename = governors_report_filename(school, today)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("school/", school_page, name="school"),
    path(
        "school/governors-report.pdf",
        governors_report_pdf,
        name="governors-report-pdf",
    ),
    path("school/<slug:metric>/", school_drill, name="school-drill"),
]
