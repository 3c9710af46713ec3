"""The LA's case pages: the list with week numbers and next clocks, opening a case, decisions,
advice requests and exceptions, through the browser-free test client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehcp.models import AdviceKind, AssessmentCase
from ehcp.services import advice_request_create, case_decide_assess, case_open
from pupils.models import Pupil
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World, client_for
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db

RECEIVED = TODAY - dt.timedelta(weeks=4)


def _date(prefix: str, when: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(when.day),
        f"{prefix}_month": str(when.month),
        f"{prefix}_year": str(when.year),
    }


def _open(world: World, pupil: Pupil | None = None) -> AssessmentCase:
    return case_open(
        pupil=pupil or world.pupil,
        local_authority=world.home_la,
        requested_by="parent",
        received_on=RECEIVED,
        caseworker=world.users["la_caseworker"],
        by=world.users["la_caseworker"],
    )


def _bulk_cases(world: World, n: int) -> None:
    """n open cases at the home LA, each with its two clocks, made in bulk (not through services)."""
    from django.contrib.contenttypes.models import ContentType

    first = Pupil.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=world.school,
            upn=f"B{first + i:012d}",
            legal_first_name="Test",
            legal_last_name=f"Child{i}",
            date_of_birth=dt.date(2017, 1, 1),
            year_group=4,
            admission_date=dt.date(2021, 9, 1),
        )
        for i in range(n)
    )
    cases = AssessmentCase.objects.bulk_create(
        AssessmentCase(
            pupil=p,
            local_authority=world.home_la,
            requested_by="parent",
            request_received_on=RECEIVED - dt.timedelta(days=i % 100),
        )
        for i, p in enumerate(pupils)
    )
    ct = ContentType.objects.get_for_model(AssessmentCase)
    Clock.objects.bulk_create(
        Clock(
            kind=kind,
            subject_type=ct,
            subject_id=c.pk,
            pupil_id=c.pupil_id,
            local_authority=world.home_la,
            responsible_role="la_caseworker",
            start_event="Request received",
            started_on=c.request_received_on,
            due_on=c.request_received_on + dt.timedelta(weeks=weeks),
        )
        for c in cases
        for kind, weeks in ((Kind.DECISION_TO_ASSESS, 6), (Kind.FINAL_PLAN, 20))
    )


def _list_queries(client: Any) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("ehcp:case-list"))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content


def test_the_case_list_makes_the_same_queries_with_10_cases_and_with_2000(world: World) -> None:
    client = client_for(world.users["la_caseworker"])
    _bulk_cases(world, 10)
    _list_queries(client)  # warms the per-process content-type cache
    few, _ = _list_queries(client)
    _bulk_cases(world, 1990)
    many, content = _list_queries(client)
    assert few == many
    assert b"2000 cases" in content


def test_the_case_list_shows_the_week_and_the_next_clock(world: World) -> None:
    case = _open(world)
    content = client_for(world.users["la_caseworker"]).get(reverse("ehcp:case-list")).content
    text = content.decode()
    assert case.reference in text
    assert "Week 5 of 20" in text
    # The decision whether to assess is the soonest clock: due 6 weeks after the request.
    assert "Decision whether to assess" in text
    assert f"{(RECEIVED + dt.timedelta(weeks=6)):%-d %b %Y}" in text
    assert "14 days left" in text


def test_another_las_caseworker_sees_no_case_of_this_la(world: World) -> None:
    case = _open(world)
    client = client_for(world.users["other_la_caseworker"])
    assert case.reference not in client.get(reverse("ehcp:case-list")).content.decode()
    assert client.get(reverse("ehcp:case-detail", args=[case.pk])).status_code == 404


def test_opening_a_case_needs_the_school_upn_and_birth_date_to_match(world: World) -> None:
    client = client_for(world.users["la_caseworker"])
    pupil = world.pupil
    form = {
        "school_urn": world.school.urn,
        "upn": pupil.upn,
        **_date("date_of_birth", pupil.date_of_birth + dt.timedelta(days=1)),
        "requested_by": "parent",
        **_date("received_on", RECEIVED),
    }
    response = client.post(reverse("ehcp:case-open"), form)
    assert response.status_code == 200
    assert "No pupil at that school has that UPN and date of birth" in response.content.decode()
    assert not AssessmentCase.objects.exists()
    form.update(_date("date_of_birth", pupil.date_of_birth))
    response = client.post(reverse("ehcp:case-open"), form)
    case = AssessmentCase.objects.get()
    assert response.url == reverse("ehcp:case-detail", args=[case.pk])
    assert (case.pupil, case.caseworker) == (pupil, world.users["la_caseworker"])
    # The same form sent again (a double click) is the same case.
    client.post(reverse("ehcp:case-open"), form)
    assert AssessmentCase.objects.count() == 1


def test_a_decision_dated_before_the_request_is_shown_as_an_error(world: World) -> None:
    case = _open(world)
    client = client_for(world.users["la_caseworker"])
    response = client.post(
        reverse("ehcp:case-decide-assess", args=[case.pk]),
        {
            "version": case.version,
            "decision": "assess",
            **_date("decided_on", RECEIVED - dt.timedelta(days=2)),
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in text and "before the LA received the request" in text
    case.refresh_from_db()
    assert case.assess_decision == "pending"


def test_the_case_page_shows_every_clock_and_the_school_sees_it_too(world: World) -> None:
    case = _open(world)
    case_decide_assess(case=case, decision="assess", decided_on=TODAY, by=None)
    advice_request_create(
        case=case, kind=AdviceKind.EDUCATIONAL, sent_on=TODAY, received_on=TODAY, by=None
    )
    for persona in ("la_caseworker", "senco"):
        text = client_for(world.users[persona]).get(reverse("ehcp:case-detail", args=[case.pk]))
        body = text.content.decode()
        for label in (
            "Decision whether to assess",
            "Decision whether to issue a plan",
            "Final EHC plan",
            "Advice for an EHC needs assessment",
        ):
            assert label in body, (persona, label)
        assert "Met on" in body
    senco_page = client_for(world.users["senco"]).get(reverse("ehcp:case-detail", args=[case.pk]))
    assert b"Record an exception" not in senco_page.content


def test_an_advice_clock_offers_only_the_reg_8_2_exceptions(world: World) -> None:
    case = _open(world)
    case_decide_assess(case=case, decision="assess", decided_on=TODAY, by=None)
    advice = advice_request_create(
        case=case,
        kind=AdviceKind.PSYCHOLOGICAL,
        adviser_name="EP service",
        sent_on=TODAY,
        received_on=TODAY,
        by=None,
    )
    clock = Clock.objects.get(kind=Kind.ADVICE_REQUEST, subject_id=advice.pk)
    client = client_for(world.users["la_caseworker"])
    url = reverse("ehcp:clock-exception", args=[case.pk, clock.pk])
    text = client.get(url).content.decode()
    assert "missed an appointment" in text
    assert "closed for 4 weeks" not in text
    response = client.post(
        url,
        {
            "limb": "c",
            **_date("date_from", TODAY),
            **_date("date_to", TODAY),
            "evidence": "Missed the EP appointment on 23 November.",
        },
    )
    assert response.status_code == 302
    clock.refresh_from_db()
    assert (clock.exception_regulation, clock.exception_limb) == ("reg8(2)", "c")
    # A clock of another case is not found through this case.
    other = _open(world, world.untaught_pupil)
    assert client.get(reverse("ehcp:clock-exception", args=[other.pk, clock.pk])).status_code == 404


def test_the_caseworker_reads_the_pupil_record_but_cannot_change_it(world: World) -> None:
    client = client_for(world.users["la_caseworker"])
    pupil_url = reverse("pupils:pupil-detail", args=[world.pupil.pk])
    assert client.get(pupil_url).status_code == 404
    _open(world)
    assert client.get(pupil_url).status_code == 200
    assert client.get(reverse("pupils:pupil-list")).status_code == 403
    edit = reverse("pupils:sen-status-set", args=[world.pupil.pk])
    assert client.get(edit).status_code == 403


def test_the_sencos_attention_list_shows_the_advice_request_with_its_days_left(
    world: World,
) -> None:
    case = _open(world)
    case_decide_assess(case=case, decision="assess", decided_on=TODAY, by=None)
    received = RECEIVED + dt.timedelta(days=1)  # 27 days ago: 15 of the 42 days left
    advice = advice_request_create(
        case=case, kind=AdviceKind.EDUCATIONAL, sent_on=received, received_on=received, by=None
    )
    body = client_for(world.users["senco"]).get(reverse("core:home")).content.decode()
    assert "Advice for an EHC needs assessment" in body
    assert "15 days left" in body
    assert f'href="/ehcp/advice/{advice.pk}/"' in body
    # A governor sees no named child and no link to the advice.
    governor = client_for(world.users["governor"]).get(reverse("clocks:school-deadlines"))
    assert f"/ehcp/advice/{advice.pk}/" not in governor.content.decode()


def test_governors_see_counts_of_assessments_and_never_a_case(world: World) -> None:
    case = _open(world)
    client = client_for(world.users["governor"])
    body = client.get(reverse("core:home")).content.decode()
    assert "Assessments in progress" in body
    assert "fewer than 5" in body
    assert case.reference not in body and world.pupil.legal_last_name not in body
    assert client.get(reverse("ehcp:case-list")).status_code == 403


def test_the_pupil_page_links_to_the_case_and_to_the_plan_once_issued(world: World) -> None:
    from tests.factories.ehcp import PlanVersionFactory

    case = _open(world)
    senco_page = client_for(world.users["senco"]).get(
        reverse("pupils:pupil-detail", args=[world.pupil.pk])
    )
    assert f"EHC needs assessment {case.reference}" in senco_page.content.decode()
    teacher = client_for(world.users["class_teacher"])
    url = reverse("pupils:pupil-detail", args=[world.pupil.pk])
    draft = PlanVersionFactory(plan__pupil=world.pupil)
    body = teacher.get(url).content.decode()
    assert f"/ehcp/plans/{draft.plan_id}/" not in body and case.reference not in body
    PlanVersionFactory(plan=draft.plan, issued_final=True, number=2)
    PlanVersionFactory._meta.model.objects.filter(pk=draft.pk).update(issued_on=TODAY)
    assert f'href="/ehcp/plans/{draft.plan_id}/"' in teacher.get(url).content.decode()
