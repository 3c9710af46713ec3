"""Who may see which clocks: the same relationships as the records they belong to.

- A clock about a pupil is visible exactly when the pupil is (pupils.rules.pupil_visible_q).
- A school-level clock (no pupil: the SEN Information Report, the SENCO's qualification) is visible
  to every role at that school, governors included: it names no child.
- An LA role sees the clocks of its own LA that an LA role is responsible for.
- Anyone sees the clocks they are personally responsible for.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from pupils.rules import pupil_ref_visible_q
from sendadmin.accounts.roles import LA_ROLES, Cap, role_has
from sendadmin.accounts.selectors import active_membership

from .models import Clock

NOTHING = Q(pk__in=[])


def clock_visible_q(user: Any) -> Q:
    membership = active_membership(user)
    if membership is None:
        return NOTHING
    # Not pupil__in=<visible pupils>: under this OR PostgreSQL cannot turn IN into a join, and when
    # the visible pupils are too many to hash in work_mem (an LA's, on a county's data) it compared
    # every clock with every visible pupil (benchmarks/load: the LA deadlines page ran for minutes).
    q = pupil_ref_visible_q(user, "pupil_id")
    if membership.school_id is not None:
        q |= Q(pupil__isnull=True, school_id=membership.school_id)
    else:
        q |= Q(
            local_authority_id=membership.local_authority_id,
            responsible_role__in=sorted(r.value for r in LA_ROLES),
        )
    q |= Q(responsible_user=user)
    return q


def responsible_q(user: Any) -> Q:
    """Clocks this person answers for, in the role and organisation they are acting in now."""
    membership = active_membership(user)
    if membership is None:
        return NOTHING
    q = Q(responsible_user=user)
    by_role = Q(responsible_user__isnull=True, responsible_role=membership.role)
    if membership.school_id is not None:
        q |= by_role & Q(school_id=membership.school_id)
    else:
        # An LA role answers for its LA's clocks, with or without a school (as reminders.py sends).
        q |= by_role & Q(local_authority_id=membership.local_authority_id)
    return q & clock_visible_q(user)


@rules.predicate
def can_list_school_deadlines(user: Any) -> bool:
    membership = active_membership(user)
    return (
        membership is not None
        and membership.school_id is not None
        and (
            role_has(membership.role, Cap.VIEW_SCHOOL_AGGREGATES)
            or role_has(membership.role, Cap.VIEW_ALL_SCHOOL_PUPILS)
        )
    )


@rules.predicate
def can_list_la_deadlines(user: Any) -> bool:
    membership = active_membership(user)
    return (
        membership is not None
        and membership.local_authority_id is not None
        and role_has(membership.role, Cap.VIEW_LA_CASES)
    )


@rules.predicate
def can_view_clock(user: Any, clock: Clock | None) -> bool:
    if clock is None:
        return False
    return Clock.objects.filter(clock_visible_q(user), pk=clock.pk).exists()


rules.add_perm("clocks.view_clock", can_view_clock)
rules.add_perm("clocks.list_school_deadlines", can_list_school_deadlines)
rules.add_perm("clocks.list_la_deadlines", can_list_la_deadlines)
