"""The only page without a login: a school's published SEN Information Report at a stable address
(CoP 6.79: schools must publish it on their website, which can link here).

It reads only the latest published version and its facts frozen at publication: areas of need
without counts, the provision catalogue, the SENCO's contact (Sch 1 para 4), the IASS and the
Local Offer. No pupil data, and no other member of staff.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from sendadmin.accounts.models import School

from .deadlines import information_report_review_due
from .models import is_mainstream
from .report_display import section_rows
from .selectors import published_report


@login_not_required
@require_GET
def information_report(request: HttpRequest, urn: str) -> HttpResponse:
    school = get_object_or_404(School.objects.select_related("local_authority"), urn=urn)
    report = published_report(school)
    if report is None or report.published_on is None:
        raise Http404("No SEN Information Report is published")
    return render(
        request,
        "offer/public_report.html",
        {
            "school": school,
            "report": report,
            "rows": section_rows(report, report.live_data, is_mainstream(school)),
            "next_review": information_report_review_due(report.published_on),
        },
    )


urlpatterns: list[URLPattern] = [
    path("<str:urn>/sen-information-report/", information_report, name="information-report"),
]
