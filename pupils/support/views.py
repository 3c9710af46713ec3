"""Pages of SEN support plans and parents' meetings: fetch through a selector (404), check the
permission (403), validate, call one service, redirect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pupils.selectors import pupil_get_for_user_or_404
from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.forms import errors_to_form

from . import services
from .forms import (
    CycleForm,
    DeliveryNoteForm,
    OutcomeEditForm,
    OutcomeForm,
    ParentMeetingForm,
    ProvisionEditForm,
    ProvisionForm,
    ReviewForm,
    RowRemoveForm,
    ViewForm,
)
from .models import CycleOutcome, CycleProvision, ParentMeeting, SupportCycle, SupportPlan
from .pdf import plan_pdf_filename, plan_pdf_render
from .selectors import (
    RowModel,
    parent_meetings_behind_for,
    support_cycle_current,
    support_cycles_for,
    support_plan_for_pupil,
    support_plan_get_for_user_or_404,
    support_plan_history_for,
    support_row_get_or_404,
    support_row_was_removed,
)


def _plan_for(request: HttpRequest, pk: int, perm: str) -> SupportPlan:
    plan = support_plan_get_for_user_or_404(request.user, pk)
    require_perm(request.user, perm, plan)
    return plan


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
            "can_view_history": request.user.has_perm("support.view_plan_history", plan),
        },
    )


@require_http_methods(["GET", "POST"])
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, "support.edit_plan")
    cycle = support_cycle_current(plan)
    initial = {
        "version": cycle.version,
        "assessment": cycle.assessment,
        "evidence": cycle.evidence,
        "review_date": cycle.review_date,
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
        except services.StaleVersionError as exc:
            # Keep what they typed at the version now saved: saving again is deliberate.
            data = request.POST.copy()
            data["version"] = str(type(cycle).objects.get(pk=cycle.pk).version)
            form.data = data
            errors_to_form(form, exc)
        except ValidationError as exc:
            errors_to_form(form, exc)
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
            errors_to_form(form, exc)
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


@dataclass(frozen=True)
class RowKind:
    """What the edit and remove pages need to know about an outcome or a provision row."""

    model: RowModel
    noun: str
    edit_title: str
    edit_form: type[Form]
    fields: tuple[tuple[str, str], ...]  # (label, field name), as the plan page shows them
    add_url: str
    update: Any
    remove: Any
    argument: str


OUTCOME = RowKind(
    model=CycleOutcome,
    noun="outcome",
    edit_title="Change an outcome",
    edit_form=OutcomeEditForm,
    fields=(("Outcome sought", "outcome"), ("Success criteria", "success_criteria")),
    add_url="support:outcome-add",
    update=services.support_outcome_update,
    remove=services.support_outcome_remove,
    argument="cycle_outcome",
)
PROVISION = RowKind(
    model=CycleProvision,
    noun="support",
    edit_title="Change support or provision",
    edit_form=ProvisionEditForm,
    fields=(("Strategy or provision", "provision"), ("Who", "who"), ("How often", "how_often")),
    add_url="support:provision-add",
    update=services.support_provision_update,
    remove=services.support_provision_remove,
    argument="cycle_provision",
)


def _row_for(plan: SupportPlan, kind: RowKind, row_pk: int) -> Any:
    """The row, or 404 (not this plan's); 403 for a row of a reviewed cycle, which the plan page
    shows but nobody may change: the review was made against what it says."""
    row = support_row_get_or_404(plan, kind.model, row_pk)
    if row.cycle.status == SupportCycle.Status.REVIEWED:
        raise PermissionDenied("The rows of a reviewed cycle cannot be changed")
    return row


def _shown_row(kind: RowKind, row: Any) -> list[tuple[str, str]]:
    return [(label, getattr(row, name)) for label, name in kind.fields]


def _row_edit(request: HttpRequest, pk: int, row_pk: int, kind: RowKind) -> HttpResponse:
    plan = _plan_for(request, pk, "support.edit_plan")
    context: dict[str, Any] = {"plan": plan, "kind": kind, "title": kind.edit_title}
    try:
        row = _row_for(plan, kind, row_pk)
    except Http404:
        if request.method == "POST" and support_row_was_removed(plan, kind.model, row_pk):
            return _removed_while_editing(request, plan, kind, context)
        raise
    initial = {"version": row.version, **{name: getattr(row, name) for _, name in kind.fields}}
    form = kind.edit_form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(**{kind.argument: row}, by=request.user, **form.cleaned_data)
        except services.StaleVersionError as exc:
            # Keep what they typed, show the row as it is now, and take the new version: saving
            # again, having seen the other change, is a deliberate overwrite.
            row.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(row.version)
            form = kind.edit_form(data, initial=initial)
            errors_to_form(form, exc)
            context["now"] = _shown_row(kind, row)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "removed":
                return _removed_while_editing(request, plan, kind, context)
            errors_to_form(form, exc)
        else:
            messages.success(request, f"{kind.noun.capitalize()} changed")
            return redirect("support:plan-detail", pk=plan.pk)
    context.update(cycle=row.cycle, form=form)
    return render(request, "support/row_form.html", context)


def _removed_while_editing(
    request: HttpRequest, plan: SupportPlan, kind: RowKind, context: dict[str, Any]
) -> HttpResponse:
    """Someone removed the row while this person was editing it: keep their text, in a form that
    adds it back to the current cycle."""
    form = kind.edit_form(request.POST)
    form.is_valid()
    form.add_error(None, services.ROW_REMOVED.format(noun=kind.noun))
    context.update(cycle=support_cycle_current(plan), form=form, removed=True)
    return render(request, "support/row_form.html", context)


def _row_remove(request: HttpRequest, pk: int, row_pk: int, kind: RowKind) -> HttpResponse:
    plan = _plan_for(request, pk, "support.edit_plan")
    try:
        row = _row_for(plan, kind, row_pk)
    except Http404:
        if request.method == "POST" and support_row_was_removed(plan, kind.model, row_pk):
            messages.success(request, f"{kind.noun.capitalize()} removed")
            return redirect("support:plan-detail", pk=plan.pk)
        raise
    form = RowRemoveForm(request.POST or None, initial={"version": row.version})
    errors: list[str] = []
    refused = False
    if request.method == "POST" and form.is_valid():
        try:
            kind.remove(
                **{kind.argument: row}, version=form.cleaned_data["version"], by=request.user
            )
        except ValidationError as exc:
            errors = exc.messages
            refused = getattr(exc, "code", None) != "stale"
            row.refresh_from_db()
            form = RowRemoveForm(initial={"version": row.version})
        else:
            messages.success(request, f"{kind.noun.capitalize()} removed")
            return redirect("support:plan-detail", pk=plan.pk)
    return render(
        request,
        "support/row_remove.html",
        {
            "plan": plan,
            "cycle": row.cycle,
            "kind": kind,
            "shown": _shown_row(kind, row),
            "form": form,
            "errors": errors,
            "refused": refused,
        },
    )


@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    return _row_edit(request, pk, row_pk, OUTCOME)


@require_http_methods(["GET", "POST"])
def outcome_remove(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    return _row_remove(request, pk, row_pk, OUTCOME)


@require_http_methods(["GET", "POST"])
def provision_edit(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    return _row_edit(request, pk, row_pk, PROVISION)


@require_http_methods(["GET", "POST"])
def provision_remove(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    return _row_remove(request, pk, row_pk, PROVISION)


@require_GET
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, "support.view_plan_history")
    audit_record(request.user, "support.plan.history_viewed", plan, request=request)
    entries = support_plan_history_for(plan)
    return render(
        request,
        "support/plan_history.html",
        {"plan": plan, "pupil": plan.pupil, "entries": entries},
    )


@require_http_methods(["GET", "POST"])
def review_complete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, "support.edit_plan")
    cycle = support_cycle_current(plan)
    outcomes = list(cycle.outcomes.all())
    form = ReviewForm(
        request.POST or None,
        initial={"version": cycle.version, "reviewed_on": timezone.localdate()},
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
            errors_to_form(form, exc)
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
            errors_to_form(form, exc)
        else:
            messages.success(request, "Meeting with parents recorded")
            return redirect("pupils:pupil-detail", pk=pupil.pk)
    return render(request, "support/parent_meeting_form.html", {"pupil": pupil, "form": form})


@require_GET
def parent_meetings_behind(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "support.view_parent_meetings_behind")
    pupils = list(parent_meetings_behind_for(request.user))
    return render(request, "support/parent_meetings_behind.html", {"pupils": pupils})
