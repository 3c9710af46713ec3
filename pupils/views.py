"""Pupil pages: the list, a record and its history; the SEN register, census, import, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from ehcp.models import AssessmentCase, Plan
from ehcp.rules import case_visible_q, plan_visible_q
from sendadmin.access import require_membership, require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.core.history import history_entries
from sendadmin.core.replica import reads_from_replica
from sendadmin.forms import posted

from . import export
from .codes import SenProvision
from .forms import CensusDateForm, ImportForm, ParentsToldForm, RegisterFilterForm, SenStatusForm
from .importer import pupils_import
from .models import MedicalCondition, ParentCarer, ParentsToldRecord, PupilNeed, SenStatus
from .selectors import (
    census_as_at,
    census_problems_for,
    pupil_get_for_user_or_404,
    pupil_list_for,
    register_counts,
    register_list_for,
    teaching_group_list_for,
)
from .services import parents_told_record as parents_told_record_service
from .services import pupil_sen_status_set as sen_status_set_service

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def pupil_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "pupils.list_pupils")
    search = request.GET.get("q", "").strip()[:100]
    paginator = Paginator(pupil_list_for(request.user, search=search), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "pupils/pupil_list.html", {"page": page, "search": search})


@require_GET
def pupil_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    audit_record(request.user, "pupils.pupil.viewed", pupil, request=request)
    # The pupil's EHC needs assessments and plan, as far as the user may see them (ehcp.rules).
    cases = AssessmentCase.objects.filter(case_visible_q(request.user), pupil=pupil)
    plan = Plan.objects.filter(plan_visible_q(request.user), pupil=pupil, ceased_on__isnull=True)
    context = {
        "pupil": pupil,
        "ehcp_cases": list(cases.order_by("-request_received_on")),
        "ehcp_plan": plan.first(),
    }
    return render(request, "pupils/pupil_detail.html", context)


@require_GET
def pupil_history(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "pupils.view_pupil_history", pupil)
    audit_record(request.user, "pupils.pupil.history_viewed", pupil, request=request)
    entries = history_entries(
        pupil.history.all(),
        PupilNeed.history.filter(pupil_id=pupil.pk),
        SenStatus.history.filter(pupil_id=pupil.pk),
        ParentsToldRecord.history.filter(pupil_id=pupil.pk),
        MedicalCondition.history.filter(pupil_id=pupil.pk),
        ParentCarer.history.filter(pupil_id=pupil.pk),
    )
    return render(request, "pupils/pupil_history.html", {"pupil": pupil, "entries": entries})


def _register_filters(request: HttpRequest) -> RegisterFilterForm:
    form = RegisterFilterForm(request.GET, groups=list(teaching_group_list_for(request.user)))
    form.is_valid()
    return form


@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "pupils.view_register")
    form = _register_filters(request)
    pupils = register_list_for(request.user, **form.selector_kwargs())
    paginator = Paginator(pupils, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pupils/register_list.html",
        {
            "form": form,
            "page": page,
            "counts": register_counts(pupils),
            "query": query.urlencode(),
            "sen_codes": (SenProvision.SEN_SUPPORT, SenProvision.EHC_PLAN),
        },
    )


@require_GET
@reads_from_replica
def register_export(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "pupils.view_register")
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest("Choose format=csv or format=xlsx")
    form = _register_filters(request)
    kwargs = form.selector_kwargs()
    pupils = register_list_for(request.user, **kwargs)
    body = export.as_csv(pupils) if fmt == "csv" else export.as_xlsx(pupils)
    audit_record(
        request.user,
        "pupils.register.exported",
        request=request,
        format=fmt,
        filters={k: v for k, v in kwargs.items() if v not in (None, "")},
        rows=pupils.count(),
    )
    stamp = timezone.localdate().isoformat()
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="sen-register-{stamp}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def register_import(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "pupils.import_pupils")
    membership = require_membership(request)
    if membership.school_id is None:
        raise PermissionDenied("import needs a school membership")
    form = ImportForm(**posted(request, files=True))
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = pupils_import(
                school=membership.school,
                data=upload.read(),
                complete_roll=form.cleaned_data["complete_roll"],
                by=request.user,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            return render(request, "pupils/register_import_result.html", {"result": result})
    return render(request, "pupils/register_import.html", {"form": form, "errors": errors})


@require_http_methods(["GET", "POST"])
def sen_status_set(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "pupils.edit_register", pupil)
    needs = [n.code for n in pupil.needs.all()]
    today = timezone.localdate()
    # The date input template reads the parts of the value: give the initial date as its parts.
    initial: dict[str, Any] = {
        "provision": pupil.sen_provision,
        "start": [today.day, today.month, today.year],
    }
    initial |= {f"need_{i}": code for i, code in enumerate(needs, start=1)}
    form = SenStatusForm(**posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sen_status_set_service(
                pupil=pupil,
                provision=form.cleaned_data["provision"],
                start=form.cleaned_data["start"],
                needs=form.cleaned_data["needs"],
                by=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "SEN provision and needs saved")
            return redirect("pupils:pupil-detail", pk=pupil.pk)
    return render(request, "pupils/sen_status_form.html", {"pupil": pupil, "form": form})


@require_http_methods(["GET", "POST"])
def parents_told_record(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "pupils.edit_register", pupil)
    form = ParentsToldForm(**posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            parents_told_record_service(
                pupil=pupil,
                told_on=form.cleaned_data["told_on"],
                method=form.cleaned_data["method"],
                told_by=form.cleaned_data["told_by"],
                by=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Recorded that the parents were told")
            return redirect("pupils:pupil-detail", pk=pupil.pk)
    return render(request, "pupils/parents_told_form.html", {"pupil": pupil, "form": form})


@require_GET
def register_census(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "pupils.view_census")
    form = CensusDateForm(request.GET or None)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        on = form.cleaned_data["on"]
    census = census_as_at(request.user, on)
    return render(request, "pupils/register_census.html", {"form": form, "on": on, **census})


@require_GET
def register_census_check(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "pupils.view_census")
    problems = census_problems_for(request.user)
    return render(request, "pupils/register_census_check.html", {"problems": problems})
