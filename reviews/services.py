"""State changes of a review of an EHC plan, step by step through reg 20 and reg 22 (domain.md 2).

Every function takes the acting user, validates, saves with history, writes an audit event, and
opens or meets clocks only through sendadmin.clocks.services. Forms carry the review's `version`:
a stale one is refused. Repeating a step with the same values changes nothing. Where the law allows
lateness (papers circulated late) the step is recorded and its clock shows "met late"; where it does
not (less than two weeks' notice, a report before the meeting) the step is refused with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ehcp.models import Plan, PlanVersion
from ehcp.rules import manages_case
from ehcp.selectors import case_clock_open
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.services import clock_meet, clock_open

from .deadlines import (
    INVITATION_NOTICE_WEEKS,
    annual_review_due,
    latest_meeting_for_decision_within,
    meeting_deadlines,
)
from .models import Invitee, OutcomeProgress, ProposedChange, Recommendation, Review

CONFLICT = (
    "Someone else changed this review while you were working on it. Nothing you entered has been "
    "saved: check the review as it is now and make your change again."
)
# Reg 20(6): from Year 9 the review considers preparation for adulthood.
ADULTHOOD_FROM_YEAR = 9
NOTICE_DAYS = 7 * INVITATION_NOTICE_WEEKS


class StaleVersionError(ValidationError):
    def __init__(self) -> None:
        super().__init__(CONFLICT, code="stale")


def _save(obj: Any, by: Any) -> None:
    obj._history_user = by
    obj.save()


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().select_related("plan", "pupil").get(pk=review.pk)


def _check_version(review: Review, version: int | None) -> None:
    if version is not None and version != review.version:
        raise StaleVersionError()


def _bump(review: Review, by: Any) -> None:
    review.version += 1
    _save(review, by)


def _not_future(when: dt.date | None, what: str) -> dt.date:
    if when is None:
        raise ValidationError(f"Enter the date {what}.")
    if when > timezone.localdate():
        raise ValidationError(f"The date {what} cannot be in the future.")
    return when


def _first_issue(plan: Plan) -> dt.date | None:
    first = plan.versions.filter(
        issued_on__isnull=False, kind__in=[PlanVersion.Kind.FINAL, PlanVersion.Kind.AMENDED]
    )
    return first.order_by("number").values_list("issued_on", flat=True).first()


def review_due(plan: Plan) -> dt.date | None:
    """Within 12 months of the plan being made, then of the last review meeting (CFA s.44(1))."""
    issued = _first_issue(plan)
    if issued is None:
        return None
    last = (
        Review.objects.filter(plan=plan, held_on__isnull=False, kind=Review.Kind.ANNUAL)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    return annual_review_due(issued, last)


def suggested_meeting_date(review: Review, today: dt.date | None = None) -> dt.date:
    """Early enough for the LA's 4-week decision to fall inside the 12 months (CoP 9.176), and at
    least two weeks and a day away so the invitations can still go with full notice (reg 20(3))."""
    today = today or timezone.localdate()
    earliest = today + dt.timedelta(days=NOTICE_DAYS + 1)
    if review.due_on is None:
        return earliest
    latest = latest_meeting_for_decision_within(review.due_on)
    return max(earliest, latest - dt.timedelta(weeks=2))


@transaction.atomic
def review_open(*, plan: Plan, by: Any, kind: str = Review.Kind.ANNUAL) -> Review:
    """Start a review of the plan's latest issued final or amended version. The open review of the
    plan is returned if there is one (a double submission)."""
    plan = Plan.objects.select_for_update().select_related("pupil__school").get(pk=plan.pk)
    existing = Review.objects.filter(plan=plan, closed_on__isnull=True).first()
    if existing is not None:
        return existing
    if kind not in Review.Kind.values:
        raise ValidationError("Choose the kind of review.")
    if plan.ceased_on is not None:
        raise ValidationError(f"This plan ceased on {plan.ceased_on:%-d %B %Y}.")
    version = (
        plan.versions.filter(
            issued_on__isnull=False, kind__in=[PlanVersion.Kind.FINAL, PlanVersion.Kind.AMENDED]
        )
        .order_by("-number")
        .first()
    )
    if version is None:
        raise ValidationError("Only an issued final plan can be reviewed.")
    review = Review(
        plan=plan,
        pupil=plan.pupil,
        school=version.section_i_school or plan.pupil.school,
        local_authority=plan.local_authority,
        kind=kind,
        due_on=review_due(plan) if kind == Review.Kind.ANNUAL else None,
        reviewed_version=version,
    )
    _save(review, by)
    audit_record(by, "reviews.review.opened", review, kind=kind)
    return review


@transaction.atomic
def review_schedule(
    *, review: Review, meeting_on: dt.date | None, by: Any, version: int | None = None
) -> Review:
    """Set the meeting date. It must leave two weeks' notice after any invitations already sent."""
    review = _locked(review)
    _check_version(review, version)
    if review.held_on is not None:
        raise ValidationError("The meeting has been held; its date cannot change.")
    if meeting_on is None:
        raise ValidationError("Enter the date of the meeting.")
    if review.invitations_sent_on and (meeting_on - review.invitations_sent_on).days < NOTICE_DAYS:
        raise ValidationError(
            "The invitations went on "
            f"{review.invitations_sent_on:%-d %B %Y}: the meeting must be at least two weeks "
            f"later (reg 20(3)), on {review.invitations_sent_on + dt.timedelta(days=NOTICE_DAYS):%-d %B %Y} or after."
        )
    review.meeting_on = meeting_on
    _bump(review, by)
    audit_record(by, "reviews.review.scheduled", review, meeting_on=meeting_on.isoformat())
    return review


