"""State changes of an EHC needs assessment: the request, the two decisions, advice requests and
their replies, the school the parent asks for and its consultation (domain.md 1.1).

Every function takes the acting user, validates, saves with history, writes an audit event, and opens,
meets or cancels clocks only through sendadmin.clocks.services. Forms carry the case's `version`: a
stale one is refused with nothing overwritten. Repeating a step (a double submission) changes nothing.
The plan itself is ehcp.plans.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from pupils.models import Pupil
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import LocalAuthority, School
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.services import clock_cancel, clock_meet, clock_open

from .models import AdviceKind, AdviceRequest, AssessmentCase
from .selectors import case_clock_open

CONFLICT = (
    "Someone else changed this case while you were working on it. Nothing you entered has been "
    "saved: check the case as it is now and make your change again."
)
ADVICE_CONFLICT = (
    "Someone else saved this advice while you were editing it. Nothing you entered has been saved: "
    "your text is shown below, and the advice as it is now above it. Check both, then save again."
)
# Reg 6(1)(g): advice on preparing for adulthood when the child is in or beyond Year 9.
ADULTHOOD_ADVICE_FROM_YEAR = 9


class StaleVersionError(ValidationError):
    """The record changed since the form was opened."""

    def __init__(self, message: str = CONFLICT) -> None:
        super().__init__(message, code="stale")


def _save(obj: Any, by: Any) -> None:
    obj._history_user = by
    obj.save()


def _locked_case(case: AssessmentCase) -> AssessmentCase:
    return AssessmentCase.objects.select_for_update().select_related("pupil").get(pk=case.pk)


def _check_version(case: AssessmentCase, version: int | None) -> None:
    if version is not None and version != case.version:
        raise StaleVersionError()


def _bump(case: AssessmentCase, by: Any) -> None:
    case.version += 1
    _save(case, by)


def _check_date(
    when: dt.date | None, case: AssessmentCase, what: str, *, not_before: dt.date | None = None
) -> dt.date:
    if when is None:
        raise ValidationError(f"Enter the date of {what}.")
    if when > timezone.localdate():
        raise ValidationError(f"The date of {what} cannot be in the future.")
    if when < case.request_received_on:
        raise ValidationError(
            f"The date of {what} ({when:%-d %B %Y}) is before the LA received the request "
            f"({case.request_received_on:%-d %B %Y}). Check the date."
        )
    if not_before is not None and when < not_before:
        raise ValidationError(
            f"The date of {what} ({when:%-d %B %Y}) is before the decision to assess "
            f"({not_before:%-d %B %Y}). Check the date."
        )
    return when


def _clock_for_case(case: AssessmentCase, kind: Kind, by: Any, start_event: str, **kw: Any) -> Any:
    return clock_open(
        kind=kind,
        subject=case,
        started_on=case.request_received_on,
        start_event=start_event,
        local_authority=case.local_authority,
        pupil=case.pupil,
        responsible_user=kw.pop("responsible_user", case.caseworker),
        by=by,
        **kw,
    )


def case_pupil_find(
    *, school: School | None, upn: str, date_of_birth: dt.date | None, by: Any
) -> Pupil:
    """The pupil an LA caseworker names by school, UPN and date of birth, all three matching.

    One message for every miss, so the form cannot be used to learn which of the three was wrong.
    """
    miss = ValidationError(
        "No pupil at that school has that UPN and date of birth. Check all three, or ask the school "
        "to request the assessment."
    )
    if school is None or not upn.strip() or date_of_birth is None:
        raise miss
    pupil = Pupil.objects.filter(
        school=school, upn=upn.strip().upper(), date_of_birth=date_of_birth
    ).first()
    audit_record(by, "ehcp.pupil.looked_up", pupil, school=school.pk, found=pupil is not None)
    if pupil is None:
        raise miss
    return pupil


@transaction.atomic
def case_open(
    *,
    pupil: Pupil,
    local_authority: LocalAuthority,
    requested_by: str,
    received_on: dt.date | None,
    by: Any,
    requester_name: str = "",
    reason: str = "",
    caseworker: Any = None,
) -> AssessmentCase:
    """Record a request for an EHC needs assessment and start its clocks (domain.md 1.1 step 0).

    The decision whether to assess is due 6 weeks after the request arrived (reg 5(1)) and the final
    plan 20 weeks after (reg 13(2)); both clocks open now, so the 20-week limit is visible from day 1.
    The same request sent twice returns the first case; a second request while one is open is refused
    with the open case's reference.
    """
    if requested_by not in AssessmentCase.RequestedBy.values:
        raise ValidationError("Choose who asked for the assessment.")
    if received_on is None:
        raise ValidationError("Enter the date the LA received the request.")
    if received_on > timezone.localdate():
        raise ValidationError("The date the request was received cannot be in the future.")
    if received_on < pupil.date_of_birth:
        raise ValidationError("The date the request was received is before the child was born.")
    existing = AssessmentCase.objects.filter(pupil=pupil, closed_on__isnull=True).first()
    if existing is not None:
        if existing.requested_by == requested_by and existing.request_received_on == received_on:
            return existing
        raise ValidationError(
            f"This child already has an open assessment, {existing.reference}, requested on "
            f"{existing.request_received_on:%-d %B %Y}. Add to that case instead."
        )
    case = AssessmentCase(
        pupil=pupil,
        local_authority=local_authority,
        caseworker=caseworker,
        requested_by=requested_by,
        requester_name=requester_name.strip(),
        request_received_on=received_on,
        request_reason=reason.strip(),
        created_by=by,
    )
    try:
        with transaction.atomic():
            _save(case, by)
    except IntegrityError:
        # Two submissions at once: the other one opened the case.
        return AssessmentCase.objects.get(pupil=pupil, closed_on__isnull=True)
    # The decision is usually taken at the LA's SEND panel, which the LA manager chairs.
    _clock_for_case(
        case,
        Kind.DECISION_TO_ASSESS,
        by,
        "Request for an EHC needs assessment received",
        responsible_role=Role.LA_MANAGER,
        responsible_user=None,
    )
    _clock_for_case(
        case,
        Kind.FINAL_PLAN,
        by,
        "Request for an EHC needs assessment received",
        responsible_role=Role.LA_CASEWORKER,
    )
    audit_record(by, "ehcp.case.opened", case, requested_by=requested_by)
    return case


@transaction.atomic
def case_decide_assess(
    *,
    case: AssessmentCase,
    decision: str,
    decided_on: dt.date | None,
    by: Any,
    reasons: str = "",
    version: int | None = None,
) -> AssessmentCase:
    """Record the decision whether to assess (reg 5(1): within 6 weeks of the request).

    Assess: the 16-week clock for the decision whether to issue a plan opens (reg 10(1)). Not to
    assess: the case closes and the 20-week clock is cancelled, since no plan can follow.
    """
    case = _locked_case(case)
    if decision not in (
        AssessmentCase.AssessDecision.ASSESS,
        AssessmentCase.AssessDecision.NOT_ASSESS,
    ):
        raise ValidationError("Choose whether to assess.")
    if case.assess_decision != AssessmentCase.AssessDecision.PENDING:
        if case.assess_decision == decision and case.assess_decision_on == decided_on:
            return case
        raise ValidationError(
            f"The decision whether to assess was recorded on {case.assess_decision_on:%-d %B %Y}."
        )
    _check_version(case, version)
    _check_date(decided_on, case, "the decision")
    assert decided_on is not None
    if decision == AssessmentCase.AssessDecision.NOT_ASSESS and not reasons.strip():
        raise ValidationError(
            "Enter the reasons for not assessing: the parent must be told them (reg 5(3))."
        )
    case.assess_decision = decision
    case.assess_decision_on = decided_on
    case.assess_decision_reasons = reasons.strip()
    dta = case_clock_open(case, Kind.DECISION_TO_ASSESS)
    if dta is not None:
        clock_meet(clock=dta, met_on=decided_on, by=by, note=case.get_assess_decision_display())
    if decision == AssessmentCase.AssessDecision.NOT_ASSESS:
        case.closed_on = decided_on
        case.closed_reason = "Decided not to assess"
        final = case_clock_open(case, Kind.FINAL_PLAN)
        if final is not None:
            clock_cancel(clock=final, reason="The LA decided not to assess.", by=by)
    else:
        _clock_for_case(
            case,
            Kind.NO_PLAN_NOTICE,
            by,
            "Request for an EHC needs assessment received",
            responsible_role=Role.LA_CASEWORKER,
        )
    _bump(case, by)
    audit_record(by, "ehcp.case.assess_decided", case, decision=decision)
    return case


@transaction.atomic
def case_decide_issue(
    *,
    case: AssessmentCase,
    decision: str,
    decided_on: dt.date | None,
    by: Any,
    reasons: str = "",
    version: int | None = None,
) -> AssessmentCase:
    """Record the decision whether to issue a plan (reg 10(1): notice of 'no' within 16 weeks).

    Issue: a draft plan is started from the register and the advice received (ehcp.plans). Not to
    issue: the case closes and the 20-week clock is cancelled.
    """
    from .plans import plan_draft_create

    case = _locked_case(case)
    if decision not in (AssessmentCase.IssueDecision.ISSUE, AssessmentCase.IssueDecision.NOT_ISSUE):
        raise ValidationError("Choose whether to issue a plan.")
    if case.assess_decision != AssessmentCase.AssessDecision.ASSESS:
        raise ValidationError(
            "Record the decision to assess before deciding whether to issue a plan."
        )
    if case.issue_decision != AssessmentCase.IssueDecision.PENDING:
        if case.issue_decision == decision and case.issue_decision_on == decided_on:
            return case
        raise ValidationError(
            f"The decision whether to issue a plan was recorded on {case.issue_decision_on:%-d %B %Y}."
        )
    _check_version(case, version)
    _check_date(decided_on, case, "the decision", not_before=case.assess_decision_on)
    assert decided_on is not None
    if (
        decision == AssessmentCase.IssueDecision.ISSUE
        and not case.advice.filter(status=AdviceRequest.Status.SUBMITTED).exists()
    ):
        raise ValidationError(
            "No advice has been received yet. A plan rests on the advice gathered in the assessment "
            "(reg 6): record at least one adviser's reply first."
        )
    if decision == AssessmentCase.IssueDecision.NOT_ISSUE and not reasons.strip():
        raise ValidationError(
            "Enter the reasons for not issuing a plan: the parent must be told them (reg 10(2))."
        )
    case.issue_decision = decision
    case.issue_decision_on = decided_on
    case.issue_decision_reasons = reasons.strip()
    notice = case_clock_open(case, Kind.NO_PLAN_NOTICE)
    if notice is not None:
        clock_meet(clock=notice, met_on=decided_on, by=by, note=case.get_issue_decision_display())
    if decision == AssessmentCase.IssueDecision.NOT_ISSUE:
        case.closed_on = decided_on
        case.closed_reason = "Decided not to issue a plan"
        final = case_clock_open(case, Kind.FINAL_PLAN)
        if final is not None:
            clock_cancel(clock=final, reason="The LA decided not to issue a plan.", by=by)
    _bump(case, by)
    if decision == AssessmentCase.IssueDecision.ISSUE:
        plan_draft_create(case=case, by=by)
    audit_record(by, "ehcp.case.issue_decided", case, decision=decision)
    return case


@transaction.atomic
def advice_request_create(
    *,
    case: AssessmentCase,
    kind: str,
    sent_on: dt.date | None,
    received_on: dt.date | None,
    by: Any,
    adviser_name: str = "",
) -> AdviceRequest:
    """Ask one adviser for advice (reg 6(1)); the adviser's 6 weeks run from their receipt (reg 8(1)).

    Educational advice goes to the child's school, whose SENCO answers it in sendadmin; its clock is
    the school's. Other advisers' clocks are the caseworker's to chase.
    """
    case = _locked_case(case)
    if not case.is_open:
        raise ValidationError("This case is closed.")
    if case.assess_decision != AssessmentCase.AssessDecision.ASSESS:
        raise ValidationError("Record the decision to assess before asking for advice.")
    if kind not in AdviceKind.values:
        raise ValidationError("Choose the kind of advice.")
    if (
        kind == AdviceKind.PREPARATION_FOR_ADULTHOOD
        and case.pupil.year_group < ADULTHOOD_ADVICE_FROM_YEAR
    ):
        raise ValidationError(
            "Advice on preparing for adulthood is sought from Year 9 (reg 6(1)(g)); this child is in "
            f"{case.pupil.get_year_group_display()}."
        )
    school = None
    if kind == AdviceKind.EDUCATIONAL:
        school = case.pupil.school
        adviser_name = adviser_name.strip() or school.name
    adviser_name = adviser_name.strip()
    if not adviser_name:
        raise ValidationError("Enter the adviser or service the advice is asked of.")
    sent = _check_date(sent_on, case, "sending the request")
    received = _check_date(received_on, case, "the adviser receiving the request")
    if received < sent:
        raise ValidationError("The adviser cannot have received the request before it was sent.")
    existing = (
        case.advice.filter(kind=kind, adviser_name=adviser_name)
        .exclude(status=AdviceRequest.Status.WITHDRAWN)
        .first()
    )
    if existing is not None:
        return existing
    advice = AdviceRequest(
        case=case,
        kind=kind,
        adviser_name=adviser_name,
        school=school,
        sent_on=sent,
        received_on=received,
    )
    _save(advice, by)
    if school is not None:
        clock_open(
            kind=Kind.ADVICE_REQUEST,
            subject=advice,
            started_on=received,
            start_event=f"{case.local_authority.name} asked for educational advice",
            school=school,
            local_authority=case.local_authority,
            pupil=case.pupil,
            responsible_role=Role.SENCO,
            by=by,
        )
    else:
        clock_open(
            kind=Kind.ADVICE_REQUEST,
            subject=advice,
            started_on=received,
            start_event=f"{adviser_name} received the request for advice",
            local_authority=case.local_authority,
            pupil=case.pupil,
            responsible_role=Role.LA_CASEWORKER,
            responsible_user=case.caseworker,
            by=by,
        )
    audit_record(by, "ehcp.advice.requested", advice, kind=kind)
    return advice


def _meet_advice_clock(advice: AdviceRequest, on: dt.date, by: Any) -> None:
    clock = case_clock_open(advice, Kind.ADVICE_REQUEST)
    if clock is not None:
        clock_meet(clock=clock, met_on=on, by=by, note="Advice received by the LA")


@transaction.atomic
def advice_record_received(
    *, advice: AdviceRequest, received_on: dt.date | None, summary: str, by: Any
) -> AdviceRequest:
    """The caseworker records another adviser's reply (the document is attached separately)."""
    advice = AdviceRequest.objects.select_for_update().select_related("case").get(pk=advice.pk)
    if advice.school_id is not None:
        raise ValidationError("The school submits its educational advice itself.")
    if advice.is_submitted:
        return advice
    if advice.status == AdviceRequest.Status.WITHDRAWN:
        raise ValidationError("This request was withdrawn.")
    on = _check_date(received_on, advice.case, "receiving the advice")
    if on < advice.received_on:
        raise ValidationError(
            "The advice cannot have arrived before the adviser received the request."
        )
    if not summary.strip():
        raise ValidationError("Enter a summary of the advice.")
    advice.status = AdviceRequest.Status.SUBMITTED
    advice.submitted_on = on
    advice.submitted_by = by
    advice.summary = summary.strip()
    advice.version += 1
    _save(advice, by)
    _meet_advice_clock(advice, on, by)
    audit_record(by, "ehcp.advice.recorded", advice)
    return advice


