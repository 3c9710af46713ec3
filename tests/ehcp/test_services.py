"""The assessment's state changes and their clocks (domain.md 1.1), through ehcp.services only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ehcp.models import AdviceKind, AdviceRequest, AssessmentCase, Plan
from ehcp.selectors import case_clock_list
from ehcp.services import (
    StaleVersionError,
    advice_record_received,
    advice_request_create,
    advice_submit,
    case_decide_assess,
    case_decide_issue,
    case_open,
    case_pupil_find,
    case_set_placement,
)
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World
from tests.factories import PupilNeedFactory
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db

RECEIVED = TODAY - dt.timedelta(weeks=8)


def _open(world: World, **kw: object) -> AssessmentCase:
    args: dict[str, object] = {
        "pupil": world.pupil,
        "local_authority": world.home_la,
        "requested_by": "parent",
        "received_on": RECEIVED,
        "by": world.users["la_caseworker"],
        "caseworker": world.users["la_caseworker"],
    }
    args.update(kw)
    return case_open(**args)  # type: ignore[arg-type]


def _clocks(case: AssessmentCase) -> dict[str, Clock]:
    return {c.kind: c for c in case_clock_list(case)}


def test_opening_a_case_starts_the_6_and_20_week_clocks_from_the_request(world: World) -> None:
    case = _open(world)
    clocks = _clocks(case)
    assert clocks[Kind.DECISION_TO_ASSESS].due_on == RECEIVED + dt.timedelta(weeks=6)
    assert clocks[Kind.FINAL_PLAN].due_on == RECEIVED + dt.timedelta(weeks=20)
    assert all(c.pupil_id == world.pupil.pk and c.school_id is None for c in clocks.values())
    assert case.week_number(TODAY) == 9


def test_the_same_request_sent_twice_is_one_case_and_another_is_refused(world: World) -> None:
    case = _open(world)
    assert _open(world) == case
    with pytest.raises(ValidationError, match=case.reference):
        _open(world, requested_by="school")
    assert AssessmentCase.objects.count() == 1
    assert Clock.objects.filter(kind=Kind.DECISION_TO_ASSESS).count() == 1


def test_a_request_dated_in_the_future_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="future"):
        _open(world, received_on=TODAY + dt.timedelta(days=1))


def test_a_decision_dated_before_the_request_is_refused_and_nothing_changes(world: World) -> None:
    case = _open(world)
    with pytest.raises(ValidationError, match="before the LA received the request"):
        case_decide_assess(
            case=case,
            decision="assess",
            decided_on=RECEIVED - dt.timedelta(days=1),
            by=world.users["la_caseworker"],
        )
    case.refresh_from_db()
    assert case.assess_decision == "pending"
    assert _clocks(case)[Kind.DECISION_TO_ASSESS].state == Clock.State.OPEN


def test_a_stale_decision_form_is_refused(world: World) -> None:
    case = _open(world)
    with pytest.raises(StaleVersionError):
        case_decide_assess(
            case=case,
            decision="assess",
            decided_on=TODAY,
            by=world.users["la_caseworker"],
            version=case.version + 1,
        )


def test_deciding_not_to_assess_closes_the_case_and_cancels_the_20_week_clock(world: World) -> None:
    case = _open(world)
    with pytest.raises(ValidationError, match="reasons"):
        case_decide_assess(case=case, decision="not_assess", decided_on=TODAY, by=None)
    case = case_decide_assess(
        case=case,
        decision="not_assess",
        decided_on=TODAY,
        reasons="Needs are being met at SEN support.",
        by=world.users["la_caseworker"],
    )
    clocks = _clocks(case)
    assert case.closed_on == TODAY
    assert clocks[Kind.DECISION_TO_ASSESS].state == Clock.State.MET
    assert clocks[Kind.FINAL_PLAN].state == Clock.State.CANCELLED


def test_the_whole_assessment_meets_its_clocks_in_order(world: World) -> None:
    caseworker = world.users["la_caseworker"]
    PupilNeedFactory(pupil=world.pupil, rank=1, code="SLCN")
    case = _open(world)
    decided = RECEIVED + dt.timedelta(weeks=5)
    case = case_decide_assess(case=case, decision="assess", decided_on=decided, by=caseworker)
    assert _clocks(case)[Kind.NO_PLAN_NOTICE].due_on == RECEIVED + dt.timedelta(weeks=16)

    school_advice = advice_request_create(
        case=case, kind=AdviceKind.EDUCATIONAL, sent_on=decided, received_on=decided, by=caseworker
    )
    ep = advice_request_create(
        case=case,
        kind=AdviceKind.PSYCHOLOGICAL,
        adviser_name="Northmoor Educational Psychology",
        sent_on=decided,
        received_on=decided + dt.timedelta(days=2),
        by=caseworker,
    )
    # The school's clock is the school's; the EP's is the caseworker's to chase.
    assert school_advice.school == world.school
    assert school_advice.adviser_name == world.school.name
    school_clock = Clock.objects.get(kind=Kind.ADVICE_REQUEST, subject_id=school_advice.pk)
    assert (school_clock.school, school_clock.responsible_role) == (world.school, "senco")
    assert school_clock.due_on == decided + dt.timedelta(weeks=6)
    ep_clock = Clock.objects.get(kind=Kind.ADVICE_REQUEST, subject_id=ep.pk)
    assert (ep_clock.school, ep_clock.responsible_user) == (None, caseworker)

    with pytest.raises(ValidationError, match="Complete these parts"):
        advice_submit(advice=school_advice, by=world.users["senco"])
    AdviceRequest.objects.filter(pk=school_advice.pk).update(
        needs="n", attainment="a", tried="t", outcomes_sought="o"
    )
    school_advice.refresh_from_db()
    advice_submit(advice=school_advice, by=world.users["senco"], version=school_advice.version)
    with pytest.raises(ValidationError, match="already sent"):
        advice_submit(advice=school_advice, by=world.users["senco"])
    advice_record_received(advice=ep, received_on=TODAY, summary="EP report", by=caseworker)
    school_clock.refresh_from_db()
    assert (school_clock.state, school_clock.met_on) == (Clock.State.MET, TODAY)

    case_set_placement(
        case=case,
        requested_school=world.second_school,
        consultation_sent_on=TODAY - dt.timedelta(days=3),
        consultation_reply_on=TODAY,
        consultation_reply="agrees",
        by=caseworker,
    )
    case = case_decide_issue(case=case, decision="issue", decided_on=TODAY, by=caseworker)
    clocks = _clocks(case)
    assert clocks[Kind.NO_PLAN_NOTICE].state == Clock.State.MET
    assert clocks[Kind.SCHOOL_CONSULTATION].state == Clock.State.MET
    assert clocks[Kind.FINAL_PLAN].state == Clock.State.OPEN
    plan = Plan.objects.get(case=case)
    draft = plan.versions.get()
    assert draft.kind == "draft" and draft.issued_on is None
    assert [n.code for n in draft.needs.all()] == ["SLCN"]
    assert set(draft.advice.all()) == {school_advice, ep}


def test_adulthood_advice_is_refused_before_year_9(world: World) -> None:
    case = _open(world)
    case = case_decide_assess(case=case, decision="assess", decided_on=TODAY, by=None)
    with pytest.raises(ValidationError, match="Year 9"):
        advice_request_create(
            case=case,
            kind=AdviceKind.PREPARATION_FOR_ADULTHOOD,
            adviser_name="Careers",
            sent_on=TODAY,
            received_on=TODAY,
            by=None,
        )


def test_deciding_to_issue_needs_some_advice_first(world: World) -> None:
    case = _open(world)
    case = case_decide_assess(case=case, decision="assess", decided_on=TODAY, by=None)
    with pytest.raises(ValidationError, match="No advice has been received"):
        case_decide_issue(case=case, decision="issue", decided_on=TODAY, by=None)


def test_finding_a_pupil_needs_school_upn_and_birth_date_to_agree(world: World) -> None:
    pupil = world.pupil
    found = case_pupil_find(
        school=world.school, upn=pupil.upn.lower(), date_of_birth=pupil.date_of_birth, by=None
    )
    assert found == pupil
    for school, dob in (
        (world.second_school, pupil.date_of_birth),
        (world.school, pupil.date_of_birth + dt.timedelta(days=1)),
    ):
        with pytest.raises(ValidationError, match="No pupil at that school"):
            case_pupil_find(school=school, upn=pupil.upn, date_of_birth=dob, by=None)
