"""Step 3: SEN support as pupils/support/services.py and pupils/services.py leave it.

- Parents told (CFA 2014 s.68; domain.md 5): each run of SEN support opened a parents_told clock
  (due in two weeks, kinds.PARENTS_TOLD_WEEKS); the record of telling them met it. Pupils who
  started SEN support in the last weeks still wait for some.
- A SEN support plan per pupil on SEN support, in assess-plan-do-review cycles (CoP 6.44-6.56):
  cycles reviewed since sendadmin went live (their outcomes reviewed, their review clock met), and
  the current one active with its review date and open clock, or still a draft for pupils who have
  just started.
- Meetings with parents about three times a year (CoP 6.65): each met the open parent_meeting clock
  and opened the next, due on the agreed date.
- Medical conditions, a few with an individual healthcare plan and its review clock (CFA s.100).
"""

from __future__ import annotations

import datetime as dt

from pupils.models import MedicalCondition, ParentsToldRecord, Pupil
from pupils.support.models import (
    CycleOutcome,
    CycleProvision,
    CycleView,
    DeliveryNote,
    OutcomeReview,
    ParentMeeting,
    SupportCycle,
    SupportPlan,
)
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_days, add_months, add_weeks
from sendadmin.clocks.kinds import PARENT_MEETING_MONTHS, PARENTS_TOLD_WEEKS, Kind

from .base import Clocks, Ids, Run
from .roll import K, N, Roll

# SEN support plans, cycles and parents' meetings are recorded from when the schools started
# keeping them in sendadmin, about two terms ago; a cycle lasts about a term.
SUPPORT_GO_LIVE_DAYS = 200
CYCLE_DAYS = (100, 130)
DRAFT_DAYS = 28  # pupils who began SEN support this recently have a draft first cycle
OVERDUE_REVIEW_RATE, NOT_TOLD_RATE, MEDICAL_RATE, HEALTHCARE_PLAN_RATE = 0.08, 0.5, 0.03, 0.5
METHODS = ("meeting", "letter", "email", "phone")
CONDITIONS = ("Asthma", "Epilepsy", "Type 1 diabetes", "Severe nut allergy", "Eczema", "Migraine")
# fmt: off
ASSESSMENT = ("Teacher assessment and a standardised test show {name} working well below the "
              "expected level; the SENCO's observation agrees.")
OUTCOMES = (("Reads and spells the next 40 high-frequency words", "30 of 40 read correctly in a "
             "timed check"),
            ("Asks for help using the class help card", "Uses the card in four lessons out of five"),
            ("Writes a paragraph of three linked sentences", "Two pieces of independent work a week"))
PROVISIONS = (("Precision teaching, 10 minutes a day", "Teaching assistant", "Daily"),
              ("Visual timetable and now-next board", "Class teacher", "Every lesson"),
              ("Small-group language work", "Teaching assistant", "Three times a week"))
PROGRESS = (OutcomeReview.Progress.SOME, OutcomeReview.Progress.GOOD,
            OutcomeReview.Progress.ACHIEVED, OutcomeReview.Progress.NOT_YET)
# fmt: on


def seed_parents_told(run: Run, roll: Roll, clocks: Clocks) -> None:
    rng, today = run.rng, run.today
    pupil_ct = run.ct(Pupil)
    rows = []
    ids = Ids(ParentsToldRecord)
    for p in roll.pupils:
        start = p.support_from if p.sen != K else p.status_start
        if start is None:
            continue
        senco = p.school.staff["senco"]
        due = add_weeks(start, PARENTS_TOLD_WEEKS)
        told: dt.date | None = add_days(start, rng.randint(0, 18))
        if told is not None and (
            told >= today
            or (
                p.sen == K and start > add_days(today, -DRAFT_DAYS) and rng.random() < NOT_TOLD_RATE
            )
        ):
            told = None
        if told is not None:
            rows.append((ids(), p.id, told, rng.choice(METHODS), "The SENCO", senco))
        clocks.add(
            Kind.PARENTS_TOLD, pupil_ct, p.id, started_on=start, due_on=due,
            start_event="SEN support began", role=Role.SENCO, la_id=p.school.la_id,
            school_id=p.school.id, pupil_id=p.id, met_on=told, met_by=senco,
        )  # fmt: skip
    run.put(
        ParentsToldRecord,
        ("id", "pupil_id", "told_on", "method", "told_by", "recorded_by_id"),
        rows,
    )


