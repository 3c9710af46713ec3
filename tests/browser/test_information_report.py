"""The SEN Information Report through Chromium: the SENCO drafts it, the head approves, a governor
records the governing body's approval, the SENCO publishes; the public page and the PDF follow.
Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from offer.models import InformationReport
from offer.sections import sections_for
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(live_server: Any) -> World:
    return build_world()


def _new_page(browser: Any) -> Any:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    return context.new_page()


def test_the_senco_drafts_the_head_and_governors_approve_and_it_is_published(
    page: Any, browser: Any, live_server: Any, live_world: World
) -> None:
    base = live_server.url
    sign_in(page, base, "senco@oakfield.example")
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="SEN Information Report", exact=True).click()
    expect(page.get_by_role("heading", name="SEN Information Report", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start a new version").click()
    assert_accessible(page)
    report = InformationReport.objects.get(school=live_world.school)

    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("The headteacher has not approved this version")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Write or change the sections").click()
    assert_accessible(page)
    for section in sections_for(True):
        page.locator(f"#id_{section.key}").fill(f"At Oakfield: {section.title.lower()}.")
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("Report saved")).to_be_visible()
    assert_accessible(page)

    head = _new_page(browser)
    sign_in(head, base, "head@oakfield.example", check=False)
    head.wait_for_url(f"{base}/")
    head.goto(f"{base}/offer/report/{report.pk}/")
    head.get_by_role("button", name="Approve this version as headteacher").click()
    expect(head.get_by_text("Approved as headteacher")).to_be_visible()

    governor = _new_page(browser)
    sign_in(governor, base, "governor@oakfield.example", check=False)
    governor.wait_for_url(f"{base}/")
    governor.goto(f"{base}/offer/report/{report.pk}/")
    governor.get_by_role("link", name="Record the approval").click()
    assert_accessible(governor)
    governor.get_by_role("button", name="Record the approval").click()
    expect(governor.get_by_text("Enter the minute reference of the approval").first).to_be_visible()
    assert_accessible(governor)
    governor.get_by_label("Minute reference").fill("FGB 2026/14")
    governor.get_by_role("button", name="Record the approval").click()
    expect(governor.get_by_text("The governing body's approval is recorded")).to_be_visible()

    page.reload()
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("Version 1 is published")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as PDF").click()
    with open(info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    public = _new_page(browser)
    public.goto(f"{base}/schools/{live_world.school.urn}/sen-information-report/")
    expect(public.get_by_role("heading", name="SEN Information Report")).to_be_visible()
    expect(public.get_by_text("At Oakfield: complaints about sen provision.")).to_be_visible()
    expect(public.get_by_text(f"{timezone.localdate():%-d %B %Y}").first).to_be_visible()
    assert_accessible(public)
