"""seed_demo_governance: the demo SENCOs, their qualification clocks and the governance records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.db import transaction
from pytest_django import DjangoDbBlocker

from offer.models import Governance, SencoDesignation
from offer.selectors import qualification_check
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_days
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.core.demo import seed_demo
from sendadmin.core.demo_clocks import SENCO_QUALIFICATION_DUE_IN
from sendadmin.core.demo_governance import became_for_due, seed_demo_governance
from tests.conftest import LONDON
from tests.factories.dates import TODAY

OAKFIELD, RIVERSIDE = "Oakfield Primary School", "Riverside Academy"


@pytest.fixture(scope="module")
def counts(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, int]]:
    on_today = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=LONDON)
    with (
        time_machine.travel(on_today, tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        seed_demo(TODAY)
        result = seed_demo_governance(TODAY)
        again = seed_demo_governance(TODAY)
        assert set(again.values()) == {0}, "a second run adds nothing"
        yield result
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db]


def _current(email: str, school: str) -> SencoDesignation:
    return SencoDesignation.objects.get(user__email=email, school__name=school, ended_on=None)


def test_each_current_senco_of_a_mainstream_school_is_designated(counts: dict[str, int]) -> None:
    current = SencoDesignation.objects.filter(ended_on=None)
    assert sorted(current.values_list("user__email", "school__name")) == sorted(
        SENCO_QUALIFICATION_DUE_IN
    )
    # Brookside is a special school: CFA s.67(2) asks no SENCO of it.
    assert not SencoDesignation.objects.filter(school__name="Brookside Special School").exists()
    assert counts["SENCO designations"] == 5  # four current and Oakfield's past SENCO


def test_the_qualification_falls_due_on_the_days_demo_clocks_names(counts: dict[str, int]) -> None:
    for (email, school), due_in in SENCO_QUALIFICATION_DUE_IN.items():
        check = qualification_check(_current(email, school), TODAY)
        assert check.due == add_days(TODAY, due_in), (email, school)


def test_the_qualifications_are_in_progress_held_and_overdue(counts: dict[str, int]) -> None:
    priya = qualification_check(_current("senco@oakfield.example", OAKFIELD), TODAY)
    marcus = qualification_check(_current("senco@riverside.example", RIVERSIDE), TODAY)
    wei = qualification_check(
        _current("senco@hillcrest.example", "Hillcrest Primary School"), TODAY
    )
    assert priya.compliant and priya.message.startswith("In progress")
    assert marcus.compliant and marcus.message == "Qualification held."
    assert not wei.compliant and "had to be held from" in wei.message


def test_clocks_open_where_the_qualification_is_owed_with_the_demo_roles(
    counts: dict[str, int],
) -> None:
    clocks = Clock.objects.filter(kind=Kind.SENCO_QUALIFICATION, state=Clock.State.OPEN)
    owners = {
        (
            SencoDesignation.objects.get(pk=c.subject_id).user.email,
            c.school.name,
        ): c.responsible_role
        for c in clocks.select_related("school")
    }
    assert owners == {
        ("senco@oakfield.example", OAKFIELD): Role.SEN_LINK_GOVERNOR,
        ("senco@oakfield.example", RIVERSIDE): Role.HEADTEACHER,
        ("senco@hillcrest.example", "Hillcrest Primary School"): Role.HEADTEACHER,
    }
    assert counts["SENCO qualification clocks"] == 3


def test_every_demo_school_has_a_governance_record(counts: dict[str, int]) -> None:
    assert Governance.objects.count() == counts["governance records"] == 4
    oakfield = Governance.objects.get(school__name=OAKFIELD)
    assert (oakfield.sen_link_governor, oakfield.designated_teacher) == (
        "Tunde Adeyemi",
        "Aisha Rahman",
    )
    overdue = Governance.objects.filter(medical_policy_review_on__lt=TODAY)
    assert list(overdue.values_list("school__name", flat=True)) == [RIVERSIDE]


@pytest.mark.parametrize("due", ["2028-02-29", "2027-03-31", "2026-12-03"])
def test_became_for_due_finds_the_day_or_the_nearest_one(due: str) -> None:
    from offer.deadlines import senco_qualification_due

    target = dt.date.fromisoformat(due)
    falls = senco_qualification_due(became_for_due(target), 0)
    assert falls is not None and abs((falls - target).days) <= 1
