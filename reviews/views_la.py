"""The LA's side of a review: its decision after the meeting (reg 20(10)), its list of open reviews
with the decisions and amended plans due, and the review's documents as PDFs (issue 6 parts 1, 4, 5).

Thin views: fetch through a selector (not visible: 404), require the permission (403), validate,
call one service, redirect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.forms import errors_to_form, posted

from . import services
from .deadlines import meeting_deadlines
from .forms_la import DecisionForm
from .models import SECTIONS, Recommendation, Review
from .pdf import (
    invitation_pdf_render,
    papers_pdf_render,
    report_pdf_render,
    review_pdf_filename,
)
from .selectors import la_review_list_for, review_get_for_user_or_404

PAGE_SIZE = 50
# The decisions and amended plans due shown at the top, soonest first; all are in the open reviews.
DUE_SHOWN = 50
SECTION_LABELS = dict(SECTIONS)


def review_step(review: Review) -> str:
    """Where the review has got to in the chain of reg 20 and reg 22 (domain.md 2.2-2.3)."""
    if review.la_decision == Recommendation.AMEND:
        return "Amended plan being prepared"
    if review.la_decision:
        return f"Decided: {review.get_la_decision_display().lower()}"
    if review.report_sent_on:
        return "Report sent: waiting for the LA's decision"
    if review.held_on:
        return "Meeting held: report due from the school"
    if review.invitations_sent_on:
        return "Invitations sent"
    if review.meeting_on:
        return "Meeting date set"
    return "Meeting to be arranged"


def _amended_plan_by(review: Review, notice_on: dt.date) -> dt.date | None:
    """Reg 22(3): the final amended plan within 8 weeks of the notice, sent with the decision."""
    if review.held_on is None:
        return None
    return meeting_deadlines(
        review.held_on, amendment_notice_sent=max(notice_on, review.held_on)
    ).amended_plan_by


def _amended_version_url(review: Review) -> str | None:
    version = review.amended_version
    if version is None:
        return None
    url = reverse("ehcp:plan-detail", args=[review.plan_id])
    return f"{url}?version={version.number}"


@require_http_methods(["GET", "POST"])
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The LA keeps, amends or ceases the plan within 4 weeks of the meeting (reg 20(10))."""
    review = review_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "reviews.decide_review", review)
    today = timezone.localdate()
    form = DecisionForm(
        **posted(request),
        initial={
            "version": review.version,
            "decided_on": today,
            "decision": review.recommendation or None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.la_decide(
                review=review,
                decision=data["decision"],
                decided_on=data["decided_on"],
                reasons=data["reasons"],
                version=data["version"],
                by=request.user,
            )
        except ValidationError as exc:
            if any(e.code == "stale" for e in exc.error_list):
                # Keep what they typed, now at the current version, so a second save is deliberate.
                fresh = request.POST.copy()
                fresh["version"] = str(Review.objects.get(pk=review.pk).version)
                form.data = fresh
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Decision recorded: {review.get_la_decision_display()}")
            amended_url = _amended_version_url(review)
            if review.la_decision == Recommendation.AMEND and amended_url:
                due = _amended_plan_by(review, review.la_decision_on or today)
                proposed = ", ".join(review.proposed_changes.values_list("section", flat=True))
                messages.info(
                    request,
                    f"Change only the sections the review proposed ({proposed}): the notice of the "
                    "proposed amendments goes with the decision (regulation 22(2))."
                    + (f" The amended plan is due by {due:%-d %B %Y}." if due else ""),
                )
                return redirect(amended_url)
            return redirect("reviews:la-review-list")
    decided_on = form.cleaned_data.get("decided_on") if form.is_bound and form.is_valid() else None
    changes = [
        (SECTION_LABELS.get(c.section, c.section), c.change) for c in review.proposed_changes.all()
    ]
    return render(
        request,
        "reviews/la/decision_form.html",
        {
            "review": review,
            "pupil": review.pupil,
            "form": form,
            "changes": changes,
            "progress": list(review.progress.all()),
            "deadlines": meeting_deadlines(review.held_on) if review.held_on else None,
            "amended_plan_by": _amended_plan_by(review, decided_on or today),
            "notice_on": decided_on or today,
            "amended_url": _amended_version_url(review),
        },
    )


def _due_soonest(reviews: QuerySet[Review], due_field: str) -> tuple[list[Review], int]:
    """The DUE_SHOWN reviews with the soonest `due_field`, and how many have one.

    A county's LA has a thousand decisions due at a time, which every visit rendered in full. The
    ids are found first, without select_related's joins: sorting the joined rows made PostgreSQL
    join every pupil of the county before it could take the first few (benchmarks/load).
    """
    due = reviews.filter(Q(**{f"{due_field}__isnull": False}))
    pks = list(due.order_by(due_field, "pk").values_list("pk", flat=True)[:DUE_SHOWN])
    rows = due.in_bulk(pks)
    return [rows[pk] for pk in pks], due.count()


@require_GET
def la_review_list(request: HttpRequest) -> HttpResponse:
    """The LA's open reviews: the decisions due soonest first (reg 20(10)), the amended plans due
    (reg 22(3)), and every open review with the step it is at."""
    require_perm(request.user, "reviews.list_la_reviews")
    today = timezone.localdate()
    reviews = la_review_list_for(request.user)
    decisions, decisions_total = _due_soonest(reviews, "decision_due_on")
    amended, amended_total = _due_soonest(reviews, "amended_due_on")
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))

    def due_row(review: Review, due_on: dt.date) -> dict[str, Any]:
        return {
            "review": review,
            "due_on": due_on,
            "days_left": (due_on - today).days,
            "amended_url": _amended_version_url(review),
        }

    return render(
        request,
        "reviews/la/review_list.html",
        {
            "decisions": [due_row(r, r.decision_due_on) for r in decisions],  # type: ignore[attr-defined]
            "decisions_total": decisions_total,
            "amended": [due_row(r, r.amended_due_on) for r in amended],  # type: ignore[attr-defined]
            "amended_total": amended_total,
            "page": page,
            "rows": [{"review": r, "step": review_step(r)} for r in page],
        },
    )


def _pdf_response(
    request: HttpRequest, pk: int, document: str, render_pdf: Callable[[Review], bytes]
) -> HttpResponse:
    review = review_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "reviews.view_review", review)
    if document == "invitation" and review.meeting_on is None:
        raise Http404("No meeting date: there is no invitation yet")
    body = render_pdf(review)
    audit_record(
        request.user, "reviews.review.pdf_downloaded", review, request=request, document=document
    )
    response = HttpResponse(body, content_type="application/pdf")
    filename = review_pdf_filename(review, document)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def invitation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf_response(request, pk, "invitation", invitation_pdf_render)


@require_GET
def papers_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf_response(request, pk, "papers", papers_pdf_render)


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf_response(request, pk, "report", report_pdf_render)


urlpatterns = [
    path("la/", la_review_list, name="la-review-list"),
    path("<int:pk>/decision/", review_decide, name="review-decide"),
    path("<int:pk>/invitation.pdf", invitation_pdf, name="invitation-pdf"),
    path("<int:pk>/papers.pdf", papers_pdf, name="papers-pdf"),
    path("<int:pk>/report.pdf", report_pdf, name="report-pdf"),
]
