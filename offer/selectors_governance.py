"""Reads of the governance page: the school's SENCOs with where each stands against reg 49, the
governance record with its review dates, and the staff a designation may name. No pupil data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sendadmin.accounts.models import Membership, School, User

from .deadlines import QualificationCheck
from .models import Governance, SencoDesignation, is_mainstream
from .selectors import qualification_check

RULE = "SEND Regulations 2014, reg 49(4) and (7)-(9)"


@dataclass(frozen=True)
class SencoRow:
    designation: SencoDesignation
    check: QualificationCheck
    # "held", "in_progress", "not_required", "due" (not compliant, deadline ahead) or "overdue".
    state: str

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def tag_class(self) -> str:
        return STATE_TAGS[self.state]


STATE_LABELS = {
    "held": "Compliant: qualification held",
    "in_progress": "Compliant: in progress",
    "not_required": "Compliant: qualification not required",
    "due": "Not compliant yet",
    "overdue": "Overdue",
}
STATE_TAGS = {
    "held": "govuk-tag--green",
    "in_progress": "govuk-tag--blue",
    "not_required": "govuk-tag--grey",
    "due": "govuk-tag--yellow",
    "overdue": "govuk-tag--red",
}


def senco_row(designation: SencoDesignation, today: dt.date) -> SencoRow:
    check = qualification_check(designation, today)
    if check.due is None:
        state = "not_required"
    elif check.compliant:
        completed = designation.qualification_completed_on
        state = "held" if completed is not None and completed <= today else "in_progress"
    else:
        state = "overdue" if today > check.due else "due"
    return SencoRow(designation, check, state)


@dataclass(frozen=True)
class DateDuty:
    """A dated record with a next review: the accessibility plan or the medical policy."""

    agreed_on: dt.date | None
    review_on: dt.date | None
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.review_on is not None and self.review_on < self.today


@dataclass(frozen=True)
class GovernancePage:
    school: School
    mainstream: bool
    current: list[SencoRow]
    upcoming: list[SencoDesignation]
    past: list[SencoDesignation]
    governance: Governance | None
    accessibility_plan: DateDuty
    medical_policy: DateDuty


def governance_page(school: School, today: dt.date) -> GovernancePage:
    """Everything the governance page shows, in two queries whatever the number of SENCOs.

    Current SENCOs are as offer.selectors.current_sencos counts them: started by today and not
    ended before it."""
    designations = list(
        SencoDesignation.objects.filter(school=school).order_by("-became_senco_on", "-pk")
    )
    past = [d for d in designations if d.ended_on is not None and d.ended_on < today]
    live = [d for d in designations if d not in past]
    current = [senco_row(d, today) for d in reversed(live) if d.became_senco_on <= today]
    governance = Governance.objects.filter(school=school).first()
    return GovernancePage(
        school=school,
        mainstream=is_mainstream(school),
        current=current,
        upcoming=[d for d in live if d.became_senco_on > today],
        past=past,
        governance=governance,
        accessibility_plan=DateDuty(
            governance.accessibility_plan_on if governance else None,
            governance.accessibility_plan_review_on if governance else None,
            today,
        ),
        medical_policy=DateDuty(
            governance.medical_policy_on if governance else None,
            governance.medical_policy_review_on if governance else None,
            today,
        ),
    )


def school_staff(school: Any, today: dt.date) -> QuerySet[User]:
    """People with a current role at the school: a designation may name one of them."""
    ids = Membership.objects.current(today).filter(school=school).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("full_name", "email")
