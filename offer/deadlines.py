"""Statutory dates of the school's SEN offer: the SENCO qualification and the information report.

Pure: dates in, dates out, counted with the conventions of domain.md 0A. References to "reg" are
to the Special Educational Needs and Disability Regulations 2014; "CoP" is the SEND Code of
Practice (January 2015).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sendadmin.calendar import add_months, date_in_year

__all__ = [
    "QualificationCheck",
    "information_report_review_due",
    "senco_qualification_check",
    "senco_qualification_due",
]

# domain.md 6 and 0A; reg 49(4): the qualification must be held at any time after the 3rd
# anniversary of becoming SENCO, the anniversary counted as 36 months.
SENCO_QUALIFICATION_MONTHS = 36
# domain.md 6; reg 49(4): the duty covers only SENCOs who took up the post after 1 September 2009.
SENCO_DUTY_APPOINTED_AFTER = date_in_year(2009, 9, 1)
# domain.md 6; reg 49(4): nor those who had already been a SENCO for a total of more than 12 months.
SENCO_PRIOR_EXPERIENCE_MONTHS = 12
# domain.md 4; CoP 6.79-6.83: the SEN information report should be updated annually. The duty to
# prepare the report is CFA s.69(2)-(3) with its content prescribed by reg 51 and Schedule 1; the
# yearly cycle is guidance, not a regulation.
INFORMATION_REPORT_REVIEW_MONTHS = 12
# domain.md 6; reg 49(7)-(9) as inserted by SI 2024/535: a NASENCO course counts only if started
# before 1 September 2024 and completed before 1 September 2027; later courses must be the NPQ.
NASENCO_STARTED_BEFORE = date_in_year(2024, 9, 1)
NASENCO_COMPLETED_BEFORE = date_in_year(2027, 9, 1)


def senco_qualification_due(became_senco: date, prior_senco_months: int) -> date | None:
    """Return the 3rd anniversary of becoming SENCO, after which the qualification must be held.

    None when reg 49(4) does not apply: appointed on or before 1 September 2009, or more than
    12 months as a SENCO before (`prior_senco_months`, whole months at any relevant school).
    """
    if prior_senco_months < 0:
        raise ValueError(f"prior SENCO months cannot be negative: {prior_senco_months}")
    if became_senco <= SENCO_DUTY_APPOINTED_AFTER:
        return None
    if prior_senco_months > SENCO_PRIOR_EXPERIENCE_MONTHS:
        return None
    return add_months(became_senco, SENCO_QUALIFICATION_MONTHS)


def information_report_review_due(last_published: date) -> date:
    """Return the date by which the SEN information report should next be updated (CoP 6.79).

    12 months from the last publication, with 29 February falling to 28 February (domain.md 0A).
    """
    return add_months(last_published, INFORMATION_REPORT_REVIEW_MONTHS)


@dataclass(frozen=True)
class QualificationCheck:
    """Where a SENCO stands against reg 49(4): `compliant` False means the school is in breach now
    or will be at `due` (the message says which); `due` is None when the duty does not apply."""

    compliant: bool
    due: date | None
    message: str


def senco_qualification_check(
    *,
    became_senco: date,
    prior_senco_months: int,
    qualification: str,
    started: date | None,
    completed: date | None,
    today: date,
) -> QualificationCheck:
    """Check a SENCO's qualification under reg 49(4) and (7)-(9); `qualification` is "none",
    "nasenco" or "npq". A NASENCO started on or after 1 September 2024, or not completed before
    1 September 2027, does not count (domain.md 6)."""
    due = senco_qualification_due(became_senco, prior_senco_months)
    if due is None:
        return QualificationCheck(True, None, "The qualification duty does not apply (reg 49(4)).")
    if qualification == "nasenco" and started is not None and started >= NASENCO_STARTED_BEFORE:
        return QualificationCheck(
            False,
            due,
            "A National Award started on or after 1 September 2024 does not count: "
            "the SENCO needs the NPQ for SENCOs (reg 49(7)-(9)).",
        )
    if qualification == "nasenco" and (
        (completed is not None and completed >= NASENCO_COMPLETED_BEFORE)
        or (completed is None and today >= NASENCO_COMPLETED_BEFORE)
    ):
        return QualificationCheck(
            False,
            due,
            "A National Award counts only if completed before 1 September 2027 (reg 49(8)).",
        )
    if qualification != "none" and completed is not None and completed <= today:
        return QualificationCheck(True, due, "Qualification held.")
    if today > due:
        return QualificationCheck(
            False, due, f"The qualification had to be held from {due:%-d %B %Y} (reg 49(4))."
        )
    if qualification == "none":
        return QualificationCheck(
            False, due, f"Not started: the qualification must be held by {due:%-d %B %Y}."
        )
    return QualificationCheck(True, due, f"In progress: to be held by {due:%-d %B %Y}.")
