"""The school's review pages (domain.md 2.1-2.2): the list, opening or calling a review, the review
page, and one page per step of reg 20 (meeting date, invitations, papers, advice, the meeting, the
report).

Thin views: fetch through a selector (not visible: 404), require the permission (403), validate,
call one service, redirect. A service's refusal shows in the error summary with what was typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ehcp.models import Plan
from ehcp.selectors import plan_get_for_user_or_404
from sendadmin.access import get_visible_or_404, require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.views import clock_rows
from sendadmin.core.paging import ids_first_page
from sendadmin.forms import errors_to_form, posted

from . import services
from .deadlines import latest_meeting_for_decision_within
from .forms import (
    AdviceForm,
    EarlyReviewForm,
    InviteForm,
    MeetingForm,
    PapersForm,
    ReportForm,
    ScheduleForm,
)
from .models import Invitee, Review
from .phase import phase_transfer_warning
from .selectors import plans_due_for_review_for, review_get_for_user_or_404, review_list_for

PAGE_SIZE = 50


def next_step(review: Review) -> str:
    """What the review waits for, read from its dates alone (no queries; reg 20 and 22 order)."""
    if review.la_decision:
        return "Amended plan being prepared"
    if review.report_sent_on:
        return "Waiting for the LA's decision"
    if review.held_on:
        return "Send the report"
    if review.papers_circulated_on:
        return "Record the meeting"
    if review.invitations_sent_on:
        return "Circulate the papers"
    if review.meeting_on:
        return "Send the invitations"
    return "Set the meeting date"


def _days_left(due: dt.date | None, today: dt.date) -> int | None:
    return (due - today).days if due else None


@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """Open reviews the user can see, and for those who convene, the plans due for review."""
    require_perm(request.user, "reviews.list_reviews")
    today = timezone.localdate()
    page = ids_first_page(review_list_for(request.user), request.GET.get("page"), PAGE_SIZE)
    rows = [
        {
            "review": review,
            "next_step": next_step(review),
            "days_left": _days_left(review.due_on, today),
            "warning": phase_transfer_warning(review.pupil, today),
        }
        for review in page
    ]
    plans = list(plans_due_for_review_for(request.user))
    # Every plan listed is of the user's own school, so the answer for one is the answer for all.
    if plans and not request.user.has_perm("ehcp.open_review", plans[0]):
        plans = []
    due_rows = [
        {
            "plan": plan,
            "due_on": plan.review_due_on,  # type: ignore[attr-defined]
            "days_left": _days_left(plan.review_due_on, today),  # type: ignore[attr-defined]
            "warning": phase_transfer_warning(plan.pupil, today),
        }
        for plan in plans
    ]
    return render(
        request,
        "reviews/school/review_list.html",
        {"page": page, "rows": rows, "due_rows": due_rows},
    )


@require_POST
def review_open(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.open_review", plan)
    try:
        review = services.review_open(plan=plan, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("reviews:review-list")
    messages.success(request, "Review started")
    return redirect("reviews:review-detail", pk=review.pk)


@require_http_methods(["GET", "POST"])
def early_review(request: HttpRequest, pk: int) -> HttpResponse:
    """An early review (CoP 9.166), or an interim one for a child under five (CoP 9.178)."""
    plan = plan_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.call_early_review", plan)
    form = EarlyReviewForm(**posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_call_early(
                plan=plan,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"{review.get_kind_display()} started")
            if request.user.has_perm("reviews.view_review", review):
                return redirect("reviews:review-detail", pk=review.pk)
            return redirect("ehcp:plan-detail", pk=plan.pk)
    return render(
        request,
        "reviews/school/form_page.html",
        {
            "form": form,
            "pupil": plan.pupil,
            "title": "Call an early review",
            "intro": "A plan may be reviewed before its annual review when the child's needs change "
            "or the placement is at risk. An interim review is for a child under five.",
            "button": "Start the review",
            "cancel_url": reverse("ehcp:plan-detail", args=[plan.pk]),
        },
    )


def _review_clocks(review: Review) -> list[Clock]:
    """The review's own clocks, and its plan's annual review and phase transfer clocks."""
    types = ContentType.objects.get_for_models(Review, Plan)
    return list(
        Clock.objects.filter(
            Q(subject_type=types[Review], subject_id=review.pk)
            | Q(
                subject_type=types[Plan],
                subject_id=review.plan_id,
                kind__in=[Kind.ANNUAL_REVIEW, Kind.PHASE_TRANSFER],
            )
        )
        .select_related("school")
        .order_by("due_on", "pk")
    )


def may_record_advice(user: Any, invitee: Invitee) -> bool:
    """The convenors record anyone's advice; teachers who contribute record the school's (reg 20(4))."""
    review = invitee.review
    return user.has_perm("reviews.convene_review", review) or (
        invitee.role == Invitee.Role.SCHOOL and user.has_perm("reviews.contribute_review", review)
    )


@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "reviews.view_review", review)
    audit_record(request.user, "reviews.review.viewed", review, request=request)
    today = timezone.localdate()
    convenes = request.user.has_perm("reviews.convene_review", review)
    contributes = request.user.has_perm("reviews.contribute_review", review)
    invitees = list(review.invitees.all())
    for invitee in invitees:
        invitee.review = review
    invitee_rows = [
        {
            "invitee": invitee,
            "may_record": review.closed_on is None
            and (convenes or (contributes and invitee.role == Invitee.Role.SCHOOL)),
        }
        for invitee in invitees
    ]
    return render(
        request,
        "reviews/school/review_detail.html",
        {
            "review": review,
            "pupil": review.pupil,
            "next_step": next_step(review),
            "days_left": _days_left(review.due_on, today),
            "warning": phase_transfer_warning(review.pupil, today),
            "clock_rows": clock_rows(_review_clocks(review), today),
            "invitee_rows": invitee_rows,
            "progress": list(review.progress.all()),
            "changes": list(review.proposed_changes.all()),
            "convenes": convenes and review.closed_on is None,
            "can_view_plan": request.user.has_perm("ehcp.view_plan", review.plan),
        },
    )


def _step(
    request: HttpRequest,
    review: Review,
    form: Form,
    *,
    title: str,
    button: str,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    intro: str = "",
    template: str = "reviews/school/form_page.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """One step of the review: validate, call the service, back to the review page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("reviews:review-detail", pk=review.pk)
    context = {
        "form": form,
        "review": review,
        "pupil": review.pupil,
        "title": title,
        "intro": intro,
        "button": button,
        "cancel_url": reverse("reviews:review-detail", args=[review.pk]),
        **(extra or {}),
    }
    return render(request, template, context)


