"""State changes of SEN support plans and parents' meetings.

Every function takes the acting user, validates, writes history and an audit event, and opens or
meets clocks only through sendadmin.clocks.services. Edits of a cycle carry the version the form was
opened at: a stale version is refused with nothing overwritten. Adding the same thing twice (a
double submission) returns the first row. Outcomes and provision rows carry a version of their own,
so editing one row never refuses an edit of another, nor of the assessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pupils.models import Pupil
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import RULES, Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_cancel, clock_meet, clock_open

from .models import (
    CycleOutcome,
    CycleProvision,
    CycleView,
    DeliveryNote,
    OutcomeReview,
    ParentMeeting,
    SupportCycle,
    SupportPlan,
)

CONFLICT = (
    "Someone else changed this plan while you were editing it. Nothing you entered has been "
    "saved: check the plan as it is now and make your change again."
)
ROW_CONFLICT = (
    "Someone else changed this {noun} while you were editing it. Nothing you entered has been "
    "saved: your text is shown below, and the {noun} as it is now above it. Check both, then save "
    "again."
)
REMOVE_CONFLICT = (
    "Someone else changed this {noun} since you opened this page. Nothing has been removed: check "
    "the {noun} as it is now, below, and remove it only if you still mean to."
)
ROW_REMOVED = (
    "Someone else removed this {noun} while you were editing it. Nothing you entered has been "
    "saved: your text is shown below. Add it again if it is still needed."
)
REVIEWED_OUTCOME = (
    "This outcome has a review recorded, so it cannot be removed: the review is part of the "
    "plan's record."
)

Row = TypeVar("Row", CycleOutcome, CycleProvision)


class StaleVersionError(ValidationError):
    """The cycle (or the row) changed since the form was opened."""

    def __init__(self, message: str = CONFLICT) -> None:
        super().__init__(message, code="stale")


def _save(obj: Any, by: Any) -> None:
    obj._history_user = by
    obj.save()


def _delete(obj: Any, by: Any) -> None:
    obj._history_user = by
    obj.delete()


def _locked(cycle: SupportCycle) -> SupportCycle:
    return SupportCycle.objects.select_for_update().get(pk=cycle.pk)


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _current(cycle: SupportCycle) -> None:
    if cycle.status == SupportCycle.Status.REVIEWED:
        raise ValidationError("This cycle has been reviewed: make changes in the current cycle.")


@transaction.atomic
def support_plan_start(*, pupil: Pupil, by: Any) -> SupportPlan:
    """Start the pupil's plan with a draft first cycle, or return the plan already started."""
    Pupil.objects.select_for_update().get(pk=pupil.pk)
    existing = SupportPlan.objects.filter(pupil=pupil).first()
    if existing is not None:
        return existing
    plan = SupportPlan(pupil=pupil, school=pupil.school)
    _save(plan, by)
    _save(SupportCycle(plan=plan, number=1), by)
    audit_record(by, "support.plan.started", plan, pupil_id=pupil.pk)
    return plan


def _review_clock(cycle: SupportCycle) -> Clock | None:
    return Clock.objects.filter(
        kind=Kind.SEN_SUPPORT_REVIEW,
        subject_type=ContentType.objects.get_for_model(SupportCycle),
        subject_id=cycle.pk,
        state=Clock.State.OPEN,
    ).first()


