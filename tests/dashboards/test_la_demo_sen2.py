"""seed_demo_sen2: Northmoor's finished assessments, made through the ehcp services, give the LA
dashboard a 20-week figure for last year and this year that matches a count made by hand from the
cases, plans and clocks."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from ehcp.models import AssessmentCase, PlanVersion
from sendadmin.accounts.models import User
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.core.demo import NORTHMOOR, seed_demo
from sendadmin.core.demo_clocks import seed_demo_clocks
from sendadmin.core.demo_ehcp import seed_demo_ehcp
from sendadmin.core.demo_sen2 import _schedule, seed_demo_sen2
from sendadmin.dashboards import la as figures
from tests.conftest import LONDON, client_for
from tests.dashboards.test_la_figures import by_hand_percent
from tests.dashboards.test_la_pages import cells
from tests.factories.dates import TODAY


@pytest.fixture(scope="module")
def counts(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, int]]:
    on_today = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=LONDON)
    with (
        time_machine.travel(on_today, tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        seed_demo(TODAY)
        seed_demo_clocks(TODAY)
        seed_demo_ehcp(TODAY)
        result = seed_demo_sen2(TODAY)
        again = seed_demo_sen2(TODAY)
        assert set(again.values()) == {0}, "a second run adds nothing"
        yield result
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db]


def _by_hand(year: int) -> dict[str, int]:
    """The 20-week counts from Northmoor's cases, their final versions and their 20-week clocks."""
    case_type = ContentType.objects.get_for_model(AssessmentCase)
    flagged = set(
        Clock.objects.filter(kind=Kind.FINAL_PLAN, subject_type=case_type)
        .exclude(exception_regulation="")
        .values_list("subject_id", flat=True)
    )
    n = {"new": 0, "within": 0, "exceptions": 0, "clean": 0, "within_clean": 0, "middle": 0}
    n.update({"over": 0, "days": 0})
    for case in AssessmentCase.objects.filter(local_authority__name=NORTHMOOR):
        finals = PlanVersion.objects.filter(
            plan__case=case, kind="final", issued_on__isnull=False
        ).values_list("issued_on", flat=True)
        if not finals or min(finals).year != year:
            continue
        days = (min(finals) - case.request_received_on).days
        n["new"] += 1
        n["days"] += days
        n["within"] += days <= 140
        n["middle"] += 140 < days <= 364
        n["over"] += days > 364
        if case.pk in flagged:
            n["exceptions"] += 1
        else:
            n["clean"] += 1
            n["within_clean"] += days <= 140
    return n


def test_about_40_finished_cases_with_their_clocks_met(counts: dict[str, int]) -> None:
    assert counts["finished EHC needs assessments"] == 40
    finished = AssessmentCase.objects.filter(
        local_authority__name=NORTHMOOR, closed_reason="Final plan issued"
    )
    assert finished.count() >= 40
    for case in finished:
        final = case.plan.versions.get(kind="final")
        clock = Clock.objects.get(
            kind=Kind.FINAL_PLAN,
            subject_type=ContentType.objects.get_for_model(AssessmentCase),
            subject_id=case.pk,
        )
        assert (clock.state, clock.met_on, case.closed_on) == (
            "met",
            final.issued_on,
            final.issued_on,
        )
        # The due date never moves, exception or not (domain.md 0A).
        assert clock.due_on == case.request_received_on + dt.timedelta(weeks=20)
        assert case.pupil.sen_provision == "E"


def test_last_years_figure_matches_a_count_by_hand(counts: dict[str, int]) -> None:
    year = TODAY.year - 1
    want = _by_hand(year)
    la = AssessmentCase.objects.filter(local_authority__name=NORTHMOOR).first()
    assert la is not None

    got = figures.twenty_week_figure(la.local_authority_id, year, TODAY)

    assert want["new"] == 26 and want["exceptions"] == 3
    assert want["within"] > want["middle"] > want["over"] > 0
    assert (got.new_plans, got.within_20, got.with_exception) == (
        want["new"],
        want["within"],
        want["exceptions"],
    )
    assert (got.within_20_without_exception, got.weeks_20_to_52, got.over_52) == (
        want["within_clean"],
        want["middle"],
        want["over"],
    )
    assert got.excluding_percent == by_hand_percent(want["within_clean"], want["clean"])
    print(  # the figures the demo shows, for the report
        f"\n{year}: {got.new_plans} new plans; within 20 weeks {got.within_20} "
        f"({got.within_20_percent}); excluding exceptions {got.within_20_without_exception} of "
        f"{got.without_exception} ({got.excluding_percent}); 20-52 weeks {got.weeks_20_to_52}; "
        f"over 52 {got.over_52}; mean {got.mean_weeks} weeks"
    )


def test_the_la_manager_sees_this_years_figure_as_counted_by_hand(counts: dict[str, int]) -> None:
    want = _by_hand(TODAY.year)
    manager = User.objects.get(email="manager@northmoor.example")

    html = client_for(manager).get(reverse("dashboards:la"), {"year": TODAY.year}).content.decode()

    assert cells(html, "Within 20 weeks, including exceptions") == [
        str(want["within"]),
        str(want["new"]),
        by_hand_percent(want["within"], want["new"]),
    ]
    assert cells(html, "Within 20 weeks, excluding exceptions (DfE headline)") == [
        str(want["within_clean"]),
        str(want["clean"]),
        by_hand_percent(want["within_clean"], want["clean"]),
    ]
    print(f"\n{TODAY.year} to date: " + ", ".join(f"{k} {v}" for k, v in want.items()))


def test_the_schedule_is_the_same_every_run_on_the_same_day() -> None:
    assert _schedule(random.Random(1), TODAY) == _schedule(random.Random(1), TODAY)