def _convened(request: HttpRequest, pk: int) -> Review:
    review = review_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "reviews.convene_review", review)
    return review


@require_http_methods(["GET", "POST"])
def review_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    review = _convened(request, pk)
    suggested = services.suggested_meeting_date(review)
    form = ScheduleForm(
        **posted(request),
        initial={
            "version": review.version,
            "meeting_on": review.meeting_on or suggested,
        },
    )
    intro = f"Suggested date: {suggested:%-d %B %Y}, leaving two weeks' notice for the invitations."
    if review.due_on:
        # CoP 9.176: the LA's decision, 4 weeks after the meeting, must fall inside the 12 months.
        latest = latest_meeting_for_decision_within(review.due_on)
        intro += (
            f" The review is due by {review.due_on:%-d %B %Y}: hold the meeting by "
            f"{latest:%-d %B %Y} so the LA's decision falls inside the 12 months."
        )
    return _step(
        request,
        review,
        form,
        title="Set the meeting date",
        button="Save the meeting date",
        intro=intro,
        done="Meeting date saved",
        save=lambda data: services.review_schedule(
            review=review, meeting_on=data["meeting_on"], version=data["version"], by=request.user
        ),
    )


@require_http_methods(["GET", "POST"])
def review_invite(request: HttpRequest, pk: int) -> HttpResponse:
    review = _convened(request, pk)
    form = InviteForm(
        **posted(request),
        initial={"version": review.version, "sent_on": timezone.localdate()},
    )
    intro = "Invite the parent or young person, the school, the LA, health and social care with "
    intro += "at least two weeks' notice, and ask each for their advice (reg 20(2)-(4))."
    if review.meeting_on:
        intro += f" The meeting is on {review.meeting_on:%-d %B %Y}."
    return _step(
        request,
        review,
        form,
        title="Send the invitations",
        button="Record the invitations",
        intro=intro,
        done="Invitations recorded",
        save=lambda data: services.invitations_send(
            review=review,
            sent_on=data["sent_on"],
            invitees=form.invitees(),
            version=data["version"],
            by=request.user,
        ),
    )


