"""SEN support plan journey through Chromium: every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pupils.support.models import SupportCycle
from sendadmin.clocks.models import Clock
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(live_server: Any) -> World:
    return build_world()


def test_senco_writes_a_plan_sets_a_review_date_and_downloads_the_pdf(
    page: Any, live_server: Any, live_world: World
) -> None:
    sign_in(page, live_server.url, "senco@oakfield.example")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/pupils/{live_world.pupil.pk}/")
    page.get_by_role("link", name="SEN support plan").click()
    expect(page.get_by_role("heading", name="SEN support plan")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start a SEN support plan").click()

    expect(page.get_by_role("heading", name="Assess and plan")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Assessment").fill("Finds spoken instructions hard to follow")
    page.locator("#id_review_date_day").fill("31")
    page.locator("#id_review_date_month").fill("2")
    page.locator("#id_review_date_year").fill("2030")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Review date must be a real date")).to_be_visible()
    assert_accessible(page)
    review = timezone.localdate() + dt.timedelta(days=60)
    page.locator("#id_review_date_day").fill(str(review.day))
    page.locator("#id_review_date_month").fill(str(review.month))
    page.locator("#id_review_date_year").fill(str(review.year))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Cycle 1 saved")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add an outcome").click()
    assert_accessible(page)
    page.get_by_label("Outcome sought").fill("Follows a two-step instruction")
    page.get_by_label("Success criteria").fill("In 4 of 5 lessons")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add support or provision").click()
    assert_accessible(page)
    page.get_by_label("Strategy or provision").fill("Visual timetable")
    page.get_by_label("Who delivers it").fill("Class teacher")
    page.get_by_label("How often").fill("Daily")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Visual timetable")).to_be_visible()
    expect(page.get_by_role("cell", name="Follows a two-step instruction")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the plan for parents (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("sen-support-plan-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    cycle = SupportCycle.objects.get(plan__pupil=live_world.pupil)
    assert (cycle.status, cycle.review_date) == ("active", review)
    assert Clock.objects.filter(kind="sen_support_review", pupil=live_world.pupil).count() == 1
    assert page.console_errors == []
