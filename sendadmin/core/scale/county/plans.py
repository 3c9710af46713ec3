"""Step 2: an EHC plan for every pupil on provision E, its annual reviews and their clocks.

Each plan was first issued on the day the pupil's E status began (roll.py) as a final version with
no assessment case behind it (made before sendadmin, as demo_plans.py's). Reviews follow reg 18-22
(domain.md 2) as reviews/services.py records them: within 12 months of the plan or of the last
review meeting; invitations at least two weeks before the meeting (reg 20(3)), papers two weeks
before (reg 20(4)), the report within two weeks after (reg 20(7)), the LA's decision within four
(reg 20(10)), an amended plan within eight weeks of the notice (reg 22(3)).

sendadmin is taken to have gone live GO_LIVE_DAYS ago: reviews whose meeting came before are not
recorded (the annual clock simply restarts from their meeting), later ones are, completed or at
the stage today finds them. Every clock the services would have opened is written, met where the
step was taken (late where the dates say so), open where it is still waiting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ehcp.deadlines import representations_close
from ehcp.models import Plan, PlanVersion
from reviews.deadlines import annual_review_due, meeting_deadlines
from reviews.models import Invitee, OutcomeProgress, ProposedChange, Recommendation, Review
from reviews.phase import next_phase_transfer
from sendadmin.accounts.roles import Role
from sendadmin.calendar import academic_year_start, add_days
from sendadmin.clocks.kinds import Kind

from .base import Clocks, Ids, Run
from .cases import CaseWriter
from .org import Org
from .plan_rows import PlanWriter
from .provision import CatalogueRec
from .roll import E, PupilRec, Roll

GO_LIVE_DAYS = 400
# How far ahead of the due date a school starts a review (opens it on "Plans due for review").
LOOKAHEAD_DAYS = 70
AMEND_RATE, OVERDUE_RATE, LATE_REPORT_RATE, LATE_PAPERS_RATE = 0.18, 0.15, 0.12, 0.15
RATINGS = (OutcomeProgress.Rating.ACHIEVED, OutcomeProgress.Rating.ON_TRACK,
           OutcomeProgress.Rating.ON_TRACK, OutcomeProgress.Rating.NOT_ON_TRACK)  # fmt: skip
REVIEW_COLUMNS = (
    "id", "plan_id", "pupil_id", "school_id", "local_authority_id", "kind", "due_on",
    "reviewed_version_id", "meeting_on", "invitations_sent_on", "papers_circulated_on", "held_on",
    "child_views", "parent_views", "preparing_for_adulthood", "recommendation", "disagreements",
    "report_sent_on", "la_decision", "la_decision_on", "la_decision_reasons", "la_decided_by_id",
    "amendment_notice_on", "amended_version_id", "closed_on", "created_at", "version",
)  # fmt: skip


class PlanStep:
    def __init__(
        self,
        run: Run,
        org: Org,
        roll: Roll,
        clocks: Clocks,
        catalogue: dict[int, list[CatalogueRec]],
    ) -> None:
        self.run, self.org, self.roll, self.clocks = run, org, roll, clocks
        self.writer = PlanWriter(run, catalogue)
        self.cases = CaseWriter(run, clocks)
        self.plan_ct, self.review_ct = run.ct(Plan), run.ct(Review)
        self.version_ct = run.ct(PlanVersion)
        self.review_ids, self.invitee_ids = Ids(Review), Ids(Invitee)
        self.progress_ids, self.change_ids = Ids(OutcomeProgress), Ids(ProposedChange)
        self.plans: list[tuple[Any, ...]] = []
        self.reviews: list[tuple[Any, ...]] = []
        self.invitees: list[tuple[Any, ...]] = []
        self.progress: list[tuple[Any, ...]] = []
        self.changes: list[tuple[Any, ...]] = []
        self.go_live = add_days(run.today, -GO_LIVE_DAYS)
        # pupil id -> (plan id, caseworker id), for the later steps.
        self.plan_of: dict[int, tuple[int, int]] = {}

    def generate(self) -> None:
        pupils = [p for p in self.roll.pupils if p.sen == E]
        plan_ids = self.run.ids(Plan, len(pupils))
        turn: dict[int, int] = {}
        for plan_id, p in zip(plan_ids, pupils, strict=True):
            workers = self.org.caseworkers[p.school.la_id]
            n = turn.get(p.school.la_id, 0)
            turn[p.school.la_id] = n + 1
            self._plan(plan_id, p, workers[n % len(workers)])

    def write(self) -> None:
        """Plans, their versions and rows, the cases behind them, reviews; clocks are the caller's."""
        self.run.put(
            Plan, ("id", "pupil_id", "local_authority_id", "case_id", "ceased_on", "created_at"),
            self.plans,
        )  # fmt: skip
        self.cases.write()
        self.writer.write()
        self.run.put(Review, REVIEW_COLUMNS, self.reviews)
        self.run.put(
            Invitee,
            ("id", "review_id", "role", "name", "advice_received_on", "advice", "attended"),
            self.invitees,
        )
        self.run.put(
            OutcomeProgress, ("id", "review_id", "outcome_id", "rating", "evidence"), self.progress
        )
        self.run.put(ProposedChange, ("id", "review_id", "section", "change"), self.changes)

    # --- one plan ---------------------------------------------------------------------------------

    def _plan(self, plan_id: int, p: PupilRec, caseworker: int) -> None:
        run, rng, today = self.run, self.run.rng, self.run.today
        issued = p.status_start
        assert issued is not None
        self.plan_of[p.id] = (plan_id, caseworker)
        case: int | None = None
        draft: tuple[int, dict[str, Any]] | None = None
        if issued >= self.go_live:
            # Made through sendadmin: the assessment behind it, its draft served first.
            case, draft = self.cases.finished(p, caseworker, plan_id, issued, self.writer)
        self.plans.append((plan_id, p.id, p.school.la_id, case, None, run.at(issued)))
        number = 1 if draft is None else 2
        latest = self.writer.version(
            plan_id=plan_id, number=number, kind=PlanVersion.Kind.FINAL, pupil=p,
            issued_on=issued, issued_by=caseworker if case else None,
            created=add_days(issued, -7), based_on=draft,
        )  # fmt: skip
        anchor, event = issued, "Final EHC plan issued"
        clock = self._clock_for(p)
        while True:
            due = annual_review_due(anchor)
            if due > add_days(today, LOOKAHEAD_DAYS):
                clock(Kind.ANNUAL_REVIEW, self.plan_ct, plan_id, anchor, due, event, Role.SENCO,
                      school=True)  # fmt: skip
                break
            held = add_days(due, -rng.randint(14, 56))
            if held < self.go_live:
                anchor, event = held, "Annual review meeting held"
                continue
            overdue = due <= today and rng.random() < OVERDUE_RATE
            if overdue or held >= today:
                clock(Kind.ANNUAL_REVIEW, self.plan_ct, plan_id, anchor, due, event, Role.SENCO,
                      school=True)  # fmt: skip
                self._upcoming(p, plan_id, latest[0], due, None if overdue else held)
                break
            done = self._held(p, plan_id, caseworker, latest, number, due, held)
            decided, amended = done
            if decided is None:  # the LA has not decided: the annual clock waits for it
                clock(Kind.ANNUAL_REVIEW, self.plan_ct, plan_id, anchor, due, event, Role.SENCO,
                      school=True)  # fmt: skip
                break
            clock(Kind.ANNUAL_REVIEW, self.plan_ct, plan_id, anchor, due, event, Role.SENCO,
                  school=True, met_on=decided, met_by=caseworker, note="Review completed")  # fmt: skip
            if amended is not None:
                latest, number = amended, number + 1
            anchor, event = held, "Annual review meeting held"
        self._phase_transfer(p, plan_id, issued)

    def _clock_for(self, p: PupilRec) -> Callable[..., None]:
        def clock(
            kind: str,
            subject_type: int,
            subject_id: int,
            started: dt.date,
            due: dt.date,
            event: str,
            role: str,
            *,
            school: bool,
            met_on: dt.date | None = None,
            met_by: int | None = None,
            note: str = "",
            user: int | None = None,
        ) -> None:
            self.clocks.add(
                kind, subject_type, subject_id, started_on=started, due_on=due,
                start_event=event, role=role, la_id=p.school.la_id,
                school_id=p.school.id if school else None, pupil_id=p.id, user_id=user,
                met_on=met_on, met_by=met_by, met_note=note,
            )  # fmt: skip

        return clock

    def _review(
        self, p: PupilRec, plan_id: int, version_id: int, due: dt.date, **values: Any
    ) -> int:
        pk = self.review_ids()
        row = dict.fromkeys(REVIEW_COLUMNS, None)
        row.update(
            id=pk, plan_id=plan_id, pupil_id=p.id, school_id=p.school.id,
            local_authority_id=p.school.la_id, kind=Review.Kind.ANNUAL, due_on=due,
            reviewed_version_id=version_id, child_views="", parent_views="",
            preparing_for_adulthood="", recommendation="", disagreements="", la_decision="",
            la_decision_reasons="", version=1,
        )  # fmt: skip
        row.update(values)
        if row["created_at"] is None:
            row["created_at"] = self.run.at(add_days(due, -LOOKAHEAD_DAYS))
        self.reviews.append(tuple(row[c] for c in REVIEW_COLUMNS))
        return pk

    def _invite(self, review: int, p: PupilRec, sent: dt.date, held: dt.date | None) -> None:
        rng = self.run.rng
        people = [
            (Invitee.Role.PARENT, p.parents[0] if p.parents else "Parent"),
            (Invitee.Role.SCHOOL, f"SENCO, {p.school.name}"),
            (Invitee.Role.LA_OFFICER, "SEND casework team"),
            (Invitee.Role.HEALTH, "Community paediatrician"),
        ]
        if p.year >= 9:
            people.append((Invitee.Role.YOUNG_PERSON, f"{p.first} {p.last}"))
        if p.looked_after:
            people.append((Invitee.Role.SOCIAL_CARE, "Child's social worker"))
        for role, name in people:
            advice_on = None
            advice = ""
            if role != Invitee.Role.YOUNG_PERSON and rng.random() < 0.7:
                last = held or self.run.today
                advice_on = min(add_days(sent, rng.randint(3, 12)), last)
                advice = "Progress is steady; the provision in section F should continue."
            attended = None if held is None else rng.random() < 0.85
            self.invitees.append(
                (self.invitee_ids(), review, role, name, advice_on, advice, attended)
            )

    def _upcoming(
        self, p: PupilRec, plan_id: int, version: int, due: dt.date, meeting: dt.date | None
    ) -> None:
        """A review started and not yet held: opened only, scheduled, or invitations sent."""
        rng, today = self.run.rng, self.run.today
        values: dict[str, Any] = {}
        if meeting is not None and (meeting - today).days <= 42:
            values["meeting_on"] = meeting
            deadlines = meeting_deadlines(meeting)
            latest_send = deadlines.invitations_by
            if latest_send <= today or rng.random() < 0.5:
                sent = add_days(min(latest_send, today), -rng.randint(0, 10))
                values["invitations_sent_on"] = sent
        review = self._review(p, plan_id, version, due, **values)
        if "invitations_sent_on" not in values:
            return
        sent = values["invitations_sent_on"]
        clock = self._clock_for(p)
        deadlines = meeting_deadlines(values["meeting_on"])
        self._invite(review, p, sent, None)
        clock(Kind.REVIEW_INVITATIONS, self.review_ct, review, min(sent, deadlines.invitations_by),
              deadlines.invitations_by, "Review meeting date set", Role.SENCO, school=True,
              met_on=sent, note="Invitations sent")  # fmt: skip
        papers = None
        if deadlines.papers_by <= today and rng.random() > LATE_PAPERS_RATE:
            papers = self.run.day_between(sent, deadlines.papers_by)
        clock(Kind.REVIEW_PAPERS, self.review_ct, review, sent, deadlines.papers_by,
              "Invitations sent with a request for advice", Role.SENCO, school=True,
              met_on=papers, note="Papers circulated")  # fmt: skip
        if papers is not None:
            self._set_last(papers_circulated_on=papers)

    def _set_last(self, **values: Any) -> None:
        row = dict(zip(REVIEW_COLUMNS, self.reviews[-1], strict=True))
        row.update(values)
        self.reviews[-1] = tuple(row[c] for c in REVIEW_COLUMNS)

    def _held(
        self,
        p: PupilRec,
        plan_id: int,
        caseworker: int,
        latest: tuple[int, dict[str, Any]],
        number: int,
        due: dt.date,
        held: dt.date,
    ) -> tuple[dt.date | None, tuple[int, dict[str, Any]] | None]:
        """A meeting held on `held`: the report and the LA's decision as far as today reaches.
        Returns (the decision date or None, the issued amended version or None)."""
        run, rng, today = self.run, self.run.rng, self.run.today
        clock = self._clock_for(p)
        deadlines = meeting_deadlines(held)
        sent = add_days(deadlines.invitations_by, -rng.randint(0, 14))
        late_papers = rng.random() < LATE_PAPERS_RATE
        papers = (
            run.day_between(add_days(deadlines.papers_by, 1), add_days(held, -1))
            if late_papers
            else run.day_between(sent, deadlines.papers_by)
        )
        amend = rng.random() < AMEND_RATE
        recommendation = Recommendation.AMEND if amend else Recommendation.MAINTAIN
        report_days = rng.randint(15, 25) if rng.random() < LATE_REPORT_RATE else rng.randint(2, 14)
        report: dt.date | None = add_days(held, report_days)
        if report is not None and report >= today:
            report = None
        decided: dt.date | None = add_days(held, rng.randint(10, 34))
        if decided is not None and (decided >= today or report is None):
            decided = None
        adulthood = "Talked about college courses and travel training." if p.year >= 9 else ""
        values: dict[str, Any] = dict(
            meeting_on=held, invitations_sent_on=sent, papers_circulated_on=papers, held_on=held,
            child_views="Likes the help in class; wants more time with friends.",
            parent_views="Pleased with progress; worried about the move to the next class.",
            preparing_for_adulthood=adulthood, recommendation=recommendation,
            report_sent_on=report, created_at=run.at(add_days(sent, -rng.randint(7, 30))),
        )  # fmt: skip
        amended: tuple[int, dict[str, Any]] | None = None
        amended_issued: dt.date | None = None
        if decided is not None:
            values.update(
                la_decision=recommendation, la_decision_on=decided, la_decided_by_id=caseworker
            )
            if amend:
                values["amendment_notice_on"] = decided
                amended_issued = add_days(decided, rng.randint(21, 63))
                if amended_issued >= today:
                    amended_issued = None
                amended = self.writer.version(
                    plan_id=plan_id, number=number + 1, kind=PlanVersion.Kind.AMENDED, pupil=p,
                    issued_on=amended_issued, issued_by=caseworker if amended_issued else None,
                    created=decided, based_on=latest, change_f=True,
                )  # fmt: skip
                values["amended_version_id"] = amended[0]
                values["closed_on"] = amended_issued
            else:
                values["closed_on"] = decided
        review = self._review(p, plan_id, latest[0], due, **values)
        self._invite(review, p, sent, held)
        for outcome in self.writer.outcomes_of[latest[0]]:
            self.progress.append(
                (self.progress_ids(), review, outcome, rng.choice(RATINGS),
                 "Teacher assessment and the provision map's records for the year.")
            )  # fmt: skip
        if amend:
            self.changes.append(
                (
                    self.change_ids(),
                    review,
                    "F",
                    "Increase the first provision to four sessions a week.",
                )
            )
        clock(Kind.REVIEW_INVITATIONS, self.review_ct, review, min(sent, deadlines.invitations_by),
              deadlines.invitations_by, "Review meeting date set", Role.SENCO, school=True,
              met_on=sent, note="Invitations sent")  # fmt: skip
        clock(Kind.REVIEW_PAPERS, self.review_ct, review, sent, deadlines.papers_by,
              "Invitations sent with a request for advice", Role.SENCO, school=True,
              met_on=papers, note="Papers circulated")  # fmt: skip
        clock(Kind.REVIEW_REPORT, self.review_ct, review, held, deadlines.report_by,
              "Review meeting held", Role.SENCO, school=True, met_on=report,
              note="Review report sent")  # fmt: skip
        clock(Kind.LA_REVIEW_DECISION, self.review_ct, review, held, deadlines.la_decision_by,
              "Review meeting held", Role.LA_CASEWORKER, school=False, met_on=decided,
              met_by=caseworker, note=str(Recommendation(recommendation).label))  # fmt: skip
        if decided is not None and amend:
            assert amended is not None
            due_amended = meeting_deadlines(held, amendment_notice_sent=decided).amended_plan_by
            clock(Kind.AMENDED_PLAN, self.review_ct, review, decided, due_amended,
                  "Amendment notice sent", Role.LA_CASEWORKER, school=False,
                  met_on=amended_issued, met_by=caseworker, note="Amended plan issued")  # fmt: skip
            clock(Kind.REPRESENTATIONS, self.version_ct, amended[0], decided,
                  representations_close(decided), "Notice of the proposed amendments sent",
                  Role.LA_CASEWORKER, school=False, met_on=amended_issued, met_by=caseworker,
                  note="Amended plan issued")  # fmt: skip
            if amended_issued is None:
                # The amendment is under way: the review stays open; the next annual review's
                # clock opens from the meeting (la_decide), as the caller's next turn does.
                return decided, None
        return decided, amended

    def _phase_transfer(self, p: PupilRec, plan_id: int, issued: dt.date) -> None:
        """Reg 18: the 15 February or 31 March clock, as reviews.phase opens it each day."""
        today = self.run.today
        transfer = next_phase_transfer(year_group=p.year, school_phase=p.school.phase, on=today)
        if transfer is None or issued > transfer.deadline:
            return
        self._clock_for(p)(
            Kind.PHASE_TRANSFER, self.plan_ct, plan_id,
            max(academic_year_start(today), issued), transfer.deadline, transfer.start_event,
            Role.LA_CASEWORKER, school=True,
        )  # fmt: skip