# What the school's educational advice must say before it can go to the LA.
ADVICE_REQUIRED = ("needs", "attainment", "tried", "outcomes_sought")


@transaction.atomic
def advice_submit(*, advice: AdviceRequest, by: Any, version: int | None = None) -> AdviceRequest:
    """The school sends its educational advice to the LA: it is then frozen, and the school's
    6-week clock is met today. Submitting again changes nothing."""
    advice = AdviceRequest.objects.select_for_update().select_related("case").get(pk=advice.pk)
    if advice.is_submitted:
        raise ValidationError(
            f"This advice was already sent to the LA on {advice.submitted_on:%-d %B %Y}; "
            "nothing has changed."
        )
    if advice.status == AdviceRequest.Status.WITHDRAWN:
        raise ValidationError("The LA withdrew this request, so there is nothing to send.")
    if version is not None and version != advice.version:
        raise StaleVersionError(ADVICE_CONFLICT)
    missing = [
        str(getattr(AdviceRequest._meta.get_field(name), "verbose_name", name))
        for name in ADVICE_REQUIRED
        if not getattr(advice, name).strip()
    ]
    if missing:
        raise ValidationError(
            "Complete these parts before sending the advice: " + "; ".join(missing) + "."
        )
    today = timezone.localdate()
    advice.status = AdviceRequest.Status.SUBMITTED
    advice.submitted_on = today
    advice.submitted_by = by
    advice.version += 1
    _save(advice, by)
    _meet_advice_clock(advice, today, by)
    audit_record(by, "ehcp.advice.submitted", advice)
    return advice