def _open_for_review(
    review: Review,
    kind: Kind,
    started_on: dt.date,
    due_on: dt.date,
    event: str,
    by: Any,
    *,
    la: bool,
) -> Any:
    return clock_open(
        kind=kind,
        subject=review,
        started_on=started_on,
        due_on=due_on,
        start_event=event,
        school=None if la else review.school,
        local_authority=review.local_authority,
        pupil=review.pupil,
        responsible_role=Role.LA_CASEWORKER if la else Role.SENCO,
        by=by,
    )


@transaction.atomic
def invitations_send(
    *,
    review: Review,
    sent_on: dt.date | None,
    invitees: Iterable[tuple[str, str]],
    by: Any,
    version: int | None = None,
) -> Review:
    """Invite the parent or young person, the school, the LA, health and social care, with at least
    two weeks' notice (reg 20(2)-(3)), and ask each for advice to circulate two weeks before the
    meeting (reg 20(4))."""
    review = _locked(review)
    _check_version(review, version)
    if review.meeting_on is None:
        raise ValidationError("Set the meeting date before sending the invitations.")
    sent = _not_future(sent_on, "the invitations were sent")
    days = (review.meeting_on - sent).days
    if days < NOTICE_DAYS:
        raise ValidationError(
            f"The meeting on {review.meeting_on:%-d %B %Y} is {days} days after the invitations: "
            "reg 20(3) needs at least two weeks' notice. Move the meeting to "
            f"{sent + dt.timedelta(days=NOTICE_DAYS):%-d %B %Y} or later."
        )
    people = [(role, name.strip()) for role, name in invitees if name.strip()]
    if not people:
        raise ValidationError("Add at least one person to invite.")
    if not any(role in (Invitee.Role.PARENT, Invitee.Role.YOUNG_PERSON) for role, _ in people):
        raise ValidationError("Invite the parent or the young person (reg 20(2)(a)).")
    for role, name in people:
        if role not in Invitee.Role.values:
            raise ValidationError(f"{role} is not a kind of invitee.")
        invitee = Invitee.objects.filter(review=review, role=role, name=name).first()
        if invitee is None:
            _save(Invitee(review=review, role=role, name=name), by)
    first_send = review.invitations_sent_on is None
    review.invitations_sent_on = review.invitations_sent_on or sent
    _bump(review, by)
    if first_send:
        deadlines = meeting_deadlines(review.meeting_on)
        clock = _open_for_review(
            review,
            Kind.REVIEW_INVITATIONS,
            min(sent, deadlines.invitations_by),
            deadlines.invitations_by,
            "Review meeting date set",
            by,
            la=False,
        )
        clock_meet(clock=clock, met_on=sent, by=by, note="Invitations sent")
        _open_for_review(
            review,
            Kind.REVIEW_PAPERS,
            sent,
            deadlines.papers_by,
            "Invitations sent with a request for advice",
            by,
            la=False,
        )
    audit_record(by, "reviews.review.invited", review, invitees=len(people))
    return review


