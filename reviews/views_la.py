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
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
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


def _open_clocks(kind: Kind) -> QuerySet[Clock]:
    """The open clocks of `kind` about reviews: at most one a review (the constraint
    clock_one_open_per_kind_and_subject), so its due date is the review's `decision_due_on` or
    `amended_due_on` as la_review_list_for annotates it."""
    return Clock.objects.filter(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(Review),
        state=Clock.State.OPEN,
    )


def _due_soonest(reviews: QuerySet[Review], kind: Kind) -> tuple[list[tuple[int, dt.date]], int]:
    """(id, due date) of the DUE_SHOWN reviews whose open `kind` clock falls due soonest, and how
    many reviews have one, in one query.

    A county's LA has a thousand decisions due at a time, which every visit rendered in full. The
    ids are found from the clocks, by their (kind, subject) index, among the user's reviews:
    testing each open review's due date annotation probed the clocks once a review, and sorting
    the joined rows joined every pupil of the county (benchmarks/load).
    """
    due = (
        _open_clocks(kind)
        .filter(subject_id__in=reviews.values("pk"))
        .annotate(due_total=Window(Count("pk")))  # how many, counted by the same query
        .order_by("due_on", "subject_id")
        .values_list("subject_id", "due_on", "due_total")[:DUE_SHOWN]
    )
    found = list(due)
    return [(pk, due_on) for pk, due_on, _ in found], found[0][2] if found else 0


def _reviews_by_pk(pks: set[int]) -> dict[int, Review]:
    """The reviews of the list, by id, with only what it shows: their ids came from
    la_review_list_for, so each is one the user may see. One query for the three tables, without
    the plan versions, plan and LA the selector joins for other pages."""
    rows = Review.objects.select_related("pupil", "school", "amended_version").order_by()
    return rows.in_bulk(pks)


@require_GET
def la_review_list(request: HttpRequest) -> HttpResponse:
    """The LA's open reviews: the decisions due soonest first (reg 20(10)), the amended plans due
    (reg 22(3)), and every open review with the step it is at."""
    require_perm(request.user, "reviews.list_la_reviews")
    today = timezone.localdate()
    reviews = la_review_list_for(request.user)
    decisions, decisions_total = _due_soonest(reviews, Kind.LA_REVIEW_DECISION)
    amended, amended_total = _due_soonest(reviews, Kind.AMENDED_PLAN)
    # The page's ids first, then its rows, as in _due_soonest: sorting the joined rows of every
    # open review joined each one's plan version before taking the page.
    page = Paginator(reviews.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page_pks = list(page.object_list)
    by_pk = _reviews_by_pk({*page_pks, *(pk for pk, _ in decisions), *(pk for pk, _ in amended)})

    def due_row(pk: int, due_on: dt.date) -> dict[str, Any]:
        review = by_pk[pk]
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
            "decisions": [due_row(pk, due_on) for pk, due_on in decisions],
            "decisions_total": decisions_total,
            "amended": [due_row(pk, due_on) for pk, due_on in amended],
            "amended_total": amended_total,
            "page": page,
            "rows": [{"review": by_pk[pk], "step": review_step(by_pk[pk])} for pk in page_pks],
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
