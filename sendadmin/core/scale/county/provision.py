"""Step 4: each mainstream school's provision catalogue and notional SEN budget, pupils on the
register assigned to provisions that match their primary need, and a few weeks of session logs.

As the demo (sendadmin/core/demo_provision.py): the catalogue is its ten interventions, special
schools have none (their whole curriculum is the provision), groups never exceed the provision's
size. Sessions are logged by the school's teacher and TA logins for the groups they teach and by the
SENCO for the rest, on the provision's weekdays over the last few weeks, with missed sessions and
absences.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from pupils.codes import NEED_AREA
from pupils.provision.models import (
    NotionalSenBudget,
    Provision,
    ProvisionAssignment,
    SessionAttendance,
    SessionLog,
    StaffRole,
)
from pupils.provision.selectors import financial_year_start
from sendadmin.calendar import academic_year_start
from sendadmin.core.demo_provision import (
    ABSENCE_RATE,
    CATALOGUE,
    ENDED_LAST_YEAR_RATE,
    MISSED_SESSION_RATE,
    WEEKDAYS,
    Spec,
    _measures,
)

from .base import Ids, Run
from .org import Org
from .roll import N, Roll

SESSION_WEEKS = 3
# Notional SEN budget: a base and an amount per pupil, typical of LA formulae.
BUDGET_BASE, BUDGET_PER_PUPIL = Decimal("12000"), Decimal("52")


@dataclass(slots=True)
class CatalogueRec:
    id: int
    school_id: int
    spec: Spec


def seed_catalogue(run: Run, org: Org) -> dict[int, list[CatalogueRec]]:
    """school id -> its provisions."""
    rows = []
    by_school: dict[int, list[CatalogueRec]] = {}
    ids = Ids(Provision)
    budgets = []
    year_start = financial_year_start(run.today)
    for school in org.schools:
        if not school.mainstream:
            continue
        entries = []
        for spec in CATALOGUE:
            if school.kind not in spec.phases:
                continue
            pk = ids()
            entries.append(CatalogueRec(pk, school.id, spec))
            rows.append(
                (pk, school.id, spec.name, spec.description, spec.area, spec.group == 1,
                 spec.staff_role, spec.sessions_per_week, spec.minutes, Decimal(spec.rate),
                 spec.group, True, 1)
            )  # fmt: skip
        by_school[school.id] = entries
        budgets.append((school.id, year_start, BUDGET_BASE + BUDGET_PER_PUPIL * school.roll))
    run.put(
        Provision,
        ("id", "school_id", "name", "description", "area", "one_to_one", "staff_role",
         "sessions_per_week", "minutes_per_session", "cost_per_hour", "max_group_size", "active",
         "version"),
        rows,
    )  # fmt: skip
    budget_ids = run.ids(NotionalSenBudget, len(budgets))
    run.put(
        NotionalSenBudget,
        ("id", "school_id", "year_start", "amount"),
        [(pk, *row) for pk, row in zip(budget_ids, budgets, strict=True)],
    )
    return by_school


def _school_days(first: dt.date, last: dt.date, weekdays: set[int]) -> list[dt.date]:
    days = []
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def seed_assignments_and_sessions(
    run: Run, org: Org, roll: Roll, catalogue: dict[int, list[CatalogueRec]]
) -> None:
    rng = run.rng
    today = run.today
    ay = academic_year_start(today)
    yesterday = today - dt.timedelta(days=1)
    first_day = today - dt.timedelta(weeks=SESSION_WEEKS)
    assign_ids = Ids(ProvisionAssignment)
    assignments: list[tuple[int, int, int, dt.date, dt.date | None, str, str, str]] = []
    # (provision id, deliverer id) -> [(pupil id, start)]
    groups: dict[tuple[int, int], list[tuple[int, dt.date]]] = defaultdict(list)
    schools = {s.id: s for s in org.schools}
    for p in roll.pupils:
        if p.sen == N or not p.needs or p.school.id not in catalogue:
            continue
        area = NEED_AREA[p.needs[0]]
        options = [c for c in catalogue[p.school.id] if c.spec.area == area]
        if not options:
            continue
        count = min(len(options), 2 if p.sen == "E" else 1)
        staff = schools[p.school.id].staff
        taught_by = staff.get("teacher") if p.groups and rng.random() < 0.3 else None
        for c in rng.sample(options, count):
            entry, exit_ = _measures(rng, c.spec.area)
            if rng.random() < ENDED_LAST_YEAR_RATE:
                start = ay - dt.timedelta(days=rng.randint(150, 300))
                end = ay - dt.timedelta(days=rng.randint(40, 60))
                assignments.append((assign_ids(), c.id, p.id, start, end, entry, exit_, ""))
                continue
            if c.spec.staff_role == StaffRole.TA:
                deliverer = staff.get("ta") or staff["senco"]
            elif c.spec.staff_role == StaffRole.TEACHER and taught_by:
                deliverer = taught_by
            else:
                deliverer = staff["senco"]
            group = groups[(c.id, deliverer)]
            if len(group) >= 2 * c.spec.group:
                continue
            start = max(ay + dt.timedelta(days=14), p.admitted)
            if start > yesterday:
                start = p.admitted
            group.append((p.id, start))
            assignments.append((assign_ids(), c.id, p.id, start, None, entry, "", ""))
    run.put(
        ProvisionAssignment,
        (
            "id",
            "provision_id",
            "pupil_id",
            "start",
            "end",
            "entry_measure",
            "exit_measure",
            "notes",
        ),
        assignments,
    )
    specs = {c.id: c.spec for entries in catalogue.values() for c in entries}
    log_ids, mark_ids = Ids(SessionLog), Ids(SessionAttendance)
    logs: list[tuple[object, ...]] = []
    marks: list[tuple[int, int, int, bool]] = []
    for (provision_id, deliverer), members in groups.items():
        spec = specs[provision_id]
        weekdays = set(WEEKDAYS[: spec.sessions_per_week])
        for chunk in (members[i : i + spec.group] for i in range(0, len(members), spec.group)):
            first = max(first_day, min(start for _, start in chunk))
            for day in _school_days(first, yesterday, weekdays):
                if rng.random() < MISSED_SESSION_RATE:
                    continue
                present = [pid for pid, start in chunk if start <= day]
                if not present:
                    continue
                log = log_ids()
                logs.append((log, provision_id, day, deliverer, spec.minutes, "", None))
                marks.extend(
                    (mark_ids(), log, pid, rng.random() >= ABSENCE_RATE) for pid in present
                )
    run.put(
        SessionLog,
        ("id", "provision_id", "date", "delivered_by_id", "duration_minutes", "notes",
         "submission_key"),
        logs,
    )  # fmt: skip
    run.put(SessionAttendance, ("id", "session_id", "pupil_id", "attended"), marks)
