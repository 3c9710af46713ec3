"""State changes of the SEN Information Report: a draft, its text, the two approvals, publication.

CFA 2014 s.69(2)-(3) puts the duty on the governing body (or the academy's proprietor); reg 51 and
Schedule 1 prescribe the content (domain.md 4). Each function takes the acting user, runs in one
transaction, saves with history and writes an audit event. A draft's `version` travels with every
form: a stale one is refused and nothing is saved. Changing the text clears both approvals, because
what was approved is no longer what would be published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import School
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_meet, clock_open

from .deadlines import information_report_review_due
from .models import InformationReport, is_mainstream
from .sections import SECTION_BY_KEY, Section, sections_for
from .selectors import live_section_filled, report_live_data

Status = InformationReport.Status
# Long enough for a thorough section; a whole policy pasted into one box is a sign of a mistake.
SECTION_MAX_CHARS = 20_000
CONFLICT = (
    "Someone else saved this report while you were working on it. Nothing you entered has been "
    "saved: your text is shown below, beside what was saved, so you can save it again."
)
NOT_A_DRAFT = "Only a draft can be changed. Start a new version to change a published report."


class StaleVersionError(ValidationError):
    def __init__(self) -> None:
        super().__init__(CONFLICT, code="stale")


def _save(report: InformationReport, by: Any) -> None:
    report._history_user = by  # type: ignore[attr-defined]
    report.save()


def _locked_draft(report: InformationReport, expected_version: int | None) -> InformationReport:
    locked = (
        InformationReport.objects.select_for_update().select_related("school").get(pk=report.pk)
    )
    if expected_version is not None and expected_version != locked.version:
        raise StaleVersionError()
    if locked.status != Status.DRAFT:
        raise ValidationError(NOT_A_DRAFT, code="not_draft")
    return locked


def _not_future(on: dt.date | None, what: str) -> dt.date:
    if on is None:
        raise ValidationError({"approved_on": f"Enter the date {what}"})
    if on > timezone.localdate():
        raise ValidationError({"approved_on": f"The date {what} cannot be in the future"})
    return on


@transaction.atomic
def report_draft_start(*, school: School, by: Any) -> InformationReport:
    """A new draft numbered after the school's latest version, its text copied from that version.

    The school's draft is returned if there is one already (one draft per school, a unique
    constraint), so a second click of "Start a new version" changes nothing.
    """
    School.objects.select_for_update().filter(pk=school.pk).first()
    existing = InformationReport.objects.filter(school=school, status=Status.DRAFT).first()
    if existing is not None:
        return existing
    latest = InformationReport.objects.filter(school=school).order_by("-number").first()
    report = InformationReport(
        school=school,
        number=latest.number + 1 if latest else 1,
        sections=dict(latest.sections) if latest else {},
        created_by=by,
    )
    _save(report, by)
    audit_record(
        by, "offer.report.draft_started", report, copied_from=latest.number if latest else None
    )
    return report


def _clean_sections(sections: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for key, value in sections.items():
        section = SECTION_BY_KEY.get(key)
        if section is None:
            raise ValidationError(f"There is no section '{key}' in the SEN Information Report.")
        text = str(value or "").strip()
        if len(text) > SECTION_MAX_CHARS:
            errors[key] = [
                f"{section.title} must be {SECTION_MAX_CHARS:,} characters or fewer "
                f"(it has {len(text):,})"
            ]
        cleaned[key] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def report_sections_save(
    *,
    report: InformationReport,
    sections: Mapping[str, Any],
    expected_version: int | None,
    by: Any,
) -> InformationReport:
    """Save the text of the sections given (others keep theirs); an emptied section is removed.

    Refused unless the report is a draft and `expected_version` is its version. If any text changed,
    the headteacher's and the governing body's approvals are cleared: they approved other words.
    """
    report = _locked_draft(report, expected_version)
    cleaned = _clean_sections(sections)
    merged = {**report.sections, **cleaned}
    new = {key: text for key, text in merged.items() if text}
    if new == report.sections:
        return report
    changed = sorted(
        k for k in set(new) | set(report.sections) if new.get(k) != report.sections.get(k)
    )
    approvals_cleared = bool(report.head_approved_on or report.governors_approved_on)
    report.sections = new
    report.head_approved_on = None
    report.head_approved_by = None
    report.governors_approved_on = None
    report.governors_minute = ""
    report.governors_approval_recorded_by = None
    report.version += 1
    _save(report, by)
    audit_record(
        by,
        "offer.report.sections_saved",
        report,
        sections=changed,
        approvals_cleared=approvals_cleared,
    )
    return report


@transaction.atomic
def report_approve_as_head(
    *, report: InformationReport, by: Any, on: dt.date | None, expected_version: int | None = None
) -> InformationReport:
    """The headteacher approves the draft as it stands (ADR 0013)."""
    report = _locked_draft(report, expected_version)
    report.head_approved_on = _not_future(on, "of the headteacher's approval")
    report.head_approved_by = by
    report.version += 1
    _save(report, by)
    audit_record(by, "offer.report.head_approved", report, on=report.head_approved_on.isoformat())
    return report


@transaction.atomic
def report_governors_approval_record(
    *,
    report: InformationReport,
    on: dt.date | None,
    minute: str,
    by: Any,
    expected_version: int | None = None,
) -> InformationReport:
    """Record the governing body's approval at a meeting (CFA s.69(2): the duty is the board's)."""
    report = _locked_draft(report, expected_version)
    on = _not_future(on, "of the governing body's meeting")
    minute = (minute or "").strip()
    if not minute:
        raise ValidationError({"minute": "Enter the minute reference of the approval"})
    if len(minute) > 100:
        raise ValidationError({"minute": "The minute reference must be 100 characters or fewer"})
    report.governors_approved_on = on
    report.governors_minute = minute
    report.governors_approval_recorded_by = by
    report.version += 1
    _save(report, by)
    audit_record(by, "offer.report.governors_approved", report, on=on.isoformat(), minute=minute)
    return report


def empty_sections(
    report: InformationReport, live: dict[str, Any], mainstream: bool
) -> list[Section]:
    """Required sections with neither text nor live facts (Sch 1; sections.Section.live)."""
    return [
        s
        for s in sections_for(mainstream)
        if not report.sections.get(s.key, "").strip()
        and not (s.live and live_section_filled(s.live, live))
    ]


def publish_problems(report: InformationReport, live: dict[str, Any]) -> list[str]:
    """Everything that stops the draft being published, one message each, in the page's order."""
    problems = []
    if report.head_approved_on is None:
        problems.append("The headteacher has not approved this version")
    if report.governors_approved_on is None:
        problems.append("The governing body's approval of this version has not been recorded")
    for section in empty_sections(report, live, is_mainstream(report.school)):
        problems.append(f"Write the section '{section.title}' ({section.citation})")
    return problems


