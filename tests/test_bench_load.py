"""The load benchmark covers every role, builds URLs the server answers, and reports well-formed
ratios to its floor; one tiny live run against gunicorn on pytest's database. No timing is judged."""

from __future__ import annotations

import math
import os
from typing import Any

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from benchmarks.load import report as rp
from benchmarks.load import scenarios as sc
from benchmarks.load.plan import Profile, plan_floor, plan_scenario
from benchmarks.load.run import Options, run_load
from benchmarks.load.server import server_env
from sendadmin.accounts.models import User
from sendadmin.accounts.roles import Role
from tests.conftest import World, build_world
from tests.factories import PupilFactory
from tests.factories.accounts import PASSWORD
from tests.factories.ehcp import AssessmentCaseFactory, PlanVersionFactory
from tests.factories.provision import ProvisionAssignmentFactory
from tests.factories.support import SupportPlanFactory

# The roles issue 8 names: SENCO, teacher, TA, head or senior leader, governor, LA caseworker and
# LA manager.
ISSUE_ROLES = {
    Role.SENCO,
    Role.TEACHER,
    Role.TEACHING_ASSISTANT,
    Role.HEADTEACHER,
    Role.SENIOR_LEADER,
    Role.GOVERNOR,
    Role.LA_CASEWORKER,
    Role.LA_MANAGER,
}
TEST_PROFILE = Profile("test", PASSWORD, ".example")


def test_every_role_of_the_issue_has_a_scenario_with_its_home_page() -> None:
    covered = {role for s in sc.SCENARIOS for role in s.roles}
    assert covered >= ISSUE_ROLES
    assert all(s.pages[0] == sc.HOME for s in sc.SCENARIOS)
    assert len(set(sc.SCENARIO_KEYS)) == len(sc.SCENARIOS)
    assert {p.ids for s in sc.SCENARIOS for p in s.pages} - {None} == sc.ID_KINDS


def test_every_page_and_the_floor_name_a_url_of_the_app() -> None:
    for s in (*sc.SCENARIOS, sc.FLOOR):
        for page in s.pages:
            url = reverse(page.url_name, args=[7] if page.ids else [])
            assert url.startswith("/")
            assert ("7" in url) == bool(page.ids)


def _raw(key: str, samples: dict[str, list[float]], errors: dict[str, int] | None = None) -> Any:
    return {
        "scenario": key,
        "users": 2,
        "signed_in": 2,
        "sign_in_failed": 0,
        "sign_in_ms": [500.0, 600.0],
        "measured_seconds": 2.0,
        "samples": samples,
        "errors": errors or {},
        "error_examples": {},
    }


def _result(key: str, raw: Any, labels: list[str], all_labels: list[str] | None = None) -> Any:
    return rp.scenario_result(
        raw,
        title=key.title(),
        people=2,
        labels=labels,
        all_labels=all_labels or labels,
        load_before=1.0,
        load_after=1.5,
        skipped={},
        costs={labels[0]: (9, 30.0)},
    )


def test_the_report_gives_each_page_its_p95_over_the_floor_p95_and_the_target() -> None:
    floor = _result("floor", _raw("floor", {"floor": [10.0] * 19 + [20.0]}), ["floor"])
    pages = {"home": [20.0] * 20, "heavy": [100.0] * 20, "broken": [10.0] * 20}
    senco = _result(
        "senco", _raw("senco", pages, errors={"broken": 1}), list(pages), [*pages, "gone"]
    )
    report = rp.Report(facts=_facts(), floor_runs=[floor], scenarios=[senco])
    report.finish([10.0] * 19 + [20.0])

    assert report.facts["floor_p95_ms"] == pytest.approx(10.5)
    by_label = {p.label: p for p in senco.pages}
    assert by_label["home"].ratio == pytest.approx(20 / 10.5)
    assert by_label["home"].met
    assert not by_label["heavy"].met  # 9.5 times the floor
    assert not by_label["broken"].met  # fast, but an error
    assert senco.unmeasured == ["gone"]
    assert report.errors == 1 and report.broken and not report.all_met
    table = rp.format_markdown(report)
    assert "| Senco | home | 20 | 0 | 20 | 20 | 1.90 | MET | 9 | 30 | 1.00 |" in table
    assert "| Senco | heavy | 20 | 0 | 100 | 100 | 9.52 | MISSED | - | - | - |" in table
    assert "| Senco | gone | 0 |" in table
    assert "1 of 4 pages met; 1 errors" in table
    assert report.as_json()["scenarios"][0]["pages"][0]["met"] is True


