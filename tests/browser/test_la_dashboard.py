"""The LA dashboard through Chromium (issue 7 part 5): the LA manager reads last year's 20-week
figures, which match a count made in this test from the inputs, and downloads the SEN2 export.
Another LA's plans never count. Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world
from tests.dashboards.la_data import Issued, issued_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TWENTY_WEEKS = 140  # days: the final plan within 20 weeks of the request (reg 13(2))


@pytest.fixture
def inputs(live_server: Any) -> tuple[World, list[Issued]]:
    world = build_world()
    year = timezone.localdate().year - 1
    oak, river, hill = world.school, world.second_school, world.other_la_school
    home = [
        Issued(oak, dt.date(year, 1, 8), 98),
        Issued(oak, dt.date(year, 2, 12), 140),
        Issued(oak, dt.date(year, 3, 5), 150, exception=True),
        Issued(river, dt.date(year, 3, 19), 120, exception=True),
        Issued(river, dt.date(year, 4, 2), 210),
        Issued(river, dt.date(year, 5, 7), 400),
        Issued(oak, dt.date(year, 6, 4), 133),
    ]
    for item in home:
        issued_case(item)
    for item in [Issued(hill, dt.date(year, 2, 1), 300), Issued(hill, dt.date(year, 3, 1), 90)]:
        issued_case(item)  # Eastbrook's: never in Northmoor's figures
    return world, home


def _percent(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator * 100:.1f}%"


def _row(page: Any, header: str) -> list[str]:
    row = page.locator("tr", has=page.locator("th", has_text=header)).first
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


def test_the_la_manager_sees_the_20_week_figures_counted_by_hand(
    page: Any, live_server: Any, inputs: tuple[World, list[Issued]]
) -> None:
    _, cases = inputs
    year = timezone.localdate().year - 1
    # SEN2 counts a new plan in the calendar year it was issued (domain.md 7.2).
    home = [i for i in cases if i.issued.year == year]
    within = [i for i in home if i.days <= TWENTY_WEEKS]
    clean = [i for i in home if not i.exception]
    within_clean = [i for i in clean if i.days <= TWENTY_WEEKS]
    assert (len(home), len(within), len(clean), len(within_clean)) == (6, 4, 4, 3)

    sign_in(page, live_server.url, "la_manager@northmoor.example")
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/dashboard/la/?year={year}")
    expect(page.get_by_text("Within 20 weeks, including exceptions").first).to_be_visible()
    assert_accessible(page)

    assert _row(page, "Within 20 weeks, including exceptions") == [
        str(len(within)),
        str(len(home)),
        _percent(len(within), len(home)),
    ]
    assert _row(page, "Within 20 weeks, excluding exceptions") == [
        str(len(within_clean)),
        str(len(clean)),
        _percent(len(within_clean), len(clean)),
    ]

    with page.expect_download() as info:
        page.get_by_role("link", name=f"Download the SEN2 items for {year} (CSV)").click()
    with open(info.value.path(), encoding="utf-8-sig") as export:
        text = export.read()
    assert "ReceivedDate" in text.splitlines()[0]
    # One request row per Northmoor case received last year; none of Eastbrook's.
    received = {i.received.strftime("%Y-%m-%d") for i in cases}
    rows = text.splitlines()[1:]
    assert sum(any(day in row for day in received) for row in rows) >= len(cases)
    assert f"{year}-02-01" not in text and f"{year}-03-01" not in text