@transaction.atomic
def report_publish(
    *,
    report: InformationReport,
    by: Any,
    today: dt.date,
    expected_version: int | None = None,
    review_responsible_role: Role = Role.SENCO,
) -> InformationReport:
    """Publish the draft: it becomes the school's public report and the one before is superseded.

    Refused, naming each problem, unless both approvals are recorded and every required section has
    text or its live facts are filled. The facts are frozen into `live_data` so the public page never
    changes under a reader. The school's open review clock is met and the next opens, due 12 months
    on (CoP 6.79; offer.deadlines.information_report_review_due).
    """
    report = _locked_draft(report, expected_version)
    school = report.school
    live = report_live_data(school, today)
    problems = publish_problems(report, live)
    if problems:
        raise ValidationError(problems, code="incomplete")
    previous = (
        InformationReport.objects.select_for_update()
        .filter(school=school, status=Status.PUBLISHED)
        .first()
    )
    if previous is not None:
        previous.status = Status.SUPERSEDED
        previous.version += 1
        _save(previous, by)
    report.status = Status.PUBLISHED
    report.published_on = today
    report.published_by = by
    report.live_data = live
    report.version += 1
    _save(report, by)
    open_clocks = Clock.objects.filter(
        kind=Kind.INFORMATION_REPORT_REVIEW, school=school, state=Clock.State.OPEN
    ).order_by("pk")
    for clock in open_clocks:
        clock_meet(clock=clock, met_on=today, by=by)
    due = information_report_review_due(today)
    clock_open(
        kind=Kind.INFORMATION_REPORT_REVIEW,
        subject=report,
        started_on=today,
        start_event="SEN Information Report published",
        responsible_role=review_responsible_role,
        by=by,
        due_on=due,
        school=school,
    )
    audit_record(
        by,
        "offer.report.published",
        report,
        published_on=today.isoformat(),
        superseded=previous.number if previous else None,
        review_due=due.isoformat(),
    )
    return report
