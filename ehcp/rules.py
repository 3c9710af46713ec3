"""Who may see and change EHC needs assessments, advice and plans: one Q per relationship, shared by
lists and detail pages (ADR 0003), and the LA's view of the children its cases concern (ADR 0011).

- An LA role with VIEW_LA_CASES sees every case and plan of its own LA, never another LA's.
- At a school, the roles that see every pupil and their SEN details (SENCO, headteacher, senior
  leader) see the cases and plans of the school's pupils, and the advice requests sent to the school.
- Teachers, TAs and the designated teacher read the issued plans of the pupils they can see.
- A school sees only issued plan versions: a draft is the LA's until it is served.
- Governors and the school office see none of these (governors get counts).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q

from pupils.models import Pupil
from pupils.rules import NOTHING, can_view_pupil, pupil_visible_q, works_at_pupils_school
from sendadmin.accounts.roles import Cap, role_has
from sendadmin.accounts.selectors import active_membership

from .models import AdviceRequest, AssessmentCase, Plan, PlanVersion


def _la_id(user: Any, cap: Cap = Cap.VIEW_LA_CASES) -> int | None:
    membership = active_membership(user)
    if membership is None or membership.local_authority_id is None or membership.school_id:
        return None
    return membership.local_authority_id if role_has(membership.role, cap) else None


def _school_sen_wide_id(user: Any) -> int | None:
    """The school whose every pupil's SEN details this membership sees (SENCO, head, leader)."""
    membership = active_membership(user)
    if (
        membership is None
        or membership.school_id is None
        or not role_has(membership.role, Cap.VIEW_ALL_SCHOOL_PUPILS)
        or not role_has(membership.role, Cap.VIEW_SEN_DETAILS)
    ):
        return None
    return int(membership.school_id)


def case_visible_q(user: Any) -> Q:
    la_id = _la_id(user)
    if la_id is not None:
        return Q(local_authority_id=la_id)
    school_id = _school_sen_wide_id(user)
    if school_id is not None:
        return Q(pupil__school_id=school_id)
    return NOTHING


def advice_visible_q(user: Any) -> Q:
    la_id = _la_id(user)
    if la_id is not None:
        return Q(case__local_authority_id=la_id)
    school_id = _school_sen_wide_id(user)
    if school_id is not None:
        return Q(school_id=school_id)
    return NOTHING


def plan_visible_q(user: Any) -> Q:
    la_id = _la_id(user)
    if la_id is not None:
        return Q(local_authority_id=la_id)
    membership = active_membership(user)
    if (
        membership is None
        or membership.school_id is None
        or not role_has(membership.role, Cap.VIEW_SEN_DETAILS)
    ):
        return NOTHING
    issued = PlanVersion.objects.filter(plan_id=OuterRef("pk"), issued_on__isnull=False)
    return Q(pupil__in=Pupil.objects.filter(pupil_visible_q(user)).values("pk")) & Q(Exists(issued))


def version_visible_q(user: Any) -> Q:
    """Versions of visible plans; at a school, only those issued."""
    q = Q(plan__in=Plan.objects.filter(plan_visible_q(user)).values("pk"))
    if _la_id(user) is None:
        q &= Q(issued_on__isnull=False)
    return q


def la_case_pupils_q(la_id: int, ref: str = "pk") -> Q:
    """Pupils an LA may see: those its cases and plans concern (pupils.rules uses this). `ref` is
    the field holding the pupil's id: the pupil's own pk, or a pupil_id on a row that names one."""
    cases = AssessmentCase.objects.filter(local_authority_id=la_id, pupil_id=OuterRef(ref))
    plans = Plan.objects.filter(local_authority_id=la_id, pupil_id=OuterRef(ref))
    return Q(Exists(cases)) | Q(Exists(plans))


@rules.predicate
def can_list_cases(user: Any) -> bool:
    return _la_id(user) is not None or _school_sen_wide_id(user) is not None


@rules.predicate
def can_list_advice_requests(user: Any) -> bool:
    return _school_sen_wide_id(user) is not None


@rules.predicate
def can_open_case(user: Any) -> bool:
    return _la_id(user, Cap.MANAGE_LA_CASES) is not None


@rules.predicate
def can_view_case(user: Any, case: AssessmentCase | None) -> bool:
    return case is not None and (
        AssessmentCase.objects.filter(case_visible_q(user), pk=case.pk).exists()
    )


