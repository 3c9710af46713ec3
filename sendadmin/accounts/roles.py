"""The one table that maps each Code of Practice role to what it may do.

Capabilities say what a role may do in principle; whether it may do it to a given record is decided
by the relationship predicates in each app's rules.py (teaches this pupil, works for this LA), which
are built on the same Q objects that filter lists.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    GOVERNOR = "governor", "Governor"
    SEN_LINK_GOVERNOR = "sen_link_governor", "SEN link governor"
    HEADTEACHER = "headteacher", "Headteacher"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    SENCO = "senco", "SENCO"
    TEACHER = "teacher", "Class or subject teacher"
    TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"
    DESIGNATED_TEACHER = "designated_teacher", "Designated teacher for looked-after children"
    SCHOOL_ADMIN = "school_admin", "School administrator"
    LA_CASEWORKER = "la_caseworker", "LA SEND caseworker"
    LA_MANAGER = "la_manager", "LA SEND manager"


SCHOOL_ROLES = frozenset(
    {
        Role.GOVERNOR,
        Role.SEN_LINK_GOVERNOR,
        Role.HEADTEACHER,
        Role.SENIOR_LEADER,
        Role.SENCO,
        Role.TEACHER,
        Role.TEACHING_ASSISTANT,
        Role.DESIGNATED_TEACHER,
        Role.SCHOOL_ADMIN,
    }
)
LA_ROLES = frozenset({Role.LA_CASEWORKER, Role.LA_MANAGER})


class Cap(StrEnum):
    """A capability: something a role may do, before any relationship to a record is checked."""

    # Aggregates only: counts with small numbers suppressed, never a named pupil.
    VIEW_SCHOOL_AGGREGATES = "view_school_aggregates"
    # Named pupils: every pupil of the current school.
    VIEW_ALL_SCHOOL_PUPILS = "view_all_school_pupils"
    # Named pupils: those the user teaches now through a current teaching group.
    VIEW_TAUGHT_PUPILS = "view_taught_pupils"
    # Named pupils: looked-after pupils of the school (the designated teacher's duty, CYPA 2008 s.20).
    VIEW_LOOKED_AFTER_PUPILS = "view_looked_after_pupils"
    # SEN status, needs and plans of the pupils the user can see (an administrator sees contact data only).
    VIEW_SEN_DETAILS = "view_sen_details"
    EDIT_REGISTER = "edit_register"
    # Parents' and carers' contact details: the SENCO and the school office keep them up to date.
    EDIT_CONTACTS = "edit_contacts"
    RECORD_PROVISION = "record_provision"
    CONTRIBUTE_TO_PLANS = "contribute_to_plans"
    # Arrange and hold reviews of EHC plans (reg 20(1), (12): the LA may require the head teacher to;
    # the SENCO usually does it for them).
    CONVENE_REVIEWS = "convene_reviews"
    # The school's SEN offer (issue 7): draft the SEN Information Report and keep the SENCO
    # designation and governance records; approve the report as headteacher; record the governing
    # body's approval (CFA s.69(2): the duty is the governing body's).
    MANAGE_SCHOOL_OFFER = "manage_school_offer"
    APPROVE_REPORT_AS_HEAD = "approve_report_as_head"
    RECORD_GOVERNING_BODY_APPROVAL = "record_governing_body_approval"
    IMPORT_PUPILS = "import_pupils"
    VIEW_RECORD_HISTORY = "view_record_history"
    VIEW_AUDIT_LOG = "view_audit_log"
    GRANT_ACCESS = "grant_access"
    VIEW_LA_AGGREGATES = "view_la_aggregates"
    VIEW_LA_CASES = "view_la_cases"
    MANAGE_LA_CASES = "manage_la_cases"


C = Cap
ROLE_CAPABILITIES: dict[Role, frozenset[Cap]] = {
    Role.GOVERNOR: frozenset({C.VIEW_SCHOOL_AGGREGATES, C.RECORD_GOVERNING_BODY_APPROVAL}),
    Role.SEN_LINK_GOVERNOR: frozenset({C.VIEW_SCHOOL_AGGREGATES, C.RECORD_GOVERNING_BODY_APPROVAL}),
    Role.HEADTEACHER: frozenset(
        {
            C.VIEW_SCHOOL_AGGREGATES,
            C.VIEW_ALL_SCHOOL_PUPILS,
            C.VIEW_SEN_DETAILS,
            C.CONTRIBUTE_TO_PLANS,
            C.CONVENE_REVIEWS,
            C.MANAGE_SCHOOL_OFFER,
            C.APPROVE_REPORT_AS_HEAD,
            C.RECORD_GOVERNING_BODY_APPROVAL,
            C.VIEW_RECORD_HISTORY,
            C.VIEW_AUDIT_LOG,
            C.GRANT_ACCESS,
        }
    ),
    Role.SENIOR_LEADER: frozenset(
        {
            C.VIEW_SCHOOL_AGGREGATES,
            C.VIEW_ALL_SCHOOL_PUPILS,
            C.VIEW_SEN_DETAILS,
            C.VIEW_RECORD_HISTORY,
        }
    ),
    Role.SENCO: frozenset(
        {
            C.VIEW_SCHOOL_AGGREGATES,
            C.VIEW_ALL_SCHOOL_PUPILS,
            C.VIEW_SEN_DETAILS,
            C.EDIT_REGISTER,
            C.EDIT_CONTACTS,
            C.RECORD_PROVISION,
            C.CONTRIBUTE_TO_PLANS,
            C.CONVENE_REVIEWS,
            C.MANAGE_SCHOOL_OFFER,
            C.IMPORT_PUPILS,
            C.VIEW_RECORD_HISTORY,
            C.VIEW_AUDIT_LOG,
            C.GRANT_ACCESS,
        }
    ),
    Role.TEACHER: frozenset(
        {C.VIEW_TAUGHT_PUPILS, C.VIEW_SEN_DETAILS, C.RECORD_PROVISION, C.CONTRIBUTE_TO_PLANS}
    ),
    Role.TEACHING_ASSISTANT: frozenset(
        {C.VIEW_TAUGHT_PUPILS, C.VIEW_SEN_DETAILS, C.RECORD_PROVISION}
    ),
    Role.DESIGNATED_TEACHER: frozenset(
        {
            C.VIEW_TAUGHT_PUPILS,
            C.VIEW_LOOKED_AFTER_PUPILS,
            C.VIEW_SEN_DETAILS,
            C.RECORD_PROVISION,
            C.CONTRIBUTE_TO_PLANS,
        }
    ),
    Role.SCHOOL_ADMIN: frozenset({C.VIEW_ALL_SCHOOL_PUPILS, C.IMPORT_PUPILS, C.EDIT_CONTACTS}),
    Role.LA_CASEWORKER: frozenset({C.VIEW_LA_CASES, C.MANAGE_LA_CASES, C.VIEW_SEN_DETAILS}),
    Role.LA_MANAGER: frozenset(
        {
            C.VIEW_LA_AGGREGATES,
            C.VIEW_LA_CASES,
            C.MANAGE_LA_CASES,
            C.VIEW_SEN_DETAILS,
            C.VIEW_AUDIT_LOG,
        }
    ),
}

# Whom an overdue reminder escalates to (issue 3 uses this): the responsible role's line manager role.
LINE_MANAGER_ROLE: dict[Role, Role] = {
    Role.TEACHER: Role.SENCO,
    Role.TEACHING_ASSISTANT: Role.SENCO,
    Role.DESIGNATED_TEACHER: Role.HEADTEACHER,
    Role.SENCO: Role.HEADTEACHER,
    Role.SCHOOL_ADMIN: Role.HEADTEACHER,
    Role.LA_CASEWORKER: Role.LA_MANAGER,
}


def capabilities(role: str | None) -> frozenset[Cap]:
    if role is None:
        return frozenset()
    try:
        return ROLE_CAPABILITIES[Role(role)]
    except ValueError:
        return frozenset()


def role_has(role: str | None, cap: Cap) -> bool:
    return cap in capabilities(role)
