"""Annual review, amendment and phase-transfer time limits (reviews/deadlines.py; domain.md 2).

Every expected date in these tables was counted by hand on a calendar, not computed by the code.
"""

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from reviews.deadlines import (
    MeetingDeadlines,
    annual_review_due,
    latest_meeting_for_decision_within,
    meeting_deadlines,
    phase_transfer_deadline,
)

d = date.fromisoformat


@pytest.mark.parametrize(
    ("plan_issued", "last_review", "expected"),
    [
        ("2025-03-14", None, "2026-03-14"),
        ("2024-02-29", None, "2025-02-28"),  # issued on a leap day
        ("2028-02-29", None, "2029-02-28"),
        ("2023-02-28", None, "2024-02-28"),  # the 28th stays the 28th in a leap year
        ("2024-03-31", None, "2025-03-31"),
        ("2024-12-31", None, "2025-12-31"),  # issued on the last day of the year
        ("2024-01-31", "2025-01-31", "2026-01-31"),
        ("2023-06-01", "2024-02-29", "2025-02-28"),  # reviewed on a leap day
        ("2023-09-10", "2024-07-02", "2025-07-02"),
        ("2024-05-01", "2024-04-01", "2025-05-01"),  # the later of the two dates counts
    ],
)
def test_the_annual_review_is_due_twelve_months_after_the_plan_or_the_last_review(
    plan_issued: str, last_review: str | None, expected: str
) -> None:
    review = None if last_review is None else d(last_review)
    assert annual_review_due(d(plan_issued), review) == d(expected)


@pytest.mark.parametrize(
    ("meeting", "invitations_by", "report_by", "la_decision_by", "amended_plan_by"),
    [
        ("2025-11-12", "2025-10-29", "2025-11-26", "2025-12-10", "2026-02-04"),
        ("2024-03-14", "2024-02-29", "2024-03-28", "2024-04-11", "2024-06-06"),  # leap day
        ("2028-03-14", "2028-02-29", "2028-03-28", "2028-04-11", "2028-06-06"),  # leap day
        ("2025-03-14", "2025-02-28", "2025-03-28", "2025-04-11", "2025-06-06"),
        ("2025-12-17", "2025-12-03", "2025-12-31", "2026-01-14", "2026-03-11"),  # year end
        ("2025-01-09", "2024-12-26", "2025-01-23", "2025-02-06", "2025-04-03"),
        ("2025-03-20", "2025-03-06", "2025-04-03", "2025-04-17", "2025-06-12"),  # BST starts
    ],
)
def test_review_meeting_deadlines_count_two_weeks_either_side_and_twelve_weeks_to_the_amended_plan(
    meeting: str, invitations_by: str, report_by: str, la_decision_by: str, amended_plan_by: str
) -> None:
    assert meeting_deadlines(d(meeting)) == MeetingDeadlines(
        invitations_by=d(invitations_by),
        papers_by=d(invitations_by),
        report_by=d(report_by),
        la_decision_by=d(la_decision_by),
        amended_plan_by=d(amended_plan_by),
    )


@pytest.mark.parametrize(
    ("meeting", "notice_sent", "amended_plan_by"),
    [
        ("2025-11-12", "2025-12-01", "2026-01-26"),
        ("2025-11-12", "2025-11-12", "2026-01-07"),  # notice sent on the day of the meeting
        ("2025-12-17", "2026-01-14", "2026-03-11"),  # on the last day of the window: meeting + 84
        ("2024-01-04", "2024-01-04", "2024-02-29"),  # lands on a leap day
        ("2025-11-12", "2025-12-20", "2026-02-14"),  # a late notice still has its full 8 weeks
    ],
)
def test_the_amended_plan_is_due_eight_weeks_after_the_amendment_notice(
    meeting: str, notice_sent: str, amended_plan_by: str
) -> None:
    deadlines = meeting_deadlines(d(meeting), amendment_notice_sent=d(notice_sent))
    assert deadlines.amended_plan_by == d(amended_plan_by)


def test_the_notice_does_not_move_the_other_meeting_deadlines() -> None:
    deadlines = meeting_deadlines(d("2025-11-12"), amendment_notice_sent=d("2025-12-01"))
    assert (
        deadlines.invitations_by,
        deadlines.papers_by,
        deadlines.report_by,
        deadlines.la_decision_by,
    ) == (d("2025-10-29"), d("2025-10-29"), d("2025-11-26"), d("2025-12-10"))


def test_an_amendment_notice_before_the_meeting_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot precede the meeting"):
        meeting_deadlines(d("2025-11-12"), amendment_notice_sent=d("2025-11-11"))


def test_meeting_deadlines_cannot_be_changed_once_computed() -> None:
    deadlines = meeting_deadlines(d("2025-11-12"))
    with pytest.raises(FrozenInstanceError):
        deadlines.report_by = d("2025-12-31")  # type: ignore[misc]


@pytest.mark.parametrize(
    ("transfer_year", "to_post16", "expected"),
    [
        (2027, False, "2027-02-15"),  # a September 2027 move to secondary (domain.md 0A)
        (2028, False, "2028-02-15"),  # leap year: still 15 February
        (2027, True, "2027-03-31"),  # secondary school to post-16
        (2026, True, "2026-03-31"),
    ],
)
def test_a_phase_transfer_must_be_settled_by_15_february_or_31_march_for_post16(
    transfer_year: int, to_post16: bool, expected: str
) -> None:
    assert phase_transfer_deadline(transfer_year, to_post16) == d(expected)


@pytest.mark.parametrize(
    ("due", "latest_meeting"),
    [
        ("2026-03-14", "2026-02-14"),
        ("2025-02-28", "2025-01-31"),
        ("2024-03-28", "2024-02-29"),  # back over the leap day
        ("2025-03-28", "2025-02-28"),
        ("2026-01-10", "2025-12-13"),  # back over the year end
    ],
)
def test_the_latest_meeting_leaves_four_weeks_for_the_decision_before_the_review_is_due(
    due: str, latest_meeting: str
) -> None:
    assert latest_meeting_for_decision_within(d(due)) == d(latest_meeting)


@pytest.mark.parametrize("due", ["2026-03-14", "2024-03-28", "2026-01-10"])
def test_a_meeting_on_the_suggested_date_gets_its_decision_on_the_due_date(due: str) -> None:
    meeting = latest_meeting_for_decision_within(d(due))
    assert meeting_deadlines(meeting).la_decision_by == d(due)
