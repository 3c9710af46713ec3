"""Statutory time limits of annual reviews, amendments and phase transfers (domain.md 2).

Pure: dates in, dates out, counted with the conventions of domain.md 0A. References to "reg" are
to the Special Educational Needs and Disability Regulations 2014; "CFA" is the Children and
Families Act 2014.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sendadmin.calendar import add_months, add_weeks, date_in_year, weeks_before

__all__ = [
    "MeetingDeadlines",
    "annual_review_due",
    "latest_meeting_for_decision_within",
    "meeting_deadlines",
    "phase_transfer_deadline",
]

# domain.md 2.1; CFA s.44(1), reg 18: a review within 12 months of the plan being made, then
# within 12 months of the last review.
ANNUAL_REVIEW_MONTHS = 12
# domain.md 2.2; reg 20(3): at least 2 weeks' notice of the review meeting.
INVITATION_NOTICE_WEEKS = 2
# domain.md 2.2; reg 20(4): advice and information circulated at least 2 weeks before the meeting.
PAPERS_NOTICE_WEEKS = 2
# domain.md 2.2; reg 20(7): the written report within 2 weeks after the meeting.
REPORT_WEEKS = 2
# domain.md 2.2; reg 20(10), CoP 9.176: the LA's decision within 4 weeks after the meeting.
LA_DECISION_WEEKS = 4
# domain.md 2.3; reg 22(3): the final amended plan within 8 weeks of the amendment notice.
AMENDED_PLAN_WEEKS = 8
# domain.md 2.4; reg 18(1)(a): secondary school to post-16 institution, by 31 March.
POST16_TRANSFER_MONTH, POST16_TRANSFER_DAY = 3, 31
# domain.md 2.4; reg 18(1)(b): any other phase transfer, by 15 February.
OTHER_TRANSFER_MONTH, OTHER_TRANSFER_DAY = 2, 15


@dataclass(frozen=True, slots=True)
class MeetingDeadlines:
    """The dates that follow from one review meeting (domain.md 2.2 and 2.3)."""

    invitations_by: date
    papers_by: date
    report_by: date
    la_decision_by: date
    amended_plan_by: date


def annual_review_due(plan_issued: date, last_review: date | None = None) -> date:
    """Return the date by which the plan must next be reviewed (CFA s.44(1), reg 18).

    12 months from the later of the date the plan was first issued and the last review. Pass the
    date the plan was first made, not an amended plan's: an amendment does not restart the clock.
    """
    start = plan_issued if last_review is None else max(plan_issued, last_review)
    return add_months(start, ANNUAL_REVIEW_MONTHS)


def meeting_deadlines(meeting: date, amendment_notice_sent: date | None = None) -> MeetingDeadlines:
    """Return the deadlines before and after a review meeting held on `meeting`.

    The final amended plan is due 8 weeks after the amendment notice (reg 22(3)). Until a notice
    has gone, the notice is assumed on the last day of the 4-week decision window, giving
    meeting + 84 days (domain.md 0A, last row). A late notice is not capped at meeting + 84: the
    law counts from the notice, and the lateness shows on `la_decision_by` instead.
    """
    if amendment_notice_sent is not None and amendment_notice_sent < meeting:
        raise ValueError(
            f"an amendment notice after a review cannot precede the meeting: "
            f"notice {amendment_notice_sent}, meeting {meeting}"
        )
    la_decision_by = add_weeks(meeting, LA_DECISION_WEEKS)
    notice = la_decision_by if amendment_notice_sent is None else amendment_notice_sent
    return MeetingDeadlines(
        invitations_by=weeks_before(meeting, INVITATION_NOTICE_WEEKS),
        papers_by=weeks_before(meeting, PAPERS_NOTICE_WEEKS),
        report_by=add_weeks(meeting, REPORT_WEEKS),
        la_decision_by=la_decision_by,
        amended_plan_by=add_weeks(notice, AMENDED_PLAN_WEEKS),
    )


def phase_transfer_deadline(transfer_year: int, to_post16: bool) -> date:
    """Return the date by which the plan must be reviewed and amended for a phase transfer (reg 18).

    31 March in the calendar year of transfer for secondary school to post-16 (reg 18(1)(a));
    15 February for any other phase transfer (reg 18(1)(b)). A September 2027 move: 15 Feb 2027.
    """
    if to_post16:
        return date_in_year(transfer_year, POST16_TRANSFER_MONTH, POST16_TRANSFER_DAY)
    return date_in_year(transfer_year, OTHER_TRANSFER_MONTH, OTHER_TRANSFER_DAY)


def latest_meeting_for_decision_within(due: date) -> date:
    """Return the latest meeting date whose 4-week LA decision still falls on or before `due`.

    CoP 9.176 (domain.md 2.1): the decision after the meeting must be notified within 4 weeks of
    the meeting and within the 12-month period, so meetings are suggested no later than due - 28.
    """
    return weeks_before(due, LA_DECISION_WEEKS)
