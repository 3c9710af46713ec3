"""Section F of the latest issued plan against what the school's provision map shows was delivered.

The LA's duty to secure section F provision is absolute (CFA s.42(2); domain.md 3), so the plan and
the map are compared row by row. The counting is the provision map's own (pupils/provision/costs.py:
38 teaching weeks in 52, rounded down), and attendance comes from its per-assignment statistics.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from pupils.provision import costs
from pupils.provision.models import ProvisionAssignment
from pupils.provision.selectors import assignment_stats

from .models import Plan, PlanProvision, PlanVersion
from .selectors import version_list_for

ON_TRACK = "on track"
BEHIND = "behind"
NOT_ON_MAP = "not on the provision map"
# Attended sessions at or above this share of those the plan implies to date count as on track.
ON_TRACK_PERCENT = 90


@dataclass(frozen=True)
class DeliveryRow:
    """One section F row: what the plan implies to date against what was logged."""

    number: int
    provision: PlanProvision
    status: str
    since: dt.date | None = None
    planned_sessions: int = 0
    logged: int = 0
    attended: int = 0
    missed: int = 0
    minutes_attended: int = 0
    minutes_planned: int = 0

    @property
    def percent_attended(self) -> int | None:
        if not self.planned_sessions:
            return None
        return round(100 * self.attended / self.planned_sessions)


@dataclass(frozen=True)
class Delivery:
    version: PlanVersion | None
    rows: list[DeliveryRow]


def _status(attended: int, planned: int) -> str:
    return ON_TRACK if attended * 100 >= planned * ON_TRACK_PERCENT else BEHIND


def plan_delivery(user: Any, plan: Plan, today: dt.date) -> Delivery:
    """Compare the latest issued version's section F with the pupil's provision map record.

    Counted from the later of the version's issue date and each assignment's start, to `today`.
    Five queries whatever the number of rows: the version, its provision rows, the assignments and
    the attendance (through pupils.provision.selectors.assignment_stats).
    """
    version = version_list_for(user, plan).filter(issued_on__isnull=False).order_by("number").last()
    if version is None or version.issued_on is None:
        return Delivery(version=None, rows=[])
    issued_on = version.issued_on
    provisions = list(version.provisions.select_related("map_provision"))
    map_ids = {p.map_provision_id for p in provisions if p.map_provision_id}
    assignments = list(
        ProvisionAssignment.objects.filter(pupil_id=plan.pupil_id, provision_id__in=map_ids)
        .exclude(end__lt=issued_on)
        .filter(start__lte=today)
        .select_related("provision")
        .order_by("start", "pk")
        if map_ids
        else []
    )
    # Each assignment counted from the later of its start and the issue date: copies, so the
    # provision map's statistics count the same window the plan does.
    windows = []
    for assignment in assignments:
        window = copy.copy(assignment)
        window.start = max(assignment.start, issued_on)
        windows.append(window)
    stats = {s.assignment.pk: s for s in assignment_stats(windows, today)}
    rows = []
    for number, provision in enumerate(provisions, start=1):
        mine = [w for w in windows if w.provision_id == provision.map_provision_id]
        if not mine:
            rows.append(DeliveryRow(number=number, provision=provision, status=NOT_ON_MAP))
            continue
        planned = 0
        for window in mine:
            until = min(today, window.end) if window.end else today
            days = (until - window.start).days + 1 if until >= window.start else 0
            planned += costs.planned_sessions(
                days=days, sessions_per_week=provision.sessions_per_week
            )
        attended = sum(stats[w.pk].attended for w in mine)
        missed = sum(stats[w.pk].missed for w in mine)
        rows.append(
            DeliveryRow(
                number=number,
                provision=provision,
                status=_status(attended, planned),
                since=min(w.start for w in mine),
                planned_sessions=planned,
                logged=attended + missed,
                attended=attended,
                missed=missed,
                minutes_attended=sum(stats[w.pk].minutes for w in mine),
                minutes_planned=planned * provision.minutes_per_session,
            )
        )
    return Delivery(version=version, rows=rows)
