"""The governing body's duties for one school (issue 7 part 2; domain.md 4, 6 and 9): the SENCO
designation and its qualification check (CFA 2014 s.67; reg 49), the SEN link governor, the
accessibility plan, the medical conditions policy and the designated teacher.

Thin views: fetch through a selector (another school's designation: 404), require the permission
(visible but not allowed: 403), validate, call one service, redirect. The school is always the
active membership's: no parameter can switch it. After a conflicting save the page shows the
record as it is now beside what was typed, at the current version, so a second save goes through.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sendadmin.access import require_membership, require_perm
from sendadmin.accounts.models import School
from sendadmin.forms import errors_to_form, posted

from . import services_governance as services
from .forms_governance import GovernanceForm, SencoEndForm, SencoForm, senco_initial
from .models import Governance, SencoDesignation
from .selectors import designation_get_for_user_or_404, qualification_check
from .selectors_governance import RULE, governance_page, school_staff

VIEW = "offer.view_offer"
MANAGE = "offer.manage_offer"
CHANGE = "offer.change_record"


def _school(request: HttpRequest) -> School:
    membership = require_membership(request)
    school: School = membership.school
    return school


def _after_conflict(form: Form, exc: ValidationError, version: int) -> bool:
    """Keep what was typed, at the record's current version; True when the refusal was stale."""
    if getattr(exc, "code", None) != "stale":
        return False
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = version
    form.data = data
    return True


def _saved(request: HttpRequest, designation: SencoDesignation, done: str) -> None:
    """Recorded, but say so when the qualification does not meet reg 49 (the 2024 rules): the
    banner confirms the save and gives the check's message."""
    check = qualification_check(designation, timezone.localdate())
    if not check.compliant:
        done += f". Not compliant: {check.message}"
    messages.success(request, done)


@require_GET
def governance(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, VIEW)
    school = _school(request)
    return render(
        request,
        "offer/governance.html",
        {
            "page": governance_page(school, timezone.localdate()),
            "rule": RULE,
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


def _governance_initial(record: Governance | None) -> dict[str, Any]:
    if record is None:
        return {"version": 0}
    return {"version": record.version} | {
        name: getattr(record, name) for name in services.GOVERNANCE_FIELDS
    }


@require_http_methods(["GET", "POST"])
def governance_edit(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, MANAGE)
    school = _school(request)
    record = Governance.objects.filter(school=school).first()
    form = GovernanceForm(**posted(request), initial=_governance_initial(record))
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.governance_save(
                school, form.details(), form.cleaned_data["version"], request.user
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
            now = Governance.objects.filter(school=school).first()
            if _after_conflict(form, exc, now.version if now else 0):
                current = now
        else:
            messages.success(request, "Governance record saved")
            return redirect("offer:governance")
    return render(
        request, "offer/governance_form.html", {"form": form, "school": school, "current": current}
    )


def _staff(school: School) -> list[Any]:
    return list(school_staff(school, timezone.localdate()))


@require_http_methods(["GET", "POST"])
def senco_add(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, MANAGE)
    school = _school(request)
    form = SencoForm(
        **posted(request),
        staff=_staff(school),
        initial={"prior_senco_months": 0, "qualification": SencoDesignation.Qualification.NONE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            designation = services.senco_designate(school, data=form.details(), by=request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            _saved(request, designation, f"{designation.name} designated as SENCO")
            return redirect("offer:governance")
    return render(
        request,
        "offer/senco_form.html",
        {"form": form, "school": school, "designation": None, "rule": RULE},
    )


def _changeable(request: HttpRequest, pk: int) -> SencoDesignation:
    designation = designation_get_for_user_or_404(request.user, pk)
    require_perm(request.user, CHANGE, designation)
    return designation


@require_http_methods(["GET", "POST"])
def senco_edit(request: HttpRequest, pk: int) -> HttpResponse:
    designation = _changeable(request, pk)
    form = SencoForm(
        **posted(request), staff=_staff(designation.school), initial=senco_initial(designation)
    )
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.senco_update(
                designation, form.details(), form.cleaned_data["version"], request.user
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
            designation.refresh_from_db()
            if _after_conflict(form, exc, designation.version):
                current = designation
        else:
            _saved(request, saved, f"{saved.name}'s details saved")
            return redirect("offer:governance")
    return render(
        request,
        "offer/senco_form.html",
        {
            "form": form,
            "school": designation.school,
            "designation": designation,
            "current": current,
            "rule": RULE,
        },
    )


@require_http_methods(["GET", "POST"])
def senco_end(request: HttpRequest, pk: int) -> HttpResponse:
    designation = _changeable(request, pk)
    form = SencoEndForm(**posted(request), initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.senco_end(designation, form.cleaned_data["ended_on"], request.user)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"{designation.name} is no longer SENCO")
            return redirect("offer:governance")
    return render(request, "offer/senco_end.html", {"form": form, "designation": designation})


urlpatterns = [
    path("governance/", governance, name="governance"),
    path("governance/edit/", governance_edit, name="governance-edit"),
    path("senco/add/", senco_add, name="senco-add"),
    path("senco/<int:pk>/edit/", senco_edit, name="senco-edit"),
    path("senco/<int:pk>/end/", senco_end, name="senco-end"),
]
