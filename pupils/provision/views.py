"""Pages of the costed provision map: fetch through a selector (404), check the permission (403),
validate, call one service, redirect."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pupils.selectors import pupil_get_for_user_or_404
from sendadmin.access import require_membership, require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.core.aggregates import SuppressedCount
from sendadmin.forms import errors_to_form

from . import services
from .forms import AssignForm, BudgetForm, EndAssignmentForm, ProvisionForm, SessionLogForm
from .models import NotionalSenBudget, Provision
from .selectors import (
    assignment_get_for_user_or_404,
    financial_year_start,
    loggable_pupils,
    provision_get_for_user_or_404,
    provision_list_for,
    provision_map_for_school,
    provision_pupil_stats,
    provisions_to_log_for,
    pupil_provision_stats,
    recent_sessions,
)


def _year_choice(request: HttpRequest, today: dt.date) -> dt.date:
    current = financial_year_start(today)
    try:
        year = int(request.GET.get("year", current.year))
    except ValueError:
        year = current.year
    year = min(max(year, current.year - 5), current.year + 1)
    return dt.date(year, 4, 1)


@require_GET
def provision_map(request: HttpRequest) -> HttpResponse:
    """Planned and delivered cost per provision and area of need against the notional budget."""
    membership = require_membership(request)
    require_perm(request.user, "provision.view_map")
    today = timezone.localdate()
    year_start = _year_choice(request, today)
    summary = provision_map_for_school(membership.school_id, year_start)
    named = request.user.has_perm("accounts.view_sen_details")
    rows = [(row, row.pupils if named else SuppressedCount(row.pupils)) for row in summary.rows]
    current = financial_year_start(today).year
    return render(
        request,
        "provision/map.html",
        {
            "summary": summary,
            "rows": rows,
            "named": named,
            "years": [
                (y, f"April {y} to March {y + 1}") for y in range(current + 1, current - 6, -1)
            ],
            "can_manage": request.user.has_perm("provision.manage"),
            "can_log": request.user.has_perm("provision.log_sessions"),
        },
    )


def _save_provision(
    request: HttpRequest, form: ProvisionForm, provision: Provision | None
) -> Provision | None:
    try:
        if provision is None:
            return services.provision_create(
                school=request.membership.school,  # type: ignore[attr-defined]
                by=request.user,
                **form.service_values(),
            )
        return services.provision_update(
            provision=provision,
            version=form.cleaned_data["version"],
            by=request.user,
            **form.service_values(),
        )
    except ValidationError as exc:
        if provision is not None and any(e.code == "stale" for e in exc.error_list):
            # Show what they typed, now at the current version, so a second save is deliberate.
            data = request.POST.copy()
            data["version"] = str(Provision.objects.get(pk=provision.pk).version)
            form.data = data
        if hasattr(exc, "error_dict") and "__all__" in exc.error_dict:
            exc = ValidationError(
                "A provision with this name already exists: choose another name"
                if any(e.code in ("unique", "unique_together") for e in exc.error_dict["__all__"])
                else exc.error_dict["__all__"]
            )
        errors_to_form(form, exc)
        return None


@require_http_methods(["GET", "POST"])
def provision_create(request: HttpRequest) -> HttpResponse:
    require_membership(request)
    require_perm(request.user, "provision.manage")
    form = ProvisionForm(request.POST or None, initial={"delivery": "group", "active": True})
    if request.method == "POST" and form.is_valid():
        provision = _save_provision(request, form, None)
        if provision is not None:
            messages.success(request, f"{provision.name} added to the provision map")
            return redirect("provision:detail", pk=provision.pk)
    return render(request, "provision/provision_form.html", {"form": form, "provision": None})


@require_http_methods(["GET", "POST"])
def provision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provision = provision_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "provision.change_provision", provision)
    form = ProvisionForm(request.POST or None, initial=ProvisionForm.initial_for(provision))
    if request.method == "POST" and form.is_valid():
        saved = _save_provision(request, form, provision)
        if saved is not None:
            messages.success(request, f"{saved.name} saved")
            return redirect("provision:detail", pk=saved.pk)
    return render(request, "provision/provision_form.html", {"form": form, "provision": provision})


@require_GET
def provision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A provision with its pupils (a teacher sees those they teach), planned against delivered."""
    provision = provision_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "provision.view_provision", provision)
    today = timezone.localdate()
    stats = provision_pupil_stats(request.user, provision, today)
    audit_record(request.user, "provision.provision.viewed", provision, request=request)
    return render(
        request,
        "provision/provision_detail.html",
        {
            "provision": provision,
            "current": [s for s in stats if s.assignment.end is None or s.assignment.end >= today],
            "ended": [
                s for s in stats if s.assignment.end is not None and s.assignment.end < today
            ],
            "sessions": recent_sessions(provision),
            "can_manage": request.user.has_perm("provision.change_provision", provision),
            "can_log": request.user.has_perm("provision.record_session", provision),
        },
    )


@require_GET
def log_start(request: HttpRequest) -> HttpResponse:
    """The phone-first way in: the provisions with pupils I may log a session for today."""
    require_membership(request)
    require_perm(request.user, "provision.log_sessions")
    today = timezone.localdate()
    return render(
        request,
        "provision/log_start.html",
        {"provisions": provisions_to_log_for(request.user, today), "today": today},
    )


