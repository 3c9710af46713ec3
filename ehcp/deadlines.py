"""Statutory time limits of the EHC needs assessment and the exceptions to them (domain.md 1).

Pure: dates in, dates out, counted with the conventions of domain.md 0A. An exception never moves
a due date (domain.md 0A, "exceptions"); `EXCEPTION_LIMBS` lists the reasons a clock may record.
References to "reg" are to the Special Educational Needs and Disability Regulations 2014.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from sendadmin.calendar import add_weeks, days_window_closes, weeks_before

__all__ = [
    "EXCEPTION_LIMBS",
    "ExceptionLimb",
    "advice_due",
    "closure_exception_applies",
    "consultation_reply_due",
    "decision_to_assess_due",
    "final_plan_due",
    "no_plan_notice_due",
    "representations_close",
]

# domain.md 1.1 step 2; reg 5(1): the decision whether to assess within 6 weeks of the request.
DECISION_TO_ASSESS_WEEKS = 6
# domain.md 1.1 step 4; reg 8(1): each adviser replies within 6 weeks of receiving the LA's request.
ADVICE_WEEKS = 6
# domain.md 1.1 step 5a; reg 10(1): notice of a decision not to issue a plan within 16 weeks.
NO_PLAN_NOTICE_WEEKS = 16
# domain.md 1.1 step 7; reg 13(2): the final EHC plan within 20 weeks of the request.
FINAL_PLAN_WEEKS = 20
# domain.md 1.1 step 6 and 0A; reg 13(1): representations for at least 15 days beginning with
# the day the draft plan is served.
REPRESENTATIONS_DAYS = 15
# domain.md 1.2 limb (a); reg 10(4)(a): the institution closed for a continuous period of
# not less than 4 weeks.
CLOSURE_MIN_WEEKS = 4
# domain.md 1.1 step 6a; CFA s.39-40, CoP 9.83 (guidance, not a regulation): a school consulted
# about being named should reply within 15 days.
CONSULTATION_REPLY_DAYS = 15
# domain.md 1.2 limb (a); reg 10(4)(a): advice asked in the window from 1 week before the closure
# to 1 week before the re-opening.
CLOSURE_WINDOW_LEAD_WEEKS = 1


@dataclass(frozen=True, slots=True)
class ExceptionLimb:
    """One lettered reason in a regulation's list of exceptions to a time limit."""

    code: str
    label: str


# domain.md 1.2; reg 10(4)(a)-(d). Also the list for the 20-week final plan (reg 13(3)) and for
# re-assessment (reg 27(3)), so a clock records "reg10(4)" for either limit.
_REG_10_4 = (
    ExceptionLimb(
        "a",
        "The school or post-16 institution was closed for 4 weeks or more in a row, and the head "
        "teacher or principal was asked for advice from 1 week before it closed to 1 week before "
        "it re-opened",
    ),
    ExceptionLimb(
        "b",
        "The early years provider was closed for 4 weeks or more in a row, and it was asked for "
        "advice from 1 week before it closed to 1 week before it re-opened",
    ),
    ExceptionLimb(
        "c",
        "Exceptional personal circumstances affected the child, the child's parent or the young "
        "person during the time period",
    ),
    ExceptionLimb(
        "d",
        "The child, the child's parent or the young person was away from the local authority's "
        "area for 4 weeks or more in a row during the time period",
    ),
)

EXCEPTION_LIMBS: Mapping[str, tuple[ExceptionLimb, ...]] = MappingProxyType(
    {
        # domain.md 1.2; reg 5(4): the same four headings as reg 10(4) (only limb (a) checked
        # against the text; the rest reported identical, UNVERIFIED in domain.md).
        "reg5(4)": _REG_10_4,
        # domain.md 1.2; reg 8(2): advisers' 6-week reply. No closure limb, and a missed
        # appointment counts only here (domain.md 11 note 3).
        "reg8(2)": (
            ExceptionLimb(
                "a",
                "Exceptional circumstances affected the child, the child's parent or the young "
                "person during the 6 weeks",
            ),
            ExceptionLimb(
                "b",
                "The child, the child's parent or the young person was away from the local "
                "authority's area for 4 weeks or more in a row during the 6 weeks",
            ),
            ExceptionLimb(
                "c",
                "The child or young person missed an appointment for an examination or test "
                "made by the adviser's organisation during the 6 weeks",
            ),
        ),
        # domain.md 1.2; reg 10(4), borrowed by reg 13(3) for the 20-week final plan.
        "reg10(4)": _REG_10_4,
    }
)


def decision_to_assess_due(request_received: date) -> date:
    """Return the last day to notify the decision whether to assess: 6 weeks (reg 5(1))."""
    return add_weeks(request_received, DECISION_TO_ASSESS_WEEKS)


def advice_due(adviser_request_received: date) -> date:
    """Return the last day for an adviser's reply: 6 weeks from *their* receipt (reg 8(1)).

    The clock starts when the adviser receives the LA's request, not when the LA received the
    request for assessment (domain.md 1.1 step 4).
    """
    return add_weeks(adviser_request_received, ADVICE_WEEKS)


def no_plan_notice_due(request_received: date) -> date:
    """Return the last day to notify a decision not to issue a plan: 16 weeks (reg 10(1))."""
    return add_weeks(request_received, NO_PLAN_NOTICE_WEEKS)


def final_plan_due(request_received: date) -> date:
    """Return the last day to issue the final EHC plan: 20 weeks from the request (reg 13(2))."""
    return add_weeks(request_received, FINAL_PLAN_WEEKS)


def representations_close(draft_served: date) -> date:
    """Return the last day of the draft plan's representations window (reg 13(1)).

    At least 15 days beginning with the day served: the day served is day 1, so the window
    closes at the end of served + 14 days (domain.md 0A).
    """
    return days_window_closes(draft_served, REPRESENTATIONS_DAYS)


def consultation_reply_due(consultation_sent: date) -> date:
    """Return the day by which a consulted school should reply: within 15 days (CoP 9.83)."""
    return consultation_sent + timedelta(days=CONSULTATION_REPLY_DAYS)


def closure_exception_applies(advice_requested: date, closed_from: date, reopens_on: date) -> bool:
    """Say whether a closure makes the school-closure exception available (reg 10(4)(a)).

    `closed_from` is the first day closed and `reopens_on` the first day open again, so the
    closure lasts `reopens_on - closed_from` days and must be at least 4 weeks (28 days). The
    advice must have been asked from 1 week before `closed_from` to 1 week before `reopens_on`,
    both days included. The same test serves the early-years limb (b) and reg 5(4)(a).
    """
    window_opens = weeks_before(closed_from, CLOSURE_WINDOW_LEAD_WEEKS)
    window_closes = weeks_before(reopens_on, CLOSURE_WINDOW_LEAD_WEEKS)
    long_enough = add_weeks(closed_from, CLOSURE_MIN_WEEKS) <= reopens_on
    return long_enough and window_opens <= advice_requested <= window_closes
