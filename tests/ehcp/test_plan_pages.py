"""Pages of EHC plans: the list, a plan's versions and sections, and the LA's editing and issuing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehcp.models import PlanVersion
from tests.conftest import World, client_for
from tests.factories.dates import TODAY
from tests.factories.ehcp import (
    PlanFactory,
    PlanNeedFactory,
    PlanProvisionFactory,
    PlanVersionFactory,
)
from tests.factories.pupils import PupilFactory

pytestmark = pytest.mark.django_db


def _date(prefix: str, when: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(when.day),
        f"{prefix}_month": str(when.month),
        f"{prefix}_year": str(when.year),
    }


def _issued_with_draft(pupil: Any) -> tuple[PlanVersion, PlanVersion]:
    plan = PlanFactory(pupil=pupil)
    issued = PlanVersionFactory(plan=plan, number=1, issued_final=True)
    need = PlanNeedFactory(version=issued)
    PlanProvisionFactory(version=issued).needs.set([need])
    draft = PlanVersionFactory(plan=plan, number=2, kind="amended")
    return issued, draft


def _list_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("ehcp:plan-list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_plan_list_makes_the_same_queries_with_2_plans_and_with_20(world: World) -> None:
    client = client_for(world.users["la_caseworker"])
    for _ in range(2):
        _issued_with_draft(PupilFactory(school=world.school))
    _list_queries(client)
    few = _list_queries(client)
    for _ in range(18):
        _issued_with_draft(PupilFactory(school=world.school))
    assert _list_queries(client) == few
    text = client.get(reverse("ehcp:plan-list")).content.decode()
    assert "Final version 1" in text and "Amended version 2" in text


def test_a_teacher_sees_the_issued_plan_of_a_pupil_they_teach(world: World) -> None:
    issued, draft = _issued_with_draft(world.pupil)
    client = client_for(world.users["class_teacher"])
    response = client.get(reverse("ehcp:plan-detail", kwargs={"pk": issued.plan_id}))
    assert response.status_code == 200
    assert response.context["version"] == issued
    assert not response.context["can_edit"]
    assert b"Start an amended version" not in response.content
    url = reverse("ehcp:plan-detail", kwargs={"pk": issued.plan_id})
    assert client.get(url, {"version": draft.number}).status_code == 404
    listed = client.get(reverse("ehcp:plan-list")).content.decode()
    assert world.pupil.display_name in listed and "In progress" not in listed


def test_a_teacher_gets_404_for_a_plan_with_only_a_draft(world: World) -> None:
    version = PlanVersionFactory(plan=PlanFactory(pupil=world.pupil))
    client = client_for(world.users["class_teacher"])
    url = reverse("ehcp:plan-detail", kwargs={"pk": version.plan_id})
    assert client.get(url).status_code == 404


def test_another_las_caseworker_gets_404(world: World) -> None:
    issued, draft = _issued_with_draft(world.pupil)
    client = client_for(world.users["other_la_caseworker"])
    assert client.get(reverse("ehcp:plan-detail", kwargs={"pk": issued.plan_id})).status_code == 404
    edit = reverse("ehcp:need-add", kwargs={"pk": draft.pk})
    assert client.get(edit).status_code == 404


def test_a_senco_gets_403_on_the_edit_pages_of_an_issued_version(world: World) -> None:
    issued, _ = _issued_with_draft(world.pupil)
    client = client_for(world.users["senco"])
    need = issued.needs.get()
    for url in (
        reverse("ehcp:version-section-edit", kwargs={"pk": issued.pk, "section": "a"}),
        reverse("ehcp:need-edit", kwargs={"pk": need.pk}),
        reverse("ehcp:version-issue", kwargs={"pk": issued.pk}),
    ):
        assert client.get(url).status_code == 403


def test_the_caseworker_sees_the_version_in_progress_with_change_links(world: World) -> None:
    issued, draft = _issued_with_draft(world.pupil)
    client = client_for(world.users["la_caseworker"])
    response = client.get(reverse("ehcp:plan-detail", kwargs={"pk": issued.plan_id}))
    assert response.context["version"] == draft and response.context["can_edit"]
    text = response.content.decode()
    assert reverse("ehcp:need-add", kwargs={"pk": draft.pk}) in text
    assert "A: Views, interests and aspirations" in text and "K: Advice and information" in text
    old = client.get(reverse("ehcp:plan-detail", kwargs={"pk": issued.plan_id}), {"version": 1})
    assert "This version is frozen" in old.content.decode()


def test_a_section_edit_keeps_the_typed_text_when_the_form_is_stale(world: World) -> None:
    _, draft = _issued_with_draft(world.pupil)
    client = client_for(world.users["la_caseworker"])
    url = reverse("ehcp:version-section-edit", kwargs={"pk": draft.pk, "section": "a"})
    ok = client.post(url, {"version": draft.version, "text": "Loves drawing"})
    assert ok.status_code == 302
    stale = client.post(url, {"version": draft.version, "text": "Likes football"})
    assert stale.status_code == 200
    text = stale.content.decode()
    assert "Someone else changed" in text and "Likes football" in text and "Loves drawing" in text
    draft.refresh_from_db()
    assert draft.section_a == "Loves drawing"


def test_adding_provision_through_the_page_links_the_chosen_needs(world: World) -> None:
    _, draft = _issued_with_draft(world.pupil)
    need = PlanNeedFactory(version=draft)
    client = client_for(world.users["la_caseworker"])
    url = reverse("ehcp:provision-add", kwargs={"pk": draft.pk})
    refused = client.post(url, {"what": "Therapy", "version": draft.version})
    assert "Select at least one need in section B" in refused.content.decode()
    assert "Therapy" in refused.content.decode()
    response = client.post(
        url,
        {
            "what": "Therapy",
            "sessions_per_week": "2",
            "minutes_per_session": "30",
            "group_size": "1",
            "duration": "A year",
            "delivered_by": "SLT",
            "needs": [str(need.pk)],
        },
    )
    assert response.status_code == 302
    assert list(draft.provisions.get().needs.all()) == [need]


def test_the_issue_page_lists_what_stops_issuing_and_refuses_with_an_error_summary(
    world: World,
) -> None:
    _, draft = _issued_with_draft(world.pupil)
    client = client_for(world.users["la_caseworker"])
    url = reverse("ehcp:version-issue", kwargs={"pk": draft.pk})
    page = client.get(url).content.decode()
    assert "Section B lists no special educational needs" in page
    refused = client.post(url, {"version": draft.version, **_date("issued_on", TODAY)})
    text = refused.content.decode()
    assert "govuk-error-summary" in text and "Section I is empty" in text
    draft.refresh_from_db()
    assert draft.issued_on is None


def test_a_draft_has_no_section_i_form(world: World) -> None:
    version = PlanVersionFactory(plan=PlanFactory(pupil=world.pupil))
    client = client_for(world.users["la_caseworker"])
    url = reverse("ehcp:version-section-edit", kwargs={"pk": version.pk, "section": "i"})
    response = client.get(url)
    assert "Section I stays blank in a draft plan" in response.content.decode()
    assert response.context["form"] is None
    bad = reverse("ehcp:version-section-edit", kwargs={"pk": version.pk, "section": "b"})
    assert client.get(bad).status_code == 404


def test_the_edit_pages_of_an_issued_version_say_it_is_frozen(world: World) -> None:
    issued, _ = _issued_with_draft(world.pupil)
    client = client_for(world.users["la_caseworker"])
    need = issued.needs.get()
    for url in (
        reverse("ehcp:need-edit", kwargs={"pk": need.pk}),
        reverse("ehcp:version-section-edit", kwargs={"pk": issued.pk, "section": "a"}),
    ):
        response = client.get(url)
        assert "cannot be changed. Start a new version" in response.content.decode()
    assert client.post(reverse("ehcp:need-remove", kwargs={"pk": need.pk})).status_code == 200
    assert issued.needs.count() == 1


def _plan_page_queries(client: Any, plan_pk: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("ehcp:plan-detail", args=[plan_pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_plan_page_makes_the_same_queries_with_2_rows_a_section_and_with_10(
    world: World,
) -> None:
    from tests.factories.ehcp import (
        PlanNeedFactory,
        PlanOutcomeFactory,
        PlanProvisionFactory,
        PlanVersionFactory,
    )

    version = PlanVersionFactory(plan__pupil=world.pupil, issued_final=True)

    def add(n: int) -> None:
        for _ in range(n):
            need = PlanNeedFactory(version=version)
            outcome = PlanOutcomeFactory(version=version)
            outcome.needs.add(need)
            provision = PlanProvisionFactory(version=version)
            provision.needs.add(need)
            provision.outcomes.add(outcome)

    client = client_for(world.users["la_caseworker"])
    add(2)
    _plan_page_queries(client, version.plan_id)  # warms the content-type cache
    few = _plan_page_queries(client, version.plan_id)
    add(8)
    assert _plan_page_queries(client, version.plan_id) == few