def seed_support_plans(run: Run, roll: Roll, clocks: Clocks) -> None:
    rng, today = run.rng, run.today
    cycle_ct = run.ct(SupportCycle)
    go_live = add_days(today, -SUPPORT_GO_LIVE_DAYS)
    plan_ids, cycle_ids = Ids(SupportPlan), Ids(SupportCycle)
    outcome_ids, provision_ids, view_ids = Ids(CycleOutcome), Ids(CycleProvision), Ids(CycleView)
    note_ids, review_ids = Ids(DeliveryNote), Ids(OutcomeReview)
    plans: list[tuple[object, ...]] = []
    cycles: list[tuple[object, ...]] = []
    outcomes: list[tuple[object, ...]] = []
    provisions: list[tuple[object, ...]] = []
    views: list[tuple[object, ...]] = []
    notes: list[tuple[object, ...]] = []
    reviews: list[tuple[object, ...]] = []
    for p in roll.pupils:
        if p.sen != K or p.status_start is None:
            continue
        senco = p.school.staff["senco"]
        teacher = p.school.staff.get("teacher", senco)
        began = max(p.status_start, go_live)
        plan = plan_ids()
        plans.append((plan, p.id, p.school.id, run.at(began)))
        start, number = began, 1
        while True:
            cycle = cycle_ids()
            if p.status_start > add_days(today, -DRAFT_DAYS):
                cycles.append(
                    (cycle, plan, number, SupportCycle.Status.DRAFT, "", "", None, None, 1)
                )
                break
            review_date = add_days(start, rng.randint(*CYCLE_DAYS))
            reviewed = add_days(review_date, rng.randint(-10, 12))
            assessment = ASSESSMENT.format(name=p.first)
            picks = rng.sample(range(3), 2)
            cycle_outcomes = [outcome_ids() for _ in picks]
            for o, k in zip(cycle_outcomes, picks, strict=True):
                outcomes.append((o, cycle, *OUTCOMES[k], 1))
            for k in rng.sample(range(3), rng.randint(1, 2)):
                provisions.append((provision_ids(), cycle, *PROVISIONS[k], 1))
            views.append((view_ids(), cycle, CycleView.Whose.PARENT,
                          "Happy with the plan; would like ideas to help with reading at home.",
                          senco, run.at(start)))  # fmt: skip
            if rng.random() < 0.4:
                views.append((view_ids(), cycle, CycleView.Whose.PUPIL,
                              "I like the reading group. Writing is still hard.", teacher,
                              run.at(start)))  # fmt: skip
            if reviewed < today:
                notes.append((note_ids(), cycle, run.day_between(start, add_days(reviewed, -1)),
                               "Sessions delivered as planned; one missed for a school trip.",
                               teacher))  # fmt: skip
                for o in cycle_outcomes:
                    reviews.append((review_ids(), o, rng.choice(PROGRESS), "Checked in the review.",
                                    "Carry on with the next target."))  # fmt: skip
                cycles.append((cycle, plan, number, SupportCycle.Status.REVIEWED, assessment,
                               "Standardised scores and work samples.", review_date, reviewed, 3))  # fmt: skip
                clocks.add(
                    Kind.SEN_SUPPORT_REVIEW, cycle_ct, cycle, started_on=start, due_on=review_date,
                    start_event="SEN support plan review date set", role=Role.SENCO,
                    la_id=p.school.la_id, school_id=p.school.id, pupil_id=p.id,
                    met_on=max(reviewed, start), met_by=senco,
                )  # fmt: skip
                start, number = reviewed, number + 1
                continue
            # The current cycle: active, its review ahead (or, for a few, missed).
            if review_date <= today and rng.random() > OVERDUE_REVIEW_RATE:
                review_date = add_days(today, rng.randint(1, 60))
            notes.append((note_ids(), cycle, run.day_between(start, add_days(today, -1)),
                          "Sessions delivered as planned.", teacher))  # fmt: skip
            cycles.append((cycle, plan, number, SupportCycle.Status.ACTIVE, assessment,
                           "Standardised scores and work samples.", review_date, None, 2))  # fmt: skip
            clocks.add(
                Kind.SEN_SUPPORT_REVIEW, cycle_ct, cycle, started_on=start, due_on=review_date,
                start_event="SEN support plan review date set", role=Role.SENCO,
                la_id=p.school.la_id, school_id=p.school.id, pupil_id=p.id,
            )  # fmt: skip
            break
    run.put(SupportPlan, ("id", "pupil_id", "school_id", "created_at"), plans)
    run.put(
        SupportCycle,
        ("id", "plan_id", "number", "status", "assessment", "evidence", "review_date",
         "reviewed_on", "version"),
        cycles,
    )  # fmt: skip
    run.put(CycleOutcome, ("id", "cycle_id", "outcome", "success_criteria", "version"), outcomes)
    run.put(
        CycleProvision, ("id", "cycle_id", "provision", "who", "how_often", "version"), provisions
    )
    run.put(CycleView, ("id", "cycle_id", "whose", "text", "recorded_by_id", "recorded_at"), views)
    run.put(DeliveryNote, ("id", "cycle_id", "delivered_on", "note", "recorded_by_id"), notes)
    run.put(OutcomeReview, ("id", "outcome_id", "progress", "notes", "next_steps"), reviews)


