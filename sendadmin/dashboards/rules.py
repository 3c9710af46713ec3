"""Who sees which dashboard (issue 7; ADR 0013).

- The school dashboard is for every role that sees the school's aggregates: governors see counts
  only, every count under 5 suppressed, and never a named pupil.
- Drilling down from a count to the named pupils or staff behind it is for the roles that see
  every pupil of the school and their SEN details: the headteacher, senior leaders, the SENCO.
- The LA dashboard and the SEN2 export are for LA roles holding VIEW_LA_AGGREGATES (the manager),
  over their own LA's schools and children only.
"""

from __future__ import annotations

from typing import Any

import rules

from sendadmin.accounts.roles import Cap, role_has
from sendadmin.accounts.selectors import active_membership


def dashboard_school_id(user: Any) -> int | None:
    membership = active_membership(user)
    if membership is None or membership.school_id is None:
        return None
    if not role_has(membership.role, Cap.VIEW_SCHOOL_AGGREGATES):
        return None
    return int(membership.school_id)


def drill_down_school_id(user: Any) -> int | None:
    school_id = dashboard_school_id(user)
    membership = active_membership(user)
    if school_id is None or membership is None:
        return None
    if role_has(membership.role, Cap.VIEW_ALL_SCHOOL_PUPILS) and role_has(
        membership.role, Cap.VIEW_SEN_DETAILS
    ):
        return school_id
    return None


def dashboard_la_id(user: Any) -> int | None:
    membership = active_membership(user)
    if membership is None or membership.local_authority_id is None or membership.school_id:
        return None
    if not role_has(membership.role, Cap.VIEW_LA_AGGREGATES):
        return None
    return int(membership.local_authority_id)


@rules.predicate
def can_view_school_dashboard(user: Any) -> bool:
    return dashboard_school_id(user) is not None


@rules.predicate
def can_drill_down(user: Any) -> bool:
    return drill_down_school_id(user) is not None


@rules.predicate
def can_view_la_dashboard(user: Any) -> bool:
    return dashboard_la_id(user) is not None


rules.add_perm("dashboards.view_school", can_view_school_dashboard)
rules.add_perm("dashboards.drill_down", can_drill_down)
rules.add_perm("dashboards.view_la", can_view_la_dashboard)