@transaction.atomic
def papers_circulate(*, review: Review, on: dt.date | None, by: Any) -> Review:
    """The advice gathered goes to everyone invited. Late papers are recorded: the clock shows it."""
    review = _locked(review)
    if review.invitations_sent_on is None:
        raise ValidationError("Send the invitations before circulating the papers.")
    when = _not_future(on, "the papers were circulated")
    if review.papers_circulated_on == when:
        return review
    review.papers_circulated_on = when
    _bump(review, by)
    clock = case_clock_open(review, Kind.REVIEW_PAPERS)
    if clock is not None:
        clock_meet(clock=clock, met_on=max(when, clock.started_on), by=by, note="Papers circulated")
    audit_record(by, "reviews.review.papers_circulated", review)
    return review


@transaction.atomic
def meeting_record(
    *,
    review: Review,
    held_on: dt.date | None,
    progress: Mapping[int, tuple[str, str]],
    changes: Mapping[str, str],
    recommendation: str,
    by: Any,
    child_views: str = "",
    parent_views: str = "",
    preparing_for_adulthood: str = "",
    disagreements: str = "",
    version: int | None = None,
) -> Review:
    """Record the meeting: progress towards every outcome in section E (reg 20(5)), the views of the
    child and the parents, preparation for adulthood from Year 9 (reg 20(6)), the changes proposed
    section by section and the recommendation. The report is then due in 2 weeks (reg 20(7)) and the
    LA's decision in 4 (reg 20(10))."""
    review = _locked(review)
    _check_version(review, version)
    if review.held_on is not None:
        raise ValidationError(f"The meeting was recorded as held on {review.held_on:%-d %B %Y}.")
    held = _not_future(held_on, "the meeting was held")
    if review.invitations_sent_on is None:
        raise ValidationError("Send the invitations before recording the meeting.")
    if held < review.invitations_sent_on:
        raise ValidationError("The meeting cannot have been held before the invitations were sent.")
    if recommendation not in Recommendation.values:
        raise ValidationError("Choose the review's recommendation.")
    outcomes = {o.pk: o for o in review.reviewed_version.outcomes.all()}
    missing = [str(o) for pk, o in outcomes.items() if pk not in progress]
    if missing:
        raise ValidationError(
            "Record progress towards every outcome in section E: " + "; ".join(missing) + "."
        )
    if review.pupil.year_group >= ADULTHOOD_FROM_YEAR and not preparing_for_adulthood.strip():
        raise ValidationError(
            "From Year 9 the review must consider preparing for adulthood (reg 20(6)): say what "
            "was discussed."
        )
    proposed = {s: t.strip() for s, t in changes.items() if t.strip()}
    if recommendation == Recommendation.AMEND and not proposed:
        raise ValidationError("Say which sections should change, and how, to recommend amending.")
    for pk, (rating, evidence) in progress.items():
        if pk not in outcomes:
            raise ValidationError("That outcome is not in the plan being reviewed.")
        if rating not in OutcomeProgress.Rating.values or not evidence.strip():
            raise ValidationError(f"Give a rating and the evidence for '{outcomes[pk]}'.")
        _save(
            OutcomeProgress(
                review=review, outcome=outcomes[pk], rating=rating, evidence=evidence.strip()
            ),
            by,
        )
    for section, text in proposed.items():
        _save(ProposedChange(review=review, section=section, change=text), by)
    review.held_on = held
    review.child_views = child_views.strip()
    review.parent_views = parent_views.strip()
    review.preparing_for_adulthood = preparing_for_adulthood.strip()
    review.recommendation = recommendation
    review.disagreements = disagreements.strip()
    _bump(review, by)
    deadlines = meeting_deadlines(held)
    _open_for_review(
        review, Kind.REVIEW_REPORT, held, deadlines.report_by, "Review meeting held", by, la=False
    )
    _open_for_review(
        review,
        Kind.LA_REVIEW_DECISION,
        held,
        deadlines.la_decision_by,
        "Review meeting held",
        by,
        la=True,
    )
    audit_record(by, "reviews.review.held", review, recommendation=recommendation)
    return review


