"""Who may see and change the school's SEN offer (issue 7; ADR 0013).

- Every role that sees the school's aggregates (governors, SEN link governor, headteacher, senior
  leaders, SENCO) reads the school's SEN Information Report versions and its governance record:
  they name staff and governors, never a pupil. Other schools' records are not visible (404).
- The SENCO and the headteacher draft the report and keep the SENCO designation and governance
  record (MANAGE_SCHOOL_OFFER).
- Only the headteacher approves as headteacher; the governing body's approval is recorded by a
  governor, the SEN link governor or the headteacher (CFA s.69(2): the duty is the board's).
- The published report is public (offer.views_public): no rule, no login, and no pupil data.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from sendadmin.accounts.roles import Cap, role_has
from sendadmin.accounts.selectors import active_membership

from .models import InformationReport, SencoDesignation

NOTHING = Q(pk__in=[])


def offer_school_id(user: Any, cap: Cap = Cap.VIEW_SCHOOL_AGGREGATES) -> int | None:
    """The school whose offer records this membership may read (or, with `cap`, change)."""
    membership = active_membership(user)
    if membership is None or membership.school_id is None:
        return None
    if not role_has(membership.role, Cap.VIEW_SCHOOL_AGGREGATES):
        return None
    return int(membership.school_id) if role_has(membership.role, cap) else None


def school_records_visible_q(user: Any) -> Q:
    """Report versions and SENCO designations of the user's own school (both have `school`)."""
    school_id = offer_school_id(user)
    return NOTHING if school_id is None else Q(school_id=school_id)


def _holds(cap: Cap) -> Any:
    @rules.predicate
    def predicate(user: Any) -> bool:
        return offer_school_id(user, cap) is not None

    return predicate


def _on_own_school(cap: Cap) -> Any:
    @rules.predicate
    def predicate(user: Any, obj: InformationReport | SencoDesignation | None) -> bool:
        if obj is None:
            return False
        return offer_school_id(user, cap) == obj.school_id

    return predicate


can_view_offer = _holds(Cap.VIEW_SCHOOL_AGGREGATES)
can_manage_offer = _holds(Cap.MANAGE_SCHOOL_OFFER)
manages_offer_record = _on_own_school(Cap.MANAGE_SCHOOL_OFFER)
approves_as_head = _on_own_school(Cap.APPROVE_REPORT_AS_HEAD)
records_governors_approval = _on_own_school(Cap.RECORD_GOVERNING_BODY_APPROVAL)

rules.add_perm("offer.view_offer", can_view_offer)
rules.add_perm("offer.manage_offer", can_manage_offer)
rules.add_perm("offer.change_record", manages_offer_record)
rules.add_perm("offer.approve_as_head", approves_as_head)
rules.add_perm("offer.record_governors_approval", records_governors_approval)
