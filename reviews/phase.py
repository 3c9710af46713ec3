"""Phase transfers (domain.md 2.4; SEND Regs 2014 reg 18): who moves on next September, and the clock.

A "transfer between phases" (reg 2(1)) is early years to school, infant to junior, primary to
middle, primary to secondary, middle to secondary, or secondary school to post-16. The plan must be
reviewed and amended to name the next school by 15 February in the calendar year of transfer
(reg 18(1)(b)), or by 31 March for secondary school to post-16 (reg 18(1)(a)).

Known limit: only the transfers the data we hold decides are recognised. School.Phase has no infant
or junior value, and middle schools span different year groups in different areas (deemed primary
or deemed secondary, 8-12, 9-13, 10-13), so infant to junior, primary (first) to middle and middle
to secondary cannot be told from a year group and a phase: next_phase_transfer returns None for
them, and their clocks must be opened by hand until schools record their age range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Min, Q

from ehcp.models import Plan
from pupils.codes import YearGroup
from sendadmin.accounts.models import School
from sendadmin.accounts.roles import Role
from sendadmin.calendar import academic_year_start, weeks_before
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_open

from .deadlines import AMENDED_PLAN_WEEKS, LA_DECISION_WEEKS, phase_transfer_deadline

__all__ = [
    "PhaseTransfer",
    "TransferKind",
    "next_phase_transfer",
    "phase_transfer_clocks_open",
    "phase_transfer_warning",
]

# domain.md 0A last row and 2.4: the LA decides within 4 weeks of the meeting (reg 20(10)) and the
# amended plan follows within 8 weeks of the notice (reg 22(3)), so the meeting must be held at least
# 12 weeks (84 days) before the reg 18 deadline for both to fall on or before it.
REVIEW_LEAD_WEEKS = LA_DECISION_WEEKS + AMENDED_PLAN_WEEKS

# The last year group of each phase that the data can tell (domain.md 2.4; reg 2(1)).
LAST_EARLY_YEARS = YearGroup.N2  # the September after Nursery 2 the child starts reception
LAST_PRIMARY = YearGroup.Y6  # Year 6 moves to Year 7
LAST_SECONDARY = YearGroup.Y11  # Year 11 moves to post-16 (the end of compulsory school age)

# domain.md 2.4: the transfer applies even within an all-through school (LA guidance).
PRIMARY_PHASES = frozenset({School.Phase.PRIMARY, School.Phase.ALL_THROUGH})
SECONDARY_PHASES = frozenset({School.Phase.SECONDARY, School.Phase.ALL_THROUGH})


class TransferKind(models.TextChoices):
    EARLY_YEARS_TO_SCHOOL = "early_years_to_school", "early years to school"
    PRIMARY_TO_SECONDARY = "primary_to_secondary", "primary to secondary"
    SECONDARY_TO_POST16 = "secondary_to_post16", "secondary to post-16"


# How each transfer reads in a sentence: the clock's start event and the warning on the pages.
_MOVES_FROM = {
    TransferKind.EARLY_YEARS_TO_SCHOOL: "Moves from early years to school",
    TransferKind.PRIMARY_TO_SECONDARY: "Moves from primary to secondary school",
    TransferKind.SECONDARY_TO_POST16: "Moves from secondary school to post-16 education",
}
_MOVES_TO = {
    TransferKind.EARLY_YEARS_TO_SCHOOL: "Starts school",
    TransferKind.PRIMARY_TO_SECONDARY: "Moves to secondary school",
    TransferKind.SECONDARY_TO_POST16: "Moves to post-16 education",
}


@dataclass(frozen=True, slots=True)
class PhaseTransfer:
    """A move between phases at the end of the current academic year, and its reg 18 dates."""

    kind: TransferKind
    transfer_year: int  # the calendar year of the September move
    deadline: date  # the plan reviewed and amended to name the next school by this date
    to_post16: bool
    review_meeting_by: date  # the latest meeting whose decision and amended plan meet the deadline

    @property
    def start_event(self) -> str:
        return f"{_MOVES_FROM[self.kind]} in September {self.transfer_year}"


def _long(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _transfer_kind(year_group: int, school_phase: str) -> TransferKind | None:
    if year_group == LAST_EARLY_YEARS:
        # Any setting: a nursery school, or a school's nursery class, to reception.
        return TransferKind.EARLY_YEARS_TO_SCHOOL
    if year_group == LAST_PRIMARY and school_phase in PRIMARY_PHASES:
        return TransferKind.PRIMARY_TO_SECONDARY
    if year_group == LAST_SECONDARY and school_phase in SECONDARY_PHASES:
        return TransferKind.SECONDARY_TO_POST16
    return None


def next_phase_transfer(*, year_group: int, school_phase: str, on: date) -> PhaseTransfer | None:
    """Return the phase transfer a pupil makes at the end of the academic year containing `on`.

    The academic year runs 1 September to 31 August, so on any day from 1 September 2026 to
    31 August 2027 a Year 6 pupil at a primary or all-through school moves in September 2027 and
    the plan must be amended by 15 February 2027. Recognised: Nursery 2 in any setting (early years
    to school), Year 6 at a primary or all-through school (primary to secondary), Year 11 at a
    secondary or all-through school (secondary to post-16, 31 March). Anything else returns None,
    including the transfers the module docstring lists as a known limit.
    """
    kind = _transfer_kind(year_group, school_phase)
    if kind is None:
        return None
    transfer_year = academic_year_start(on).year + 1
    to_post16 = kind == TransferKind.SECONDARY_TO_POST16
    deadline = phase_transfer_deadline(transfer_year, to_post16)
    return PhaseTransfer(
        kind=kind,
        transfer_year=transfer_year,
        deadline=deadline,
        to_post16=to_post16,
        review_meeting_by=weeks_before(deadline, REVIEW_LEAD_WEEKS),
    )


def phase_transfer_warning(pupil: Any, on: date) -> str | None:
    """Return a sentence for the pupil's pages when they move phase this academic year, else None."""
    transfer = next_phase_transfer(
        year_group=pupil.year_group, school_phase=pupil.school.phase, on=on
    )
    if transfer is None:
        return None
    moves = f"{_MOVES_TO[transfer.kind]} in September {transfer.transfer_year}"
    amended = f"the plan must be amended by {_long(transfer.deadline)}"
    if on > transfer.review_meeting_by:
        return (
            f"{moves}: {amended}; the latest review date that leaves time for the decision and "
            f"the amended plan, {_long(transfer.review_meeting_by)}, has passed."
        )
    return f"{moves}: {amended}, so hold the review by {_long(transfer.review_meeting_by)}."


