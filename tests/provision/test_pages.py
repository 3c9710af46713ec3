"""Provision map pages: the catalogue, assigning, logging sessions, the per-pupil and school costs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pupils.provision.models import (
    NotionalSenBudget,
    Provision,
    ProvisionAssignment,
    SessionAttendance,
    SessionLog,
)
from sendadmin.accounts.models import AuditEvent
from tests.conftest import World, client_for
from tests.factories import PupilFactory
from tests.factories.dates import TODAY
from tests.factories.provision import (
    ProvisionAssignmentFactory,
    ProvisionFactory,
    SessionLogFactory,
)

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _date(prefix: str, d: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(d.day),
        f"{prefix}_month": str(d.month),
        f"{prefix}_year": str(d.year),
    }


def _provision_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "version": "",
        "name": "Precision teaching",
        "description": "Daily number facts",
        "area": "cognition",
        "delivery": "group",
        "max_group_size": "4",
        "staff_role": "ta",
        "sessions_per_week": "3",
        "minutes_per_session": "20",
        "cost_per_hour": "18.00",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_senco_adds_a_provision_and_is_told_what_is_wrong(world: World, senco: Any) -> None:
    client = client_for(senco)
    url = reverse("provision:create")
    bad = client.post(
        url, _provision_data(name="", sessions_per_week="0", cost_per_hour="-1", max_group_size="")
    )
    body = bad.content.decode()
    assert bad.status_code == 200
    assert "There is a problem" in body
    for message in (
        "Enter the provision&#x27;s name",
        "Sessions a week must be at least 1",
        "Staff cost per hour cannot be negative",
        "Enter the largest group",
    ):
        assert message in body
    assert 'value="20"' in body  # what was typed is kept
    assert not Provision.objects.exists()

    response = client.post(url, _provision_data())
    provision = Provision.objects.get()
    assert response.url == reverse("provision:detail", args=[provision.pk])
    assert provision.school == world.school
    assert (provision.sessions_per_week, provision.cost_per_hour) == (3, Decimal("18.00"))
    assert provision.history.get().history_user == senco

    again = client.post(url, _provision_data())
    assert "A provision with this name already exists" in again.content.decode()
    assert Provision.objects.count() == 1


def test_a_stale_edit_is_refused_and_the_second_save_is_deliberate(
    world: World, senco: Any
) -> None:
    provision = ProvisionFactory(school=world.school)
    url = reverse("provision:edit", args=[provision.pk])
    client = client_for(senco)
    client.post(url, _provision_data(name="Renamed by someone else", version="1"))
    provision.refresh_from_db()
    assert (provision.name, provision.version) == ("Renamed by someone else", 2)

    stale = client.post(url, _provision_data(name="My name", version="1"))
    body = stale.content.decode()
    assert "Someone else changed this provision" in body
    assert 'value="My name"' in body
    provision.refresh_from_db()
    assert provision.name == "Renamed by someone else"

    # The re-shown form carries the current version: saving again is a deliberate overwrite.
    assert 'name="version" value="2"' in body
    assert client.post(url, _provision_data(name="My name", version="2")).status_code == 302
    provision.refresh_from_db()
    assert (provision.name, provision.version) == ("My name", 3)


def test_senco_assigns_a_pupil_once_even_if_the_form_is_sent_twice(
    world: World, senco: Any
) -> None:
    provision = ProvisionFactory(school=world.school)
    client = client_for(senco)
    url = reverse("provision:assign", args=[world.pupil.pk])
    data = {"provision": str(provision.pk), **_date("start", TODAY), "entry_measure": "RA 6y2m"}
    first = client.post(url, data)
    assert first.url == reverse("provision:pupil-summary", args=[world.pupil.pk])
    assert client.post(url, data).status_code == 302
    assert ProvisionAssignment.objects.count() == 1

    later = client.post(url, {**data, **_date("start", TODAY + 7 * DAY)})
    assert "already on" in later.content.decode()
    assert ProvisionAssignment.objects.count() == 1

    other_school = ProvisionFactory(school=world.second_school)
    refused = client.post(url, {**data, "provision": str(other_school.pk)})
    assert "Select a provision" in refused.content.decode()


def test_teacher_logs_a_session_for_the_pupils_they_teach_only(
    world: World, class_teacher: Any
) -> None:
    taught = ProvisionAssignmentFactory(pupil=world.pupil)
    provision = taught.provision
    ProvisionAssignmentFactory(pupil=world.untaught_pupil, provision=provision)
    client = client_for(class_teacher)

    start = client.get(reverse("provision:log-start")).content.decode()
    assert provision.name in start
    assert "1 pupil you work with" in start

    url = reverse("provision:session-log", args=[provision.pk])
    page = client.get(url).content.decode()
    assert world.pupil.display_name in page
    assert world.untaught_pupil.display_name not in page

    sneaky = client.post(
        url,
        {
            **_date("date", TODAY),
            "duration_minutes": "30",
            "attended": [str(world.untaught_pupil.pk)],
        },
    )
    assert "Select only pupils on this provision" in sneaky.content.decode()
    assert not SessionLog.objects.exists()

    key = re.search(r'name="key" value="([0-9a-f-]{36})"', page)
    assert key is not None
    data = {
        **_date("date", TODAY),
        "duration_minutes": "25",
        "attended": [str(world.pupil.pk)],
        "key": key.group(1),
    }
    response = client.post(url, data)
    assert response.url == reverse("provision:log-start")
    log = SessionLog.objects.get()
    assert (log.delivered_by, log.duration_minutes, log.date) == (class_teacher, 25, TODAY)
    assert list(SessionAttendance.objects.values_list("pupil", "attended")) == [
        (world.pupil.pk, True)
    ]
    twice = client.post(url, data, follow=True)
    assert "already logged" in twice.content.decode()
    assert SessionLog.objects.count() == 1


def test_a_session_in_the_future_or_without_a_date_is_refused(
    world: World, class_teacher: Any
) -> None:
    provision = ProvisionAssignmentFactory(pupil=world.pupil).provision
    url = reverse("provision:session-log", args=[provision.pk])
    client = client_for(class_teacher)
    future = client.post(
        url, {**_date("date", TODAY + DAY), "duration_minutes": "30", "attended": []}
    )
    assert "must be today or in the past" in future.content.decode()
    missing = client.post(url, {"duration_minutes": "x"})
    body = missing.content.decode()
    assert "Enter the date of the session" in body
    assert "Minutes must be a whole number" in body
    assert not SessionLog.objects.exists()


def test_absent_pupils_are_recorded_and_cost_only_who_attended(world: World, senco: Any) -> None:
    provision = ProvisionFactory(school=world.school, cost_per_hour=Decimal("30.00"))
    for pupil in (world.pupil, world.untaught_pupil):
        ProvisionAssignmentFactory(pupil=pupil, provision=provision, start=TODAY - 14 * DAY)
    client = client_for(senco)
    client.post(
        reverse("provision:session-log", args=[provision.pk]),
        {**_date("date", TODAY), "duration_minutes": "60", "attended": [str(world.pupil.pk)]},
    )
    assert dict(SessionAttendance.objects.values_list("pupil", "attended")) == {
        world.pupil.pk: True,
        world.untaught_pupil.pk: False,
    }
    summary = client.get(reverse("provision:pupil-summary", args=[world.pupil.pk]))
    body = summary.content.decode()
    assert "£30.00" in body  # the whole hour, as the only pupil who came
    absent = client.get(reverse("provision:pupil-summary", args=[world.untaught_pupil.pk]))
    assert "£0.00" in absent.content.decode()
    assert AuditEvent.objects.filter(action="provision.pupil_summary.viewed").count() == 2


def test_ending_an_assignment_records_the_exit_measure(world: World, senco: Any) -> None:
    assignment = ProvisionAssignmentFactory(pupil=world.pupil, start=TODAY - 30 * DAY)
    url = reverse("provision:assignment-end", args=[assignment.pk])
    client = client_for(senco)
    early = client.post(url, {**_date("end", TODAY - 40 * DAY)})
    assert "on or after the start date" in early.content.decode()
    response = client.post(url, {**_date("end", TODAY), "exit_measure": "RA 7y0m"})
    assert response.url == reverse("provision:pupil-summary", args=[world.pupil.pk])
    assignment.refresh_from_db()
    assert (assignment.end, assignment.exit_measure) == (TODAY, "RA 7y0m")


def test_the_map_shows_costs_against_the_budget(world: World, senco: Any) -> None:
    provision = ProvisionFactory(
        school=world.school,
        one_to_one_trait=True,
        sessions_per_week=1,
        minutes_per_session=60,
        cost_per_hour=Decimal("20.00"),
    )
    ProvisionAssignmentFactory(pupil=world.pupil, provision=provision)
    SessionLogFactory(provision=provision, delivered_by=senco, date=TODAY, duration_minutes=60)
    client = client_for(senco)
    response = client.post(reverse("provision:budget-set"), {"year": "2026", "amount": "1520"})
    assert response.url == reverse("provision:map") + "?year=2026"
    assert NotionalSenBudget.objects.get().amount == Decimal("1520")
    body = client.get(reverse("provision:map")).content.decode()
    # 1 x 60 minutes x £20 an hour x 38 weeks = £760 planned for the one pupil: half the budget.
    assert "£760.00" in body
    assert "£20.00" in body
    assert "50.0%" in body
    assert reverse("provision:detail", args=[provision.pk]) in body

    bad = client.post(reverse("provision:budget-set"), {"year": "2026", "amount": "lots"})
    assert "must be an amount of money" in bad.content.decode()


def test_governors_see_costs_but_no_pupil_and_no_small_count(world: World, governor: Any) -> None:
    provision = ProvisionFactory(school=world.school, name="Lego therapy")
    ProvisionAssignmentFactory(pupil=world.pupil, provision=provision)
    body = client_for(governor).get(reverse("provision:map")).content.decode()
    assert "Lego therapy" in body
    assert "fewer than 5" in body
    assert reverse("provision:detail", args=[provision.pk]) not in body
    assert world.pupil.legal_last_name not in body


def test_a_teacher_sees_only_the_pupils_they_teach_on_a_provision(
    world: World, class_teacher: Any
) -> None:
    provision = ProvisionAssignmentFactory(pupil=world.pupil).provision
    ProvisionAssignmentFactory(pupil=world.untaught_pupil, provision=provision)
    body = (
        client_for(class_teacher)
        .get(reverse("provision:detail", args=[provision.pk]))
        .content.decode()
    )
    assert world.pupil.display_name in body
    assert world.untaught_pupil.display_name not in body


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_page_queries_do_not_grow_with_rows(world: World, senco: Any) -> None:
    client = client_for(senco)
    provision = ProvisionFactory(school=world.school)

    def grow(n: int) -> None:
        for _ in range(n):
            other = ProvisionFactory(school=world.school)
            pupil = PupilFactory(school=world.school, sen_support=True)
            ProvisionAssignmentFactory(pupil=pupil, provision=provision)
            ProvisionAssignmentFactory(pupil=pupil, provision=other)
            log = SessionLogFactory(provision=provision, delivered_by=senco)
            SessionAttendance.objects.create(session=log, pupil=pupil)

    urls = [
        reverse("provision:map"),
        reverse("provision:detail", args=[provision.pk]),
        reverse("provision:log-start"),
        reverse("provision:session-log", args=[provision.pk]),
    ]
    grow(2)
    client.get(reverse("core:home"))  # the first request of a session does more
    few = [_queries(client, url) for url in urls]
    grow(18)
    many = [_queries(client, url) for url in urls]
    assert few == many