@transaction.atomic
def case_set_placement(
    *,
    case: AssessmentCase,
    by: Any,
    requested_school: School | None = None,
    requested_school_name: str = "",
    consultation_sent_on: dt.date | None = None,
    consultation_reply_on: dt.date | None = None,
    consultation_reply: str = "",
    version: int | None = None,
) -> AssessmentCase:
    """The school the parent asks to be named (reg 13(1)(b)) and the LA's consultation of it
    (CFA s.39(2)); the school should reply within 15 days (CoP 9.83, guidance)."""
    case = _locked_case(case)
    if not case.is_open:
        raise ValidationError("This case is closed.")
    _check_version(case, version)
    if requested_school is None and not requested_school_name.strip():
        raise ValidationError("Choose the school the parent asked for, or enter its name.")
    if consultation_sent_on is not None:
        _check_date(consultation_sent_on, case, "the consultation")
    if consultation_reply_on is not None:
        if consultation_sent_on is None:
            raise ValidationError("Enter the date the consultation was sent before its reply.")
        _check_date(consultation_reply_on, case, "the school's reply")
        if consultation_reply_on < consultation_sent_on:
            raise ValidationError("The school's reply is dated before the consultation was sent.")
        if consultation_reply not in ("agrees", "declines"):
            raise ValidationError("Choose what the school replied.")
    elif consultation_reply:
        raise ValidationError("Enter the date of the school's reply.")
    case.requested_school = requested_school
    case.requested_school_name = (
        requested_school.name if requested_school is not None else requested_school_name.strip()
    )
    case.consultation_sent_on = consultation_sent_on
    case.consultation_reply_on = consultation_reply_on
    case.consultation_reply = consultation_reply if consultation_reply_on else ""
    _bump(case, by)
    if consultation_sent_on is not None:
        clock = clock_open(
            kind=Kind.SCHOOL_CONSULTATION,
            subject=case,
            started_on=consultation_sent_on,
            start_event=f"Consultation sent to {case.requested_school_name}",
            local_authority=case.local_authority,
            pupil=case.pupil,
            responsible_role=Role.LA_CASEWORKER,
            responsible_user=case.caseworker,
            by=by,
        )
        if consultation_reply_on is not None:
            clock_meet(
                clock=clock,
                met_on=consultation_reply_on,
                by=by,
                note=case.get_consultation_reply_display(),
            )
    audit_record(by, "ehcp.case.placement_set", case)
    return case
