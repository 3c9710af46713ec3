"""Support plan pages: the journey through forms, conflicts, 404s and audit of reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pupils.support.models import SupportCycle, SupportPlan
from sendadmin.accounts.models import AuditEvent
from tests.conftest import World, client_for
from tests.factories import (
    CycleOutcomeFactory,
    ParentMeetingFactory,
    PupilFactory,
    SupportPlanFactory,
)
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _date(prefix: str, d: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(d.day),
        f"{prefix}_month": str(d.month),
        f"{prefix}_year": str(d.year),
    }


def test_senco_starts_a_plan_and_writes_the_first_cycle(world: World, senco: object) -> None:
    client = client_for(senco)  # type: ignore[arg-type]
    start = reverse("support:plan-for-pupil", args=[world.pupil.pk])
    assert "Start a SEN support plan" in client.get(start).content.decode()
    response = client.post(start)
    plan = SupportPlan.objects.get(pupil=world.pupil)
    assert response.url == reverse("support:cycle-edit", args=[plan.pk])
    assert client.get(start).url == reverse("support:plan-detail", args=[plan.pk])
    data = {
        "version": "1",
        "assessment": "Slow reading",
        "evidence": "",
        **_date("review_date", TODAY + 40 * DAY),
    }
    assert client.post(reverse("support:cycle-edit", args=[plan.pk]), data).status_code == 302
    client.post(
        reverse("support:outcome-add", args=[plan.pk]),
        {"outcome": "Reads <b>fluently</b>", "success_criteria": "90 wpm"},
    )
    client.post(
        reverse("support:provision-add", args=[plan.pk]),
        {"provision": "Reading recovery", "who": "TA", "how_often": "3 times a week"},
    )
    body = client.get(reverse("support:plan-detail", args=[plan.pk])).content.decode()
    assert "Reads &lt;b&gt;fluently&lt;/b&gt;" in body
    assert "Reading recovery" in body
    assert "Active" in body


def test_a_stale_form_shows_the_conflict_in_the_error_summary(world: World, senco: object) -> None:
    plan = SupportPlanFactory(pupil=world.pupil)
    client = client_for(senco)  # type: ignore[arg-type]
    url = reverse("support:cycle-edit", args=[plan.pk])
    client.post(url, {"version": "1", "assessment": "First", "evidence": ""})
    response = client.post(url, {"version": "1", "assessment": "Second", "evidence": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "Someone else changed this plan" in body
    assert SupportCycle.objects.get(plan=plan).assessment == "First"
    # What they typed is kept, at the version now saved, so saving again is a deliberate overwrite.
    assert "Second" in body
    assert 'name="version" value="2"' in body
    assert (
        client.post(url, {"version": "2", "assessment": "Second", "evidence": ""}).status_code
        == 302
    )
    assert SupportCycle.objects.get(plan=plan).assessment == "Second"


def test_form_errors_are_summarised(world: World, senco: object) -> None:
    plan = SupportPlanFactory(pupil=world.pupil)
    response = client_for(senco).post(  # type: ignore[arg-type]
        reverse("support:outcome-add", args=[plan.pk]), {"outcome": "", "success_criteria": ""}
    )
    body = response.content.decode()
    assert "There is a problem" in body
    assert '<a href="#id_outcome">Enter the outcome sought</a>' in body


def test_class_teacher_adds_views_and_delivery_notes_but_cannot_edit_the_plan(
    world: World, class_teacher: object
) -> None:
    plan = SupportPlanFactory(pupil=world.pupil)
    client = client_for(class_teacher)  # type: ignore[arg-type]
    response = client.post(
        reverse("support:view-add", args=[plan.pk]), {"whose": "pupil", "text": "I like maths"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("support:delivery-add", args=[plan.pk]),
        {"note": "Small group", **_date("delivered_on", TODAY)},
    )
    assert response.status_code == 302
    assert client.post(reverse("support:cycle-edit", args=[plan.pk]), {}).status_code == 403
    body = client.get(reverse("support:plan-detail", args=[plan.pk])).content.decode()
    assert "I like maths" in body and "Small group" in body
    assert "Add an outcome" not in body


def test_plan_of_another_schools_pupil_is_404_for_posts_too(world: World, senco: object) -> None:
    plan = SupportPlanFactory(pupil=world.second_school_pupil)
    client = client_for(senco)  # type: ignore[arg-type]
    assert client.post(reverse("support:outcome-add", args=[plan.pk]), {}).status_code == 404
    assert (
        client.post(
            reverse("support:plan-for-pupil", args=[world.second_school_pupil.pk])
        ).status_code
        == 404
    )


def test_reading_the_plan_is_audited(world: World, ta: object) -> None:
    plan = SupportPlanFactory(pupil=world.pupil)
    client_for(ta).get(reverse("support:plan-detail", args=[plan.pk]))  # type: ignore[arg-type]
    event = AuditEvent.objects.get(action="support.plan.viewed")
    assert (event.actor, event.target_id) == (ta, str(plan.pk))


def test_review_page_completes_the_cycle(world: World, senco: object) -> None:
    plan = SupportPlanFactory(pupil=world.pupil)
    cycle = plan.cycles.get()
    cycle.status, cycle.assessment, cycle.review_date = "active", "A", TODAY + DAY
    cycle.save()
    outcome = CycleOutcomeFactory(cycle=cycle)
    client = client_for(senco)  # type: ignore[arg-type]
    url = reverse("support:review-complete", args=[plan.pk])
    assert "Progress towards" in client.get(url).content.decode()
    data = {
        "version": str(cycle.version),
        f"progress_{outcome.pk}": "some",
        **_date("reviewed_on", TODAY),
    }
    assert client.post(url, data).status_code == 302
    assert list(plan.cycles.values_list("number", "status")) == [(1, "reviewed"), (2, "draft")]


def test_parent_meeting_page_records_a_meeting(world: World, class_teacher: object) -> None:
    client = client_for(class_teacher)  # type: ignore[arg-type]
    url = reverse("support:parent-meeting-add", args=[world.pupil.pk])
    response = client.post(url, {"attendees": "", "agreed": ""})
    assert "Enter the date of the meeting" in response.content.decode()
    response = client.post(url, {"attendees": "Mum", "agreed": "Targets", **_date("date", TODAY)})
    assert response.status_code == 302
    assert world.pupil.parent_meetings.count() == 1


def test_pupil_page_links_to_the_support_plan(world: World, senco: object) -> None:
    body = (
        client_for(senco)
        .get(reverse("pupils:pupil-detail", args=[world.pupil.pk]))
        .content.decode()
    )  # type: ignore[arg-type]
    assert reverse("support:plan-for-pupil", args=[world.pupil.pk]) in body
    assert reverse("support:parent-meeting-add", args=[world.pupil.pk]) in body


def _behind_queries(client: object) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("support:parent-meetings-behind"))  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_falling_behind_lists_pupils_short_of_the_pace(world: World, senco: object) -> None:
    keeping_pace = world.pupil
    for months_ago in (1, 4, 8):
        ParentMeetingFactory(
            pupil=keeping_pace, date=TODAY - dt.timedelta(days=30 * months_ago - 10)
        )
    stale = PupilFactory(school=world.school, sen_support=True, legal_last_name="Stale")
    for days in (150, 200, 250):
        ParentMeetingFactory(pupil=stale, date=TODAY - days * DAY)
    body = client_for(senco).get(reverse("support:parent-meetings-behind")).content.decode()  # type: ignore[arg-type]
    assert "Stale" in body  # three meetings, but none in the last four months
    assert "Hughes" in body  # none at all
    assert "Okafor" not in body
    assert world.second_school_pupil.legal_last_name not in body


def test_falling_behind_list_queries_do_not_grow_with_pupils(world: World, senco: object) -> None:
    client = client_for(senco)  # type: ignore[arg-type]
    for _ in range(3):
        ParentMeetingFactory(pupil=PupilFactory(school=world.school, sen_support=True))
    _behind_queries(client)  # the first request warms per-session caches
    few = _behind_queries(client)
    for _ in range(30):
        ParentMeetingFactory(pupil=PupilFactory(school=world.school, sen_support=True))
    assert _behind_queries(client) == few
