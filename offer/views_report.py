"""The SEN Information Report pages (CFA 2014 s.69; reg 51 and Schedule 1; domain.md 4): the
versions, a version section by section, writing the draft, the two approvals, publishing, the PDF.

Thin views: fetch through a selector (not visible: 404), require the permission (403), validate,
call one service, redirect. A service's refusal shows in the error summary with what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import School
from sendadmin.accounts.roles import Cap
from sendadmin.forms import errors_to_form, posted

from . import services_report as services
from .deadlines import information_report_review_due
from .forms_report import GovernorsApprovalForm, ReportSectionsForm
from .models import InformationReport, is_mainstream
from .pdf_report import report_pdf_filename, report_pdf_render
from .report_display import section_rows
from .rules import offer_school_id
from .sections import sections_for
from .selectors import report_get_for_user_or_404, report_list_for, report_live_data


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """Every version of the school's report, the published one's date and next review."""
    require_perm(request.user, "offer.view_offer")
    reports = list(report_list_for(request.user))
    published = next((r for r in reports if r.status == InformationReport.Status.PUBLISHED), None)
    draft = next((r for r in reports if r.is_draft), None)
    return render(
        request,
        "offer/report_list.html",
        {
            "reports": reports,
            "published": published,
            "next_review": information_report_review_due(published.published_on)
            if published and published.published_on
            else None,
            "draft": draft,
            "today": timezone.localdate(),
            "can_manage": request.user.has_perm("offer.manage_offer"),
        },
    )


@require_POST
def report_start(request: HttpRequest) -> HttpResponse:
    """Start a new version from the latest (or go to the draft already started)."""
    require_perm(request.user, "offer.manage_offer")
    school_id = offer_school_id(request.user, Cap.MANAGE_SCHOOL_OFFER)
    if school_id is None:
        raise PermissionDenied("offer.manage_offer")
    school = School.objects.get(pk=school_id)
    report = services.report_draft_start(school=school, by=request.user)
    messages.success(request, f"Version {report.number} is a draft: write or update its sections")
    return redirect("offer:report-detail", pk=report.pk)


def _detail(
    request: HttpRequest, report: InformationReport, errors: list[str] | None = None
) -> HttpResponse:
    """A version section by section: a draft quotes today's live facts, the others their frozen ones."""
    today = timezone.localdate()
    live = report_live_data(report.school, today) if report.is_draft else report.live_data
    user = request.user
    draft = report.is_draft
    return render(
        request,
        "offer/report_detail.html",
        {
            "report": report,
            "school": report.school,
            "rows": section_rows(report, live, is_mainstream(report.school)),
            "errors": errors or [],
            "next_review": information_report_review_due(report.published_on)
            if report.published_on
            else None,
            "can_edit": draft and user.has_perm("offer.change_record", report),
            "can_approve_head": draft
            and report.head_approved_on is None
            and user.has_perm("offer.approve_as_head", report),
            "can_record_governors": draft
            and user.has_perm("offer.record_governors_approval", report),
            "can_publish": draft and user.has_perm("offer.change_record", report),
        },
    )


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "offer.view_offer")
    return _detail(request, report)


def _draft_for(request: HttpRequest, pk: int, perm: str) -> InformationReport:
    report = report_get_for_user_or_404(request.user, pk)
    require_perm(request.user, perm, report)
    return report


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A textarea per required section with its guidance as the hint. After someone else's save the
    typed text is kept, shown beside what was saved, at the current version."""
    report = _draft_for(request, pk, "offer.change_record")
    if not report.is_draft:
        return _detail(request, report, [services.NOT_A_DRAFT])
    sections = sections_for(is_mainstream(report.school))
    initial: dict[str, Any] = {"version": report.version, **report.sections}
    form = ReportSectionsForm(**posted(request), initial=initial, sections=sections)
    saved_now: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.report_sections_save(
                report=report,
                sections=form.section_texts(),
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except services.StaleVersionError as exc:
            report.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(report.version)
            form = ReportSectionsForm(data=data, sections=sections)
            form.is_valid()
            errors_to_form(form, exc)
            typed = form.section_texts()
            saved_now = {
                s.key: report.sections.get(s.key, "")
                for s in sections
                if report.sections.get(s.key, "") != typed.get(s.key, "")
            }
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Report saved")
            return redirect("offer:report-detail", pk=report.pk)
    rows = [(form[s.key], s, saved_now.get(s.key)) for s in sections]
    return render(
        request,
        "offer/report_edit.html",
        {"form": form, "report": report, "school": report.school, "rows": rows},
    )


@require_POST
def report_approve_head(request: HttpRequest, pk: int) -> HttpResponse:
    report = _draft_for(request, pk, "offer.approve_as_head")
    try:
        services.report_approve_as_head(
            report=report,
            by=request.user,
            on=timezone.localdate(),
            expected_version=_version(request),
        )
    except ValidationError as exc:
        report.refresh_from_db()
        return _detail(request, report, exc.messages)
    messages.success(request, "Approved as headteacher")
    return redirect("offer:report-detail", pk=report.pk)


@require_http_methods(["GET", "POST"])
def report_governors_approval(request: HttpRequest, pk: int) -> HttpResponse:
    """The date of the governing body's meeting that approved the version and its minute."""
    report = _draft_for(request, pk, "offer.record_governors_approval")
    if not report.is_draft:
        return _detail(request, report, [services.NOT_A_DRAFT])
    form = GovernorsApprovalForm(
        **posted(request),
        initial={
            "version": report.version,
            "approved_on": report.governors_approved_on or timezone.localdate(),
            "minute": report.governors_minute,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_governors_approval_record(
                report=report,
                on=form.cleaned_data["approved_on"],
                minute=form.cleaned_data["minute"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "The governing body's approval is recorded")
            return redirect("offer:report-detail", pk=report.pk)
    return render(
        request,
        "offer/report_governors_approval.html",
        {"form": form, "report": report, "school": report.school},
    )


@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = _draft_for(request, pk, "offer.change_record")
    try:
        services.report_publish(
            report=report,
            by=request.user,
            today=timezone.localdate(),
            expected_version=_version(request),
        )
    except ValidationError as exc:
        report.refresh_from_db()
        return _detail(request, report, exc.messages)
    messages.success(request, f"Version {report.number} is published")
    return redirect("offer:report-detail", pk=report.pk)


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "offer.view_offer")
    body = report_pdf_render(report)
    audit_record(request.user, "offer.report.downloaded", report, request=request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_pdf_filename(report)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("report/", report_list, name="report-list"),
    path("report/start/", report_start, name="report-start"),
    path("report/<int:pk>/", report_detail, name="report-detail"),
    path("report/<int:pk>/edit/", report_edit, name="report-edit"),
    path("report/<int:pk>/approve-head/", report_approve_head, name="report-approve-head"),
    path(
        "report/<int:pk>/governors-approval/",
        report_governors_approval,
        name="report-governors-approval",
    ),
    path("report/<int:pk>/publish/", report_publish, name="report-publish"),
    path("report/<int:pk>/pdf/", report_pdf, name="report-pdf"),
]
