"""Who may run the provision map: SENCOs manage the catalogue, teaching staff log what they deliver.

Both predicates also require the provision to belong to the active membership's school, so a SENCO
of another school is refused even with the right capability. Which pupils a member of staff may log
for is pupils.rules.pupil_visible_q, the same Q that filters the pupil lists.
"""

from __future__ import annotations

from typing import Any

import rules

from sendadmin.accounts.roles import Cap, role_has
from sendadmin.accounts.selectors import active_membership


def _has_cap_at_school(user: Any, cap: Cap, school_id: int | None) -> bool:
    membership = active_membership(user)
    return (
        membership is not None
        and membership.school_id is not None
        and membership.school_id == school_id
        and role_has(membership.role, cap)
    )


@rules.predicate
def can_manage_provision(user: Any, provision: Any) -> bool:
    """Create and edit catalogue entries and assign pupils (Cap.EDIT_REGISTER, same school)."""
    return provision is not None and _has_cap_at_school(
        user, Cap.EDIT_REGISTER, provision.school_id
    )


@rules.predicate
def can_record_provision(user: Any, provision: Any) -> bool:
    """Log a delivered session (Cap.RECORD_PROVISION, same school)."""
    return provision is not None and _has_cap_at_school(
        user, Cap.RECORD_PROVISION, provision.school_id
    )


@rules.predicate
def can_view_provision(user: Any, provision: Any) -> bool:
    """See a provision's pupils and sessions (Cap.VIEW_SEN_DETAILS, same school); a teacher then
    sees only the pupils they teach."""
    return provision is not None and _has_cap_at_school(
        user, Cap.VIEW_SEN_DETAILS, provision.school_id
    )


def can_manage_school_provision(user: Any, school_id: int | None) -> bool:
    return _has_cap_at_school(user, Cap.EDIT_REGISTER, school_id)


def _at_own_school(cap: Cap) -> rules.Predicate:
    @rules.predicate(name=f"provision_at_school_{cap.value}")
    def predicate(user: Any) -> bool:
        membership = active_membership(user)
        return membership is not None and _has_cap_at_school(user, cap, membership.school_id)

    return predicate


rules.add_perm("provision.change_provision", can_manage_provision)
rules.add_perm("provision.record_session", can_record_provision)
rules.add_perm("provision.view_provision", can_view_provision)
# The map is costs per provision and area of need with small pupil counts suppressed: governors
# see it (the governing body must use its best endeavours to secure the provision, CFA 2014
# s.66, so it oversees what the provision costs), never a named pupil.
rules.add_perm("provision.view_map", _at_own_school(Cap.VIEW_SCHOOL_AGGREGATES))
rules.add_perm("provision.manage", _at_own_school(Cap.EDIT_REGISTER))
rules.add_perm("provision.log_sessions", _at_own_school(Cap.RECORD_PROVISION))
