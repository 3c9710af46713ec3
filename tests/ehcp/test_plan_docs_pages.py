"""The compare-versions and provision-delivered pages: what each persona sees, defaults, markup that
does not rely on colour, and the same number of queries for few and many rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehcp.models import Plan, PlanVersion
from sendadmin.accounts.models import User
from tests.conftest import World, client_for
from tests.factories.ehcp import (
    PlanFactory,
    PlanNeedFactory,
    PlanProvisionFactory,
    PlanVersionFactory,
)
from tests.factories.provision import ProvisionAssignmentFactory, ProvisionFactory

pytestmark = pytest.mark.django_db


def _plan_with_versions(world: World) -> tuple[Plan, list[PlanVersion]]:
    plan = PlanFactory(pupil=world.pupil)
    v1 = PlanVersionFactory(plan=plan, number=1, issued_final=True, section_a="Likes red trains")
    v2 = PlanVersionFactory(plan=plan, number=2, issued_final=True, section_a="Likes blue trains")
    draft = PlanVersionFactory(
        plan=plan, number=3, kind=PlanVersion.Kind.AMENDED, section_a="Likes green trains"
    )
    for version, sessions in ((v1, 3), (v2, 5), (draft, 5)):
        PlanProvisionFactory(version=version, what="Phonics 1:1", sessions_per_week=sessions)
    PlanNeedFactory(version=v2, description="Speech sounds")
    return plan, [v1, v2, draft]


def _compare(user: User, plan: Plan, **params: Any) -> Any:
    return client_for(user).get(reverse("ehcp:plan-compare", args=[plan.pk]), params)


def test_the_school_compares_the_two_latest_issued_versions_by_default(
    world: World, senco: User
) -> None:
    plan, versions = _plan_with_versions(world)
    response = _compare(senco, plan)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="3"' not in html  # the school never sees the unissued amendment
    assert '<option value="1" selected>' in html and '<option value="2" selected>' in html
    assert '<del><span class="govuk-visually-hidden">removed: </span>red</del>' in html
    assert '<ins><span class="govuk-visually-hidden">added: </span>blue</ins>' in html
    assert "3 sessions a week -&gt; 5 sessions a week" in html
    assert "Speech sounds" in html
    assert html.count("No change") == 9  # every section but A, B and F
    assert reverse("ehcp:version-pdf", args=[versions[1].pk]) in html


def test_the_la_may_choose_the_version_in_progress(world: World, la_caseworker: User) -> None:
    plan, _ = _plan_with_versions(world)
    response = _compare(la_caseworker, plan)  # defaults: versions 2 and 3
    html = response.content.decode()
    assert '<ins><span class="govuk-visually-hidden">added: </span>green</ins>' in html
    response = _compare(la_caseworker, plan, a=1, b=3)
    html = response.content.decode()
    assert '<del><span class="govuk-visually-hidden">removed: </span>red</del>' in html


@pytest.mark.parametrize("params", [{"a": 3, "b": 2}, {"a": 9}, {"b": "x"}])
def test_a_version_the_user_cannot_see_is_not_found(
    world: World, senco: User, params: dict[str, Any]
) -> None:
    plan, _ = _plan_with_versions(world)
    assert _compare(senco, plan, **params).status_code == 404


def test_with_one_version_there_is_nothing_to_compare(world: World, senco: User) -> None:
    plan = PlanFactory(pupil=world.pupil)
    PlanVersionFactory(plan=plan, number=1, issued_final=True)
    response = _compare(senco, plan)
    assert response.status_code == 200
    assert "There is nothing to compare" in response.content.decode()


def _with_rows(plan: Plan, number: int, rows: int) -> None:
    version = PlanVersionFactory(plan=plan, number=number, issued_final=True)
    for i in range(rows):
        need = PlanNeedFactory(version=version, description=f"Need {i} of {number}")
        provision = PlanProvisionFactory(
            version=version,
            what=f"Provision {i}",
            map_provision=ProvisionFactory(school=plan.pupil.school),
        )
        provision.needs.add(need)
        ProvisionAssignmentFactory(pupil=plan.pupil, provision=provision.map_provision)


def _queries(user: User, url: str) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_compare_queries_do_not_grow_with_rows(world: World, senco: User) -> None:
    plan = PlanFactory(pupil=world.pupil)
    _with_rows(plan, 1, 2)
    _with_rows(plan, 2, 2)
    url = reverse("ehcp:plan-compare", args=[plan.pk])
    few = _queries(senco, url)
    _with_rows(plan, 3, 10)
    _with_rows(plan, 4, 10)
    assert _queries(senco, url) == few


def test_delivery_queries_do_not_grow_with_rows(world: World, senco: User) -> None:
    plan = PlanFactory(pupil=world.pupil)
    _with_rows(plan, 1, 2)
    url = reverse("ehcp:plan-delivery", args=[plan.pk])
    few = _queries(senco, url)
    _with_rows(plan, 2, 10)
    response = client_for(senco).get(url)
    assert response.content.decode().count('scope="row"') == 10
    assert _queries(senco, url) == few


def test_delivery_shows_each_section_f_row_with_its_status(world: World, senco: User) -> None:
    plan = PlanFactory(pupil=world.pupil)
    version = PlanVersionFactory(plan=plan, number=1, issued_final=True)
    PlanProvisionFactory(version=version, what="Speech therapy with the NHS")
    html = client_for(senco).get(reverse("ehcp:plan-delivery", args=[plan.pk])).content.decode()
    assert "Speech therapy with the NHS" in html
    assert "Not on the provision map" in html
    assert "version 1 (final, issued" in html


def test_delivery_says_when_no_version_is_issued_yet(world: World, la_caseworker: User) -> None:
    plan = PlanFactory(pupil=world.pupil)
    PlanVersionFactory(plan=plan, number=1)
    response = client_for(la_caseworker).get(reverse("ehcp:plan-delivery", args=[plan.pk]))
    assert response.status_code == 200
    assert "No version of this plan has been issued yet" in response.content.decode()


def test_the_school_does_not_see_a_plan_before_it_is_issued(world: World, senco: User) -> None:
    plan = PlanFactory(pupil=world.pupil)
    PlanVersionFactory(plan=plan, number=1)
    assert client_for(senco).get(reverse("ehcp:plan-delivery", args=[plan.pk])).status_code == 404
    assert _compare(senco, plan).status_code == 404