def seed_parent_meetings(run: Run, roll: Roll, clocks: Clocks) -> None:
    """About three meetings a year (CoP 6.65) since they began, or since the school started
    recording them in sendadmin."""
    rng, today = run.rng, run.today
    pupil_ct = run.ct(Pupil)
    ids = Ids(ParentMeeting)
    rows = []
    for p in roll.pupils:
        if p.sen != K or p.status_start is None or p.status_start > add_days(today, -DRAFT_DAYS):
            continue
        senco = p.school.staff["senco"]
        day = max(p.status_start, add_days(today, -SUPPORT_GO_LIVE_DAYS)) + dt.timedelta(
            days=rng.randint(5, 40)
        )
        meetings: list[tuple[dt.date, dt.date]] = []
        while day < today:
            next_date = add_days(day, rng.randint(80, 125))
            meetings.append((day, next_date))
            day = add_days(next_date, rng.randint(-7, 21))
        for n, (day, next_date) in enumerate(meetings):
            attendees = f"{p.parents[0] if p.parents else 'Parent'}; the SENCO; the class teacher"
            rows.append((ids(), p.id, p.school.id, day, attendees,
                         "Keep the current targets; practise reading at home three times a week.",
                         next_date, senco))  # fmt: skip
            met = meetings[n + 1][0] if n + 1 < len(meetings) else None
            clocks.add(
                Kind.PARENT_MEETING, pupil_ct, p.id, started_on=day,
                due_on=next_date or add_months(day, PARENT_MEETING_MONTHS),
                start_event="Meeting with parents held", role=Role.SENCO, la_id=p.school.la_id,
                school_id=p.school.id, pupil_id=p.id, met_on=met, met_by=senco,
            )  # fmt: skip
    run.put(
        ParentMeeting,
        ("id", "pupil_id", "school_id", "date", "attendees", "agreed", "next_date",
         "recorded_by_id"),
        rows,
    )  # fmt: skip


def seed_medical(run: Run, roll: Roll, clocks: Clocks) -> None:
    rng, today = run.rng, run.today
    ct = run.ct(MedicalCondition)
    ids = Ids(MedicalCondition)
    rows = []
    for p in roll.pupils:
        if rng.random() >= MEDICAL_RATE * (2 if p.sen != N else 1):
            continue
        pk = ids()
        plan = rng.random() < HEALTHCARE_PLAN_RATE
        review_on = add_days(today, rng.randint(-20, 330)) if plan else None
        rows.append((pk, p.id, rng.choice(CONDITIONS), plan, review_on))
        if review_on is not None:
            started = max(add_months(review_on, -12), p.admitted)
            clocks.add(
                Kind.HEALTHCARE_PLAN_REVIEW, ct, pk, started_on=min(started, today), due_on=review_on,
                start_event="Individual healthcare plan recorded", role=Role.SENCO,
                la_id=p.school.la_id, school_id=p.school.id, pupil_id=p.id,
            )  # fmt: skip
    run.put(
        MedicalCondition,
        ("id", "pupil_id", "condition", "has_healthcare_plan", "healthcare_plan_review_on"),
        rows,
    )
