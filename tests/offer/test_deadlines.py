"""SENCO qualification and SEN information report dates (offer/deadlines.py; domain.md 4 and 6).

Every expected date in these tables was counted by hand on a calendar, not computed by the code.
"""

from datetime import date

import pytest

from offer.deadlines import information_report_review_due, senco_qualification_due

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