def _plans_with_a_transfer_this_year(today: date) -> models.QuerySet[Plan]:
    # One query: live plans that have been issued, of pupils still on roll whose year group can
    # give a transfer; next_phase_transfer then decides with the school's phase.
    return (
        Plan.objects.filter(
            ceased_on__isnull=True,
            pupil__year_group__in=[LAST_EARLY_YEARS, LAST_PRIMARY, LAST_SECONDARY],
        )
        .filter(Q(pupil__leaving_date__isnull=True) | Q(pupil__leaving_date__gt=today))
        .annotate(first_issued_on=Min("versions__issued_on"))
        .filter(first_issued_on__isnull=False)
        .select_related("pupil__school", "local_authority")
        .order_by("pk")
    )


def phase_transfer_clocks_open(*, today: date, by: Any = None) -> int:
    """Open the reg 18 clock for every live plan whose pupil changes phase this academic year.

    Returns how many clocks it opened. Idempotent: a plan that already has a phase-transfer clock
    for this deadline (open, met or cancelled) or any open phase-transfer clock is left alone, so a
    daily run opens each clock once and never reopens one the LA has met. The clock starts on
    1 September, or on the day the plan was first issued if later; a plan first issued after the
    deadline was made knowing the next school, so it gets none.
    """
    plans = list(_plans_with_a_transfer_this_year(today))
    plan_type = ContentType.objects.get_for_model(Plan)
    taken = set(
        Clock.objects.filter(
            kind=Kind.PHASE_TRANSFER,
            subject_type=plan_type,
            subject_id__in=[plan.pk for plan in plans],
        ).values_list("subject_id", "due_on", "state")
    )
    open_for = {subject_id for subject_id, _, state in taken if state == Clock.State.OPEN}
    dated_for = {(subject_id, due_on) for subject_id, due_on, _ in taken}
    year_start = academic_year_start(today)
    opened = 0
    for plan in plans:
        pupil = plan.pupil
        transfer = next_phase_transfer(
            year_group=pupil.year_group, school_phase=pupil.school.phase, on=today
        )
        first_issued_on: date = plan.first_issued_on  # type: ignore[attr-defined]
        if (
            transfer is None
            or first_issued_on > transfer.deadline
            or plan.pk in open_for
            or (plan.pk, transfer.deadline) in dated_for
        ):
            continue
        with transaction.atomic():
            clock_open(
                kind=Kind.PHASE_TRANSFER,
                subject=plan,
                started_on=max(year_start, first_issued_on),
                due_on=transfer.deadline,
                start_event=transfer.start_event,
                # reg 18: the LA reviews and amends the plan.
                responsible_role=Role.LA_CASEWORKER,
                school=pupil.school,
                local_authority=plan.local_authority,
                pupil=pupil,
                by=by,
            )
        opened += 1
    return opened
