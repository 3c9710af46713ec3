"""Step 5: EHC needs assessments (domain.md 1.1) as ehcp/services.py and ehcp/plans.py record them.

- Open cases at every week of the 20 and past it: the decision whether to assess due at 6 weeks
  (reg 5(1), the LA manager's panel), advice asked of the school (the SENCO's 6-week clock from the
  school's receipt, reg 8(1)), the educational psychologist, health and the parent, the decision
  whether to issue (16 weeks, reg 10(1)), a draft plan being written or served with its 15 days for
  representations (reg 13(1)), the school the parent asked for consulted (CoP 9.83), and the final
  plan's 20-week clock (reg 13(2)) running from the request throughout.
- Closed cases behind the plans first issued since sendadmin went live (plans.py calls
  `CaseWriter.finished`): every step taken, the final plan on time or late, a few late with a
  reg 10(4) exception recorded on the 20-week clock, as the LA dashboard's 20-week figures read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ehcp.deadlines import (
    advice_due,
    consultation_reply_due,
    decision_to_assess_due,
    final_plan_due,
    no_plan_notice_due,
    representations_close,
)
from ehcp.models import AdviceKind, AdviceRequest, AssessmentCase, Plan, PlanVersion
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_days
from sendadmin.clocks.kinds import Kind

from .base import Clocks, Ids, Run
from .org import Org
from .plan_rows import PlanWriter
from .roll import K, PupilRec, Roll

OPEN_CASES = 1500  # at fraction 1: about half a year of requests in a county of this size
OPEN_CASES_WESTMERE = 6
NOT_ASSESS_RATE, NOT_ISSUE_RATE = 0.08, 0.05
EVENT = "Request for an EHC needs assessment received"
LA_NAMES = {"870": "Shirebrook", "871": "Westmere"}
# fmt: off
SCHOOL_ADVICE = {
    "needs": "Speech, language and communication needs are the primary need; literacy is well "
             "below age-related expectations.",
    "attainment": "Reading age about three years below chronological age; progress in phonics is "
                  "slow despite daily small-group teaching.",
    "attendance": "95% this year.",
    "tried": "Two cycles of SEN support with speech and language groups and 1:1 reading; see the "
             "provision map for sessions and cost.",
    "outcomes_sought": "To follow two-step instructions in class; to read texts at the level of "
                       "the class with support.",
    "pupil_views": "Likes working with the TA; finds busy classrooms hard.",
    "parent_views": "Parents would like a plan so that speech and language therapy continues.",
}
ADVISERS = ((AdviceKind.PSYCHOLOGICAL, "{la} Educational Psychology Service"),
            (AdviceKind.MEDICAL, "{la} Community Paediatrics"),
            (AdviceKind.PARENT, "Parent's advice"))
# fmt: on
CASE_COLUMNS = (
    "id",
    "pupil_id",
    "local_authority_id",
    "caseworker_id",
    "requested_by",
    "requester_name",
    "request_received_on",
    "request_reason",
    "assess_decision",
    "assess_decision_on",
    "assess_decision_reasons",
    "issue_decision",
    "issue_decision_on",
    "issue_decision_reasons",
    "requested_school_id",
    "requested_school_name",
    "consultation_sent_on",
    "consultation_reply_on",
    "consultation_reply",
    "closed_on",
    "closed_reason",
    "created_at",
    "created_by_id",
    "version",
)  # fmt: skip
ADVICE_COLUMNS = (
    "id", "case_id", "kind", "adviser_name", "school_id", "sent_on", "received_on", "status",
    "submitted_on", "submitted_by_id", "needs", "attainment", "attendance", "tried",
    "outcomes_sought", "pupil_views", "parent_views", "summary", "version", "created_at",
)  # fmt: skip


@dataclass
class CaseWriter:
    run: Run
    clocks: Clocks
    cases: list[tuple[Any, ...]] = field(default_factory=list)
    advice: list[tuple[Any, ...]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.case_ids, self.advice_ids = Ids(AssessmentCase), Ids(AdviceRequest)
        self.case_ct = self.run.ct(AssessmentCase)
        self.advice_ct = self.run.ct(AdviceRequest)
        self.version_ct = self.run.ct(PlanVersion)

    def _clock(self, p: PupilRec, kind: str, subject_type: int, subject: int, started: dt.date,
               due: dt.date, event: str, role: str, user: int | None, *, school: bool = False,
               met_on: dt.date | None = None, met_by: int | None = None, note: str = "",
               cancelled: str = "", exception: Any = None) -> None:  # fmt: skip
        self.clocks.add(
            kind, subject_type, subject, started_on=started, due_on=due, start_event=event,
            role=role, la_id=p.school.la_id, school_id=p.school.id if school else None,
            pupil_id=p.id, user_id=user, met_on=met_on, met_by=met_by, met_note=note,
            cancelled=cancelled, exception=exception,
        )  # fmt: skip

    def _case(self, p: PupilRec, caseworker: int, received: dt.date, **values: Any) -> int:
        pk = self.case_ids()
        row = dict.fromkeys(CASE_COLUMNS, None)
        by_school = self.run.rng.random() < 0.4
        row.update(
            id=pk, pupil_id=p.id, local_authority_id=p.school.la_id, caseworker_id=caseworker,
            requested_by=AssessmentCase.RequestedBy.SCHOOL if by_school
            else AssessmentCase.RequestedBy.PARENT,
            requester_name=f"SENCO, {p.school.name}" if by_school
            else (p.parents[0] if p.parents else ""),
            request_received_on=received,
            request_reason="Needs not met by SEN support after two cycles of assess, plan, do, review.",
            assess_decision=AssessmentCase.AssessDecision.PENDING, assess_decision_reasons="",
            issue_decision=AssessmentCase.IssueDecision.PENDING, issue_decision_reasons="",
            requested_school_name="", consultation_reply="", closed_reason="",
            created_at=self.run.at(received), created_by_id=caseworker, version=1,
        )  # fmt: skip
        row.update(values)
        self.cases.append(tuple(row[c] for c in CASE_COLUMNS))
        return pk

    def _advice(
        self,
        p: PupilRec,
        case: int,
        caseworker: int,
        asked: dt.date,
        *,
        answered_by: dt.date | None,
    ) -> list[tuple[int, dt.date | None]]:
        """The school's advice and the other advisers'; returns (advice id, submitted on)."""
        rng = self.run.rng
        la = LA_NAMES[p.school.la_code]
        out: list[tuple[int, dt.date | None]] = []
        kinds: list[tuple[str, str, int | None]] = [
            (AdviceKind.EDUCATIONAL, p.school.name, p.school.id)
        ]
        kinds += [(k, name.format(la=la), None) for k, name in ADVISERS]
        if p.year >= 9:
            kinds.append(
                (AdviceKind.PREPARATION_FOR_ADULTHOOD, f"{la} Preparing for Adulthood team", None)
            )
        senco = p.school.staff["senco"]
        for kind, adviser, school in kinds:
            pk = self.advice_ids()
            received = asked if school is not None else add_days(asked, rng.randint(0, 3))
            submitted: dt.date | None = add_days(received, rng.randint(18, 48))
            if answered_by is not None:
                submitted = min(submitted, answered_by) if submitted else answered_by
                submitted = max(submitted, received)
            elif submitted is not None and submitted >= self.run.today:
                submitted = None
            school_text = SCHOOL_ADVICE if school is not None else {}
            filled = submitted is not None or rng.random() < 0.4
            self.advice.append(
                (pk, case, kind, adviser, school, asked, received,
                 AdviceRequest.Status.SUBMITTED if submitted else AdviceRequest.Status.REQUESTED,
                 submitted, (senco if school else caseworker) if submitted else None,
                 *(school_text.get(f, "") if filled else "" for f in
                   ("needs", "attainment", "attendance", "tried", "outcomes_sought",
                    "pupil_views", "parent_views")),
                 "" if school or not submitted else "Advice received and summarised for the plan.",
                 2 if submitted else 1, self.run.at(asked))
            )  # fmt: skip
            if school is not None:
                self._clock(p, Kind.ADVICE_REQUEST, self.advice_ct, pk, received,
                            advice_due(received), f"{la} asked for educational advice", Role.SENCO,
                            None, school=True, met_on=submitted, met_by=senco,
                            note="Advice received by the LA")  # fmt: skip
            else:
                self._clock(p, Kind.ADVICE_REQUEST, self.advice_ct, pk, received,
                            advice_due(received), f"{adviser} received the request for advice",
                            Role.LA_CASEWORKER, caseworker, met_on=submitted, met_by=caseworker,
                            note="Advice received by the LA")  # fmt: skip
            out.append((pk, submitted))
        return out

    def open_case(
        self, p: PupilRec, caseworker: int, received: dt.date, plans: PlanWriter, plan_ids: Ids
    ) -> tuple[int, int | None]:
        """A case at the stage `received` reaches today; returns (case id, plan id or None)."""
        rng, today = self.run.rng, self.run.today
        dta_due, final_due = decision_to_assess_due(received), final_plan_due(received)
        decided = add_days(received, rng.randint(24, 46))
        ct = self.case_ct
        if decided >= today:
            case = self._case(p, caseworker, received)
            self._clock(p, Kind.DECISION_TO_ASSESS, ct, case, received, dta_due, EVENT,
                        Role.LA_MANAGER, None)  # fmt: skip
            self._clock(p, Kind.FINAL_PLAN, ct, case, received, final_due, EVENT,
                        Role.LA_CASEWORKER, caseworker)  # fmt: skip
            return case, None
        if rng.random() < NOT_ASSESS_RATE:
            case = self._case(
                p, caseworker, received, assess_decision=AssessmentCase.AssessDecision.NOT_ASSESS,
                assess_decision_on=decided, version=2, closed_on=decided,
                assess_decision_reasons="The school's SEN support has not yet run a full cycle.",
                closed_reason="Decided not to assess",
            )  # fmt: skip
            self._clock(p, Kind.DECISION_TO_ASSESS, ct, case, received, dta_due, EVENT,
                        Role.LA_MANAGER, None, met_on=decided, met_by=caseworker,
                        note="Not to assess")  # fmt: skip
            self._clock(p, Kind.FINAL_PLAN, ct, case, received, final_due, EVENT,
                        Role.LA_CASEWORKER, caseworker, cancelled="The LA decided not to assess.")  # fmt: skip
            return case, None
        case_pk = self.case_ids.peek()
        asked = add_days(decided, rng.randint(0, 7))
        advice = self._advice(p, case_pk, caseworker, asked, answered_by=None)
        values: dict[str, Any] = dict(
            assess_decision=AssessmentCase.AssessDecision.ASSESS, assess_decision_on=decided,
            version=2,
        )  # fmt: skip
        self._clock(p, Kind.DECISION_TO_ASSESS, ct, case_pk, received, dta_due, EVENT,
                    Role.LA_MANAGER, None, met_on=decided, met_by=caseworker, note="Assess")  # fmt: skip
        in_ = [s for _, s in advice if s is not None]
        issue = add_days(max(in_), rng.randint(3, 20)) if in_ else None
        notice_due = no_plan_notice_due(received)
        plan_id = None
        if issue is not None and issue < today:
            values.update(issue_decision=AssessmentCase.IssueDecision.ISSUE,
                          issue_decision_on=issue, version=3)  # fmt: skip
            self._clock(p, Kind.NO_PLAN_NOTICE, ct, case_pk, received, notice_due, EVENT,
                        Role.LA_CASEWORKER, caseworker, met_on=issue, met_by=caseworker,
                        note="Issue a plan")  # fmt: skip
            plan_id = plan_ids()
            served: dt.date | None = add_days(issue, rng.randint(10, 28))
            if served is not None and served >= today:
                served = None
            version, _ = plans.version(
                plan_id=plan_id, number=1, kind=PlanVersion.Kind.DRAFT, pupil=p,
                issued_on=served, issued_by=caseworker if served else None, created=issue,
            )  # fmt: skip
            plans.link_advice(version, [a for a, s in advice if s is not None])
            if served is not None:
                closes = representations_close(served)
                reps = add_days(served, rng.randint(5, 14))
                reps_on = reps if reps < today and rng.random() < 0.5 else None
                self._clock(p, Kind.REPRESENTATIONS, self.version_ct, version, served, closes,
                            "Draft EHC plan served", Role.LA_CASEWORKER, caseworker,
                            met_on=reps_on, met_by=caseworker, note="Representations received")  # fmt: skip
                if reps_on is not None:
                    plans.set_representations(version, reps_on)
                    sent = add_days(reps_on, rng.randint(1, 5))
                    if sent < today:
                        reply = add_days(sent, rng.randint(5, 20))
                        reply_on = reply if reply < today else None
                        values.update(requested_school_id=p.school.id,
                                      requested_school_name=p.school.name,
                                      consultation_sent_on=sent, consultation_reply_on=reply_on,
                                      consultation_reply="agrees" if reply_on else "", version=4)  # fmt: skip
                        self._clock(p, Kind.SCHOOL_CONSULTATION, ct, case_pk, sent,
                                    consultation_reply_due(sent),
                                    f"Consultation sent to {p.school.name}", Role.LA_CASEWORKER,
                                    caseworker, met_on=reply_on, met_by=caseworker,
                                    note="Agrees to be named")  # fmt: skip
        else:
            self._clock(p, Kind.NO_PLAN_NOTICE, ct, case_pk, received, notice_due, EVENT,
                        Role.LA_CASEWORKER, caseworker)  # fmt: skip
        self._clock(p, Kind.FINAL_PLAN, ct, case_pk, received, final_due, EVENT,
                    Role.LA_CASEWORKER, caseworker)  # fmt: skip
        case = self._case(p, caseworker, received, **values)
        assert case == case_pk
        return case, plan_id

    def finished(
        self, p: PupilRec, caseworker: int, plan_id: int, issued: dt.date, plans: PlanWriter
    ) -> tuple[int, tuple[int, dict[str, Any]]]:
        """The closed case behind a plan first issued on `issued`: (case id, the draft version)."""
        rng = self.run.rng
        weeks = rng.choices((rng.randint(13, 20), rng.randint(21, 30), rng.randint(31, 45)),
                            weights=(60, 30, 10))[0]  # fmt: skip
        received = add_days(issued, -7 * weeks + rng.randint(0, 6))
        decided = add_days(received, rng.randint(24, 44))
        asked = add_days(decided, rng.randint(0, 5))
        served = add_days(issued, -rng.randint(16, 30))
        issue = add_days(served, -rng.randint(7, 20))
        answered_by = add_days(issue, -rng.randint(1, 10))
        if answered_by < asked:
            answered_by = asked
        case_pk = self.case_ids.peek()
        advice = self._advice(p, case_pk, caseworker, asked, answered_by=answered_by)
        ct = self.case_ct
        final_due = final_plan_due(received)
        exception = None
        if issued > final_due and rng.random() < 0.2:
            exception = ("reg10(4)", "c", received, add_days(received, 42),
                         "The family was in hospital for six weeks; letters from the ward.")  # fmt: skip
        self._clock(p, Kind.DECISION_TO_ASSESS, ct, case_pk, received,
                    decision_to_assess_due(received), EVENT, Role.LA_MANAGER, None,
                    met_on=decided, met_by=caseworker, note="Assess")  # fmt: skip
        self._clock(p, Kind.NO_PLAN_NOTICE, ct, case_pk, received, no_plan_notice_due(received),
                    EVENT, Role.LA_CASEWORKER, caseworker, met_on=issue, met_by=caseworker,
                    note="Issue a plan")  # fmt: skip
        self._clock(p, Kind.FINAL_PLAN, ct, case_pk, received, final_due, EVENT,
                    Role.LA_CASEWORKER, caseworker, met_on=issued, met_by=caseworker,
                    note="Final EHC plan issued", exception=exception)  # fmt: skip
        draft = plans.version(
            plan_id=plan_id, number=1, kind=PlanVersion.Kind.DRAFT, pupil=p, issued_on=served,
            issued_by=caseworker, created=issue,
        )  # fmt: skip
        plans.link_advice(draft[0], [a for a, _ in advice])
        self._clock(p, Kind.REPRESENTATIONS, self.version_ct, draft[0], served,
                    representations_close(served), "Draft EHC plan served", Role.LA_CASEWORKER,
                    caseworker, met_on=issued, met_by=caseworker, note="Final EHC plan issued")  # fmt: skip
        case = self._case(
            p, caseworker, received, assess_decision=AssessmentCase.AssessDecision.ASSESS,
            assess_decision_on=decided, issue_decision=AssessmentCase.IssueDecision.ISSUE,
            issue_decision_on=issue, closed_on=issued, closed_reason="Final plan issued",
            requested_school_id=p.school.id, requested_school_name=p.school.name, version=4,
        )  # fmt: skip
        assert case == case_pk
        return case, draft

    def write(self) -> None:
        self.run.put(AssessmentCase, CASE_COLUMNS, self.cases)
        self.run.put(AdviceRequest, ADVICE_COLUMNS, self.advice)


def seed_open_cases(
    run: Run, org: Org, roll: Roll, writer: CaseWriter, plans: PlanWriter, plan_of: dict[int, Any]
) -> None:
    """Open cases for pupils on SEN support with no plan, requests spread over the last 30 weeks."""
    rng, today = run.rng, run.today
    plan_ids = Ids(Plan)
    plan_rows: list[tuple[Any, ...]] = []
    for la, count in (
        (org.shirebrook_id, run.scaled(OPEN_CASES)),
        (org.westmere_id, OPEN_CASES_WESTMERE),
    ):
        candidates = [
            p for p in roll.pupils
            if p.school.la_id == la and p.sen == K and p.status_start is not None
            and p.status_start < add_days(today, -90) and p.id not in plan_of
        ]  # fmt: skip
        workers = org.caseworkers[la]
        for n, p in enumerate(rng.sample(candidates, min(count, len(candidates)))):
            received = add_days(today, -rng.randint(0, 30 * 7))
            caseworker = workers[n % len(workers)]
            case, plan_id = writer.open_case(p, caseworker, received, plans, plan_ids)
            if plan_id is not None:
                plan_rows.append((plan_id, p.id, la, case, None, run.at(received)))
    run.put(
        Plan, ("id", "pupil_id", "local_authority_id", "case_id", "ceased_on", "created_at"),
        plan_rows,
    )  # fmt: skip
