"""What the school already knows about a pupil's SEN, gathered for educational advice and for a request
for an EHC needs assessment: the graduated approach of CoP 6.44-6.56 as evidence (CoP 9.14)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.template.defaultfilters import date as date_filter

from pupils.codes import NEED_AREA, NeedType
from pupils.models import Pupil, SenStatus
from pupils.provision import costs
from pupils.provision.selectors import AssignmentStats, pupil_provision_stats
from pupils.support.models import (
    CycleOutcome,
    CycleView,
    ParentMeeting,
    SupportCycle,
    SupportPlan,
)

# The meetings with parents an evidence pack lists (CoP 6.65: three a year; two years of them).
MEETINGS_SHOWN = 6


@dataclass(frozen=True)
class NeedLine:
    rank: int
    code: str
    label: str
    area: str


@dataclass(frozen=True)
class ProvisionLine:
    """One provision the pupil has been on, with its planned cost a year and their share delivered."""

    stats: AssignmentStats
    planned_per_year: Decimal

    @property
    def name(self) -> str:
        return self.stats.assignment.provision.name


@dataclass(frozen=True)
class Evidence:
    pupil: Pupil
    sen_status: SenStatus | None
    needs: list[NeedLine]
    cycles: list[SupportCycle]  # newest first, with outcomes (and reviews), provision and views
    current: SupportCycle | None
    provision: list[ProvisionLine]
    provision_cost: Decimal
    meetings: list[ParentMeeting]
    today: dt.date


def _day(value: dt.date | None) -> str:
    return date_filter(value, "j F Y") if value else ""


def evidence_for_pupil(pupil: Pupil, today: dt.date) -> Evidence:
    """Everything the register, the SEN support plan and the provision map hold for the pupil, in a
    fixed number of queries."""
    needs = [
        NeedLine(
            rank=n.rank,
            code=n.code,
            label=NeedType(n.code).label,
            area=NEED_AREA[n.code].label,
        )
        for n in pupil.needs.order_by("rank")
        if n.code in NEED_AREA
    ]
    status = SenStatus.objects.filter(pupil=pupil, end__isnull=True).first()
    plan = SupportPlan.objects.filter(pupil=pupil).first()
    cycles: list[SupportCycle] = []
    if plan is not None:
        cycles = list(
            plan.cycles.order_by("-number").prefetch_related(
                Prefetch("outcomes", queryset=CycleOutcome.objects.select_related("review")),
                "provisions",
                Prefetch("views", queryset=CycleView.objects.order_by("whose", "recorded_at")),
            )
        )
    current = next((c for c in cycles if c.status != SupportCycle.Status.REVIEWED), None)
    provision = [
        ProvisionLine(
            stats=s,
            planned_per_year=costs.planned_cost_per_pupil(
                sessions_per_week=s.assignment.provision.sessions_per_week,
                minutes_per_session=s.assignment.provision.minutes_per_session,
                rate_per_hour=s.assignment.provision.cost_per_hour,
                max_group_size=s.assignment.provision.max_group_size,
                one_to_one=s.assignment.provision.one_to_one,
            ).per_year,
        )
        for s in pupil_provision_stats(pupil, today)
    ]
    return Evidence(
        pupil=pupil,
        sen_status=status,
        needs=needs,
        cycles=cycles,
        current=current,
        provision=provision,
        provision_cost=costs.to_pennies(sum((p.stats.cost for p in provision), Decimal(0))),
        meetings=list(ParentMeeting.objects.filter(pupil=pupil).order_by("-date")[:MEETINGS_SHOWN]),
        today=today,
    )


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def needs_text(evidence: Evidence) -> str:
    lines = []
    if evidence.sen_status is not None:
        lines.append(
            f"SEN provision: {evidence.sen_status.get_provision_display()} since "
            f"{_day(evidence.sen_status.start)}."
        )
    if evidence.needs:
        lines.append("Needs on the school's SEN register, primary need first:")
        lines += [f"{n.rank}. {n.label} ({n.code}): {n.area}" for n in evidence.needs]
    return "\n".join(lines)


def _cycle_heading(cycle: SupportCycle) -> str:
    if cycle.status == SupportCycle.Status.REVIEWED:
        return f"SEN support plan, cycle {cycle.number}: reviewed on {_day(cycle.reviewed_on)}"
    due = f", review due {_day(cycle.review_date)}" if cycle.review_date else ""
    return f"SEN support plan, cycle {cycle.number} ({cycle.get_status_display().lower()}{due})"


def cycle_lines(cycle: SupportCycle) -> list[str]:
    lines = [_cycle_heading(cycle)]
    for p in cycle.provisions.all():
        lines.append(f"- Support: {p.provision} ({p.who}, {p.how_often})")
    for o in cycle.outcomes.all():
        review = getattr(o, "review", None)
        result = f" Result: {review.get_progress_display()}." if review is not None else ""
        steps = (
            f" Next steps: {review.next_steps}" if review is not None and review.next_steps else ""
        )
        lines.append(f"- Outcome: {o.outcome}.{result}{steps}")
    return lines


def provision_line(line: ProvisionLine) -> str:
    s = line.stats
    p = s.assignment.provision
    until = f"to {_day(s.assignment.end)}" if s.assignment.end else "ongoing"
    group = "1:1" if p.one_to_one else f"in a group of up to {p.max_group_size}"
    return (
        f"- {p.name} ({p.get_area_display()}), from {_day(s.assignment.start)} {until}: "
        f"{p.sessions_per_week} x {p.minutes_per_session} minutes a week {group}; "
        f"{s.attended} of {s.planned_sessions} planned sessions attended ({s.missed} missed); "
        f"cost of the sessions attended {_money(s.cost)} (planned {_money(line.planned_per_year)} "
        "a year)"
    )


def tried_text(evidence: Evidence) -> str:
    blocks = ["\n".join(cycle_lines(c)) for c in reversed(evidence.cycles)]
    if evidence.provision:
        provision = ["Provision map (the pupil's share of each session's staff cost):"]
        provision += [provision_line(p) for p in reversed(evidence.provision)]
        provision.append(f"Total cost of the sessions attended: {_money(evidence.provision_cost)}")
        blocks.append("\n".join(provision))
    return "\n\n".join(b for b in blocks if b)


def outcomes_text(evidence: Evidence) -> str:
    if evidence.current is None:
        return ""
    return "\n".join(
        f"- {o.outcome} (success criteria: {o.success_criteria})"
        for o in evidence.current.outcomes.all()
    )


def _views(evidence: Evidence, whose: str) -> str:
    if evidence.current is None:
        return ""
    return "\n\n".join(v.text for v in evidence.current.views.all() if v.whose == whose)


def advice_prefill(evidence: Evidence) -> dict[str, str]:
    """A first draft of the school's educational advice (CoP 9.49) from what it holds already.

    Attainment and attendance have no source in sendadmin, so they stay blank for the school to write.
    """
    return {
        "needs": needs_text(evidence),
        "attainment": "",
        "attendance": "",
        "tried": tried_text(evidence),
        "outcomes_sought": outcomes_text(evidence),
        "pupil_views": _views(evidence, CycleView.Whose.PUPIL),
        "parent_views": _views(evidence, CycleView.Whose.PARENT),
    }
