"""Who may see which pupils: one Q per relationship, shared by lists and detail pages.

A pupil is visible to the active membership when any of these holds (roles.py gives the capability):
- the role sees every pupil of its school (SENCO, headteacher, senior leader, administrator);
- the user teaches the pupil now: both are in a current teaching group of the school;
- the role is the designated teacher and the pupil is looked after;
- the user holds an unexpired one-off grant on the pupil (accounts.services.access_grant_create).
- an LA role with VIEW_LA_CASES sees the pupils its own LA's EHC cases and plans concern, read-only
  (ehcp.rules.la_case_pupils_q; ADR 0011).
Governors see none (aggregates only).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sendadmin.accounts.grants import granted_pks_q
from sendadmin.accounts.roles import Cap, role_has
from sendadmin.accounts.selectors import active_membership

from .models import Pupil, TeachingGroupPupil, TeachingGroupStaff

NOTHING = Q(pk__in=[])


def teaches_q(user: Any, school_id: int) -> Q:
    """Pupils the user teaches today through a current teaching group of this school."""
    today = timezone.localdate()
    current = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))
    staff_groups = TeachingGroupStaff.objects.filter(
        current, user=user, group__school_id=school_id
    ).values("group_id")
    taught = TeachingGroupPupil.objects.filter(
        current, pupil_id=OuterRef("pk"), group_id__in=staff_groups
    )
    return Q(Exists(taught))


def pupil_visible_q(user: Any) -> Q:
    membership = active_membership(user)
    if membership is None:
        return NOTHING
    q = NOTHING
    role = membership.role
    if membership.school_id is not None:
        school_id = membership.school_id
        if role_has(role, Cap.VIEW_ALL_SCHOOL_PUPILS):
            q |= Q(school_id=school_id)
        if role_has(role, Cap.VIEW_TAUGHT_PUPILS):
            q |= Q(school_id=school_id) & teaches_q(user, school_id)
        if role_has(role, Cap.VIEW_LOOKED_AFTER_PUPILS):
            q |= Q(school_id=school_id, looked_after=True)
    elif membership.local_authority_id is not None and role_has(role, Cap.VIEW_LA_CASES):
        from ehcp.rules import la_case_pupils_q  # ehcp.rules builds on this module

        q |= la_case_pupils_q(membership.local_authority_id)
    q |= granted_pks_q(user, Pupil, "pupils.view_pupil")
    return q


def pupil_ref_visible_q(user: Any, ref: str) -> Q:
    """pupil_visible_q for rows that name a pupil in the field `ref` (a clock's "pupil_id").

    The same relationships. For an LA role they are tested on `ref` itself: EXISTS on the LA's
    cases and plans, which PostgreSQL hashes once per query. Going through the pupil table instead
    cost an index probe per row, and an LA's deadlines count every clock of the county
    (benchmarks/load: seconds a page). A school's roles go through the pupil: its pupils are few.
    """
    membership = active_membership(user)
    if membership is None or membership.school_id is not None:
        return Q(Exists(Pupil.objects.filter(pupil_visible_q(user), pk=OuterRef(ref))))
    q = NOTHING
    if membership.local_authority_id is not None and role_has(membership.role, Cap.VIEW_LA_CASES):
        from ehcp.rules import la_case_pupils_q  # ehcp.rules builds on this module

        q |= la_case_pupils_q(membership.local_authority_id, ref=ref)
    return q | granted_pks_q(user, Pupil, "pupils.view_pupil", field=ref)


def can_list_pupils(user: Any) -> bool:
    membership = active_membership(user)
    return membership is not None and any(
        role_has(membership.role, cap)
        for cap in (
            Cap.VIEW_ALL_SCHOOL_PUPILS,
            Cap.VIEW_TAUGHT_PUPILS,
            Cap.VIEW_LOOKED_AFTER_PUPILS,
        )
    )


@rules.predicate
def can_view_pupil(user: Any, pupil: Pupil | None) -> bool:
    if pupil is None:
        return False
    return Pupil.objects.filter(pupil_visible_q(user), pk=pupil.pk).exists()


@rules.predicate
def can_view_sen_details(user: Any) -> bool:
    membership = active_membership(user)
    return membership is not None and role_has(membership.role, Cap.VIEW_SEN_DETAILS)


@rules.predicate
def can_view_record_history(user: Any) -> bool:
    membership = active_membership(user)
    return membership is not None and role_has(membership.role, Cap.VIEW_RECORD_HISTORY)


rules.add_perm("pupils.list_pupils", rules.predicate(can_list_pupils))
rules.add_perm("pupils.view_pupil", can_view_pupil)
rules.add_perm("pupils.view_pupil_sen", can_view_pupil & can_view_sen_details)
rules.add_perm("pupils.view_pupil_history", can_view_pupil & can_view_record_history)


@rules.predicate
def can_edit_register(user: Any) -> bool:
    membership = active_membership(user)
    return membership is not None and role_has(membership.role, Cap.EDIT_REGISTER)


@rules.predicate
def can_import_pupils(user: Any) -> bool:
    membership = active_membership(user)
    return membership is not None and role_has(membership.role, Cap.IMPORT_PUPILS)


@rules.predicate
def can_view_census(user: Any) -> bool:
    membership = active_membership(user)
    return (
        membership is not None
        and membership.school_id is not None
        and role_has(membership.role, Cap.VIEW_ALL_SCHOOL_PUPILS)
        and role_has(membership.role, Cap.VIEW_SEN_DETAILS)
    )


@rules.predicate
def can_edit_contacts(user: Any) -> bool:
    membership = active_membership(user)
    return membership is not None and role_has(membership.role, Cap.EDIT_CONTACTS)


@rules.predicate
def works_at_pupils_school(user: Any, pupil: Pupil | None) -> bool:
    """Contact details are the school's to keep: a one-off grant to someone elsewhere is not enough."""
    membership = active_membership(user)
    return (
        pupil is not None
        and membership is not None
        and membership.school_id is not None
        and membership.school_id == pupil.school_id
    )


rules.add_perm("pupils.view_register", rules.predicate(can_list_pupils) & can_view_sen_details)
rules.add_perm("pupils.edit_register", can_view_pupil & can_edit_register)
rules.add_perm("pupils.edit_contacts", can_view_pupil & can_edit_contacts & works_at_pupils_school)
rules.add_perm("pupils.import_pupils", can_import_pupils)
# Those who load the MIS data also say who teaches each group (pupils/groups.py).
rules.add_perm("pupils.manage_groups", can_import_pupils)
rules.add_perm("pupils.view_census", can_view_census)
