"""SENCO qualification and SEN information report dates (offer/deadlines.py; domain.md 4 and 6).

Every expected date in these tables was counted by hand on a calendar, not computed by the code.
"""

from datetime import date

import pytest

from offer.deadlines import (
    information_report_review_due,
    senco_qualification_check,
    senco_qualification_due,
)

d = date.fromisoformat


@pytest.mark.parametrize(
    ("became_senco", "prior_senco_months", "expected"),
    [
        ("2009-09-02", 0, "2012-09-02"),  # the first day the duty covers
        ("2020-01-06", 12, "2023-01-06"),  # exactly 12 months before is not "more than 12"
        ("2024-02-29", 0, "2027-02-28"),  # appointed on a leap day
        ("2028-02-29", 0, "2031-02-28"),
        ("2025-02-28", 0, "2028-02-28"),  # the 28th stays the 28th in a leap year
        ("2025-08-31", 6, "2028-08-31"),
        ("2025-12-31", 0, "2028-12-31"),  # appointed on the last day of the year
    ],
)
def test_a_new_senco_must_hold_the_qualification_after_the_third_anniversary(
    became_senco: str, prior_senco_months: int, expected: str
) -> None:
    assert senco_qualification_due(d(became_senco), prior_senco_months) == d(expected)


@pytest.mark.parametrize(
    ("became_senco", "prior_senco_months"),
    [
        ("2009-09-01", 0),  # appointed on 1 September 2009, not after it
        ("2008-01-10", 0),
        ("2020-01-06", 13),  # more than 12 months as a SENCO before
        ("2024-09-02", 40),
    ],
)
def test_the_qualification_duty_does_not_apply_to_early_or_experienced_sencos(
    became_senco: str, prior_senco_months: int
) -> None:
    assert senco_qualification_due(d(became_senco), prior_senco_months) is None


def test_negative_prior_senco_months_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        senco_qualification_due(d("2025-09-01"), -1)


@pytest.mark.parametrize(
    ("last_published", "expected"),
    [
        ("2025-09-01", "2026-09-01"),
        ("2024-02-29", "2025-02-28"),  # published on a leap day
        ("2028-02-29", "2029-02-28"),
        ("2023-02-28", "2024-02-28"),
        ("2025-12-31", "2026-12-31"),  # published on the last day of the year
        ("2025-01-31", "2026-01-31"),
    ],
)
def test_the_sen_information_report_is_due_for_update_twelve_months_after_publication(
    last_published: str, expected: str
) -> None:
    assert information_report_review_due(d(last_published)) == d(expected)


# senco_qualification_check: (became SENCO, prior months, qualification, started, completed, today)
# -> (compliant, due, a phrase of the message). Reg 49(4) and (7)-(9), domain.md 6.
@pytest.mark.parametrize(
    (
        "became",
        "prior",
        "qualification",
        "started",
        "completed",
        "today",
        "compliant",
        "due",
        "says",
    ),
    [
        # A National Award started the day before the 2024 change counts...
        (
            "2024-01-08",
            0,
            "nasenco",
            "2024-08-31",
            "2025-07-01",
            "2026-11-23",
            True,
            "2027-01-08",
            "Qualification held",
        ),
        # ...one started on 1 September 2024 does not, even when completed.
        (
            "2024-01-08",
            0,
            "nasenco",
            "2024-09-01",
            "2025-07-01",
            "2026-11-23",
            False,
            "2027-01-08",
            "needs the NPQ for SENCOs",
        ),
        # Completed on 31 August 2027, before 1 September 2027: counts.
        (
            "2025-01-06",
            0,
            "nasenco",
            "2024-03-01",
            "2027-08-31",
            "2027-09-10",
            True,
            "2028-01-06",
            "Qualification held",
        ),
        # Completed on 1 September 2027: too late to count.
        (
            "2025-01-06",
            0,
            "nasenco",
            "2024-03-01",
            "2027-09-01",
            "2027-09-10",
            False,
            "2028-01-06",
            "completed before 1 September 2027",
        ),
        # Still not completed on 1 September 2027: it can no longer count.
        (
            "2025-01-06",
            0,
            "nasenco",
            "2024-03-01",
            None,
            "2027-09-01",
            False,
            "2028-01-06",
            "completed before 1 September 2027",
        ),
        # Not completed on 31 August 2027: still in progress.
        (
            "2025-01-06",
            0,
            "nasenco",
            "2024-03-01",
            None,
            "2027-08-31",
            True,
            "2028-01-06",
            "In progress: to be held by 6 January 2028",
        ),
        # The duty does not apply: appointed on 1 September 2009, not after it.
        ("2009-09-01", 0, "none", None, None, "2026-11-23", True, None, "does not apply"),
        # Nor after more than 12 months as a SENCO before.
        ("2024-01-08", 13, "none", None, None, "2026-11-23", True, None, "does not apply"),
        # Exactly 12 months before: the duty applies.
        ("2024-01-08", 12, "none", None, None, "2026-11-23", False, "2027-01-08", "Not started"),
        # Overdue: the day after the 3rd anniversary with nothing held...
        (
            "2020-01-06",
            0,
            "none",
            None,
            None,
            "2023-01-07",
            False,
            "2023-01-06",
            "had to be held from 6 January 2023",
        ),
        # ...but on the anniversary itself it is not yet overdue.
        (
            "2020-01-06",
            0,
            "none",
            None,
            None,
            "2023-01-06",
            False,
            "2023-01-06",
            "must be held by 6 January 2023",
        ),
        # An NPQ in progress before the anniversary, and still in progress after it.
        (
            "2025-02-03",
            0,
            "npq",
            "2025-10-01",
            None,
            "2026-11-23",
            True,
            "2028-02-03",
            "In progress",
        ),
        (
            "2022-02-03",
            0,
            "npq",
            "2024-10-01",
            None,
            "2026-11-23",
            False,
            "2025-02-03",
            "had to be held from 3 February 2025",
        ),
        # Held: an NPQ completed, even after the anniversary.
        (
            "2022-02-03",
            0,
            "npq",
            "2024-10-01",
            "2026-06-30",
            "2026-11-23",
            True,
            "2025-02-03",
            "Qualification held",
        ),
        # A completion date after today is not held yet.
        (
            "2025-02-03",
            0,
            "npq",
            "2025-10-01",
            "2026-12-01",
            "2026-11-23",
            True,
            "2028-02-03",
            "In progress",
        ),
    ],
)
def test_the_senco_qualification_check(
    became: str,
    prior: int,
    qualification: str,
    started: str | None,
    completed: str | None,
    today: str,
    compliant: bool,
    due: str | None,
    says: str,
) -> None:
    check = senco_qualification_check(
        became_senco=d(became),
        prior_senco_months=prior,
        qualification=qualification,
        started=d(started) if started else None,
        completed=d(completed) if completed else None,
        today=d(today),
    )
    assert check.compliant is compliant
    assert check.due == (d(due) if due else None)
    assert says in check.message
