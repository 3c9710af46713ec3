"""Deadline pages: my deadlines, the school and LA lists, a pupil's timeline, notifications, and the
personal calendar feed. Every read goes through clocks.selectors (clock_visible_q)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ehcp.deadlines import EXCEPTION_LIMBS
from pupils.models import Pupil
from pupils.rules import pupil_visible_q
from pupils.selectors import pupil_get_for_user_or_404
from sendadmin.access import get_visible_or_404, require_membership, require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.roles import Cap, role_has
from sendadmin.accounts.selectors import active_membership, membership_current_for
from sendadmin.core.figure_cache import cached_figures

from .calendar_feed import (
    calendar_token_create,
    calendar_token_live_for,
    calendar_token_owner_or_none,
    calendar_token_revoke,
    render_calendar,
)
from .forms import ClockFilterForm, status_q
from .kinds import Kind
from .models import DUE_SOON_DAYS, Clock, Status
from .selectors import clock_list_for, clock_list_responsible_for, notification_list_for
from .services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 50
ATTENTION_MAX = 10
# A request from another body (the LA asking the school for advice) needs attention from the day it
# arrives, not only once it is due soon: the six weeks are the adviser's whole time to answer.
ON_ARRIVAL = (Kind.ADVICE_REQUEST,)

# GOV.UK Frontend tag colours; the default tag (no modifier) is blue.
TAG_CLASSES: dict[Status, str] = {
    Status.OVERDUE: "govuk-tag--red",
    Status.DUE_SOON: "govuk-tag--orange",
    Status.ON_TRACK: "",
    Status.MET_ON_TIME: "govuk-tag--green",
    Status.MET_LATE: "govuk-tag--green",
    Status.EXCEPTION_APPLIES: "govuk-tag--purple",
    Status.CANCELLED: "govuk-tag--grey",
}
SUMMARY_ORDER = (
    Status.OVERDUE,
    Status.EXCEPTION_APPLIES,
    Status.DUE_SOON,
    Status.ON_TRACK,
    Status.MET_ON_TIME,
    Status.MET_LATE,
    Status.CANCELLED,
)


@dataclass(frozen=True)
class ClockRow:
    """One clock as a page shows it: its status on `today`, and whether its pupil may be named."""

    clock: Clock
    status: Status
    tag_class: str
    when: str
    pupil_named: bool
    exception: str = ""
    # The page of the record the clock belongs to, where the obligation is met (an advice request).
    link: str = ""


# Clock subjects with a page of their own: (app label, model) -> URL name taking the subject's pk.
SUBJECT_PAGES = {
    ("ehcp", "advicerequest"): "ehcp:advice-detail",
    ("ehcp", "assessmentcase"): "ehcp:case-detail",
}


def _subject_link(clock: Clock, pupil_named: bool) -> str:
    """Only where the row may name its pupil: the subject page shows who the clock is about."""
    if not pupil_named:
        return ""
    ct = ContentType.objects.get_for_id(clock.subject_type_id)
    name = SUBJECT_PAGES.get((ct.app_label, ct.model))
    if name is None:
        return ""
    try:
        return reverse(name, args=[clock.subject_id])
    except NoReverseMatch:
        return ""


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _when(clock: Clock, status: Status, today: dt.date) -> str:
    if clock.state == Clock.State.MET and clock.met_on is not None:
        return f"Met on {dateformat.format(clock.met_on, 'j M Y')}"
    if clock.state == Clock.State.CANCELLED:
        return "Cancelled"
    left = clock.days_left(today)
    if left > 0:
        return f"{_days(left)} left"
    if left == 0:
        return "Due today"
    return f"{_days(-left)} overdue"


def _exception_text(clock: Clock) -> str:
    if not clock.has_exception:
        return ""
    labels = {limb.code: limb.label for limb in EXCEPTION_LIMBS.get(clock.exception_regulation, ())}
    regulation = re.sub(r"^reg", "Regulation ", clock.exception_regulation)
    text = f"{regulation}({clock.exception_limb})"
    if clock.exception_limb in labels:
        text += f": {labels[clock.exception_limb]}"
    return text


def with_pupil_named(clocks: QuerySet[Clock], user: Any) -> QuerySet[Clock]:
    """Annotate whether a row may name its pupil: the pupil is visible to the user and the role may
    see SEN details (a deadline such as an annual review of an EHC plan is itself an SEN detail, so a
    governor or a school administrator sees the deadline but not whose it is)."""
    membership = active_membership(user)
    if membership is None or not role_has(membership.role, Cap.VIEW_SEN_DETAILS):
        return clocks.annotate(pupil_named=Value(False))
    visible = Pupil.objects.filter(pupil_visible_q(user), pk=OuterRef("pupil_id"))
    return clocks.annotate(pupil_named=Exists(visible))


def clock_rows(clocks: Iterable[Clock], today: dt.date | None = None) -> list[ClockRow]:
    today = today or timezone.localdate()
    rows = []
    for clock in clocks:
        status = clock.status(today)
        named = bool(getattr(clock, "pupil_named", False))
        rows.append(
            ClockRow(
                clock=clock,
                status=status,
                tag_class=TAG_CLASSES[status],
                when=_when(clock, status, today),
                pupil_named=named,
                exception=_exception_text(clock),
                link=_subject_link(clock, named),
            )
        )
    return rows


def attention_rows(user: Any) -> list[ClockRow]:
    """The home page's 'What needs your attention': overdue and due-soon clocks, and requests from
    another body from the day they arrive (ON_ARRIVAL), soonest first."""
    if active_membership(user) is None:
        return []
    today = timezone.localdate()
    clocks = clock_list_responsible_for(user).filter(
        Q(due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)) | Q(kind__in=ON_ARRIVAL)
    )
    return clock_rows(with_pupil_named(clocks, user)[:ATTENTION_MAX], today)


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def my_deadlines(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = _page(request, with_pupil_named(clock_list_responsible_for(user), user))
    return render(
        request,
        "clocks/my_deadlines.html",
        {
            "page": page,
            "rows": clock_rows(page.object_list),
            "can_list_school": user.has_perm("clocks.list_school_deadlines"),
            "can_list_la": user.has_perm("clocks.list_la_deadlines"),
        },
    )


def _counts(
    clocks: QuerySet[Clock], today: dt.date, listed: str
) -> tuple[list[tuple[Status, str, int]], int]:
    """The count of each status (the summary) and of the clocks listed under the status filter
    `listed`, in one query over the clocks."""
    counts = clocks.aggregate(
        listed=Count("pk", filter=status_q(listed, today)),
        **{status.value: Count("pk", filter=status_q(status, today)) for status in SUMMARY_ORDER},
    )
    summary = [(status, TAG_CLASSES[status], counts[status.value]) for status in SUMMARY_ORDER]
    return summary, counts["listed"]


def _deadline_list(
    request: HttpRequest,
    clocks: QuerySet[Clock],
    *,
    heading: str,
    organisation: Any,
    cache_key: str | None = None,
) -> HttpResponse:
    """The list page. With `cache_key` (which must name whose visibility `clocks` follows), the
    counts are kept for a few minutes (figure_cache) and the page says when they were counted; the
    rows listed are always read now."""
    today = timezone.localdate()
    form = ClockFilterForm(request.GET)
    form.is_valid()
    listed = form.status_filter()

    def count() -> tuple[list[tuple[Status, str, int]], int]:
        return _counts(form.filter_except_status(clocks), today, listed)

    if cache_key is None:
        (summary, total), counted_at = count(), None
    else:
        filters = ":".join(f"{name}={value}" for name, value in form.filters_applied())
        (summary, total), counted_at = cached_figures(
            f"{cache_key}:{today.isoformat()}:{filters}", count
        )
    paginator = Paginator(with_pupil_named(form.filter(clocks, today), request.user), PAGE_SIZE)
    # Counted with the summary: a second count of a county's clocks cost a quarter of a second.
    paginator.count = total
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "clocks/deadline_list.html",
        {
            "heading": heading,
            "organisation": organisation,
            "form": form,
            "summary": summary,
            "counted_at": counted_at,
            "cache_minutes": settings.FIGURES_CACHE_SECONDS // 60,
            "page": page,
            "rows": clock_rows(page.object_list, today),
        },
    )


@require_GET
def school_deadlines(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    require_perm(request.user, "clocks.list_school_deadlines")
    # A clock belongs to the school, or is about one of its pupils (an LA clock may name no school).
    # The pupils' ids are read first: a list lets PostgreSQL find their clocks by the pupil index
    # beside the school's by the school index, where a join to the pupil table scanned every clock
    # and every pupil of the county for the count and the summary (benchmarks/load).
    school_id = membership.school_id
    pupils = list(Pupil.objects.filter(school_id=school_id).values_list("pk", flat=True))
    clocks = clock_list_for(request.user).filter(Q(school_id=school_id) | Q(pupil_id__in=pupils))
    return _deadline_list(
        request, clocks, heading="School deadlines", organisation=membership.organisation
    )


@require_GET
def la_deadlines(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    require_perm(request.user, "clocks.list_la_deadlines")
    la_id = membership.local_authority_id
    clocks = clock_list_for(request.user).filter(local_authority_id=la_id)
    # An LA's counts take every clock of its LA (a county's: 175,000, half a second): kept a few
    # minutes, under the user and membership whose visibility they follow (clock_visible_q).
    return _deadline_list(
        request,
        clocks,
        heading="Local authority deadlines",
        organisation=membership.organisation,
        cache_key=f"la-deadlines:{request.user.pk}:{membership.pk}:{membership.role}:{la_id}",
    )


@require_GET
def pupil_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "pupils.view_pupil_sen", pupil)
    audit_record(request.user, "clocks.pupil_timeline.viewed", pupil, request=request)
    clocks = clock_list_for(request.user).filter(pupil=pupil).order_by("-due_on", "-pk")
    return render(
        request, "clocks/pupil_timeline.html", {"pupil": pupil, "rows": clock_rows(clocks)}
    )


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = notification_list_for(request.user).order_by(
        Case(When(read_at__isnull=True, then=Value(0)), default=Value(1)), "-created_at", "-pk"
    )
    return render(request, "clocks/notification_list.html", {"page": _page(request, notifications)})


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification_mark_read(
        notification=get_visible_or_404(notification_list_for(request.user), pk=pk), by=request.user
    )
    messages.success(request, "Notification marked as read.")
    return redirect("clocks:notification-list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    if notification_mark_all_read(by=request.user):
        messages.success(request, "All notifications marked as read.")
    return redirect("clocks:notification-list")


@never_cache
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        calendar_token_create(by=request.user)
        messages.success(request, "Your calendar link has been created.")
        return redirect("clocks:calendar-settings")
    token = calendar_token_live_for(request.user)
    feed_url = (
        request.build_absolute_uri(reverse("clocks:calendar-feed", kwargs={"token": token.token}))
        if token is not None
        else ""
    )
    return render(request, "clocks/calendar_settings.html", {"token": token, "feed_url": feed_url})


@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    if calendar_token_revoke(by=request.user):
        messages.success(
            request,
            "Your calendar link has been turned off. Calendars using it will stop updating.",
        )
    return redirect("clocks:calendar-settings")


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a secret URL: a calendar application fetches it without a session.

    With no session there is no chosen school or role, so the feed acts in the owner's first current
    membership: the same default the owner lands in when they sign in (membership_current_for).
    """
    feed_token = calendar_token_owner_or_none(token)
    if feed_token is None:
        raise Http404("Not found")
    owner = feed_token.user
    owner.active_membership = membership_current_for(owner)
    clocks = list(clock_list_responsible_for(owner)) if owner.active_membership else []
    body = render_calendar(
        clocks,
        uid_domain=request.get_host().split(":")[0],
        link=request.build_absolute_uri(reverse("clocks:my-deadlines")),
        stamp=timezone.now(),
    )
    audit_record(
        owner, "clocks.calendar_feed.fetched", feed_token, request=request, events=len(clocks)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sendadmin-deadlines.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
