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
from django.http import Http404

from pupils.codes import Area
from pupils.models import Pupil, current_q
from pupils.rules import pupil_visible_q
from sendadmin.access import get_visible_or_404
from sendadmin.accounts.selectors import active_membership

from . import costs
from .models import (
    NotionalSenBudget,
    Provision,
    ProvisionAssignment,
    SessionAttendance,
    SessionLog,
)


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


def provision_get_for_user_or_404(user: Any, pk: Any) -> Provision:
    """A provision of the active membership's school, or 404 (another school's does not exist)."""
    return get_visible_or_404(provision_list_for(user), pk=pk)


def assignment_get_for_user_or_404(user: Any, pk: Any) -> ProvisionAssignment:
    """An assignment of a pupil `user` may see, at their school's provision; otherwise 404."""
    membership = active_membership(user)
    if membership is None or membership.school_id is None:
        raise Http404("Not found")
    return get_visible_or_404(
        ProvisionAssignment.objects.select_related("provision", "pupil").filter(
            provision__school_id=membership.school_id,
            pupil__in=Pupil.objects.filter(pupil_visible_q(user)),
        ),
        pk=pk,
    )


def provisions_to_log_for(user: Any, day: dt.date) -> QuerySet[Provision]:
    """Active provisions with pupils `user` may log for on `day`, with how many (one query)."""
    visible = Pupil.objects.filter(pupil_visible_q(user))
    mine = current_q("assignments__", day) & Q(assignments__pupil__in=visible)
    return (
        provision_list_for(user)
        .filter(active=True)
        .annotate(my_pupils=Count("assignments__pupil", filter=mine, distinct=True))
        .filter(my_pupils__gt=0)
        .order_by("name")
    )


def loggable_pupils(user: Any, provision: Provision, day: dt.date) -> QuerySet[Pupil]:
    """The pupils assigned to `provision` on `day` that `user` may log a session for."""
    return (
        Pupil.objects.filter(pupil_visible_q(user))
        .filter(
            pk__in=ProvisionAssignment.objects.filter(
                current_q(on=day), provision=provision
            ).values("pupil_id")
        )
        .order_by("legal_last_name", "legal_first_name", "pk")
    )


@dataclass(frozen=True)
class AssignmentStats:
    """Planned against delivered for one pupil's time on one provision, up to a day."""

    assignment: ProvisionAssignment
    planned_sessions: int
    attended: int
    missed: int
    minutes: int
    cost: Decimal  # the pupil's share of the sessions they attended, in pennies

    @property
    def percent_delivered(self) -> int | None:
        if not self.planned_sessions:
            return None
        return round(100 * self.attended / self.planned_sessions)


def assignment_stats(
    assignments: list[ProvisionAssignment], today: dt.date
) -> list[AssignmentStats]:
    """Stats for each assignment (provision loaded) in one attendance query, whatever the count."""
    if not assignments:
        return []
    attendees = (
        SessionAttendance.objects.filter(session=OuterRef("session"), attended=True)
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        SessionAttendance.objects.filter(
            session__provision_id__in={a.provision_id for a in assignments},
            pupil_id__in={a.pupil_id for a in assignments},
            session__date__lte=today,
        )
        .annotate(attendees=Subquery(attendees, output_field=IntegerField()))
        .values_list(
            "session__provision_id",
            "pupil_id",
            "session__date",
            "attended",
            "session__duration_minutes",
            "attendees",
        )
    )
    by_pair: dict[tuple[int, int], list[ProvisionAssignment]] = {}
    for a in assignments:
        by_pair.setdefault((a.provision_id, a.pupil_id), []).append(a)
    sessions: dict[int, list[tuple[bool, int, int]]] = {a.pk: [] for a in assignments}
    for provision_id, pupil_id, day, attended, minutes, n in rows:
        for a in by_pair.get((provision_id, pupil_id), []):
            if a.start <= day and (a.end is None or day <= a.end):
                sessions[a.pk].append((attended, minutes, n or 0))
                break
    stats = []
    for a in assignments:
        until = min(today, a.end) if a.end else today
        days = (until - a.start).days + 1 if until >= a.start else 0
        went = [(minutes, n) for attended, minutes, n in sessions[a.pk] if attended]
        stats.append(
            AssignmentStats(
                assignment=a,
                planned_sessions=costs.planned_sessions(
                    days=days, sessions_per_week=a.provision.sessions_per_week
                ),
                attended=len(went),
                missed=len(sessions[a.pk]) - len(went),
                minutes=sum(minutes for minutes, _ in went),
                cost=costs.delivered_cost_for_pupil(
                    (costs.LoggedSession(minutes=m, attended=n) for m, n in went),
                    a.provision.cost_per_hour,
                ),
            )
        )
    return stats


def provision_pupil_stats(user: Any, provision: Provision, today: dt.date) -> list[AssignmentStats]:
    """Planned against delivered for each of the provision's pupils `user` may see."""
    assignments = list(assignment_list_for_provision(user, provision).select_related("provision"))
    return assignment_stats(assignments, today)


def pupil_provision_stats(pupil: Pupil, today: dt.date) -> list[AssignmentStats]:
    """Every provision the pupil has been on, newest first, with planned against delivered."""
    assignments = list(
        ProvisionAssignment.objects.filter(pupil=pupil)
        .select_related("provision", "pupil")
        .order_by("-start", "-pk")
    )
    return assignment_stats(assignments, today)


def recent_sessions(provision: Provision, limit: int = 10) -> QuerySet[SessionLog]:
    """The provision's latest logged sessions, with who delivered them and how many attended."""
    return (
        SessionLog.objects.filter(provision=provision)
        .select_related("delivered_by")
        .annotate(attended_count=Count("attendance", filter=Q(attendance__attended=True)))
        .order_by("-date", "-pk")[:limit]
    )