def _posted_date(request: HttpRequest, today: dt.date) -> dt.date:
    """The session date typed in the form (to list who was on the provision then), else today."""
    try:
        return dt.date(
            int(request.POST.get("date_year", "")),
            int(request.POST.get("date_month", "")),
            int(request.POST.get("date_day", "")),
        )
    except ValueError:
        return today


@require_http_methods(["GET", "POST"])
def session_log(request: HttpRequest, pk: int) -> HttpResponse:
    provision = provision_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "provision.record_session", provision)
    today = timezone.localdate()
    day = _posted_date(request, today) if request.method == "POST" else today
    pupils = list(loggable_pupils(request.user, provision, min(day, today)))
    choices = [(p.pk, p.display_name) for p in pupils]
    form = SessionLogForm(
        request.POST or None,
        pupils=choices,
        today=today,
        initial={
            "date": [today.day, today.month, today.year],
            "duration_minutes": provision.minutes_per_session,
            "attended": [p.pk for p in pupils],
            "key": uuid.uuid4(),
        },
    )
    if request.method == "POST" and form.is_valid():
        if not pupils:
            form.add_error(None, "No pupils you teach were on this provision on that date")
        else:
            present = set(form.cleaned_data["attended"])
            try:
                log, created = services.session_log_record(
                    provision=provision,
                    date=form.cleaned_data["date"],
                    duration_minutes=form.cleaned_data["duration_minutes"],
                    attended={p.pk: p.pk in present for p in pupils},
                    notes=form.cleaned_data["notes"],
                    submission_key=form.cleaned_data["key"],
                    by=request.user,
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                if created:
                    messages.success(
                        request, f"Session logged: {provision.name}, {log.date:%-d %B %Y}"
                    )
                else:
                    messages.info(
                        request,
                        f"That session of {provision.name} on {log.date:%-d %B %Y} was "
                        "already logged; nothing was changed",
                    )
                return redirect("provision:log-start")
    return render(
        request,
        "provision/session_log.html",
        {"provision": provision, "form": form, "pupils": pupils},
    )


@require_GET
def pupil_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything a pupil has been given from the provision map: planned, delivered, cost, impact."""
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "pupils.view_pupil_sen", pupil)
    audit_record(request.user, "provision.pupil_summary.viewed", pupil, request=request)
    stats = pupil_provision_stats(pupil, timezone.localdate())
    return render(
        request,
        "provision/pupil_summary.html",
        {
            "pupil": pupil,
            "stats": stats,
            "total_cost": sum((s.cost for s in stats), Decimal(0)),
            "can_manage": request.user.has_perm("pupils.edit_register", pupil),
        },
    )


@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "pupils.edit_register", pupil)
    provisions = list(provision_list_for(request.user).filter(active=True))
    today = timezone.localdate()
    form = AssignForm(
        request.POST or None,
        provisions=provisions,
        initial={"start": [today.day, today.month, today.year]},
    )
    if request.method == "POST" and form.is_valid():
        provision = next(p for p in provisions if p.pk == form.cleaned_data["provision"])
        try:
            services.provision_assign(
                provision=provision,
                pupil=pupil,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                entry_measure=form.cleaned_data["entry_measure"],
                notes=form.cleaned_data["notes"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"{pupil.display_name} is on {provision.name}")
            return redirect("provision:pupil-summary", pk=pupil.pk)
    return render(
        request,
        "provision/assign_form.html",
        {"pupil": pupil, "form": form, "none": not provisions},
    )


@require_http_methods(["GET", "POST"])
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "provision.change_provision", assignment.provision)
    today = timezone.localdate()
    form = EndAssignmentForm(
        request.POST or None,
        initial={
            "end": [today.day, today.month, today.year],
            "exit_measure": assignment.exit_measure,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.provision_assignment_end(
                assignment=assignment,
                end=form.cleaned_data["end"],
                exit_measure=form.cleaned_data["exit_measure"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                f"{assignment.pupil.display_name}'s time on {assignment.provision.name} ended",
            )
            return redirect("provision:pupil-summary", pk=assignment.pupil_id)
    return render(
        request, "provision/assignment_end_form.html", {"assignment": assignment, "form": form}
    )


@require_http_methods(["GET", "POST"])
def budget_set(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    require_perm(request.user, "provision.manage")
    current = financial_year_start(timezone.localdate()).year
    years = [current + 1, current, current - 1]
    existing = NotionalSenBudget.objects.filter(
        school_id=membership.school_id, year_start=dt.date(current, 4, 1)
    ).first()
    initial: dict[str, Any] = {"year": current}
    if existing is not None:
        initial["amount"] = existing.amount
    form = BudgetForm(request.POST or None, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            services.notional_budget_set(
                school=membership.school,
                year_start=dt.date(year, 4, 1),
                amount=form.cleaned_data["amount"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Notional SEN budget for April {year} saved")
            return redirect(f"{reverse('provision:map')}?year={year}")
    return render(request, "provision/budget_form.html", {"form": form})