@transaction.atomic
def report_send(*, review: Review, sent_on: dt.date | None, by: Any) -> Review:
    """The written report goes to the LA and everyone invited, within 2 weeks (reg 20(7)-(9))."""
    review = _locked(review)
    if review.held_on is None:
        raise ValidationError("Record the meeting before sending its report.")
    sent = _not_future(sent_on, "the report was sent")
    if sent < review.held_on:
        raise ValidationError(
            f"The report is dated {sent:%-d %B %Y}, before the meeting on "
            f"{review.held_on:%-d %B %Y}. Check the date."
        )
    if review.report_sent_on is not None:
        return review
    review.report_sent_on = sent
    _bump(review, by)
    clock = case_clock_open(review, Kind.REVIEW_REPORT)
    if clock is not None:
        clock_meet(clock=clock, met_on=sent, by=by, note="Review report sent")
    audit_record(by, "reviews.review.report_sent", review)
    return review


def _decides_for(by: Any, review: Review) -> None:
    # The same predicate as the pages' reviews.decide_review (ehcp.rules.manages_case).
    if not manages_case(by, review):
        raise PermissionDenied("Only the LA that maintains the plan decides after a review.")


@transaction.atomic
def la_decide(
    *,
    review: Review,
    decision: str,
    decided_on: dt.date | None,
    by: Any,
    reasons: str = "",
    version: int | None = None,
) -> Review:
    """The LA decides to keep, amend or cease the plan within 4 weeks of the meeting (reg 20(10)).

    The review is then complete: the annual review clock is met and the next one opens, 12 months
    from this meeting. To amend, the notice of the proposed amendments goes with the decision (reg
    22(2); Devon CC [2022]) and an amended version is started; it is due 8 weeks after the notice
    (reg 22(3)).
    """
    _decides_for(by, review)
    review = _locked(review)
    _check_version(review, version)
    if review.la_decision:
        if review.la_decision == decision and review.la_decision_on == decided_on:
            return review
        raise ValidationError(f"The LA decided on {review.la_decision_on:%-d %B %Y}.")
    if review.held_on is None:
        raise ValidationError("The school has not recorded the meeting yet.")
    if decision not in Recommendation.values:
        raise ValidationError("Choose the LA's decision.")
    when = _not_future(decided_on, "of the decision")
    if when < review.held_on:
        raise ValidationError("The decision cannot be dated before the meeting.")
    if (
        decision != Recommendation.AMEND
        and not reasons.strip()
        and decision != review.recommendation
    ):
        raise ValidationError("Give the reasons for deciding differently from the review.")
    review.la_decision = decision
    review.la_decision_on = when
    review.la_decision_reasons = reasons.strip()
    review.la_decided_by = by
    clock = case_clock_open(review, Kind.LA_REVIEW_DECISION)
    if clock is not None:
        clock_meet(clock=clock, met_on=when, by=by, note=review.get_la_decision_display())
    if review.kind == Review.Kind.ANNUAL:
        annual = case_clock_open(review.plan, Kind.ANNUAL_REVIEW)
        if annual is not None:
            clock_meet(clock=annual, met_on=when, by=by, note="Review completed")
    if decision != Recommendation.CEASE:
        clock_open(
            kind=Kind.ANNUAL_REVIEW,
            subject=review.plan,
            started_on=review.held_on,
            due_on=annual_review_due(review.held_on),
            start_event="Annual review meeting held",
            school=review.school,
            local_authority=review.local_authority,
            pupil=review.pupil,
            responsible_role=Role.SENCO,
            by=by,
        )
    if decision == Recommendation.AMEND:
        from ehcp.plans import version_new

        review.amendment_notice_on = when
        review.amended_version = version_new(plan=review.plan, kind=PlanVersion.Kind.AMENDED, by=by)
        due = meeting_deadlines(review.held_on, amendment_notice_sent=when).amended_plan_by
        _open_for_review(review, Kind.AMENDED_PLAN, when, due, "Amendment notice sent", by, la=True)
        # Reg 22(2)(c): at least 15 days to make representations on the proposed amendments.
        clock_open(
            kind=Kind.REPRESENTATIONS,
            subject=review.amended_version,
            started_on=when,
            start_event="Notice of the proposed amendments sent",
            local_authority=review.local_authority,
            pupil=review.pupil,
            responsible_role=Role.LA_CASEWORKER,
            by=by,
        )
    else:
        review.closed_on = when
    _bump(review, by)
    audit_record(by, "reviews.review.decided", review, decision=decision)
    return review


