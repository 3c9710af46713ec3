"""Pages of the school's side of an assessment: the SENCO's inbox of advice requests, writing and
sending the educational advice (reg 6(1)(b)), documents attached to advice, and a school's request
for an assessment with its evidence pack (CFA s.36(1); CoP 9.8, 9.14)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pupils.selectors import pupil_get_for_user_or_404
from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.clocks.views import ClockRow, clock_rows
from sendadmin.forms import errors_to_form

from . import services
from .advice import ADVICE_FIELDS, EXTENSION_FOR, advice_save, attachment_add
from .evidence import advice_prefill, evidence_for_pupil
from .forms_advice import AdviceForm, AssessmentRequestForm, AttachmentForm, VersionForm
from .models import AdviceRequest, AssessmentCase
from .pdf_advice import (
    advice_pdf_filename,
    advice_pdf_render,
    advice_sections,
    evidence_pack_filename,
    evidence_pack_render,
)
from .selectors import (
    advice_clocks_for,
    advice_get_for_user_or_404,
    advice_inbox_for,
    attachment_get_for_user_or_404,
)

SUBMIT_CONFLICT = (
    "Someone else saved this advice since you opened the page, so it was not sent. Check the advice "
    "as it is now, then send it."
)


def _advice_for(request: HttpRequest, pk: int, perm: str = "ehcp.view_advice") -> AdviceRequest:
    advice = advice_get_for_user_or_404(request.user, pk)
    require_perm(request.user, perm, advice)
    return advice


def _attachment_response(body: Any, filename: str, content_type: str) -> HttpResponseBase:
    response = (
        FileResponse(body, as_attachment=True, filename=filename, content_type=content_type)
        if not isinstance(body, bytes)
        else HttpResponse(body, content_type=content_type)
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class InboxRow:
    advice: AdviceRequest
    clock: ClockRow | None


@require_GET
def advice_inbox(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "ehcp.list_advice_requests")
    advice = list(advice_inbox_for(request.user))
    clocks = advice_clocks_for(advice)
    today = timezone.localdate()
    rows = [
        InboxRow(a, clock_rows([clocks[a.pk]], today)[0] if a.pk in clocks else None)
        for a in advice
    ]
    return render(
        request,
        "ehcp/advice/inbox.html",
        {
            "outstanding": [r for r in rows if not r.advice.is_submitted],
            "sent": [r for r in rows if r.advice.is_submitted],
        },
    )


def _can_write(user: Any, advice: AdviceRequest) -> bool:
    return (
        advice.school_id is not None
        and advice.status == AdviceRequest.Status.REQUESTED
        and bool(user.has_perm("ehcp.write_advice", advice))
    )


def _advice_page(
    request: HttpRequest,
    advice: AdviceRequest,
    *,
    form: AdviceForm | None = None,
    upload_form: AttachmentForm | None = None,
    errors: list[str] | None = None,
    conflict: bool = False,
) -> HttpResponse:
    user = request.user
    can_write = _can_write(user, advice)
    can_read = bool(user.has_perm("ehcp.view_advice_content", advice))
    prefilled = False
    if can_write and form is None:
        initial: dict[str, Any] = {name: getattr(advice, name) for name in ADVICE_FIELDS}
        if not any(initial.values()):
            # CoP 9.49: the advice starts from what the school already knows of the pupil.
            pupil = advice.case.pupil
            initial = advice_prefill(evidence_for_pupil(pupil, timezone.localdate()))
            prefilled = any(initial.values())
        form = AdviceForm(initial={**initial, "version": advice.version})
    if form is not None and not can_write:
        errors = [*(errors or []), *form.non_field_errors()]
        form = None
    if can_read and request.method == "GET":
        audit_record(user, "ehcp.advice.viewed", advice, request=request)
    clock = advice_clocks_for([advice]).get(advice.pk)
    return render(
        request,
        "ehcp/advice/detail.html",
        {
            "advice": advice,
            "case": advice.case,
            "pupil": advice.case.pupil,
            "clock": clock_rows([clock])[0] if clock else None,
            "can_write": can_write,
            "can_read": can_read,
            "can_attach": user.has_perm("ehcp.add_advice_attachment", advice),
            "form": form,
            "prefilled": prefilled,
            "conflict": conflict,
            "sections": advice_sections(advice) if can_read and (conflict or not can_write) else [],
            "attachments": list(advice.attachments.all()) if can_read else [],
            "upload_form": upload_form or AttachmentForm(),
            "errors": errors or [],
        },
    )


@require_http_methods(["GET", "POST"])
def advice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    advice = _advice_for(request, pk)
    if request.method != "POST":
        return _advice_page(request, advice)
    require_perm(request.user, "ehcp.write_advice", advice)
    form = AdviceForm(request.POST)
    conflict = False
    if form.is_valid():
        try:
            advice_save(
                advice=advice,
                data={name: form.cleaned_data[name] for name in ADVICE_FIELDS},
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except services.StaleVersionError as exc:
            # Keep what they typed, at the version now saved: saving again is a deliberate choice.
            advice.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(advice.version)
            form = AdviceForm(data)
            form.is_valid()
            errors_to_form(form, exc)
            conflict = True
        except ValidationError as exc:
            advice.refresh_from_db()
            errors_to_form(form, exc)
        else:
            messages.success(request, "Draft saved")
            return redirect("ehcp:advice-detail", pk=advice.pk)
    return _advice_page(request, advice, form=form, conflict=conflict)


@require_POST
def advice_submit(request: HttpRequest, pk: int) -> HttpResponse:
    advice = _advice_for(request, pk, "ehcp.write_advice")
    form = VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        services.advice_submit(advice=advice, by=request.user, version=version)
    except services.StaleVersionError:
        errors = [SUBMIT_CONFLICT]
    except ValidationError as exc:
        errors = exc.messages
    else:
        messages.success(request, f"Advice sent to {advice.case.local_authority.name}")
        return redirect("ehcp:advice-detail", pk=advice.pk)
    advice.refresh_from_db()
    return _advice_page(request, advice, errors=errors)


@require_GET
def advice_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    advice = _advice_for(request, pk)
    # The LA sees that the school was asked, not the school's draft.
    require_perm(request.user, "ehcp.view_advice_content", advice)
    body = advice_pdf_render(advice)
    audit_record(request.user, "ehcp.advice.downloaded", advice, request=request)
    return _attachment_response(body, advice_pdf_filename(advice), "application/pdf")


@require_POST
def attachment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    advice = _advice_for(request, pk)
    require_perm(request.user, "ehcp.add_advice_attachment", advice)
    upload_form = AttachmentForm(request.POST, request.FILES)
    if upload_form.is_valid():
        try:
            attachment = attachment_add(
                advice=advice, upload=upload_form.cleaned_data["file"], by=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                upload_form.add_error("file", message)
        else:
            messages.success(request, f"{attachment.original_name} attached")
            return redirect("ehcp:advice-detail", pk=advice.pk)
    return _advice_page(request, advice, upload_form=upload_form)


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = attachment_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.view_advice_content", attachment.advice)
    audit_record(
        request.user,
        "ehcp.attachment.downloaded",
        attachment,
        request=request,
        advice=attachment.advice_id,
    )
    extension = EXTENSION_FOR.get(attachment.content_type, "bin")
    return _attachment_response(
        attachment.file.open("rb"),
        f"attachment-{attachment.pk}.{extension}",
        attachment.content_type,
    )


def _pupil_for_request(request: HttpRequest, pk: int) -> Any:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "pupils.request_assessment", pupil)
    return pupil


@require_http_methods(["GET", "POST"])
def assessment_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The SENCO asks the LA for an EHC needs assessment (CFA s.36(1)); the LA receives it today."""
    pupil = _pupil_for_request(request, pk)
    form = AssessmentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                pupil=pupil,
                local_authority=pupil.school.local_authority,
                requested_by=AssessmentCase.RequestedBy.SCHOOL,
                received_on=timezone.localdate(),
                requester_name=getattr(request.user, "full_name", ""),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request, f"Request sent to {case.local_authority.name}: case {case.reference}"
            )
            return redirect("ehcp:case-detail", pk=case.pk)
    open_case = AssessmentCase.objects.filter(pupil=pupil, closed_on__isnull=True).first()
    return render(
        request,
        "ehcp/advice/assessment_request.html",
        {"pupil": pupil, "form": form, "open_case": open_case},
    )


@require_GET
def evidence_pack(request: HttpRequest, pk: int) -> HttpResponseBase:
    pupil = _pupil_for_request(request, pk)
    body = evidence_pack_render(evidence_for_pupil(pupil, timezone.localdate()))
    audit_record(request.user, "ehcp.evidence_pack.downloaded", pupil, request=request)
    return _attachment_response(body, evidence_pack_filename(pupil), "application/pdf")


urlpatterns: list[URLPattern] = [
    path("advice/", advice_inbox, name="advice-inbox"),
    path("advice/<int:pk>/", advice_detail, name="advice-detail"),
    path("advice/<int:pk>/submit/", advice_submit, name="advice-submit"),
    path("advice/<int:pk>/advice.pdf", advice_pdf, name="advice-pdf"),
    path("advice/<int:pk>/attachments/", attachment_add_view, name="attachment-add"),
    path("attachments/<int:pk>/", attachment_download, name="attachment-download"),
    path("request/<int:pk>/", assessment_request, name="assessment-request"),
    path("request/<int:pk>/evidence.pdf", evidence_pack, name="evidence-pack"),
]
