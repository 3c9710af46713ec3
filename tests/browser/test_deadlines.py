"""Deadline journeys through Chromium: every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import expect

from sendadmin.accounts.models import LocalAuthority, School
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world
from tests.factories import ClockFactory, NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = dt.timedelta(days=1)


def unread(n: int) -> re.Pattern[str]:
    """The header link's accessible name; Chromium adds a space after the visually hidden text."""
    return re.compile(rf"^Notifications \({n} unread ?\)$")


@pytest.fixture
def deadline_world(live_server: Any) -> World:
    """The world with clocks dated from the real today (browser tests do not freeze time)."""
    world = build_world()
    today = timezone.localdate()
    ClockFactory(pupil=world.pupil, due_on=today - 3 * DAY, started_on=today - 60 * DAY)  # overdue
    ClockFactory(
        pupil=world.pupil,
        kind=Kind.PARENT_MEETING,
        subject_id=world.pupil.pk + 100_000,
        started_on=today - 120 * DAY,
        due_on=today - 10 * DAY,
        state="met",
        met_on=today - 12 * DAY,
    )
    ClockFactory(
        pupil=world.untaught_pupil,
        kind=Kind.ADVICE_REQUEST,
        started_on=today - 50 * DAY,
        due_on=today - 8 * DAY,
        exception_regulation="reg8(2)",
        exception_limb="b",
        exception_from=today - 40 * DAY,
        exception_to=today - 20 * DAY,
        exception_evidence="Family abroad",
    )
    ClockFactory(pupil=world.untaught_pupil, kind=Kind.CONCERN_DECISION, due_on=today + 5 * DAY)
    ClockFactory(pupil=world.second_school_pupil)
    school_type = ContentType.objects.get_for_model(School)
    ClockFactory(
        pupil=None,
        kind=Kind.INFORMATION_REPORT_REVIEW,
        subject_type=school_type,
        subject_id=world.school.pk,
        school=world.school,
        local_authority=world.home_la,
        responsible_role=Role.GOVERNOR,
        due_on=today + 40 * DAY,
    )
    ClockFactory(
        pupil=None,
        kind=Kind.FINAL_PLAN,
        subject_type=ContentType.objects.get_for_model(LocalAuthority),
        subject_id=world.home_la.pk,
        school=None,
        local_authority=world.home_la,
        responsible_role=Role.LA_CASEWORKER,
        due_on=today + 9 * DAY,
    )
    senco = world.users["senco"]
    NotificationFactory(user=senco, clock=None, title="SEN support plan review is overdue")
    NotificationFactory(user=senco, clock=None, title="Decision on a concern due in 5 days")
    return world


def test_senco_works_through_deadlines_timeline_notifications_and_calendar(
    page: Any, live_server: Any, deadline_world: World
) -> None:
    sign_in(page, live_server.url, "senco@oakfield.example")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("cell", name="3 days overdue").first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Deadlines", exact=True).click()
    assert page.get_by_role("heading", name="My deadlines").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="All deadlines at Oakfield Primary School").click()
    assert page.get_by_role("heading", name="School deadlines").is_visible()
    assert_accessible(page)
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("1 deadline matches")).to_be_visible()
    assert_accessible(page)

    page.locator("#id_due_from_day").fill("31")
    page.locator("#id_due_from_month").fill("2")
    page.locator("#id_due_from_year").fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Due from must be a real date")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/deadlines/school/?status=all")
    page.get_by_role("link", name="Amara Okafor").first.click()
    page.get_by_role("link", name="Deadlines timeline").click()
    assert page.get_by_role("heading", name="Deadlines timeline").is_visible()
    expect(page.get_by_text("Met on time")).to_be_visible()
    expect(page.get_by_text("Regulation 8(2)(b)")).to_have_count(0)  # another pupil's exception
    assert_accessible(page)

    page.get_by_role("link", name=unread(2)).click()
    assert page.get_by_role("heading", name="Notifications").is_visible()
    assert_accessible(page)
    row = page.get_by_role("row", name=re.compile("SEN support plan review is overdue"))
    row.get_by_role("button", name=re.compile(r"^Mark as read ?: SEN support plan review")).click()
    expect(page.get_by_role("link", name=unread(1))).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/deadlines/calendar/")
    assert_accessible(page)
    page.get_by_role("button", name="Create my calendar link").click()
    feed_url = page.get_by_label("Your calendar link").input_value()
    assert feed_url.startswith(f"{live_server.url}/deadlines/calendar/")
    assert feed_url.endswith(".ics")
    assert_accessible(page)
    assert page.console_errors == []


def test_governor_sees_school_deadlines_without_pupil_names(
    page: Any, live_server: Any, deadline_world: World
) -> None:
    sign_in(page, live_server.url, "governor@oakfield.example")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/deadlines/school/?status=all")
    assert page.get_by_role("heading", name="School deadlines").is_visible()
    assert page.get_by_role("cell", name="SEN Information Report review").is_visible()
    assert "Okafor" not in page.content() and "Hughes" not in page.content()
    assert_accessible(page)


def test_la_caseworker_opens_la_deadlines(
    page: Any, live_server: Any, deadline_world: World
) -> None:
    sign_in(page, live_server.url, "la_caseworker@northmoor.example")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Deadlines", exact=True).click()
    page.get_by_role("link", name="All deadlines at Northmoor").click()
    assert page.get_by_role("heading", name="Local authority deadlines").is_visible()
    assert page.get_by_role("cell", name="Final EHC plan").is_visible()
    assert_accessible(page)


def test_deadline_filters_and_notifications_work_without_javascript(
    browser: Any, live_server: Any, deadline_world: World
) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server.url, "senco@oakfield.example", check=False)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/deadlines/school/")
    page.get_by_label("Status").select_option("due_soon")
    page.get_by_role("button", name="Apply filters").click()
    assert "status=due_soon" in page.url
    expect(page.get_by_text("1 deadline matches")).to_be_visible()
    page.goto(f"{live_server.url}/deadlines/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("link", name=unread(0))).to_be_visible()
    context.close()