@transaction.atomic
def support_cycle_update(
    *,
    cycle: SupportCycle,
    version: int | None,
    assessment: str,
    evidence: str,
    review_date: dt.date | None,
    by: Any,
) -> SupportCycle:
    """Save the assess and plan steps. A review date makes the cycle active and opens the
    sen_support_review clock, due on that date, for the SENCO."""
    cycle = _locked(cycle)
    _current(cycle)
    assessment = (assessment or "").strip()
    evidence = (evidence or "").strip()
    unchanged = (cycle.assessment, cycle.evidence, cycle.review_date) == (
        assessment,
        evidence,
        review_date,
    )
    if version != cycle.version:
        if unchanged:
            return cycle  # the same form sent twice: the first one saved it
        raise StaleVersionError()
    today = timezone.localdate()
    if review_date is not None and review_date <= today:
        raise ValidationError("The review date must be in the future")
    if review_date is not None and not assessment:
        raise ValidationError("Enter the assessment before setting a review date")
    if unchanged:
        return cycle
    old_review = cycle.review_date
    cycle.assessment, cycle.evidence, cycle.review_date = assessment, evidence, review_date
    if review_date is not None:
        cycle.status = SupportCycle.Status.ACTIVE
    cycle.version += 1
    _save(cycle, by)
    audit_record(by, "support.cycle.updated", cycle, version=cycle.version)
    if review_date != old_review:
        clock = _review_clock(cycle)
        if clock is not None:
            clock_cancel(clock=clock, reason="The review date was changed", by=by)
        if review_date is not None:
            pupil = cycle.plan.pupil
            clock_open(
                kind=Kind.SEN_SUPPORT_REVIEW,
                subject=cycle,
                started_on=today,
                due_on=review_date,
                start_event="SEN support plan review date set",
                responsible_role=Role.SENCO,
                by=by,
                school=pupil.school,
                pupil=pupil,
            )
    return cycle


@transaction.atomic
def support_outcome_add(
    *, cycle: SupportCycle, outcome: str, success_criteria: str, by: Any
) -> CycleOutcome:
    cycle = _locked(cycle)
    _current(cycle)
    outcome = _text(outcome, "Enter the outcome sought")
    success_criteria = _text(success_criteria, "Enter the success criteria")
    same = cycle.outcomes.filter(outcome=outcome, success_criteria=success_criteria).first()
    if same is not None:
        return same
    row = CycleOutcome(cycle=cycle, outcome=outcome, success_criteria=success_criteria)
    _save(row, by)
    audit_record(by, "support.outcome.added", cycle, outcome_id=row.pk)
    return row


@transaction.atomic
def support_provision_add(
    *, cycle: SupportCycle, provision: str, who: str, how_often: str, by: Any
) -> CycleProvision:
    cycle = _locked(cycle)
    _current(cycle)
    provision = _text(provision, "Enter the strategy or provision")
    who = _text(who, "Enter who delivers it")
    how_often = _text(how_often, "Enter how often it is delivered")
    same = cycle.provisions.filter(provision=provision, who=who, how_often=how_often).first()
    if same is not None:
        return same
    row = CycleProvision(cycle=cycle, provision=provision, who=who, how_often=how_often)
    _save(row, by)
    audit_record(by, "support.provision.added", cycle, provision_id=row.pk)
    return row


def _may_edit(cycle: SupportCycle, by: Any) -> None:
    if not by.has_perm("support.edit_plan", cycle.plan):
        raise PermissionDenied("support.edit_plan")


def _row_locked(row: Row, noun: str) -> tuple[SupportCycle, Row]:
    """Lock the cycle, then the row (the order support_review_complete takes too), so an edit and
    a review of the same cycle run one after the other. Only the current cycle's rows change."""
    cycle = _locked(row.cycle)
    _current(cycle)
    locked = type(row).objects.select_for_update().filter(pk=row.pk, cycle=cycle).first()
    if locked is None:
        raise ValidationError(ROW_REMOVED.format(noun=noun), code="removed")
    return cycle, locked


def _row_update(
    row: Row, *, version: int | None, values: dict[str, str], noun: str, action: str, by: Any
) -> Row:
    """Save new text into a row unless it changed since `version`; the same form sent twice, or
    a form that changes nothing, saves nothing."""
    cycle, row = _row_locked(row, noun)
    unchanged = all(getattr(row, name) == value for name, value in values.items())
    if version != row.version:
        if unchanged:
            return row
        raise StaleVersionError(ROW_CONFLICT.format(noun=noun))
    if unchanged:
        return row
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    _save(row, by)
    audit_record(by, action, cycle, row_id=row.pk, version=row.version)
    return row


