"""SEN support plan and parents' meeting services: validation, stale versions, clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

import tests.factories as factories
from pupils.support import services
from pupils.support.models import CycleOutcome, ParentMeeting, SupportCycle, SupportPlan
from sendadmin.accounts.models import AuditEvent
from sendadmin.calendar import add_months
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World
from tests.factories import CycleOutcomeFactory, SupportCycleFactory
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _update(cycle: SupportCycle, senco: object, **changes: object) -> SupportCycle:
    values: dict[str, object] = {
        "version": cycle.version,
        "assessment": cycle.assessment,
        "evidence": cycle.evidence,
        "review_date": cycle.review_date,
    }
    values.update(changes)
    return services.support_cycle_update(cycle=cycle, by=senco, **values)  # type: ignore[arg-type]


def test_every_support_model_has_history_and_a_factory() -> None:
    models = [
        m for m in apps.get_app_config("support").get_models() if not m.__name__.startswith("Hist")
    ]
    have_factory = {getattr(factories, n)._meta.model for n in factories.__all__}
    assert models
    assert [m.__name__ for m in models if not hasattr(m, "history")] == []
    assert [m.__name__ for m in models if m not in have_factory] == []


def test_starting_a_plan_twice_returns_the_first_plan(world: World, senco: object) -> None:
    first = services.support_plan_start(pupil=world.pupil, by=senco)
    second = services.support_plan_start(pupil=world.pupil, by=senco)
    assert first == second
    assert SupportPlan.objects.filter(pupil=world.pupil).count() == 1
    assert list(first.cycles.values_list("number", "status")) == [(1, "draft")]
    assert first.history.first().history_user == senco


def test_setting_a_review_date_opens_the_review_clock_for_the_senco(
    world: World, senco: object
) -> None:
    plan = services.support_plan_start(pupil=world.pupil, by=senco)
    cycle = plan.cycles.get()
    review = TODAY + 60 * DAY
    cycle = _update(cycle, senco, assessment="Struggles with phonics", review_date=review)
    assert cycle.status == SupportCycle.Status.ACTIVE
    assert cycle.version == 2
    clock = Clock.objects.get(kind=Kind.SEN_SUPPORT_REVIEW, pupil=world.pupil)
    assert (clock.due_on, clock.responsible_role, clock.state) == (review, "senco", "open")
    assert clock.subject == cycle


def test_changing_the_review_date_replaces_the_open_clock(world: World, senco: object) -> None:
    cycle = SupportCycleFactory(plan__pupil=world.pupil)
    cycle = _update(cycle, senco, assessment="A", review_date=TODAY + 30 * DAY)
    cycle = _update(cycle, senco, review_date=TODAY + 40 * DAY)
    clocks = Clock.objects.filter(kind=Kind.SEN_SUPPORT_REVIEW, pupil=world.pupil)
    assert sorted(clocks.values_list("state", "due_on")) == [
        ("cancelled", TODAY + 30 * DAY),
        ("open", TODAY + 40 * DAY),
    ]


def test_a_stale_version_is_refused_and_nothing_is_overwritten(
    world: World, senco: object, head: object
) -> None:
    cycle = SupportCycleFactory(plan__pupil=world.pupil, assessment="Original")
    opened_at = cycle.version
    _update(cycle, senco, assessment="The SENCO's change")
    with pytest.raises(services.StaleVersionError) as exc:
        _update(cycle, head, version=opened_at, assessment="An older form's change")
    assert "Someone else changed this plan" in exc.value.messages[0]
    cycle.refresh_from_db()
    assert (cycle.assessment, cycle.version) == ("The SENCO's change", opened_at + 1)


def test_the_same_form_sent_twice_saves_once(world: World, senco: object) -> None:
    cycle = SupportCycleFactory(plan__pupil=world.pupil)
    version = cycle.version
    _update(cycle, senco, version=version, assessment="Once")
    again = _update(cycle, senco, version=version, assessment="Once")
    assert again.version == version + 1
    assert cycle.history.count() == 2  # created, then one change


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"review_date": TODAY}, "The review date must be in the future"),
        ({"review_date": TODAY + DAY, "assessment": ""}, "Enter the assessment"),
    ],
)
def test_cycle_update_refuses_bad_input(
    world: World, senco: object, changes: dict[str, object], message: str
) -> None:
    cycle = SupportCycleFactory(plan__pupil=world.pupil)
    with pytest.raises(ValidationError) as exc:
        _update(cycle, senco, **changes)
    assert message in exc.value.messages[0]
    assert not Clock.objects.filter(kind=Kind.SEN_SUPPORT_REVIEW).exists()


def test_adds_refuse_blank_text_and_ignore_a_double_submission(
    world: World, senco: object, class_teacher: object
) -> None:
    cycle = SupportCycleFactory(plan__pupil=world.pupil)
    with pytest.raises(ValidationError):
        services.support_outcome_add(cycle=cycle, outcome=" ", success_criteria="x", by=senco)
    for _ in range(2):
        services.support_outcome_add(cycle=cycle, outcome="Reads", success_criteria="CVC", by=senco)
        services.support_provision_add(
            cycle=cycle, provision="Phonics", who="TA", how_often="Daily", by=senco
        )
        services.support_view_add(cycle=cycle, whose="parent", text="Happy", by=class_teacher)
        services.support_delivery_note_add(
            cycle=cycle, delivered_on=TODAY, note="Did phonics", by=class_teacher
        )
    assert cycle.outcomes.count() == cycle.provisions.count() == 1
    assert cycle.views.count() == cycle.delivery_notes.count() == 1
    with pytest.raises(ValidationError):
        services.support_view_add(cycle=cycle, whose="governor", text="x", by=senco)
    with pytest.raises(ValidationError):
        services.support_delivery_note_add(
            cycle=cycle, delivered_on=TODAY + DAY, note="x", by=senco
        )


def test_completing_the_review_meets_the_clock_and_starts_the_next_cycle(
    world: World, senco: object
) -> None:
    cycle = SupportCycleFactory(plan__pupil=world.pupil)
    cycle = _update(cycle, senco, assessment="A", review_date=TODAY + 30 * DAY)
    outcome = CycleOutcomeFactory(cycle=cycle)
    with pytest.raises(ValidationError):  # no progress given for the outcome
        services.support_review_complete(
            cycle=cycle, version=cycle.version, reviewed_on=TODAY, reviews={}, by=senco
        )
    reviews = {outcome.pk: {"progress": "good", "notes": "", "next_steps": "Keep going"}}
    following = services.support_review_complete(
        cycle=cycle, version=cycle.version, reviewed_on=TODAY, reviews=reviews, by=senco
    )
    again = services.support_review_complete(
        cycle=cycle, version=cycle.version, reviewed_on=TODAY, reviews=reviews, by=senco
    )
    assert following == again
    assert (following.number, following.status) == (2, "draft")
    cycle.refresh_from_db()
    assert (cycle.status, cycle.reviewed_on) == ("reviewed", TODAY)
    assert CycleOutcome.objects.get(pk=outcome.pk).review.next_steps == "Keep going"
    clock = Clock.objects.get(kind=Kind.SEN_SUPPORT_REVIEW, pupil=world.pupil)
    assert (clock.state, clock.met_on) == ("met", TODAY)
    assert AuditEvent.objects.filter(action="support.cycle.reviewed").count() == 1
    with pytest.raises(ValidationError):
        services.support_outcome_add(cycle=cycle, outcome="x", success_criteria="y", by=senco)


def test_reviewing_a_draft_cycle_or_a_stale_form_is_refused(world: World, senco: object) -> None:
    cycle = SupportCycleFactory(plan__pupil=world.pupil)
    CycleOutcomeFactory(cycle=cycle)
    with pytest.raises(ValidationError, match="Set a review date"):
        services.support_review_complete(
            cycle=cycle, version=cycle.version, reviewed_on=TODAY, reviews={}, by=senco
        )
    with pytest.raises(services.StaleVersionError):
        services.support_review_complete(
            cycle=cycle, version=cycle.version - 1, reviewed_on=TODAY, reviews={}, by=senco
        )


def test_a_parents_meeting_meets_the_open_clock_and_opens_the_next(
    world: World, class_teacher: object
) -> None:
    pupil = world.pupil
    first = services.parent_meeting_record(
        pupil=pupil,
        date=TODAY - 10 * DAY,
        attendees="Mum",
        agreed="Plan",
        next_date=None,
        by=class_teacher,
    )
    clock = Clock.objects.get(kind=Kind.PARENT_MEETING, pupil=pupil, state="open")
    assert clock.due_on == add_months(TODAY - 10 * DAY, 4)
    services.parent_meeting_record(
        pupil=pupil,
        date=TODAY,
        attendees="Mum, Dad",
        agreed="Review",
        next_date=TODAY + 50 * DAY,
        by=class_teacher,
    )
    clock.refresh_from_db()
    assert (clock.state, clock.met_on) == ("met", TODAY)
    following = Clock.objects.get(kind=Kind.PARENT_MEETING, pupil=pupil, state="open")
    assert following.due_on == TODAY + 50 * DAY
    again = services.parent_meeting_record(
        pupil=pupil,
        date=TODAY - 10 * DAY,
        attendees="Mum",
        agreed="Plan",
        next_date=None,
        by=class_teacher,
    )
    assert again == first
    assert ParentMeeting.objects.filter(pupil=pupil).count() == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"date": None}, "Enter the date of the meeting"),
        ({"date": TODAY + DAY}, "cannot be in the future"),
        ({"attendees": "  "}, "Enter who attended"),
        ({"agreed": ""}, "Enter what was agreed"),
        ({"next_date": TODAY - DAY}, "The next meeting must be after this one"),
    ],
)
def test_a_parents_meeting_with_bad_input_is_refused(
    world: World, senco: object, kwargs: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "date": TODAY,
        "attendees": "Mum",
        "agreed": "Plan",
        "next_date": None,
    }
    values.update(kwargs)
    with pytest.raises(ValidationError, match=message):
        services.parent_meeting_record(pupil=world.pupil, by=senco, **values)  # type: ignore[arg-type]
    assert not ParentMeeting.objects.exists()
    assert not Clock.objects.filter(kind=Kind.PARENT_MEETING).exists()
