"""Who may read and write SEN support plans. Visibility is the pupil's (pupils.rules); the role's
capability decides what a person who can see the pupil may do with its plan."""

from __future__ import annotations

from typing import Any

import rules

from pupils.rules import can_view_pupil
from sendadmin.accounts.roles import Cap, role_has
from sendadmin.accounts.selectors import active_membership


def _has(cap: Cap) -> rules.Predicate:
    @rules.predicate(name=f"support_has_{cap.value}")
    def predicate(user: Any) -> bool:
        membership = active_membership(user)
        return membership is not None and role_has(membership.role, cap)

    return predicate


@rules.predicate
def can_view_school_sen_lists(user: Any) -> bool:
    membership = active_membership(user)
    return (
        membership is not None
        and membership.school_id is not None
        and role_has(membership.role, Cap.VIEW_ALL_SCHOOL_PUPILS)
        and role_has(membership.role, Cap.VIEW_SEN_DETAILS)
    )


@rules.predicate
def can_view_plan_pupil(user: Any, obj: Any) -> bool:
    pupil = getattr(obj, "pupil", obj)
    return bool(can_view_pupil(user, pupil))


SEES_SEN = can_view_plan_pupil & _has(Cap.VIEW_SEN_DETAILS)
EDITS = can_view_plan_pupil & _has(Cap.EDIT_REGISTER)
# Teachers who teach the pupil (visibility) add views and delivery notes, and record meetings with
# parents, which CoP 6.65 says a teacher who knows the pupil leads.
CONTRIBUTES = can_view_plan_pupil & _has(Cap.CONTRIBUTE_TO_PLANS)
# The plan's history of changes: those who may read a pupil's history (pupils.view_pupil_history),
# and who may read the plan at all.
READS_HISTORY = SEES_SEN & _has(Cap.VIEW_RECORD_HISTORY)

# guardian insists the permission's app label is the object's: plan permissions take the plan,
# and those asked before a plan exists take the pupil.
rules.add_perm("support.view_plan", SEES_SEN)
rules.add_perm("support.edit_plan", EDITS)
rules.add_perm("support.contribute_plan", CONTRIBUTES)
rules.add_perm("support.view_plan_history", READS_HISTORY)
rules.add_perm("pupils.view_support_plan", SEES_SEN)
rules.add_perm("pupils.start_support_plan", EDITS)
rules.add_perm("pupils.record_parent_meeting", CONTRIBUTES)
rules.add_perm("support.view_parent_meetings_behind", can_view_school_sen_lists)
