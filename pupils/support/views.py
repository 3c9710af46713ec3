"""Pages of SEN support plans and parents' meetings: fetch through a selector (404), check the
permission (403), validate, call one service, redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pupils.selectors import pupil_get_for_user_or_404
from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record

from . import services
from .forms import (
    CycleForm,
    DeliveryNoteForm,
    OutcomeForm,
    ParentMeetingForm,
    ProvisionForm,
    ReviewForm,
    ViewForm,
)
from .models import ParentMeeting, SupportPlan
from .pdf import plan_pdf_filename, plan_pdf_render
from .selectors import (
    parent_meetings_behind_for,
    support_cycle_current,
    support_cycles_for,
    support_plan_for_pupil,
    support_plan_get_for_user_or_404,
)


def _plan_for(request: HttpRequest, pk: int, perm: str) -> SupportPlan:
    plan = support_plan_get_for_user_or_404(request.user, pk)
    require_perm(request.user, perm, plan)
    return plan


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@require_http_methods(["GET", "POST"])
def plan_for_pupil(request: HttpRequest, pk: int) -> HttpResponse:
    """The pupil's plan, or a page to start one."""
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "pupils.view_support_plan", pupil)
    plan = support_plan_for_pupil(pupil)
    if plan is not None:
        return redirect("support:plan-detail", pk=plan.pk)
    if request.method == "POST":
        require_perm(request.user, "pupils.start_support_plan", pupil)
        plan = services.support_plan_start(pupil=pupil, by=request.user)
        messages.success(request, "SEN support plan started")
        return redirect("support:cycle-edit", pk=plan.pk)
    can_edit = request.user.has_perm("pupils.start_support_plan", pupil)
    return render(request, "support/plan_start.html", {"pupil": pupil, "can_edit": can_edit})


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, "support.view_plan")
    audit_record(request.user, "support.plan.viewed", plan, request=request)
    cycles = support_cycles_for(plan)
    meetings = list(ParentMeeting.objects.filter(pupil=plan.pupil).order_by("-date")[:6])
    return render(
        request,
        "support/plan_detail.html",
        {
            "plan": plan,
            "pupil": plan.pupil,
            "current": cycles[0],
            "past": cycles[1:],
            "meetings": meetings,
            "can_edit": request.user.has_perm("support.edit_plan", plan),
            "can_contribute": request.user.has_perm("support.contribute_plan", plan),
        },
    )


def _date_initial(value: Any) -> list[Any] | None:
    return [value.day, value.month, value.year] if value else None


@require_http_methods(["GET", "POST"])
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, "support.edit_plan")
    cycle = support_cycle_current(plan)
    initial = {
        "version": cycle.version,
        "assessment": cycle.assessment,
        "evidence": cycle.evidence,
        "review_date": _date_initial(cycle.review_date),
    }
    form = CycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_cycle_update(
                cycle=cycle,
                version=form.cleaned_data["version"],
                assessment=form.cleaned_data["assessment"],
                evidence=form.cleaned_data["evidence"],
                review_date=form.cleaned_data["review_date"],
                by=request.user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"Cycle {cycle.number} saved")
            return redirect("support:plan-detail", pk=plan.pk)
    return render(request, "support/cycle_form.html", {"plan": plan, "cycle": cycle, "form": form})


def _add_page(
    request: HttpRequest,
    pk: int,
    *,
    perm: str,
    form_class: type[Form],
    title: str,
    saved: str,
    call: Any,
) -> HttpResponse:
    plan = _plan_for(request, pk, perm)
    cycle = support_cycle_current(plan)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call(cycle=cycle, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, saved)
            return redirect("support:plan-detail", pk=plan.pk)
    return render(
        request,
        "support/add_form.html",
        {"plan": plan, "cycle": cycle, "form": form, "title": title},
    )


@require_http_methods(["GET", "POST"])
def outcome_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_page(
        request,
        pk,
        perm="support.edit_plan",
        form_class=OutcomeForm,
        title="Add an outcome",
        saved="Outcome added",
        call=services.support_outcome_add,
    )


@require_http_methods(["GET", "POST"])
def provision_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_page(
        request,
        pk,
        perm="support.edit_plan",
        form_class=ProvisionForm,
        title="Add support or provision",
        saved="Support added",
        call=services.support_provision_add,
    )


@require_http_methods(["GET", "POST"])
def view_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_page(
        request,
        pk,
        perm="support.contribute_plan",
        form_class=ViewForm,
        title="Add the pupil's or parents' views",
        saved="Views added",
        call=services.support_view_add,
    )


@require_http_methods(["GET", "POST"])
def delivery_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_page(
        request,
        pk,
        perm="support.contribute_plan",
        form_class=DeliveryNoteForm,
        title="Record support delivered",
        saved="Delivery note added",
        call=services.support_delivery_note_add,
    )


@require_http_methods(["GET", "POST"])
def review_complete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, "support.edit_plan")
    cycle = support_cycle_current(plan)
    outcomes = list(cycle.outcomes.all())
    form = ReviewForm(
        request.POST or None,
        initial={"version": cycle.version, "reviewed_on": _date_initial(timezone.localdate())},
        outcomes=outcomes,
    )
    if request.method == "POST" and form.is_valid():
        try:
            following = services.support_review_complete(
                cycle=cycle,
                version=form.cleaned_data["version"],
                reviewed_on=form.cleaned_data["reviewed_on"],
                reviews=form.reviews(),
                by=request.user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, f"Cycle {cycle.number} reviewed: cycle {following.number} started"
            )
            return redirect("support:plan-detail", pk=plan.pk)
    return render(request, "support/review_form.html", {"plan": plan, "cycle": cycle, "form": form})


@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, "support.view_plan")
    cycle = support_cycle_current(plan)
    body = plan_pdf_render(plan, cycle)
    audit_record(
        request.user, "support.plan.pdf_downloaded", plan, request=request, cycle=cycle.number
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{plan_pdf_filename(plan)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def parent_meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "pupils.record_parent_meeting", pupil)
    form = ParentMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.parent_meeting_record(pupil=pupil, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Meeting with parents recorded")
            return redirect("pupils:pupil-detail", pk=pupil.pk)
    return render(request, "support/parent_meeting_form.html", {"pupil": pupil, "form": form})


@require_GET
def parent_meetings_behind(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "support.view_parent_meetings_behind")
    pupils = list(parent_meetings_behind_for(request.user))
    return render(request, "support/parent_meetings_behind.html", {"pupils": pupils})
