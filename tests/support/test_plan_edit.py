"""Changing and removing a support plan's outcomes and provision, and the plan's history page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pupils.support import services
from pupils.support.models import CycleOutcome, CycleProvision, SupportCycle, SupportPlan
from pupils.support.selectors import support_plan_history_for
from sendadmin.accounts.models import AuditEvent
from sendadmin.accounts.selectors import membership_current_for
from tests.conftest import World, client_for
from tests.factories import (
    CycleOutcomeFactory,
    CycleProvisionFactory,
    CycleViewFactory,
    DeliveryNoteFactory,
    OutcomeReviewFactory,
    SupportCycleFactory,
    SupportPlanFactory,
)
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _acting(world: World) -> None:
    """The services check the acting user's role, which the middleware sets on a request."""
    for user in world.users.values():
        user.active_membership = membership_current_for(user)  # type: ignore[attr-defined]


def _plan(world: World) -> tuple[SupportPlan, SupportCycle]:
    plan = SupportPlanFactory(pupil=world.pupil)
    return plan, plan.cycles.get()


def _reviewed_plan(world: World) -> tuple[SupportPlan, SupportCycle]:
    """A plan whose first cycle has been reviewed; cycle 2 is the current one."""
    plan = SupportPlanFactory(pupil=world.pupil, first_cycle=False)
    old = SupportCycleFactory(plan=plan, number=1, status="reviewed", reviewed_on=TODAY - DAY)
    SupportCycleFactory(plan=plan, number=2)
    return plan, old


def _url(name: str, row: CycleOutcome | CycleProvision) -> str:
    return reverse(f"support:{name}", args=[row.cycle.plan_id, row.pk])


def _edit_outcome(row: CycleOutcome, by: Any, version: int, text: str) -> CycleOutcome:
    return services.support_outcome_update(
        cycle_outcome=row, version=version, outcome=text, success_criteria="4 of 5 lessons", by=by
    )


# Services


