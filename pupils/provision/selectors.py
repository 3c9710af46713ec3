"""Reads of the provision map, filtered by who is asking; aggregates in a constant number of queries.

Summary conventions (costs.py has the arithmetic):
- planned cost of a provision for a financial year = the per-pupil planned year cost x the pupils
  whose assignment overlaps that year (a 1:1 provision costs its whole staff time per pupil);
- delivered cost = the staff cost of every session logged in that year;
- the budget compared against is the school's NotionalSenBudget for that year, if one is set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from pupils.codes import Area
from pupils.rules import pupil_visible_q
from sendadmin.accounts.selectors import active_membership

from . import costs
from .models import NotionalSenBudget, Provision, ProvisionAssignment, SessionLog


def financial_year_start(day: dt.date) -> dt.date:
    """The 1 April on or before `day`: school budgets run on the financial year."""
    year = day.year if day >= dt.date(day.year, 4, 1) else day.year - 1
    return dt.date(year, 4, 1)


def provision_list_for(user: Any) -> QuerySet[Provision]:
    """The catalogue of the active membership's school; nothing for LA or school-less roles."""
    membership = active_membership(user)
    if membership is None or membership.school_id is None:
        return Provision.objects.none()
    return Provision.objects.filter(school_id=membership.school_id)


@dataclass(frozen=True)
class ProvisionRow:
    provision: Provision
    pupils: int
    planned: Decimal
    delivered: Decimal


@dataclass(frozen=True)
class ProvisionMap:
    year_start: dt.date
    rows: list[ProvisionRow]
    by_area: dict[str, tuple[Decimal, Decimal]]  # area label -> (planned, delivered)
    planned_total: Decimal
    delivered_total: Decimal
    budget: costs.BudgetPosition | None


def provision_map_for_school(school_id: int, year_start: dt.date) -> ProvisionMap:
    """Planned and delivered cost per provision, per area of need and in total, for one year."""
    year_end = dt.date(year_start.year + 1, 3, 31)
    overlapping = Q(assignments__start__lte=year_end) & (
        Q(assignments__end__isnull=True) | Q(assignments__end__gte=year_start)
    )
    minutes = (
        SessionLog.objects.filter(
            provision=OuterRef("pk"), date__gte=year_start, date__lte=year_end
        )
        .values("provision")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )
    provisions = (
        Provision.objects.filter(school_id=school_id)
        .annotate(
            pupil_count=Count("assignments__pupil", filter=overlapping, distinct=True),
            delivered_minutes=Coalesce(
                Subquery(minutes, output_field=IntegerField()), 0, output_field=IntegerField()
            ),
        )
        .order_by("name")
    )
    rows = []
    for p in provisions:
        per_pupil = costs.planned_cost_per_pupil(
            sessions_per_week=p.sessions_per_week,
            minutes_per_session=p.minutes_per_session,
            rate_per_hour=p.cost_per_hour,
            max_group_size=p.max_group_size,
            one_to_one=p.one_to_one,
        )
        rows.append(
            ProvisionRow(
                provision=p,
                pupils=p.pupil_count,
                planned=per_pupil.per_year * p.pupil_count,
                delivered=costs.delivered_cost_for_minutes(p.delivered_minutes, p.cost_per_hour),
            )
        )
    labels = dict(Area.choices)
    planned_by_area = costs.sum_by((labels[r.provision.area], r.planned) for r in rows)
    delivered_by_area = costs.sum_by((labels[r.provision.area], r.delivered) for r in rows)
    by_area = {area: (planned_by_area[area], delivered_by_area[area]) for area in planned_by_area}
    planned_total = costs.to_pennies(sum((r.planned for r in rows), Decimal(0)))
    delivered_total = costs.to_pennies(sum((r.delivered for r in rows), Decimal(0)))
    budget = NotionalSenBudget.objects.filter(school_id=school_id, year_start=year_start).first()
    return ProvisionMap(
        year_start=year_start,
        rows=rows,
        by_area=by_area,
        planned_total=planned_total,
        delivered_total=delivered_total,
        budget=costs.budget_position(planned_total, budget.amount) if budget else None,
    )


def assignment_list_for_provision(user: Any, provision: Provision) -> QuerySet[ProvisionAssignment]:
    """A provision's pupils that `user` may see: a teacher sees only the pupils they teach."""
    visible = ProvisionAssignment.objects.filter(provision=provision).filter(
        pupil__in=provision.school.pupils.filter(pupil_visible_q(user))
    )
    return visible.select_related("pupil").order_by("pupil__legal_last_name", "start")
