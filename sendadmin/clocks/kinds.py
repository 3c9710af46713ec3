"""Every kind of clock: what it is, the rule behind it, and which exception list may apply.

`due_from_start` computes the due date from the clock's start date where one date decides it;
kinds whose due date needs more (a meeting date, a transfer year) are opened with an explicit
due date computed by the owning app's deadlines.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import models

from ehcp import deadlines as ehcp_deadlines
from offer import deadlines as offer_deadlines
from reviews import deadlines as review_deadlines
from sendadmin.calendar import add_months, add_weeks


class Kind(models.TextChoices):
    DECISION_TO_ASSESS = "decision_to_assess", "Decision whether to assess"
    ADVICE_REQUEST = "advice_request", "Advice for an EHC needs assessment"
    NO_PLAN_NOTICE = "no_plan_notice", "Decision whether to issue a plan"
    FINAL_PLAN = "final_plan", "Final EHC plan"
    REPRESENTATIONS = "representations", "Representations on a draft plan"
    SCHOOL_CONSULTATION = "school_consultation", "Reply from a school consulted about being named"
    ANNUAL_REVIEW = "annual_review", "Annual review of an EHC plan"
    REVIEW_INVITATIONS = "review_invitations", "Review meeting invitations"
    REVIEW_PAPERS = "review_papers", "Review papers circulated"
    REVIEW_REPORT = "review_report", "Review report"
    LA_REVIEW_DECISION = "la_review_decision", "LA decision after a review"
    AMENDED_PLAN = "amended_plan", "Amended EHC plan"
    PHASE_TRANSFER = "phase_transfer", "Plan amended for a phase transfer"
    SEN_SUPPORT_REVIEW = "sen_support_review", "SEN support plan review"
    PARENT_MEETING = "parent_meeting", "Meeting with parents"
    PARENTS_TOLD = "parents_told", "Parents told about SEN provision"
    CONCERN_DECISION = "concern_decision", "Decision on a concern raised"
    INFORMATION_REPORT_REVIEW = "information_report_review", "SEN Information Report review"
    SENCO_QUALIFICATION = "senco_qualification", "SENCO qualification"
    HEALTHCARE_PLAN_REVIEW = "healthcare_plan_review", "Individual healthcare plan review"


@dataclass(frozen=True)
class KindRule:
    citation: str
    # The regulation whose exception list applies (keys of ehcp.deadlines.EXCEPTION_LIMBS).
    exception_list: str | None = None
    due_from_start: Callable[[date], date] | None = None
    statutory: bool = True


def _months(n: int) -> Callable[[date], date]:
    return lambda d: add_months(d, n)


def _weeks(n: int) -> Callable[[date], date]:
    return lambda d: add_weeks(d, n)


# The SEN support review interval and the parents' meeting pace are guidance, not law: CoP 6.65
# expects at least three meetings a year, so one falls due about every four months.
SEN_SUPPORT_REVIEW_MONTHS = 4
PARENT_MEETING_MONTHS = 4
CONCERN_DECISION_WEEKS = 6
# CFA s.68 sets no period for telling parents; sendadmin's default expects it within two weeks of
# the provision starting, and a school may meet the clock sooner.
PARENTS_TOLD_WEEKS = 2

RULES: dict[str, KindRule] = {
    Kind.DECISION_TO_ASSESS: KindRule(
        "SEND Regs 2014 reg 5(1); domain.md 1.1 step 2",
        "reg5(4)",
        ehcp_deadlines.decision_to_assess_due,
    ),
    Kind.ADVICE_REQUEST: KindRule(
        "SEND Regs 2014 reg 8(1); domain.md 1.1 step 4", "reg8(2)", ehcp_deadlines.advice_due
    ),
    Kind.NO_PLAN_NOTICE: KindRule(
        "SEND Regs 2014 reg 10(1); domain.md 1.1 step 5a",
        "reg10(4)",
        ehcp_deadlines.no_plan_notice_due,
    ),
    Kind.FINAL_PLAN: KindRule(
        "SEND Regs 2014 reg 13(2), exceptions reg 13(3); domain.md 1.1 step 7",
        "reg10(4)",
        ehcp_deadlines.final_plan_due,
    ),
    Kind.REPRESENTATIONS: KindRule(
        "SEND Regs 2014 reg 13(1); domain.md 1.1 step 6",
        None,
        ehcp_deadlines.representations_close,
    ),
    Kind.SCHOOL_CONSULTATION: KindRule(
        "CFA 2014 s.39-40; CoP 9.83 (15 days, guidance); domain.md 1.1 step 6a",
        None,
        ehcp_deadlines.consultation_reply_due,
        False,
    ),
    Kind.ANNUAL_REVIEW: KindRule(
        "CFA 2014 s.44(1); SEND Regs 2014 reg 18; domain.md 2.1",
        None,
        review_deadlines.annual_review_due,
    ),
    Kind.REVIEW_INVITATIONS: KindRule("SEND Regs 2014 reg 20(3); domain.md 2.2"),
    Kind.REVIEW_PAPERS: KindRule("SEND Regs 2014 reg 20(4); domain.md 2.2"),
    Kind.REVIEW_REPORT: KindRule("SEND Regs 2014 reg 20(7); domain.md 2.2"),
    Kind.LA_REVIEW_DECISION: KindRule("SEND Regs 2014 reg 20(10); domain.md 2.2"),
    Kind.AMENDED_PLAN: KindRule("SEND Regs 2014 reg 22; domain.md 2.3 and 0A"),
    Kind.PHASE_TRANSFER: KindRule("SEND Regs 2014 reg 18; domain.md 2"),
    Kind.SEN_SUPPORT_REVIEW: KindRule(
        "CoP 6.54-6.56 (review); domain.md 5", None, _months(SEN_SUPPORT_REVIEW_MONTHS), False
    ),
    Kind.PARENT_MEETING: KindRule(
        "CoP 6.65 (three meetings a year); domain.md 5", None, _months(PARENT_MEETING_MONTHS), False
    ),
    Kind.PARENTS_TOLD: KindRule("CFA 2014 s.68; domain.md 5", None, _weeks(PARENTS_TOLD_WEEKS)),
    Kind.CONCERN_DECISION: KindRule(
        "CoP 6.44-6.45 (assess); domain.md 5", None, _weeks(CONCERN_DECISION_WEEKS), False
    ),
    Kind.INFORMATION_REPORT_REVIEW: KindRule(
        "SEND Regs 2014 reg 51 and Sch 1; CoP 6.79; domain.md 4",
        None,
        offer_deadlines.information_report_review_due,
    ),
    Kind.SENCO_QUALIFICATION: KindRule("SEND Regs 2014 reg 49(4); domain.md 6"),
    Kind.HEALTHCARE_PLAN_REVIEW: KindRule(
        "CFA 2014 s.100; Supporting pupils with medical conditions (2015); domain.md 9",
        None,
        _months(12),
        False,
    ),
}
