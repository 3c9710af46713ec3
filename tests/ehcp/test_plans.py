"""Editing and issuing EHC plans (domain.md 1.1 steps 5b-7, 3), through ehcp.plans with real clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ehcp import plans
from ehcp.models import AdviceKind, AssessmentCase, Plan, PlanVersion
from ehcp.plans import PlanFrozenError
from ehcp.selectors import case_clock_open
from ehcp.services import (
    StaleVersionError,
    advice_record_received,
    advice_request_create,
    case_decide_assess,
    case_decide_issue,
    case_open,
)
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World
from tests.factories import PupilNeedFactory
from tests.factories.dates import TODAY
from tests.factories.provision import ProvisionFactory

pytestmark = pytest.mark.django_db

RECEIVED = TODAY - dt.timedelta(weeks=12)
SERVED = TODAY - dt.timedelta(days=20)


def _draft(world: World) -> PlanVersion:
    """A case that decided to issue a plan, with its draft (version 1) started from the register."""
    cw = world.users["la_caseworker"]
    PupilNeedFactory(pupil=world.pupil, rank=1, code="SLCN")
    case = case_open(
        pupil=world.pupil,
        local_authority=world.home_la,
        requested_by="parent",
        received_on=RECEIVED,
        by=cw,
        caseworker=cw,
    )
    assessed = RECEIVED + dt.timedelta(weeks=5)
    case = case_decide_assess(case=case, decision="assess", decided_on=assessed, by=cw)
    ep = advice_request_create(
        case=case,
        kind=AdviceKind.PSYCHOLOGICAL,
        adviser_name="Northmoor EP service",
        sent_on=assessed,
        received_on=assessed,
        by=cw,
    )
    advice_record_received(
        advice=ep, received_on=assessed + dt.timedelta(weeks=2), summary="EP report", by=cw
    )
    case_decide_issue(case=case, decision="issue", decided_on=TODAY - dt.timedelta(weeks=4), by=cw)
    return Plan.objects.get(case=case).versions.get()


def _provide(version: PlanVersion, by: object, what: str = "Speech and language therapy") -> None:
    plans.provision_add(
        version=version,
        what=what,
        sessions_per_week=1,
        minutes_per_session=45,
        duration="Until the next annual review",
        delivered_by="NHS speech and language therapist",
        needs=list(version.needs.all()),
        by=by,
    )


def _served(world: World) -> PlanVersion:
    draft = _draft(world)
    cw = world.users["la_caseworker"]
    _provide(draft, cw)
    draft.refresh_from_db()
    return plans.version_issue(
        version=draft, issued_on=SERVED, by=cw, expected_version=draft.version
    )


def _final(world: World) -> PlanVersion:
    draft = _served(world)
    cw = world.users["la_caseworker"]
    final = plans.version_new(plan=draft.plan, kind="final", by=cw)
    return plans.version_sections_update(
        version=final,
        data={"section_i_school": world.school, "section_i_type": "Mainstream primary school"},
        expected_version=final.version,
        by=cw,
    )


def test_serving_the_draft_opens_the_representations_clock_for_15_days(world: World) -> None:
    draft = _served(world)
    clock = case_clock_open(draft, Kind.REPRESENTATIONS)
    assert clock is not None
    assert clock.started_on == SERVED
    assert clock.due_on == SERVED + dt.timedelta(days=14)
    assert clock.local_authority == world.home_la and clock.pupil == world.pupil
    assert clock.responsible_user == world.users["la_caseworker"]


def test_a_draft_needs_a_need_and_provision_before_it_is_served(world: World) -> None:
    draft = _draft(world)
    with pytest.raises(ValidationError, match="Section F lists no special educational provision"):
        plans.version_issue(
            version=draft, issued_on=SERVED, by=None, expected_version=draft.version
        )
    draft.refresh_from_db()
    assert draft.issued_on is None


def test_an_issued_version_refuses_every_change(world: World) -> None:
    draft = _served(world)
    need = draft.needs.get()
    cw = world.users["la_caseworker"]
    for change in (
        lambda: plans.version_sections_update(
            version=draft, data={"section_a": "x"}, expected_version=None, by=cw
        ),
        lambda: plans.need_add(version=draft, area="semh", code="", description="x", by=cw),
        lambda: plans.need_remove(need=need, by=cw),
        lambda: plans.outcome_add(version=draft, outcome="x", by_when="", needs=[need], by=cw),
        lambda: _provide(draft, cw, what="Another"),
    ):
        with pytest.raises(PlanFrozenError, match="cannot be changed"):
            change()
    assert draft.provisions.count() == 1


def test_a_draft_cannot_name_a_school(world: World) -> None:
    draft = _draft(world)
    with pytest.raises(ValidationError, match="Section I stays blank in a draft plan"):
        plans.version_sections_update(
            version=draft,
            data={"section_i_school": world.school, "section_i_type": "Mainstream"},
            expected_version=draft.version,
            by=None,
        )


def test_a_stale_section_form_is_refused_after_a_row_changes(world: World) -> None:
    draft = _draft(world)
    opened_at = draft.version
    _provide(draft, world.users["la_caseworker"])
    with pytest.raises(StaleVersionError, match="Someone else changed"):
        plans.version_sections_update(
            version=draft, data={"section_a": "Likes trains"}, expected_version=opened_at, by=None
        )
    draft.refresh_from_db()
    assert draft.section_a == ""


def test_a_census_need_type_must_match_its_area(world: World) -> None:
    draft = _draft(world)
    with pytest.raises(ValidationError, match="belongs to Cognition and learning"):
        plans.need_add(version=draft, area="semh", code="SPLD", description="Dyslexia", by=None)
    need = plans.need_add(
        version=draft, area="cognition", code="SPLD", description="Dyslexia", by=None
    )
    assert need.position == 2


def test_adding_the_same_row_twice_returns_the_first(world: World) -> None:
    draft = _draft(world)
    need = draft.needs.get()
    first = plans.outcome_add(
        version=draft, outcome="Speaks in class", by_when="July", needs=[need], by=None
    )
    again = plans.outcome_add(
        version=draft, outcome="Speaks in class", by_when="July", needs=[need], by=None
    )
    assert again == first and draft.outcomes.count() == 1
    _provide(draft, None)
    _provide(draft, None)
    assert draft.provisions.count() == 1


def test_removing_a_linked_need_is_refused_naming_what_links_to_it(world: World) -> None:
    draft = _draft(world)
    need = draft.needs.get()
    plans.outcome_add(version=draft, outcome="Speaks in class", by_when="", needs=[need], by=None)
    _provide(draft, None)
    with pytest.raises(ValidationError, match=r"'Speaks in class'.*'Speech and language therapy'"):
        plans.need_remove(need=need, by=None)
    assert draft.needs.count() == 1


def test_outcomes_and_provision_need_needs_of_the_same_version(world: World) -> None:
    draft = _draft(world)
    other = PlanVersion.objects.create(
        plan=Plan.objects.create(pupil=world.untaught_pupil, local_authority=world.home_la),
        number=1,
        kind="draft",
    )
    foreign = plans.need_add(version=other, area="semh", code="SEMH", description="x", by=None)
    with pytest.raises(ValidationError, match="Select at least one need"):
        plans.outcome_add(version=draft, outcome="x", by_when="", needs=[], by=None)
    with pytest.raises(ValidationError, match="from this version"):
        plans.outcome_add(version=draft, outcome="x", by_when="", needs=[foreign], by=None)


def test_provision_from_another_schools_map_is_refused(world: World) -> None:
    draft = _draft(world)
    kwargs = {
        "version": draft,
        "what": "Reading catch-up",
        "sessions_per_week": 3,
        "minutes_per_session": 30,
        "duration": "A term",
        "delivered_by": "TA",
        "needs": list(draft.needs.all()),
        "by": None,
    }
    with pytest.raises(ValidationError, match="provision map of the child's own school"):
        plans.provision_add(**kwargs, map_provision=ProvisionFactory(school=world.second_school))
    row = plans.provision_add(**kwargs, map_provision=ProvisionFactory(school=world.school))
    assert row.map_provision is not None and row.map_provision.school == world.school


def test_provision_must_be_quantified(world: World) -> None:
    draft = _draft(world)
    with pytest.raises(ValidationError) as caught:
        plans.provision_add(
            version=draft,
            what="Therapy",
            sessions_per_week=0,
            minutes_per_session=None,
            duration="",
            delivered_by="",
            needs=list(draft.needs.all()),
            by=None,
        )
    assert set(caught.value.message_dict) == {
        "sessions_per_week",
        "minutes_per_session",
        "duration",
        "delivered_by",
    }


def test_the_final_plan_copies_the_draft_with_links_pointing_at_the_copies(world: World) -> None:
    draft = _draft(world)
    need = draft.needs.get()
    outcome = plans.outcome_add(version=draft, outcome="Speaks", by_when="", needs=[need], by=None)
    row = plans.provision_add(
        version=draft,
        what="Therapy",
        sessions_per_week=1,
        minutes_per_session=30,
        duration="A year",
        delivered_by="SLT",
        needs=[need],
        outcomes=[outcome],
        by=None,
    )
    draft.refresh_from_db()
    plans.version_issue(version=draft, issued_on=SERVED, by=None, expected_version=None)
    final = plans.version_new(plan=draft.plan, kind="final", by=None)
    assert (final.number, final.kind, final.based_on) == (2, "final", draft)
    new_need = final.needs.get()
    new_outcome = final.outcomes.get()
    new_row = final.provisions.get()
    assert new_need.pk != need.pk and new_row.pk != row.pk
    assert list(new_outcome.needs.all()) == [new_need]
    assert list(new_row.needs.all()) == [new_need]
    assert list(new_row.outcomes.all()) == [new_outcome]
    assert list(row.needs.all()) == [need]  # the draft keeps its own links
    assert set(final.advice.all()) == set(draft.advice.all()) and final.advice.exists()
    assert final.section_i_name == "" and final.section_i_school is None
    # Asking again while it is being edited returns it.
    assert plans.version_new(plan=draft.plan, kind="final", by=None) == final
    with pytest.raises(ValidationError, match="start the final plan"):
        final.delete()
        plans.version_new(plan=draft.plan, kind="amended", by=None)


def test_every_refusal_of_a_final_plan_says_what_to_fix(world: World) -> None:
    draft = _served(world)
    final = plans.version_new(plan=draft.plan, kind="final", by=None)
    plans.need_add(version=final, area="semh", code="SEMH", description="Anxiety", by=None)
    final.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        plans.version_issue(version=final, issued_on=TODAY, by=None, expected_version=None)
    messages = " ".join(caught.value.messages)
    assert "No provision is linked to: 'Anxiety'" in messages
    assert "Section I is empty" in messages
    early = SERVED + dt.timedelta(days=10)
    with pytest.raises(ValidationError, match=r"has until .* to make representations"):
        plans.version_issue(version=final, issued_on=early, by=None, expected_version=None)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        plans.version_issue(
            version=final, issued_on=TODAY + dt.timedelta(days=1), by=None, expected_version=None
        )
    with pytest.raises(ValidationError, match="before version 1 was issued"):
        plans.version_issue(
            version=final, issued_on=SERVED - dt.timedelta(days=1), by=None, expected_version=None
        )
    for row in final.provisions.all():
        plans.provision_remove(row=row, by=None)
    for need in final.needs.all():
        plans.need_remove(need=need, by=None)
    with pytest.raises(ValidationError) as caught:
        plans.version_issue(version=final, issued_on=TODAY, by=None, expected_version=None)
    assert "Section B lists no special educational needs" in " ".join(caught.value.messages)
    assert "Section F lists no special educational provision" in " ".join(caught.value.messages)
    final.refresh_from_db()
    assert final.issued_on is None


def test_representations_let_the_final_plan_be_issued_inside_the_window(world: World) -> None:
    draft = _served(world)
    received = SERVED + dt.timedelta(days=3)
    with pytest.raises(ValidationError, match="before the draft was served"):
        plans.representations_record(
            version=draft, received_on=SERVED - dt.timedelta(days=1), text="x", by=None
        )
    plans.representations_record(version=draft, received_on=received, text="Agree", by=None)
    clock = Clock.objects.get(kind=Kind.REPRESENTATIONS, subject_id=draft.pk)
    assert (clock.state, clock.met_on) == (Clock.State.MET, received)
    final = _final_from(world, draft)
    issued = plans.version_issue(version=final, issued_on=received, by=None, expected_version=None)
    assert issued.issued_on == received


def _final_from(world: World, draft: PlanVersion) -> PlanVersion:
    final = plans.version_new(plan=draft.plan, kind="final", by=None)
    return plans.version_sections_update(
        version=final,
        data={"section_i_name": "Oakfield", "section_i_type": "Mainstream"},
        expected_version=None,
        by=None,
    )


def test_issuing_the_final_plan_ends_the_assessment(world: World) -> None:
    final = _final(world)
    cw = world.users["la_caseworker"]
    issued = plans.version_issue(version=final, issued_on=TODAY, by=cw, expected_version=None)
    assert issued.issued_on == TODAY and issued.issued_by == cw
    case = AssessmentCase.objects.get(pk=final.plan.case_id)
    assert (case.closed_on, case.closed_reason) == (TODAY, "Final plan issued")
    final_clock = Clock.objects.get(kind=Kind.FINAL_PLAN, subject_id=case.pk)
    assert (final_clock.state, final_clock.met_on) == (Clock.State.MET, TODAY)
    reps = Clock.objects.get(kind=Kind.REPRESENTATIONS)
    assert reps.state == Clock.State.MET
    world.pupil.refresh_from_db()
    assert world.pupil.sen_provision == "E"
    assert world.pupil.sen_statuses.get(end__isnull=True).start == TODAY
    # The first annual review falls due 12 months after the plan was made (CFA s.44(1)), for the
    # SENCO of the school named in section I to convene.
    review = Clock.objects.get(kind=Kind.ANNUAL_REVIEW, subject_id=final.plan_id)
    assert (review.due_on, review.school, review.responsible_role) == (
        dt.date(2027, 11, 23),
        world.school,
        "senco",
    )
    # Issuing again is harmless.
    again = plans.version_issue(version=final, issued_on=TODAY, by=cw, expected_version=None)
    assert again.version == issued.version
    # A change now needs an amended version, which keeps section I.
    amended = plans.version_new(plan=final.plan, kind="amended", by=cw)
    assert (amended.number, amended.section_i_school) == (3, world.school)
    with pytest.raises(ValidationError, match="already issued"):
        amended.delete()
        plans.version_new(plan=final.plan, kind="final", by=cw)