def test_percentile_interpolates_between_ranks() -> None:
    assert rp.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert rp.percentile([5.0], 95) == 5.0
    assert math.isnan(rp.percentile([], 95))


def _facts() -> dict[str, Any]:
    return {
        "date": "today",
        "users": 2,
        "warmup_s": 0.0,
        "duration_s": 2.0,
        "cpus": 2,
        "cpu_model": "cpu",
        "load_start": 1.0,
        "load_end": 1.0,
        "python": "3",
        "django": "5",
        "postgresql": "15",
        "gunicorn": "27",
        "workers": 2,
        "locust": "2",
        "redis": "7",
        "profile": "test",
        "database": "db",
        "data": "some",
        "floor_url": "/account/switch/",
    }


def _records(world: World) -> None:
    """A record of every kind the scenarios open, visible to the world's personas."""
    SupportPlanFactory(pupil=world.pupil)
    ProvisionAssignmentFactory(pupil=world.pupil)
    with_plan = PupilFactory(school=world.school, ehc_plan=True)
    PlanVersionFactory(plan__pupil=with_plan, issued_final=True)
    AssessmentCaseFactory(pupil=with_plan)


@pytest.mark.django_db
def test_the_plan_gives_each_persona_only_urls_of_records_they_may_open(world: World) -> None:
    _records(world)
    for s in sc.SCENARIOS:
        plan = plan_scenario(s, TEST_PROFILE, users=5, records=2, seed=1)
        assert plan.users, s.key
        assert plan.labels == [p.label for p in s.pages], (s.key, plan.skipped)
        for person in plan.users:
            client = _client(person.email)
            for page in person.pages:
                for url in page.urls:
                    assert client.get(url).status_code == 200, (s.key, person.email, url)
    floor = plan_floor(
        [plan_scenario(s, TEST_PROFILE, users=5, records=1, seed=1) for s in sc.SCENARIOS],
        users=50,
        password=PASSWORD,
    )
    assert len({u.email for u in floor.users}) == len(floor.users)
    assert {u.role for u in floor.users} >= ISSUE_ROLES


def _client(email: str) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


# A school role and an LA role: each scenario is a locust process of a few seconds, and the plan
# test above already requests every page of every scenario as its persona.
LIVE = ("senco", "caseworker")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_tiny_live_run_signs_in_through_the_form_and_reports_every_page_as_a_ratio() -> None:
    world = build_world()
    _records(world)
    # gunicorn runs the production hashers, which do not read the test settings' MD5.
    User.objects.update(password=PBKDF2PasswordHasher().encode(PASSWORD, "loadbenchsalt"))
    db = connection.settings_dict
    env = {
        **server_env(),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
    }
    options = Options(
        users=2, warmup=0, duration=1.0, workers=2, scenarios=LIVE, floor_runs=1, records=2
    )

    report = run_load(options, TEST_PROFILE, env)

    assert [r.key for r in report.scenarios] == list(LIVE)
    assert len(report.floor_runs) == 1 and report.floor_runs[0].requests > 0
    assert report.errors == 0 and not report.broken
    for result in report.scenarios:
        assert result.signed_in == 2 and result.sign_in_failed == 0
        assert [p.label for p in result.pages] == [p.label for p in sc.scenario(result.key).pages]
        for page in result.pages:
            assert page.requests > 0, (result.key, page.label)
            assert math.isfinite(page.ratio) and page.ratio > 0
    table = rp.format_markdown(report)
    assert all(f"| {r.title} | {p.label} |" in table for r in report.scenarios for p in r.pages)
