"""The governance duties through Chromium (issue 7 part 2): the head designates a SENCO, is refused
one who is neither a qualified teacher nor the head (reg 49(1)-(3)), and sees the qualification
clock; a governor reads the page. Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from offer.models import SencoDesignation
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(live_server: Any) -> World:
    return build_world()


def _date(page: Any, prefix: str, when: dt.date) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(when.day))
    page.locator(f"#id_{prefix}_month").fill(str(when.month))
    page.locator(f"#id_{prefix}_year").fill(str(when.year))


def _answer(page: Any, field: str, value: str) -> None:
    page.locator(f"input[name='{field}'][value='{value}']").check()


def test_the_head_designates_a_senco_and_a_governor_reads_the_duties(
    page: Any, browser: Any, live_server: Any, live_world: World
) -> None:
    base = live_server.url
    became = timezone.localdate() - dt.timedelta(days=200)
    sign_in(page, base, "head@oakfield.example", check=False)
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="Governance", exact=True).click()
    expect(page.get_by_role("heading", name="Governance duties")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Designate a SENCO").click()
    assert_accessible(page)

    page.get_by_label("Full name").fill("Nadia Brooks")
    _answer(page, "qualified_teacher", "no")
    _answer(page, "induction_completed", "no")
    _answer(page, "is_headteacher", "no")
    _date(page, "became_senco_on", became)
    page.get_by_label("Months as a SENCO before, at any school").fill("0")
    _answer(page, "qualification", "none")
    page.get_by_role("button", name="Designate the SENCO").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("qualified teacher")
    assert_accessible(page)
    assert not SencoDesignation.objects.exists()

    _answer(page, "qualified_teacher", "yes")
    _answer(page, "induction_completed", "yes")
    page.get_by_role("button", name="Designate the SENCO").click()
    expect(page.get_by_role("heading", name="Governance duties")).to_be_visible()
    expect(page.get_by_text("Nadia Brooks").first).to_be_visible()
    assert_accessible(page)
    clock = Clock.objects.get(kind=Kind.SENCO_QUALIFICATION, school=live_world.school)
    assert clock.state == "open" and clock.due_on.year == became.year + 3

    governor = browser.new_context().new_page()
    sign_in(governor, base, "governor@oakfield.example", check=False)
    governor.wait_for_url(f"{base}/")
    governor.goto(f"{base}/offer/governance/")
    expect(governor.get_by_text("Nadia Brooks").first).to_be_visible()
    expect(governor.get_by_role("link", name="Designate a SENCO")).to_have_count(0)
    assert_accessible(governor)
    governor.context.close()
