"""The LA's side of an EHC needs assessment: the case list, opening a case, the case page with its
timeline, the two decisions, advice requests and replies, the school asked for, and exceptions.

Thin views: fetch through a selector (not visible: 404), require the permission (403), validate,
call one service, redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sendadmin.access import get_visible_or_404, require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import School
from sendadmin.clocks.kinds import RULES, Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_record_exception
from sendadmin.clocks.views import TAG_CLASSES, clock_rows
from sendadmin.forms import errors_to_form, posted

from . import services
from .forms_cases import (
    AdviceRecordForm,
    AdviceRequestForm,
    CaseOpenForm,
    DecisionForm,
    ExceptionForm,
    PlacementForm,
)
from .models import Plan
from .selectors import (
    advice_get_for_user_or_404,
    advice_list_for,
    case_clock_list,
    case_get_for_user_or_404,
    case_list_for,
)

PAGE_SIZE = 50


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The caseworker's list: each case's week number and the next clock to fall due."""
    require_perm(request.user, "ehcp.list_cases")
    state = request.GET.get("state", "open")
    if state not in ("open", "closed", "all"):
        state = "open"
    search = request.GET.get("q", "").strip()[:100]
    cases = case_list_for(request.user, state=state, search=search)
    # The page's ids first, then its rows with their pupils and next clocks: sorting the joined
    # rows made PostgreSQL join every pupil of the county to the LA's open cases before it could
    # take the first page (benchmarks/load).
    page = Paginator(cases.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page_pks = list(page.object_list)
    by_pk = cases.in_bulk(page_pks)
    today = timezone.localdate()
    rows = []
    for case in (by_pk[pk] for pk in page_pks):
        due = getattr(case, "next_clock_due", None)
        kind = getattr(case, "next_clock_kind", None)
        rows.append(
            {
                "case": case,
                "week": case.week_number(today) if case.is_open else None,
                "next_label": Kind(kind).label if kind else "",
                "next_due": due,
                "days_left": (due - today).days if due else None,
            }
        )
    return render(
        request,
        "ehcp/cases/case_list.html",
        {"page": page, "rows": rows, "state": state, "search": search},
    )


@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "ehcp.open_case")
    membership = request.membership  # type: ignore[attr-defined]
    form = CaseOpenForm(**posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school = School.objects.filter(urn=data["school_urn"].strip()).first()
        try:
            pupil = services.case_pupil_find(
                school=school, upn=data["upn"], date_of_birth=data["date_of_birth"], by=request.user
            )
            case = services.case_open(
                pupil=pupil,
                local_authority=membership.local_authority,
                requested_by=data["requested_by"],
                requester_name=data["requester_name"],
                received_on=data["received_on"],
                reason=data["reason"],
                caseworker=request.user,
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Case {case.reference} opened")
            return redirect("ehcp:case-detail", pk=case.pk)
    return render(request, "ehcp/cases/case_open.html", {"form": form})


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request.user, pk)
    audit_record(request.user, "ehcp.case.viewed", case, request=request)
    today = timezone.localdate()
    clocks = list(case_clock_list(case))
    rows = clock_rows(clocks, today)
    manages = request.user.has_perm("ehcp.manage_case", case)
    timeline = [
        {
            "row": row,
            "exception_allowed": manages
            and row.clock.state != Clock.State.CANCELLED
            and RULES[row.clock.kind].exception_list is not None,
        }
        for row in rows
    ]
    advice = list(advice_list_for(request.user, case=case))
    advice_due = {c.subject_id: c for c in clocks if c.kind == Kind.ADVICE_REQUEST}
    advice_rows = []
    for item in advice:
        clock = advice_due.get(item.pk)
        status = clock.status(today) if clock else None
        advice_rows.append(
            {
                "advice": item,
                "clock": clock,
                "tag_class": TAG_CLASSES[status] if status else "",
                "status": status.label if status else "",
            }
        )
    plan = Plan.objects.filter(case=case).first()
    return render(
        request,
        "ehcp/cases/case_detail.html",
        {
            "case": case,
            "pupil": case.pupil,
            "needs": list(case.pupil.needs.order_by("rank")),
            "timeline": timeline,
            "advice_rows": advice_rows,
            "plan": plan,
            "manages": manages,
            "week": case.week_number(today),
            "can_view_pupil": request.user.has_perm("pupils.view_pupil", case.pupil),
        },
    )


def _decision(request: HttpRequest, pk: int, *, which: str) -> HttpResponse:
    case = case_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.manage_case", case)
    if which == "assess":
        question, choices = (
            "Will the LA carry out an EHC needs assessment?",
            [
                ("assess", "Yes, assess"),
                ("not_assess", "No, do not assess"),
            ],
        )
        title = "Decision whether to assess"
    else:
        question, choices = (
            "Will the LA issue an EHC plan?",
            [
                ("issue", "Yes, issue a plan (a draft is started)"),
                ("not_issue", "No, do not issue a plan"),
            ],
        )
        title = "Decision whether to issue a plan"
    today = timezone.localdate()
    form = DecisionForm(
        **posted(request),
        question=question,
        choices=choices,
        initial={"version": case.version, "decided_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decide = services.case_decide_assess if which == "assess" else services.case_decide_issue
        try:
            decide(
                case=case,
                decision=data["decision"],
                decided_on=data["decided_on"],
                reasons=data["reasons"],
                version=data["version"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"{title} recorded")
            return redirect("ehcp:case-detail", pk=case.pk)
    return render(
        request, "ehcp/cases/decision_form.html", {"case": case, "form": form, "title": title}
    )


@require_http_methods(["GET", "POST"])
def case_decide_assess(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, which="assess")


@require_http_methods(["GET", "POST"])
def case_decide_issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, which="issue")


@require_http_methods(["GET", "POST"])
def advice_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.manage_case", case)
    today = timezone.localdate()
    form = AdviceRequestForm(
        **posted(request),
        initial={"sent_on": today, "received_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            advice = services.advice_request_create(
                case=case,
                kind=data["kind"],
                adviser_name=data["adviser_name"],
                sent_on=data["sent_on"],
                received_on=data["received_on"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Advice requested from {advice.adviser_name}")
            return redirect("ehcp:case-detail", pk=case.pk)
    return render(request, "ehcp/cases/advice_request_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def advice_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The caseworker records the reply of an adviser outside the school (an EP, health, care)."""
    advice = advice_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.record_advice", advice)
    if advice.school_id is not None:
        raise Http404("The school sends its own advice")
    form = AdviceRecordForm(**posted(request), initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.advice_record_received(
                advice=advice,
                received_on=form.cleaned_data["received_on"],
                summary=form.cleaned_data["summary"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Advice from {advice.adviser_name} recorded")
            return redirect("ehcp:case-detail", pk=advice.case_id)
    return render(request, "ehcp/cases/advice_record_form.html", {"advice": advice, "form": form})


@require_http_methods(["GET", "POST"])
def case_placement(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.manage_case", case)
    form = PlacementForm(
        **posted(request),
        initial={
            "version": case.version,
            "requested_school_urn": case.requested_school.urn if case.requested_school else "",
            "requested_school_name": "" if case.requested_school else case.requested_school_name,
            "consultation_sent_on": case.consultation_sent_on,
            "consultation_reply_on": case.consultation_reply_on,
            "consultation_reply": case.consultation_reply,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        school = None
        urn = data["requested_school_urn"].strip()
        if urn:
            school = School.objects.filter(urn=urn).first()
            if school is None:
                form.add_error("requested_school_urn", "No school has that URN")
        if not form.errors:
            try:
                services.case_set_placement(
                    case=case,
                    requested_school=school,
                    requested_school_name=data["requested_school_name"],
                    consultation_sent_on=data["consultation_sent_on"],
                    consultation_reply_on=data["consultation_reply_on"],
                    consultation_reply=data["consultation_reply"],
                    version=data["version"],
                    by=request.user,
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, "The school asked for is recorded")
                return redirect("ehcp:case-detail", pk=case.pk)
    return render(request, "ehcp/cases/placement_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def clock_exception(request: HttpRequest, pk: int, clock_pk: int) -> HttpResponse:
    """Record that a regulation's exception applies to one of the case's clocks (domain.md 1.2).
    The clock offers only its own regulation's list: reg 5(4), 8(2) or 10(4) (borrowed by 13(3))."""
    case = case_get_for_user_or_404(request.user, pk)
    clock = get_visible_or_404(case_clock_list(case), pk=clock_pk)
    require_perm(request.user, "ehcp.manage_case", case)
    regulation = RULES[clock.kind].exception_list
    if regulation is None:
        raise Http404("No exception applies to this clock")
    form = ExceptionForm(**posted(request), regulation=regulation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clock_record_exception(
                clock=clock,
                limb=data["limb"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                evidence=data["evidence"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Exception recorded on '{clock.get_kind_display()}'")
            return redirect("ehcp:case-detail", pk=case.pk)
    regulation_label = regulation.replace("reg", "Regulation ")
    return render(
        request,
        "ehcp/cases/exception_form.html",
        {"case": case, "clock": clock, "form": form, "regulation": regulation_label},
    )


urlpatterns = [
    path("cases/", case_list, name="case-list"),
    path("cases/new/", case_open, name="case-open"),
    path("cases/<int:pk>/", case_detail, name="case-detail"),
    path("cases/<int:pk>/decide-assess/", case_decide_assess, name="case-decide-assess"),
    path("cases/<int:pk>/decide-issue/", case_decide_issue, name="case-decide-issue"),
    path("cases/<int:pk>/advice/new/", advice_request_create, name="advice-request-create"),
    path("cases/<int:pk>/placement/", case_placement, name="case-placement"),
    path(
        "cases/<int:pk>/clocks/<int:clock_pk>/exception/", clock_exception, name="clock-exception"
    ),
    path("advice/<int:pk>/record/", advice_record, name="advice-record"),
]