@rules.predicate
def manages_case(user: Any, obj: Any) -> bool:
    """An LA role that may manage cases, of the LA the case (or plan, or advice) belongs to."""
    la_id = _la_id(user, Cap.MANAGE_LA_CASES)
    if la_id is None or obj is None:
        return False
    if isinstance(obj, AdviceRequest):
        obj = obj.case
    if isinstance(obj, PlanVersion):
        obj = obj.plan
    return bool(obj.local_authority_id == la_id)


@rules.predicate
def can_view_advice(user: Any, advice: AdviceRequest | None) -> bool:
    return advice is not None and (
        AdviceRequest.objects.filter(advice_visible_q(user), pk=advice.pk).exists()
    )


@rules.predicate
def writes_advice(user: Any, advice: AdviceRequest | None) -> bool:
    """The SENCO and the headteacher of the school the educational advice was asked of (reg 6(1)(b):
    advice 'from the head teacher or principal', which the SENCO usually writes)."""
    membership = active_membership(user)
    return (
        advice is not None
        and membership is not None
        and advice.school_id is not None
        and membership.school_id == advice.school_id
        and role_has(membership.role, Cap.CONTRIBUTE_TO_PLANS)
        and role_has(membership.role, Cap.VIEW_ALL_SCHOOL_PUPILS)
    )


@rules.predicate
def can_view_plan(user: Any, plan: Plan | None) -> bool:
    return plan is not None and Plan.objects.filter(plan_visible_q(user), pk=plan.pk).exists()


@rules.predicate
def can_view_version(user: Any, version: PlanVersion | None) -> bool:
    return version is not None and (
        PlanVersion.objects.filter(version_visible_q(user), pk=version.pk).exists()
    )


@rules.predicate
def edits_register(user: Any) -> bool:
    membership = active_membership(user)
    return membership is not None and role_has(membership.role, Cap.EDIT_REGISTER)


rules.add_perm("ehcp.list_cases", can_list_cases)
rules.add_perm("ehcp.open_case", can_open_case)
rules.add_perm("ehcp.view_case", can_view_case)
rules.add_perm("ehcp.manage_case", can_view_case & manages_case)
rules.add_perm("ehcp.list_advice_requests", can_list_advice_requests)
rules.add_perm("ehcp.view_advice", can_view_advice)
rules.add_perm("ehcp.write_advice", can_view_advice & writes_advice)
rules.add_perm("ehcp.record_advice", can_view_advice & manages_case)
rules.add_perm("ehcp.view_plan", can_view_plan)
rules.add_perm("ehcp.edit_plan", can_view_plan & manages_case)
rules.add_perm("ehcp.view_version", can_view_version)
rules.add_perm("ehcp.edit_version", can_view_version & manages_case)
# The SENCO asks the LA for an assessment of a pupil of their own school (CFA s.36(1)).
rules.add_perm(
    "pupils.request_assessment", can_view_pupil & edits_register & works_at_pupils_school
)


# --- The school side of EHC advice (views_advice) ---
@rules.predicate
def sees_advice_content(user: Any, advice: AdviceRequest | None) -> bool:
    """The school's educational advice stays the school's until it is sent: the LA sees the request,
    and its content only once submitted (reg 6(1)(b) advice is given to the LA when it is ready)."""
    if advice is None:
        return False
    if advice.school_id is None or advice.is_submitted:
        return True
    membership = active_membership(user)
    return membership is not None and membership.school_id == advice.school_id


@rules.predicate
def attachable_advice(user: Any, advice: AdviceRequest | None) -> bool:
    """Documents go with advice being written: the school's until it is sent; another adviser's
    (recorded by the LA) whatever its state, unless the request was withdrawn."""
    if advice is None or advice.status == AdviceRequest.Status.WITHDRAWN:
        return False
    if advice.school_id is not None:
        return not advice.is_submitted and writes_advice(user, advice)
    return bool(manages_case(user, advice))


rules.add_perm("ehcp.view_advice_content", can_view_advice & sees_advice_content)
rules.add_perm("ehcp.add_advice_attachment", can_view_advice & attachable_advice)


# --- EHC plan editing and issuing (views_plans) ---
@rules.predicate
def can_list_plans(user: Any) -> bool:
    """An LA role that sees its LA's cases, or a school role that sees SEN details (the plans of the
    pupils it can see); governors and the school office do not list plans."""
    if _la_id(user) is not None:
        return True
    membership = active_membership(user)
    return (
        membership is not None
        and membership.school_id is not None
        and role_has(membership.role, Cap.VIEW_SEN_DETAILS)
    )


rules.add_perm("ehcp.list_plans", can_list_plans)
