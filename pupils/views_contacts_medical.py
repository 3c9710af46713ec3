"""Pages for a pupil's parents and carers and medical conditions: fetch through a selector (not
visible: 404), check the permission (403), validate, call one service, redirect to the record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendadmin.access import require_perm
from sendadmin.forms import errors_to_form

from . import services
from .forms import MedicalConditionForm, ParentCarerForm, yes_no_initial
from .models import MedicalCondition, ParentCarer
from .selectors import (
    history_version,
    medical_condition_get_for_user_or_404,
    parent_carer_get_for_user_or_404,
    pupil_get_for_user_or_404,
)

EDIT_CONTACTS = "pupils.edit_contacts"
# Medical conditions are part of the SEN register's record, so the register's editors keep them.
EDIT_MEDICAL = "pupils.edit_register"


def _data(request: HttpRequest) -> Any:
    """Bound on POST even when the POST is empty, so 'required' errors show."""
    return request.POST if request.method == "POST" else None


def _after_conflict(form: Any, exc: ValidationError, record: Any) -> Any:
    """After a stale save: keep what was typed, but at the record's current version, so a second
    save (made after seeing the details as they are now, which the page shows) goes through.
    Returns the record as it is now, or None when the refusal was not a conflict."""
    if getattr(exc, "code", None) != "stale":
        return None
    record.refresh_from_db()
    data = form.data.copy()
    data["version"] = history_version(record)
    form.data = data
    return record


def _parent_initial(parent: ParentCarer) -> dict[str, Any]:
    return {
        "version": history_version(parent),
        "name": parent.name,
        "relationship": parent.relationship,
        "phone": parent.phone,
        "email": parent.email,
        "address": parent.address,
        "contact_preference": parent.contact_preference,
        "has_parental_responsibility": yes_no_initial(parent.has_parental_responsibility),
    }


def _medical_initial(record: MedicalCondition) -> dict[str, Any]:
    return {
        "version": history_version(record),
        "condition": record.condition,
        "has_healthcare_plan": yes_no_initial(record.has_healthcare_plan),
        "healthcare_plan_review_on": record.healthcare_plan_review_on,
    }


@require_http_methods(["GET", "POST"])
def parent_carer_add(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, EDIT_CONTACTS, pupil)
    form = ParentCarerForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.parent_carer_add(pupil=pupil, by=request.user, **form.details())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Parent or carer added")
            return redirect("pupils:pupil-detail", pk=pupil.pk)
    return render(
        request, "pupils/parent_carer_form.html", {"pupil": pupil, "form": form, "parent": None}
    )


@require_http_methods(["GET", "POST"])
def parent_carer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    parent = parent_carer_get_for_user_or_404(request.user, pk)
    require_perm(request.user, EDIT_CONTACTS, parent.pupil)
    form = ParentCarerForm(_data(request), initial=_parent_initial(parent))
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.parent_carer_update(
                parent=parent,
                version=form.cleaned_data["version"],
                by=request.user,
                **form.details(),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
            current = _after_conflict(form, exc, parent)
        else:
            messages.success(request, "Parent or carer's details saved")
            return redirect("pupils:pupil-detail", pk=parent.pupil_id)
    return render(
        request,
        "pupils/parent_carer_form.html",
        {"pupil": parent.pupil, "form": form, "parent": parent, "current": current},
    )


@require_http_methods(["GET", "POST"])
def parent_carer_remove(request: HttpRequest, pk: int) -> HttpResponse:
    parent = parent_carer_get_for_user_or_404(request.user, pk)
    require_perm(request.user, EDIT_CONTACTS, parent.pupil)
    if request.method == "POST":
        services.parent_carer_remove(parent=parent, by=request.user)
        messages.success(request, "Parent or carer removed")
        return redirect("pupils:pupil-detail", pk=parent.pupil_id)
    return render(
        request, "pupils/parent_carer_remove.html", {"pupil": parent.pupil, "parent": parent}
    )


@require_http_methods(["GET", "POST"])
def medical_condition_add(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, EDIT_MEDICAL, pupil)
    form = MedicalConditionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.medical_condition_record(pupil=pupil, by=request.user, **form.details())
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Medical condition added")
            return redirect("pupils:pupil-detail", pk=pupil.pk)
    return render(
        request,
        "pupils/medical_condition_form.html",
        {"pupil": pupil, "form": form, "record": None},
    )


@require_http_methods(["GET", "POST"])
def medical_condition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = medical_condition_get_for_user_or_404(request.user, pk)
    require_perm(request.user, EDIT_MEDICAL, record.pupil)
    form = MedicalConditionForm(_data(request), initial=_medical_initial(record))
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.medical_condition_update(
                record=record,
                version=form.cleaned_data["version"],
                by=request.user,
                **form.details(),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
            current = _after_conflict(form, exc, record)
        else:
            messages.success(request, "Medical condition saved")
            return redirect("pupils:pupil-detail", pk=record.pupil_id)
    return render(
        request,
        "pupils/medical_condition_form.html",
        {"pupil": record.pupil, "form": form, "record": record, "current": current},
    )


@require_http_methods(["GET", "POST"])
def medical_condition_remove(request: HttpRequest, pk: int) -> HttpResponse:
    record = medical_condition_get_for_user_or_404(request.user, pk)
    require_perm(request.user, EDIT_MEDICAL, record.pupil)
    if request.method == "POST":
        services.medical_condition_remove(record=record, by=request.user)
        messages.success(request, "Medical condition removed")
        return redirect("pupils:pupil-detail", pk=record.pupil_id)
    return render(
        request, "pupils/medical_condition_remove.html", {"pupil": record.pupil, "record": record}
    )