def test_senco_changes_an_outcome_with_history_and_an_audit_event(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    changed = _edit_outcome(row, senco, row.version, "Reads a two-step instruction aloud")
    row.refresh_from_db()
    assert (row.outcome, row.version) == ("Reads a two-step instruction aloud", 2)
    assert changed == row
    assert row.history.first().history_user == senco
    event = AuditEvent.objects.get(action="support.outcome.updated")
    assert (event.actor, event.target_id, event.data) == (
        senco,
        str(cycle.pk),
        {"row_id": row.pk, "version": 2},
    )


def test_a_second_edit_from_a_stale_form_is_refused_and_overwrites_nothing(
    world: World, senco: Any
) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    opened_at = row.version
    _edit_outcome(row, senco, opened_at, "The first person's text")
    with pytest.raises(services.StaleVersionError) as exc:
        _edit_outcome(row, senco, opened_at, "The second person's text")
    assert "Someone else changed this outcome" in exc.value.messages[0]
    row.refresh_from_db()
    assert (row.outcome, row.version) == ("The first person's text", opened_at + 1)


def test_the_same_edit_sent_twice_saves_once(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    _edit_outcome(row, senco, 1, "Once")
    again = _edit_outcome(row, senco, 1, "Once")
    assert again.version == 2
    assert row.history.count() == 2  # created, then one change


def test_editing_one_row_does_not_refuse_an_edit_of_another(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    first, second = CycleOutcomeFactory(cycle=cycle), CycleOutcomeFactory(cycle=cycle)
    _edit_outcome(first, senco, 1, "First changed")
    _edit_outcome(second, senco, 1, "Second changed")
    assert set(cycle.outcomes.values_list("outcome", "version")) == {
        ("First changed", 2),
        ("Second changed", 2),
    }


def test_edits_refuse_blank_text(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleProvisionFactory(cycle=cycle)
    with pytest.raises(ValidationError) as exc:
        services.support_provision_update(
            cycle_provision=row,
            version=1,
            provision="Phonics",
            who=" ",
            how_often="Daily",
            by=senco,
        )
    assert exc.value.messages == ["Enter who delivers it"]


def test_senco_changes_and_removes_a_provision_row(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleProvisionFactory(cycle=cycle)
    services.support_provision_update(
        cycle_provision=row, version=1, provision="Phonics", who="TA", how_often="Daily", by=senco
    )
    row.refresh_from_db()
    assert (row.provision, row.who, row.version) == ("Phonics", "TA", 2)
    services.support_provision_remove(cycle_provision=row, version=2, by=senco)
    assert not cycle.provisions.exists()
    removed = CycleProvision.history.get(id=row.pk, history_type="-")
    assert removed.history_user == senco
    assert AuditEvent.objects.filter(
        action="support.provision.removed", data={"row_id": row.pk}
    ).exists()


def test_removing_twice_removes_once(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    services.support_outcome_remove(cycle_outcome=row, version=1, by=senco)
    services.support_outcome_remove(cycle_outcome=row, version=1, by=senco)
    assert not cycle.outcomes.exists()
    assert AuditEvent.objects.filter(action="support.outcome.removed").count() == 1


def test_a_stale_removal_is_refused(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    _edit_outcome(row, senco, 1, "Changed after the confirmation page was opened")
    with pytest.raises(services.StaleVersionError) as exc:
        services.support_outcome_remove(cycle_outcome=row, version=1, by=senco)
    assert "Nothing has been removed" in exc.value.messages[0]
    assert cycle.outcomes.filter(pk=row.pk).exists()


def test_an_outcome_with_a_review_is_not_removed(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    OutcomeReviewFactory(outcome=row)
    with pytest.raises(ValidationError) as exc:
        services.support_outcome_remove(cycle_outcome=row, version=1, by=senco)
    assert "has a review recorded" in exc.value.messages[0]
    assert CycleOutcome.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("persona", ["head", "class_teacher", "other_school_senco"])
def test_services_refuse_people_who_may_not_edit_the_plan(world: World, persona: str) -> None:
    _, cycle = _plan(world)
    outcome, provision = CycleOutcomeFactory(cycle=cycle), CycleProvisionFactory(cycle=cycle)
    by = world.users[persona]
    with pytest.raises(PermissionDenied):
        _edit_outcome(outcome, by, 1, "Not theirs to change")
    with pytest.raises(PermissionDenied):
        services.support_outcome_remove(cycle_outcome=outcome, version=1, by=by)
    with pytest.raises(PermissionDenied):
        services.support_provision_update(
            cycle_provision=provision, version=1, provision="x", who="x", how_often="x", by=by
        )
    with pytest.raises(PermissionDenied):
        services.support_provision_remove(cycle_provision=provision, version=1, by=by)
    assert (cycle.outcomes.count(), cycle.provisions.count()) == (1, 1)


def test_services_refuse_rows_of_a_reviewed_cycle(world: World, senco: Any) -> None:
    _, old = _reviewed_plan(world)
    row = CycleOutcomeFactory(cycle=old)
    with pytest.raises(ValidationError, match="This cycle has been reviewed"):
        _edit_outcome(row, senco, 1, "Rewriting what was reviewed")
    with pytest.raises(ValidationError, match="This cycle has been reviewed"):
        services.support_outcome_remove(cycle_outcome=row, version=1, by=senco)
    assert CycleOutcome.objects.get(pk=row.pk).outcome == row.outcome


# Pages


def test_senco_changes_an_outcome_through_the_page(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    client = client_for(senco)
    body = client.get(_url("outcome-edit", row)).content.decode()
    assert "Change an outcome" in body and row.outcome in body
    data = {"version": "1", "outcome": "Reads aloud", "success_criteria": "90 wpm"}
    response = client.post(_url("outcome-edit", row), data)
    assert response.status_code == 302
    assert response.url == reverse("support:plan-detail", args=[cycle.plan_id])
    assert "Reads aloud" in client.get(response.url).content.decode()


def test_the_second_save_shows_the_conflict_and_keeps_the_text(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    first, second = client_for(senco), client_for(senco)
    url = _url("outcome-edit", row)
    first.post(url, {"version": "1", "outcome": "First saved", "success_criteria": "A"})
    response = second.post(
        url, {"version": "1", "outcome": "Second person's careful text", "success_criteria": "B"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Someone else changed this outcome" in body and "your text is shown below" in body
    assert "The outcome as it is now" in body and "First saved" in body
    assert ">Second person&#x27;s careful text</textarea>" in body
    assert 'name="version" value="2"' in body  # saving again, having seen it, is deliberate
    row.refresh_from_db()
    assert row.outcome == "First saved"
    again = {"version": "2", "outcome": "Second person's careful text", "success_criteria": "B"}
    assert second.post(url, again).status_code == 302
    row.refresh_from_db()
    assert (row.outcome, row.version) == ("Second person's careful text", 3)


def test_an_edit_posted_after_someone_removed_the_row_keeps_the_text(
    world: World, senco: Any
) -> None:
    plan, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    url = _url("outcome-edit", row)
    services.support_outcome_remove(cycle_outcome=row, version=1, by=senco)
    response = client_for(senco).post(
        url, {"version": "1", "outcome": "Text worth keeping", "success_criteria": "C"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else removed this outcome" in body
    assert "Text worth keeping</textarea>" in body
    assert f'action="{reverse("support:outcome-add", args=[plan.pk])}"' in body
    assert client_for(senco).get(url).status_code == 404


def test_removing_asks_for_confirmation_then_removes(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleProvisionFactory(cycle=cycle, provision="Speech and language group")
    client = client_for(senco)
    url = _url("provision-remove", row)
    body = client.get(url).content.decode()
    assert "Are you sure you want to remove this support?" in body
    assert "Speech and language group" in body
    assert cycle.provisions.exists()
    response = client.post(url, {"version": "1"})
    assert response.status_code == 302
    assert not cycle.provisions.exists()
    # The same button pressed again: already gone, nothing else happens.
    assert client.post(url, {"version": "1"}).status_code == 302


def test_a_stale_removal_page_shows_the_row_as_it_is_now(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    _edit_outcome(row, senco, 1, "Changed meanwhile")
    body = client_for(senco).post(_url("outcome-remove", row), {"version": "1"}).content.decode()
    assert "Nothing has been removed" in body and "Changed meanwhile" in body
    assert 'name="version" value="2"' in body
    assert cycle.outcomes.filter(pk=row.pk).exists()


def test_the_removal_page_refuses_a_reviewed_outcome(world: World, senco: Any) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    OutcomeReviewFactory(outcome=row)
    body = client_for(senco).post(_url("outcome-remove", row), {"version": "1"}).content.decode()
    assert "has a review recorded, so it cannot be removed" in body
    assert "Yes, remove it" not in body
    assert cycle.outcomes.filter(pk=row.pk).exists()


@pytest.mark.parametrize("name", ["outcome-edit", "outcome-remove"])
def test_rows_of_a_reviewed_cycle_are_403_for_the_senco(
    world: World, senco: Any, name: str
) -> None:
    _, old = _reviewed_plan(world)
    row = CycleOutcomeFactory(cycle=old)
    client = client_for(senco)
    assert client.get(_url(name, row)).status_code == 403
    data = {"version": "1", "outcome": "x", "success_criteria": "y"}
    assert client.post(_url(name, row), data).status_code == 403
    assert CycleOutcome.objects.get(pk=row.pk).outcome == row.outcome


@pytest.mark.parametrize("name", ["provision-edit", "provision-remove"])
def test_a_row_of_another_plan_is_404(world: World, senco: Any, name: str) -> None:
    plan, _ = _plan(world)
    elsewhere = SupportPlanFactory(pupil=world.untaught_pupil)
    row = CycleProvisionFactory(cycle=elsewhere.cycles.get())
    url = reverse(f"support:{name}", args=[plan.pk, row.pk])
    assert client_for(senco).get(url).status_code == 404
    assert client_for(senco).post(url, {"version": "1"}).status_code == 404


@pytest.mark.parametrize("persona", ["head", "class_teacher"])
def test_people_who_may_not_edit_get_403_and_change_nothing(world: World, persona: str) -> None:
    _, cycle = _plan(world)
    row = CycleOutcomeFactory(cycle=cycle)
    client = client_for(world.users[persona])
    data = {"version": "1", "outcome": "x", "success_criteria": "y"}
    assert client.post(_url("outcome-edit", row), data).status_code == 403
    assert client.post(_url("outcome-remove", row), {"version": "1"}).status_code == 403
    assert CycleOutcome.objects.get(pk=row.pk).version == 1


def test_change_and_remove_links_show_only_to_those_allowed(
    world: World, senco: Any, head: Any, class_teacher: Any
) -> None:
    plan, cycle = _plan(world)
    outcome, provision = CycleOutcomeFactory(cycle=cycle), CycleProvisionFactory(cycle=cycle)
    links = [
        _url("outcome-edit", outcome),
        _url("outcome-remove", outcome),
        _url("provision-edit", provision),
        _url("provision-remove", provision),
    ]
    history = reverse("support:plan-history", args=[plan.pk])
    detail = reverse("support:plan-detail", args=[plan.pk])
    body = client_for(senco).get(detail).content.decode()
    assert all(link in body for link in links) and history in body
    body = client_for(head).get(detail).content.decode()
    assert not any(link in body for link in links) and history in body
    body = client_for(class_teacher).get(detail).content.decode()
    assert not any(link in body for link in links) and history not in body


# The history page


def _history(client: Client, plan: SupportPlan) -> str:
    response = client.get(reverse("support:plan-history", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_history_lists_changes_newest_first_with_who_and_what(
    world: World, senco: Any, class_teacher: Any
) -> None:
    plan = services.support_plan_start(pupil=world.pupil, by=senco)
    cycle = plan.cycles.get()
    services.support_cycle_update(
        cycle=cycle,
        version=1,
        assessment="Finds phonics hard",
        evidence="",
        review_date=TODAY + 30 * DAY,
        by=senco,
    )
    outcome = services.support_outcome_add(
        cycle=cycle, outcome="Blends CVC words", success_criteria="8 of 10", by=senco
    )
    _edit_outcome(outcome, senco, 1, "Blends CVCC words")
    provision = services.support_provision_add(
        cycle=cycle, provision="Daily phonics group", who="TA", how_often="Daily", by=senco
    )
    services.support_provision_remove(cycle_provision=provision, version=1, by=senco)
    services.support_view_add(cycle=cycle, whose="parent", text="Reads at home", by=class_teacher)
    services.support_delivery_note_add(
        cycle=cycle, delivered_on=TODAY, note="Group ran twice", by=class_teacher
    )
    cycle.refresh_from_db()
    services.support_review_complete(
        cycle=cycle,
        version=cycle.version,
        reviewed_on=TODAY,
        reviews={outcome.pk: {"progress": "good", "next_steps": "Move to digraphs"}},
        by=senco,
    )
    body = _history(client_for(senco), plan)
    expected_in_order = [
        "Created: Cycle 2",
        "Created: Review of the outcome, cycle 1: Blends CVCC words",
        "Created: Support delivered, cycle 1",
        "Created: The parents&#x27; views, cycle 1: Reads at home",
        "Deleted: Support, cycle 1: Daily phonics group",
        "Created: Support, cycle 1: Daily phonics group",
        "Changed: Outcome, cycle 1: Blends CVCC words",
        "Created: Outcome, cycle 1: Blends CVC words",
        "Created: SEN support plan",
    ]
    positions = [body.index(text) for text in expected_in_order]
    assert positions == sorted(positions)
    assert "Outcome sought: Blends CVC words → Blends CVCC words" in body
    assert "Status: Draft → Active" in body and "Status: Active → Reviewed" in body
    assert "Review date: (blank) → " in body
    assert "Class Teacher" in body and "Senco" in body
    assert "Version" not in body


def test_history_shows_nothing_of_another_pupils_plan(world: World, senco: Any) -> None:
    plan, cycle = _plan(world)
    CycleOutcomeFactory(cycle=cycle, outcome="Okafor's own outcome")
    other = SupportPlanFactory(pupil=world.untaught_pupil)
    other_cycle = other.cycles.get()
    services.support_outcome_add(
        cycle=other_cycle, outcome="Hughes's outcome", success_criteria="x", by=senco
    )
    CycleProvisionFactory(cycle=other_cycle, provision="Hughes's provision")
    CycleViewFactory(cycle=other_cycle, text="Hughes's views")
    DeliveryNoteFactory(cycle=other_cycle, note="Hughes's note")
    OutcomeReviewFactory(outcome=CycleOutcomeFactory(cycle=other_cycle, outcome="Hughes reviewed"))
    body = _history(client_for(senco), plan)
    assert "Okafor&#x27;s own outcome" in body
    assert "Hughes" not in body


def test_reading_the_history_is_audited(world: World, head: Any) -> None:
    plan, _ = _plan(world)
    _history(client_for(head), plan)
    event = AuditEvent.objects.get(action="support.plan.history_viewed")
    assert (event.actor, event.target_id) == (head, str(plan.pk))


def _history_queries(client: Client, plan: SupportPlan) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _history(client, plan)
    return len(ctx.captured_queries)


def test_history_queries_do_not_grow_with_changes(world: World, senco: Any) -> None:
    plan, cycle = _plan(world)  # two changes: the plan and its first cycle created
    client = client_for(senco)
    _history_queries(client, plan)  # the first request warms per-session caches
    few = _history_queries(client, plan)
    for n in range(3):
        row = CycleOutcomeFactory(cycle=cycle)
        _edit_outcome(row, senco, 1, f"Outcome {n} changed")
        OutcomeReviewFactory(outcome=row)
        CycleProvisionFactory(cycle=cycle)
        CycleViewFactory(cycle=cycle)
        DeliveryNoteFactory(cycle=cycle)
    assert len(support_plan_history_for(plan)) == 20
    assert _history_queries(client, plan) == few
