"""Every role signs in through Chromium, lands on its home page, and every page passes axe."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible
from tests.conftest import World, build_world
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_PERSONAS = [
    "governor",
    "sen_link_governor",
    "head",
    "senior_leader",
    "senco",
    "class_teacher",
    "ta",
    "designated_teacher",
    "school_admin",
    "la_caseworker",
    "la_manager",
]


@pytest.fixture
def live_world(live_server: Any) -> World:
    return build_world()


def sign_in(page: Any, base_url: str, email: str, *, check: bool = True) -> None:
    page.goto(f"{base_url}/account/sign-in/")
    if check:
        assert_accessible(page)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_each_role_signs_in_and_lands_on_its_home_page(
    page: Any, live_server: Any, live_world: World, persona: str
) -> None:
    user = live_world.users[persona]
    sign_in(page, live_server.url, user.email)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="What needs your attention").is_visible()
    assert_accessible(page)
    assert page.console_errors == []


def test_wrong_password_shows_an_accessible_error_summary(
    page: Any, live_server: Any, live_world: World
) -> None:
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("E-mail address").fill("senco@oakfield.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page)


def test_senco_finds_a_pupil_reads_the_record_and_its_history(
    page: Any, live_server: Any, live_world: World
) -> None:
    sign_in(page, live_server.url, "senco@oakfield.example")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Pupils").click()
    assert_accessible(page)
    page.get_by_label("Search by name or UPN").fill("Okafor")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.get_by_role("link", name="Okafor, Amara").click()
    assert page.get_by_role("heading", name="Amara Okafor").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="History of changes to this record").click()
    assert page.get_by_role("heading", name="History of changes").is_visible()
    assert_accessible(page)


def test_pages_work_without_javascript(browser: Any, live_server: Any, live_world: World) -> None:
    # axe needs JavaScript, so this journey checks function only; the same pages pass axe above.
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server.url, "senco@oakfield.example", check=False)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Pupils").click()
    assert page.get_by_role("heading", name="Pupils").is_visible()
    context.close()