@require_http_methods(["GET", "POST"])
def review_papers(request: HttpRequest, pk: int) -> HttpResponse:
    review = _convened(request, pk)
    form = PapersForm(**posted(request), initial={"circulated_on": timezone.localdate()})
    return _step(
        request,
        review,
        form,
        title="Circulate the papers",
        button="Record the papers circulated",
        intro="The advice gathered goes to everyone invited at least two weeks before the meeting "
        "(reg 20(4)). Late papers are recorded, and the deadline shows they were late.",
        done="Papers recorded as circulated",
        save=lambda data: services.papers_circulate(
            review=review, on=data["circulated_on"], by=request.user
        ),
    )


@require_http_methods(["GET", "POST"])
def invitee_advice(request: HttpRequest, pk: int) -> HttpResponse:
    qs = Invitee.objects.select_related("review")
    invitee = get_visible_or_404(qs, pk=pk)
    review = review_get_for_user_or_404(request.user, invitee.review_id)
    invitee.review = review
    if not may_record_advice(request.user, invitee):
        raise PermissionDenied
    form = AdviceForm(
        **posted(request),
        initial={
            "received_on": invitee.advice_received_on or timezone.localdate(),
            "advice": invitee.advice,
        },
    )
    return _step(
        request,
        review,
        form,
        title=f"Advice from {invitee.name}",
        button="Save the advice",
        intro=f"{invitee.get_role_display()}, invited to the review meeting.",
        done=f"Advice from {invitee.name} saved",
        save=lambda data: services.invitee_advice_record(
            invitee=invitee,
            received_on=data["received_on"],
            advice=data["advice"],
            by=request.user,
        ),
    )


@require_http_methods(["GET", "POST"])
def review_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    review = _convened(request, pk)
    outcomes = list(review.reviewed_version.outcomes.order_by("position", "pk"))
    adulthood = review.pupil.year_group >= services.ADULTHOOD_FROM_YEAR
    form = MeetingForm(
        **posted(request),
        outcomes=outcomes,
        adulthood=adulthood,
        initial={
            "version": review.version,
            "held_on": review.meeting_on or timezone.localdate(),
        },
    )
    return _step(
        request,
        review,
        form,
        title="Record the meeting",
        button="Record the meeting",
        template="reviews/school/meeting_form.html",
        done="Meeting recorded",
        extra={"adulthood": adulthood},
        save=lambda data: services.meeting_record(
            review=review,
            held_on=data["held_on"],
            progress=form.progress(),
            changes=form.changes(),
            recommendation=data["recommendation"],
            child_views=data["child_views"],
            parent_views=data["parent_views"],
            preparing_for_adulthood=data.get("preparing_for_adulthood", ""),
            disagreements=data["disagreements"],
            version=data["version"],
            by=request.user,
        ),
    )


@require_http_methods(["GET", "POST"])
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    review = _convened(request, pk)
    form = ReportForm(**posted(request), initial={"sent_on": timezone.localdate()})
    return _step(
        request,
        review,
        form,
        title="Send the report",
        button="Record the report sent",
        intro="The written report goes to the LA and everyone invited within two weeks of the "
        "meeting (reg 20(7)-(9)).",
        done="Report recorded as sent",
        save=lambda data: services.report_send(
            review=review, sent_on=data["sent_on"], by=request.user
        ),
    )


urlpatterns = [
    path("", review_list, name="review-list"),
    path("plans/<int:pk>/open/", review_open, name="review-open"),
    path("plans/<int:pk>/early/", early_review, name="early-review"),
    path("<int:pk>/", review_detail, name="review-detail"),
    path("<int:pk>/meeting-date/", review_schedule, name="review-schedule"),
    path("<int:pk>/invitations/", review_invite, name="review-invite"),
    path("<int:pk>/papers/", review_papers, name="review-papers"),
    path("invitees/<int:pk>/advice/", invitee_advice, name="invitee-advice"),
    path("<int:pk>/meeting/", review_meeting, name="review-meeting"),
    path("<int:pk>/report/", review_report, name="review-report"),
]
