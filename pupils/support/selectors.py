"""Reads of support plans and parents' meetings, filtered by the pupil visibility Q."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from pupils.codes import SenProvision
from pupils.models import Pupil
from pupils.rules import pupil_visible_q
from sendadmin.access import get_visible_or_404
from sendadmin.calendar import add_months
from sendadmin.clocks.kinds import PARENT_MEETING_MONTHS

from .models import CycleOutcome, CycleView, SupportCycle, SupportPlan

# CoP 6.65: at least three meetings a year.
MEETINGS_PER_YEAR = 3


def support_plan_list_for(user: Any) -> QuerySet[SupportPlan]:
    return SupportPlan.objects.filter(
        pupil__in=Pupil.objects.filter(pupil_visible_q(user))
    ).select_related("pupil", "school")


def support_plan_get_for_user_or_404(user: Any, pk: Any) -> SupportPlan:
    return get_visible_or_404(support_plan_list_for(user), pk=pk)


def support_plan_for_pupil(pupil: Pupil) -> SupportPlan | None:
    return SupportPlan.objects.filter(pupil=pupil).first()


def support_cycles_for(plan: SupportPlan) -> list[SupportCycle]:
    """Every cycle of the plan, newest first, with what each holds in a fixed number of queries."""
    return list(
        plan.cycles.order_by("-number").prefetch_related(
            Prefetch("outcomes", queryset=CycleOutcome.objects.select_related("review")),
            "provisions",
            Prefetch("views", queryset=CycleView.objects.select_related("recorded_by")),
            "delivery_notes__recorded_by",
        )
    )


def support_cycle_current(plan: SupportPlan) -> SupportCycle:
    return plan.cycles.exclude(status=SupportCycle.Status.REVIEWED).order_by("-number").get()


def parent_meetings_behind_for(user: Any, *, on: dt.date | None = None) -> QuerySet[Pupil]:
    """Pupils on SEN support behind the CoP 6.65 pace: fewer than three meetings with parents in the
    last 12 months, or none in the last four. One query, whatever the number of pupils."""
    on = on or timezone.localdate()
    year_ago = add_months(on, -12)
    recent = add_months(on, -PARENT_MEETING_MONTHS)
    return (
        Pupil.objects.filter(pupil_visible_q(user), sen_provision=SenProvision.SEN_SUPPORT)
        .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gt=on))
        .annotate(
            meetings_last_year=Count(
                "parent_meetings",
                filter=Q(parent_meetings__date__gt=year_ago, parent_meetings__date__lte=on),
            ),
            last_meeting=Max("parent_meetings__date"),
        )
        .filter(
            Q(meetings_last_year__lt=MEETINGS_PER_YEAR)
            | Q(last_meeting__isnull=True)
            | Q(last_meeting__lte=recent)
        )
        .order_by("legal_last_name", "legal_first_name", "pk")
    )
