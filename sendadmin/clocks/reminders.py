"""Which reminder stage of a clock is due on a date, and who receives it.

Stages. With the default settings (CLOCK_REMINDER_LEAD_DAYS = (14, 7, 0), CLOCK_OVERDUE_EVERY_DAYS
= 7) a clock due on day D has these stages, each starting on its first day and lasting until the
next one starts:

    lead_14    D-14 .. D-8     "due in 14 days" (and every day until lead_7 starts)
    lead_7     D-7  .. D-1
    due_day    D
    overdue_1  D+1  .. D+7     the first day the clock is overdue (Clock.status says OVERDUE)
    overdue_2  D+8  .. D+14
    overdue_n  D+1+7(n-1) ..   one more every CLOCK_OVERDUE_EVERY_DAYS for as long as it stays open

Only the latest stage whose first day has come is ever due (`stage_due`). After downtime the sweep
therefore sends that one stage and never a backlog: a clock due in 5 days whose lead_14 and lead_7
days both passed while the service was down gets lead_7 only. "Misses nothing" means, for a person,
that they always receive the reminder that is current today; it does not mean they are sent every
earlier one late. A stage is sent at most once per person (the unique constraint on Reminder).

Days are dates in Europe/London (`timezone.localdate()`), never UTC dates: between 23:00 and 00:00
UTC in summer the London date is already tomorrow's, and a reminder follows the date a person sees.

Recipients (`recipients_for`, or `pick_recipients` for the sweep, which loads memberships once):
- the clock's responsible_user, if set and they still hold a current membership at the clock's
  school or LA (a person who has left is not sent a pupil's name); otherwise
- everyone with a current membership in the responsible_role at the organisation that role belongs
  to: a school role at the clock's school, an LA role at the clock's local authority;
- from the first overdue stage, also everyone in the line manager role of the responsible role
  (roles.LINE_MANAGER_ROLE: SENCO then headteacher, LA caseworker then LA SEND manager) at the
  same organisation, marked escalated. A person who is both is reminded once, not escalated.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import reduce
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from sendadmin.accounts.models import Membership
from sendadmin.accounts.roles import LA_ROLES, LINE_MANAGER_ROLE, Role

DUE_DAY = "due_day"
LEAD_PREFIX = "lead_"
OVERDUE_PREFIX = "overdue_"


def lead_days() -> tuple[int, ...]:
    """The configured lead times in days before the due date, largest first (0 = the due day)."""
    leads = tuple(sorted({int(d) for d in settings.CLOCK_REMINDER_LEAD_DAYS}, reverse=True))
    if any(d < 0 for d in leads):
        raise ValueError("CLOCK_REMINDER_LEAD_DAYS must be days before the due date (>= 0).")
    return leads


def overdue_every_days() -> int:
    every = int(settings.CLOCK_OVERDUE_EVERY_DAYS)
    if every < 1:
        raise ValueError("CLOCK_OVERDUE_EVERY_DAYS must be at least 1.")
    return every


def max_lead_days() -> int:
    """How far ahead the sweep looks: a clock due later than today + this has no stage yet."""
    leads = lead_days()
    return leads[0] if leads else 0


def stage_name_for_lead(days: int) -> str:
    return DUE_DAY if days == 0 else f"{LEAD_PREFIX}{days}"


def stage_due(
    due_on: dt.date,
    today: dt.date,
    *,
    leads: Sequence[int] | None = None,
    every: int | None = None,
) -> str | None:
    """The single latest stage whose first day has come on `today` (a London date), or None.

    Pure: dates in, a stage name out. See the module docstring for the stages and why only the
    latest one is returned.
    """
    leads = lead_days() if leads is None else tuple(sorted(set(leads), reverse=True))
    every = overdue_every_days() if every is None else every
    days_left = (due_on - today).days
    if days_left >= 0:
        started = [lead for lead in leads if days_left <= lead]
        return stage_name_for_lead(min(started)) if started else None
    days_over = -days_left
    return f"{OVERDUE_PREFIX}{(days_over - 1) // every + 1}"


def is_overdue_stage(stage: str) -> bool:
    return stage.startswith(OVERDUE_PREFIX)


def when_phrase(due_on: dt.date, today: dt.date) -> str:
    """'Due in 7 days', 'Due tomorrow', 'Due today', 'Overdue by 1 day': as of `today`."""
    days_left = (due_on - today).days
    if days_left > 1:
        return f"Due in {days_left} days"
    if days_left == 1:
        return "Due tomorrow"
    if days_left == 0:
        return "Due today"
    over = -days_left
    return f"Overdue by {over} day{'s' if over != 1 else ''}"


class Recipient(NamedTuple):
    user_id: int
    escalated: bool


# (organisation kind, organisation id, role) -> user ids with a current membership there.
OrgKey = tuple[str, int, str]
MemberIndex = Mapping[OrgKey, Iterable[int]]
SCHOOL = "school"
LA = "la"


def role_organisation(clock: Any, role: str) -> tuple[str, int] | None:
    """Where holders of `role` for this clock work: LA roles at its LA, school roles at its school."""
    if role in LA_ROLES:
        return (LA, clock.local_authority_id) if clock.local_authority_id else None
    return (SCHOOL, clock.school_id) if clock.school_id else None


def clock_organisations(clock: Any) -> list[tuple[str, int]]:
    orgs: list[tuple[str, int]] = []
    if clock.school_id:
        orgs.append((SCHOOL, clock.school_id))
    if clock.local_authority_id:
        orgs.append((LA, clock.local_authority_id))
    return orgs


def roles_to_load(clock: Any, stage: str) -> list[str]:
    roles = [clock.responsible_role]
    manager = LINE_MANAGER_ROLE.get(Role(clock.responsible_role))
    if manager is not None and is_overdue_stage(stage):
        roles.append(manager.value)
    return roles


def pick_recipients(
    clock: Any,
    stage: str,
    members: MemberIndex,
    members_anywhere: Mapping[tuple[str, int], set[int]],
) -> list[Recipient]:
    """Pure: the recipients of `stage` of `clock`, given the current memberships already loaded.

    `members` maps (org kind, org id, role) to user ids; `members_anywhere` maps (org kind, org id)
    to the user ids with any current membership there (used to check the responsible person).
    """
    chosen: dict[int, bool] = {}
    responsible = clock.responsible_user_id
    if responsible is not None and any(
        responsible in members_anywhere.get(org, ()) for org in clock_organisations(clock)
    ):
        chosen[responsible] = False
    else:
        org = role_organisation(clock, clock.responsible_role)
        if org is not None:
            for user_id in members.get((*org, clock.responsible_role), ()):
                chosen[user_id] = False
    manager = LINE_MANAGER_ROLE.get(Role(clock.responsible_role))
    if manager is not None and is_overdue_stage(stage):
        org = role_organisation(clock, manager)
        if org is not None:
            for user_id in members.get((*org, manager.value), ()):
                chosen.setdefault(user_id, True)
    return [Recipient(user_id, escalated) for user_id, escalated in sorted(chosen.items())]


def members_query(
    clocks: Sequence[Any], stages: Sequence[str], today: dt.date
) -> QuerySet[Membership, tuple[Any, ...]] | None:
    """The one query of load_members: current memberships in the roles and organisations the
    (clock, stage) pairs name, and of their responsible people; None if they name none. Its cost
    follows the organisations in the due set, not the table."""
    wanted: list[Q] = []
    responsible_ids: set[int] = set()
    role_orgs: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for clock, stage in zip(clocks, stages, strict=True):
        for role in roles_to_load(clock, stage):
            org = role_organisation(clock, role)
            if org is not None:
                role_orgs[role].add(org)
        if clock.responsible_user_id is not None:
            responsible_ids.add(clock.responsible_user_id)
    for role, orgs in role_orgs.items():
        school_ids = sorted(org_id for kind, org_id in orgs if kind == SCHOOL)
        la_ids = sorted(org_id for kind, org_id in orgs if kind == LA)
        if school_ids:
            wanted.append(Q(role=role, school_id__in=school_ids))
        if la_ids:
            wanted.append(Q(role=role, local_authority_id__in=la_ids, school__isnull=True))
    if responsible_ids:
        wanted.append(Q(user_id__in=sorted(responsible_ids)))
    if not wanted:
        return None
    return (
        Membership.objects.current(today)
        .filter(reduce(operator.or_, wanted), user__is_active=True)
        .values_list("school_id", "local_authority_id", "role", "user_id")
        .order_by("user_id")
    )


def load_members(
    clocks: Sequence[Any], stages: Sequence[str], today: dt.date
) -> tuple[dict[OrgKey, list[int]], dict[tuple[str, int], set[int]]]:
    """One query (members_query): the current memberships every (clock, stage) pair can need,
    indexed for `pick_recipients`."""
    members: dict[OrgKey, list[int]] = defaultdict(list)
    anywhere: dict[tuple[str, int], set[int]] = defaultdict(set)
    rows = members_query(clocks, stages, today)
    if rows is None:
        return members, anywhere
    for school_id, la_id, role, user_id in rows:
        org = (SCHOOL, school_id) if school_id is not None else (LA, la_id)
        anywhere[org].add(user_id)
        if user_id not in members[(*org, role)]:
            members[(*org, role)].append(user_id)
    return members, anywhere


def recipients_for(clock: Any, stage: str, today: dt.date | None = None) -> list[Recipient]:
    """Who receives `stage` of `clock` today (one clock; the sweep batches this itself)."""
    today = today or timezone.localdate()
    members, anywhere = load_members([clock], [stage], today)
    return pick_recipients(clock, stage, members, anywhere)
