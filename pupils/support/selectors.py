"""Reads of support plans and parents' meetings, filtered by the pupil visibility Q."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Count,
    F,
    Field,
    Max,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Lag
from django.http import Http404
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from pupils.codes import SenProvision
from pupils.models import Pupil
from pupils.rules import pupil_visible_q
from sendadmin.access import get_visible_or_404
from sendadmin.calendar import add_months
from sendadmin.clocks.kinds import PARENT_MEETING_MONTHS
from sendadmin.core.history import CHANGE_LABELS, HistoryEntry

from .models import (
    CycleOutcome,
    CycleProvision,
    CycleView,
    DeliveryNote,
    OutcomeReview,
    SupportCycle,
    SupportPlan,
)

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


RowModel = type[CycleOutcome] | type[CycleProvision]


def support_row_get_or_404(
    plan: SupportPlan, model: RowModel, pk: Any
) -> CycleOutcome | CycleProvision:
    """An outcome or provision row of any cycle of this plan (the plan is already the user's)."""
    row = model.objects.filter(cycle__plan=plan, pk=pk).select_related("cycle").first()
    if row is None:
        raise Http404("Not found")
    return row


def support_row_was_removed(plan: SupportPlan, model: RowModel, pk: Any) -> bool:
    """Whether this plan once held the row, so a form posted after someone removed it can say so
    (and keep the text typed) instead of answering 404."""
    return model.history.filter(id=pk, history_type="-", cycle__plan=plan).exists()


# The newest changes shown on a plan's history page.
HISTORY_LIMIT = 500
_NOT_SHOWN = frozenset({"id", "version"})


def _diffed_fields(model: type[Model]) -> list[Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.is_relation and f.editable and f.name not in _NOT_SHOWN
    ]


def _shown(field: Field[Any, Any], value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return date_filter(value, "j F Y")
    return str(value)


def _history_rows(model: type[Model], rows: QuerySet[Any]) -> list[Any]:
    """The newest rows, each carrying the previous version's values (prev_<field>, from a window
    over the same object's rows) so the diff needs no query per row."""
    order = [F("history_date").asc(), F("history_id").asc()]
    previous = {
        f"prev_{f.name}": Window(Lag(f.name), partition_by=[F("id")], order_by=order)
        for f in _diffed_fields(model)
    }
    return list(
        rows.annotate(**previous)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:HISTORY_LIMIT]
    )


def _record_label(model: type[Model], row: Any, cycles: dict[int, int]) -> str:
    cycle_id: int = getattr(row, "cycle_id", None) or getattr(row, "outcome_cycle_id", None) or 0
    cycle = f"cycle {cycles.get(cycle_id, '?')}"
    if model is SupportPlan:
        return "SEN support plan"
    if model is SupportCycle:
        return f"Cycle {row.number}"
    if model is CycleOutcome:
        return f"Outcome, {cycle}: {row.outcome[:80]}"
    if model is CycleProvision:
        return f"Support, {cycle}: {row.provision[:80]}"
    if model is CycleView:
        whose = dict(CycleView.Whose.choices).get(row.whose, row.whose)
        return f"{whose}, {cycle}: {row.text[:60]}"
    if model is DeliveryNote:
        return f"Support delivered, {cycle}: {date_filter(row.delivered_on, 'j F Y')}"
    return f"Review of the outcome, {cycle}: {(row.outcome_text or '')[:80]}"


def support_plan_history_for(plan: SupportPlan) -> list[HistoryEntry]:
    """Changes to the plan and everything in its cycles, newest first, who and when and what
    changed. A fixed number of queries (one per model and one for cycle numbers), however many
    changes there are; rows are found through this plan's cycles only."""
    cycles = dict(SupportCycle.objects.filter(plan=plan).values_list("pk", "number"))
    in_plan = Q(cycle_id__in=list(cycles))
    outcomes = CycleOutcome.history.filter(in_plan)
    latest_outcome = outcomes.filter(id=OuterRef("outcome_id")).order_by("-history_date")
    sources: list[tuple[type[Model], QuerySet[Any]]] = [
        (SupportPlan, SupportPlan.history.filter(id=plan.pk)),
        (SupportCycle, SupportCycle.history.filter(plan_id=plan.pk)),
        (CycleOutcome, outcomes),
        (CycleProvision, CycleProvision.history.filter(in_plan)),
        (CycleView, CycleView.history.filter(in_plan)),
        (DeliveryNote, DeliveryNote.history.filter(in_plan)),
        (
            OutcomeReview,
            OutcomeReview.history.filter(outcome_id__in=outcomes.values("id")).annotate(
                outcome_text=Subquery(latest_outcome.values("outcome")[:1]),
                outcome_cycle_id=Subquery(latest_outcome.values("cycle_id")[:1]),
            ),
        ),
    ]
    found: list[tuple[type[Model], Any]] = []
    for model, rows in sources:
        found.extend((model, row) for row in _history_rows(model, rows))
    found.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    entries = []
    for model, row in found[:HISTORY_LIMIT]:
        changes = []
        if row.history_type == "~":
            for field in _diffed_fields(model):
                old, new = getattr(row, f"prev_{field.name}"), getattr(row, field.name)
                if old != new:
                    label = str(field.verbose_name).capitalize()
                    changes.append((label, _shown(field, old), _shown(field, new)))
        entries.append(
            HistoryEntry(
                row.history_date,
                str(row.history_user) if row.history_user else "System",
                CHANGE_LABELS.get(row.history_type, "?"),
                _record_label(model, row, cycles),
                changes,
            )
        )
    return entries


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