@transaction.atomic
def support_outcome_update(
    *,
    cycle_outcome: CycleOutcome,
    version: int | None,
    outcome: str,
    success_criteria: str,
    by: Any,
) -> CycleOutcome:
    _may_edit(cycle_outcome.cycle, by)
    values = {
        "outcome": _text(outcome, "Enter the outcome sought"),
        "success_criteria": _text(success_criteria, "Enter the success criteria"),
    }
    return _row_update(
        cycle_outcome,
        version=version,
        values=values,
        noun="outcome",
        action="support.outcome.updated",
        by=by,
    )


@transaction.atomic
def support_provision_update(
    *,
    cycle_provision: CycleProvision,
    version: int | None,
    provision: str,
    who: str,
    how_often: str,
    by: Any,
) -> CycleProvision:
    _may_edit(cycle_provision.cycle, by)
    values = {
        "provision": _text(provision, "Enter the strategy or provision"),
        "who": _text(who, "Enter who delivers it"),
        "how_often": _text(how_often, "Enter how often it is delivered"),
    }
    return _row_update(
        cycle_provision,
        version=version,
        values=values,
        noun="support",
        action="support.provision.updated",
        by=by,
    )


def _row_remove(
    row: Row, *, version: int | None, noun: str, action: str, by: Any, refuse: str = ""
) -> None:
    _may_edit(row.cycle, by)
    try:
        cycle, row = _row_locked(row, noun)
    except ValidationError as exc:
        if exc.code == "removed":
            return  # a second press of the button: the first one removed it
        raise
    if version != row.version:
        raise StaleVersionError(REMOVE_CONFLICT.format(noun=noun))
    if refuse:
        raise ValidationError(refuse, code="refused")
    pk = row.pk
    _delete(row, by)
    audit_record(by, action, cycle, row_id=pk)


@transaction.atomic
def support_outcome_remove(*, cycle_outcome: CycleOutcome, version: int | None, by: Any) -> None:
    """Remove an outcome of the current cycle, as it was when the confirmation page was opened.
    An outcome with a review is refused rather than cascaded: the review records the progress
    the pupil made (CoP 6.54-6.56) and must not disappear with a tidy-up of the outcome list."""
    reviewed = OutcomeReview.objects.filter(outcome_id=cycle_outcome.pk).exists()
    _row_remove(
        cycle_outcome,
        version=version,
        noun="outcome",
        action="support.outcome.removed",
        by=by,
        refuse=REVIEWED_OUTCOME if reviewed else "",
    )


@transaction.atomic
def support_provision_remove(
    *, cycle_provision: CycleProvision, version: int | None, by: Any
) -> None:
    _row_remove(
        cycle_provision,
        version=version,
        noun="support",
        action="support.provision.removed",
        by=by,
    )


@transaction.atomic
def support_view_add(*, cycle: SupportCycle, whose: str, text: str, by: Any) -> CycleView:
    cycle = _locked(cycle)
    _current(cycle)
    if whose not in CycleView.Whose.values:
        raise ValidationError("Select whose views these are")
    text = _text(text, "Enter the views")
    same = cycle.views.filter(whose=whose, text=text).first()
    if same is not None:
        return same
    row = CycleView(cycle=cycle, whose=whose, text=text, recorded_by=by)
    _save(row, by)
    audit_record(by, "support.view.added", cycle, whose=whose)
    return row


@transaction.atomic
def support_delivery_note_add(
    *, cycle: SupportCycle, delivered_on: dt.date | None, note: str, by: Any
) -> DeliveryNote:
    cycle = _locked(cycle)
    _current(cycle)
    if delivered_on is None:
        raise ValidationError("Enter the date it was delivered")
    if delivered_on > timezone.localdate():
        raise ValidationError("The date delivered cannot be in the future")
    note = _text(note, "Enter what was delivered")
    same = cycle.delivery_notes.filter(delivered_on=delivered_on, note=note).first()
    if same is not None:
        return same
    row = DeliveryNote(cycle=cycle, delivered_on=delivered_on, note=note, recorded_by=by)
    _save(row, by)
    audit_record(by, "support.delivery_note.added", cycle, delivered_on=delivered_on.isoformat())
    return row