def amended_sections_not_proposed(version: PlanVersion) -> list[str]:
    """Sections an amended version changes that its review did not propose (reg 22: the amended plan
    follows the notice of proposed amendments). Empty when no review is behind the version."""
    review = Review.objects.filter(amended_version=version).first()
    base_id = version.based_on_id
    if review is None or base_id is None:
        return []
    from ehcp.diff import DIFF_PREFETCH, version_diff

    versions = {
        v.pk: v
        for v in PlanVersion.objects.filter(pk__in=[version.pk, base_id]).prefetch_related(
            *DIFF_PREFETCH
        )
    }
    proposed = set(review.proposed_changes.values_list("section", flat=True))
    changed = [
        d.letter
        for d in version_diff(versions[base_id], versions[version.pk])
        if d.changed and d.letter != "K"
    ]
    return [letter for letter in changed if letter not in proposed]


@transaction.atomic
def amended_plan_issued(*, version: PlanVersion, by: Any) -> None:
    """Called when an amended version is issued: its review's 8-week clock is met and it closes."""
    review = Review.objects.select_for_update().filter(amended_version=version).first()
    if review is None or version.issued_on is None:
        return
    clock = case_clock_open(review, Kind.AMENDED_PLAN)
    if clock is not None:
        clock_meet(clock=clock, met_on=version.issued_on, by=by, note="Amended plan issued")
    if review.closed_on is None:
        review.closed_on = version.issued_on
        _bump(review, by)


# --- School pages (issue 6 part 1): early reviews and an invitee's advice -------------------------

# CoP 9.178: an interim review every 3 to 6 months is for a child under five.
INTERIM_UNDER_AGE = 5


def _age_on(date_of_birth: dt.date, on: dt.date) -> int:
    return (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )


@transaction.atomic
def review_call_early(*, plan: Plan, kind: str, reason: str, by: Any) -> Review:
    """Call an early review when needs change or a placement is at risk (CoP 9.166), or an interim
    review of an under-five's plan (CoP 9.178). The reason is audited: the review has no field for
    it. A second submission returns the review it opened."""
    if kind not in (Review.Kind.EARLY, Review.Kind.INTERIM):
        raise ValidationError("Choose an early review or an interim review.")
    if not reason.strip():
        raise ValidationError("Say why the plan should be reviewed now.")
    pupil = plan.pupil
    if kind == Review.Kind.INTERIM and _age_on(pupil.date_of_birth, timezone.localdate()) >= (
        INTERIM_UNDER_AGE
    ):
        raise ValidationError(
            "An interim review is for a child under five (Code of Practice 9.178): call an early "
            "review instead."
        )
    existing = Review.objects.filter(plan=plan, closed_on__isnull=True).first()
    if existing is not None:
        if existing.kind == kind:
            return existing
        raise ValidationError(
            f"This plan already has an open {existing.get_kind_display().lower()}: finish it first."
        )
    review = review_open(plan=plan, kind=kind, by=by)
    audit_record(by, "reviews.review.called_early", review, kind=kind, reason=reason.strip())
    return review


@transaction.atomic
def invitee_advice_record(
    *, invitee: Invitee, received_on: dt.date | None, advice: str, by: Any
) -> Invitee:
    """Record the advice an invitee gave for the meeting (reg 20(4)). Repeating it changes nothing."""
    invitee = Invitee.objects.select_for_update().select_related("review").get(pk=invitee.pk)
    review = invitee.review
    if review.closed_on is not None:
        raise ValidationError("This review is closed.")
    when = _not_future(received_on, "the advice was received")
    if review.invitations_sent_on and when < review.invitations_sent_on:
        raise ValidationError(
            "The advice cannot have been received before the invitations went on "
            f"{review.invitations_sent_on:%-d %B %Y}."
        )
    text = advice.strip()
    if not text:
        raise ValidationError("Enter the advice.")
    if invitee.advice_received_on == when and invitee.advice == text:
        return invitee
    invitee.advice_received_on = when
    invitee.advice = text
    _save(invitee, by)
    audit_record(by, "reviews.invitee.advice_recorded", invitee, review=review.pk)
    return invitee
