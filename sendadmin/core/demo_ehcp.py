"""Demo EHC needs assessments for `manage.py seed_demo`, at every stage, through ehcp's services.

Run after `demo.seed_demo` and `demo_clocks.seed_demo_clocks`. Each case is made the way a
caseworker and a SENCO would make it (ehcp.services, ehcp.plans), so its clocks, history and audit
events are real. Dates count back from today, so every LA has cases in each week band and some
clocks overdue:

- decisions whether to assess still to make (one of them overdue, reg 5(1));
- assessments gathering advice, with the school's educational advice waiting in the SENCO's inbox
  at Oakfield (one due in days, one with weeks left, reg 8(1)) and the EP's reply recorded;
- a decision to issue with a draft plan being written, and a draft served on the parent whose
  representations window has closed;
- a final plan issued (the case closed, the pupil on an EHC plan).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ehcp import plans as plan_services
from ehcp import services
from ehcp.models import AdviceKind, AdviceRequest, AssessmentCase, PlanVersion
from pupils.codes import SenProvision
from pupils.models import Pupil
from sendadmin.accounts.models import LocalAuthority, User
from sendadmin.calendar import add_days

from .demo import EASTBROOK, NORTHMOOR, OAKFIELD, SEED

CASEWORKER = {NORTHMOOR: "caseworker@northmoor.example", EASTBROOK: "caseworker@eastbrook.example"}
SENCO = {NORTHMOOR: "senco@oakfield.example", EASTBROOK: "senco@hillcrest.example"}


@dataclass(frozen=True)
class Stage:
    """One demo case: days since the request, and how far it has gone (each step days ago)."""

    received_ago: int
    decided_ago: int | None = None  # decision to assess
    advice_ago: int | None = None  # advice asked of the school and the EP
    school_advice_in: bool = False
    issue_ago: int | None = None  # decision to issue (a draft is started)
    served_ago: int | None = None  # draft served on the parent
    final_ago: int | None = None  # final plan issued
    at_oakfield: bool = False


# fmt: off
STAGES: dict[str, list[Stage]] = {
    NORTHMOOR: [
        Stage(45), Stage(40), Stage(30), Stage(12),
        Stage(60, decided_ago=25, advice_ago=39, at_oakfield=True),
        Stage(90, decided_ago=55, advice_ago=20, at_oakfield=True),
        Stage(120, decided_ago=85, advice_ago=80, school_advice_in=True, issue_ago=10),
        Stage(145, decided_ago=110, advice_ago=105, school_advice_in=True, issue_ago=40,
              served_ago=30),
        Stage(135, decided_ago=100, advice_ago=95, school_advice_in=True, issue_ago=45,
              served_ago=35, final_ago=5, at_oakfield=True),
    ],
    EASTBROOK: [
        Stage(20),
        Stage(80, decided_ago=40, advice_ago=35),
        Stage(138, decided_ago=100, advice_ago=95, school_advice_in=True, issue_ago=30,
              served_ago=20),
    ],
}
# fmt: on

SCHOOL_ADVICE = {
    "needs": "Speech, language and communication needs are the primary need; literacy is well "
    "below age-related expectations.",
    "attainment": "Reading age about three years below chronological age; progress in phonics "
    "is slow despite daily small-group teaching.",
    "attendance": "96% this year.",
    "tried": "Two cycles of SEN support with speech and language groups and 1:1 reading; see the "
    "provision map for sessions and cost.",
    "outcomes_sought": "To follow two-step instructions in class; to read texts at the level of "
    "the class with support.",
    "pupil_views": "Likes working with the TA; finds busy classrooms hard.",
    "parent_views": "Parents would like a plan so that speech and language therapy continues.",
}


def _pupils(la: LocalAuthority, rng: random.Random, n: int, oakfield: int) -> list[Pupil]:
    """n pupils on SEN support at the LA's schools, the first `oakfield` of them at Oakfield."""
    support = Pupil.objects.filter(
        school__local_authority=la, sen_provision=SenProvision.SEN_SUPPORT
    ).order_by("upn")
    at_oak = list(support.filter(school__name=OAKFIELD))
    elsewhere = list(support.exclude(school__name=OAKFIELD))
    chosen = rng.sample(at_oak, oakfield) if oakfield else []
    return chosen + rng.sample(elsewhere, n - oakfield)