@transaction.atomic
def support_review_complete(
    *,
    cycle: SupportCycle,
    version: int | None,
    reviewed_on: dt.date | None,
    reviews: Mapping[int, Mapping[str, str]],
    by: Any,
) -> SupportCycle:
    """Review each outcome, mark the cycle reviewed, meet its review clock and start the next
    cycle (CoP 6.54-6.56). Returns the new cycle; a second submission returns the same one."""
    cycle = _locked(cycle)
    if cycle.status == SupportCycle.Status.REVIEWED:
        return SupportCycle.objects.get(plan_id=cycle.plan_id, number=cycle.number + 1)
    if version != cycle.version:
        raise StaleVersionError()
    if cycle.status != SupportCycle.Status.ACTIVE:
        raise ValidationError("Set a review date before reviewing the cycle")
    if reviewed_on is None:
        raise ValidationError("Enter the date of the review")
    if reviewed_on > timezone.localdate():
        raise ValidationError("The review date cannot be in the future")
    outcomes = list(cycle.outcomes.all())
    if not outcomes:
        raise ValidationError("Add at least one outcome before reviewing the cycle")
    for outcome in outcomes:
        data = reviews.get(outcome.pk) or {}
        progress = data.get("progress", "")
        if progress not in OutcomeReview.Progress.values:
            raise ValidationError(f"Select the progress made towards: {outcome}")
        _save(
            OutcomeReview(
                outcome=outcome,
                progress=progress,
                notes=(data.get("notes") or "").strip(),
                next_steps=(data.get("next_steps") or "").strip(),
            ),
            by,
        )
    cycle.status = SupportCycle.Status.REVIEWED
    cycle.reviewed_on = reviewed_on
    cycle.version += 1
    _save(cycle, by)
    clock = _review_clock(cycle)
    if clock is not None:
        clock_meet(clock=clock, met_on=max(reviewed_on, clock.started_on), by=by)
    following = SupportCycle(plan_id=cycle.plan_id, number=cycle.number + 1)
    _save(following, by)
    audit_record(by, "support.cycle.reviewed", cycle, reviewed_on=reviewed_on.isoformat())
    return following


@transaction.atomic
def parent_meeting_record(
    *,
    pupil: Pupil,
    date: dt.date | None,
    attendees: str,
    agreed: str,
    next_date: dt.date | None,
    by: Any,
) -> ParentMeeting:
    """Record a meeting with parents; it meets the open parent_meeting clock and opens the next,
    due on the agreed next date or four months on (CoP 6.65, kinds.RULES)."""
    Pupil.objects.select_for_update().get(pk=pupil.pk)
    today = timezone.localdate()
    if date is None:
        raise ValidationError("Enter the date of the meeting")
    if date > today:
        raise ValidationError("The date of the meeting cannot be in the future")
    attendees = _text(attendees, "Enter who attended")
    agreed = _text(agreed, "Enter what was agreed")
    if next_date is not None and next_date <= date:
        raise ValidationError("The next meeting must be after this one")
    same = ParentMeeting.objects.filter(
        pupil=pupil, date=date, attendees=attendees, agreed=agreed
    ).first()
    if same is not None:
        return same
    meeting = ParentMeeting(
        pupil=pupil,
        school=pupil.school,
        date=date,
        attendees=attendees,
        agreed=agreed,
        next_date=next_date,
        recorded_by=by,
    )
    _save(meeting, by)
    audit_record(by, "support.parent_meeting.recorded", pupil, date=date.isoformat())
    clock = Clock.objects.filter(
        kind=Kind.PARENT_MEETING, pupil=pupil, state=Clock.State.OPEN
    ).first()
    if clock is not None:
        if date < clock.started_on:
            return meeting  # an earlier meeting entered late does not meet the current clock
        clock_meet(clock=clock, met_on=date, by=by)
    rule = RULES[Kind.PARENT_MEETING].due_from_start
    assert rule is not None
    clock_open(
        kind=Kind.PARENT_MEETING,
        subject=pupil,
        started_on=date,
        due_on=next_date or rule(date),
        start_event="Meeting with parents held",
        responsible_role=Role.SENCO,
        by=by,
        school=pupil.school,
        pupil=pupil,
    )
    return meeting