def _plan_rows(version: PlanVersion, by: Any) -> None:
    """Section B from the register, plus an outcome and a provision for every need (E, F)."""
    for need in version.needs.all():
        outcome = plan_services.outcome_add(
            version=version,
            outcome=f"Makes good progress in {need.get_area_display().lower()}",
            by_when="July 2027",
            needs=[need],
            by=by,
        )
        plan_services.provision_add(
            version=version,
            what=f"Small-group support for {need.description.lower()}",
            sessions_per_week=3,
            minutes_per_session=30,
            duration="Until the next annual review",
            delivered_by="Teaching assistant trained by the SENCO",
            group_size=4,
            needs=[need],
            outcomes=[outcome],
            by=by,
        )


def _run(
    stage: Stage, pupil: Pupil, la: LocalAuthority, caseworker: User, senco: User, today: dt.date
) -> None:
    ago = lambda days: add_days(today, -days)  # noqa: E731
    case = services.case_open(
        pupil=pupil,
        local_authority=la,
        requested_by="school" if stage.at_oakfield else "parent",
        received_on=ago(stage.received_ago),
        caseworker=caseworker,
        by=caseworker,
    )
    if stage.decided_ago is None:
        return
    services.case_decide_assess(
        case=case, decision="assess", decided_on=ago(stage.decided_ago), by=caseworker
    )
    assert stage.advice_ago is not None
    asked = ago(stage.advice_ago)
    school = services.advice_request_create(
        case=case, kind=AdviceKind.EDUCATIONAL, sent_on=asked, received_on=asked, by=caseworker
    )
    ep = services.advice_request_create(
        case=case,
        kind=AdviceKind.PSYCHOLOGICAL,
        adviser_name=f"{la.name} Educational Psychology Service",
        sent_on=asked,
        received_on=add_days(asked, 2),
        by=caseworker,
    )
    if stage.school_advice_in:
        AdviceRequest.objects.filter(pk=school.pk).update(**SCHOOL_ADVICE)
        school.refresh_from_db()
        services.advice_submit(advice=school, by=senco)
        services.advice_record_received(
            advice=ep,
            received_on=add_days(asked, 30),
            summary="Cognitive assessment: verbal comprehension well below average, visual "
            "reasoning average. Recommends daily language work and visual supports.",
            by=caseworker,
        )
    if stage.issue_ago is None:
        return
    services.case_decide_issue(
        case=case, decision="issue", decided_on=ago(stage.issue_ago), by=caseworker
    )
    case.refresh_from_db()
    draft = case.plan.versions.get()
    plan_services.version_sections_update(
        version=draft,
        data={
            "section_a": "Enjoys football and drawing; wants to read stories to a younger sister."
        },
        expected_version=draft.version,
        by=caseworker,
    )
    draft.refresh_from_db()
    _plan_rows(draft, caseworker)
    if stage.served_ago is None:
        return
    draft.refresh_from_db()
    plan_services.version_issue(
        version=draft,
        issued_on=ago(stage.served_ago),
        expected_version=draft.version,
        by=caseworker,
    )
    if stage.final_ago is None:
        return
    final = plan_services.version_new(plan=case.plan, kind=PlanVersion.Kind.FINAL, by=caseworker)
    plan_services.version_sections_update(
        version=final,
        data={
            "section_i_school": pupil.school,
            "section_i_name": "",
            "section_i_type": "Mainstream primary school",
        },
        expected_version=final.version,
        by=caseworker,
    )
    final.refresh_from_db()
    plan_services.version_issue(
        version=final, issued_on=ago(stage.final_ago), expected_version=final.version, by=caseworker
    )


@transaction.atomic
def seed_demo_ehcp(today: dt.date) -> dict[str, int]:
    """Create the demo assessments; the same cases every run on the same day."""
    rng = random.Random(SEED + 5)
    users = {
        u.email: u for u in User.objects.filter(email__in=[*CASEWORKER.values(), *SENCO.values()])
    }
    for la in LocalAuthority.objects.filter(name__in=list(STAGES)).order_by("name"):
        stages = STAGES[la.name]
        oak = [s for s in stages if s.at_oakfield]
        rest = [s for s in stages if not s.at_oakfield]
        pupils = _pupils(la, rng, len(stages), len(oak))
        for stage, pupil in zip([*oak, *rest], pupils, strict=True):
            _run(stage, pupil, la, users[CASEWORKER[la.name]], users[SENCO[la.name]], today)
    return {
        "EHC needs assessments": AssessmentCase.objects.filter(
            local_authority__name__in=list(STAGES)
        ).count()
    }
