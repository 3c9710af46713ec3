"""The LA dashboard page: the figures in GOV.UK tables, filters refused without leaking, the chart
hidden from assistive technology, and the same number of queries for 10 cases or 200."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World, client_for
from tests.dashboards.la_data import Issued, issued_case, open_case
from tests.factories import AdviceRequestFactory
from tests.factories.dates import TODAY

YEAR = TODAY.year - 1
URL = reverse("dashboards:la")


def cells(html: str, header: str) -> list[str]:
    """The data cells of the table row whose header is `header`."""
    match = re.search(re.escape(header) + r"</th>(.*?)</tr>", html, re.S)
    assert match, f"no row {header!r}"
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", match[1])]


def build(world: World) -> None:
    """Last year in Northmoor: 3 plans within 20 weeks (one with an exception), 1 late; the other
    LA: 2 late plans that must never be counted."""
    oak, river, hill = world.school, world.second_school, world.other_la_school
    for item in [
        Issued(oak, dt.date(YEAR, 1, 6), 100),
        Issued(oak, dt.date(YEAR, 2, 6), 130, exception=True),
        Issued(river, dt.date(YEAR, 3, 6), 60),
        Issued(river, dt.date(YEAR, 4, 6), 200),
        Issued(hill, dt.date(YEAR, 2, 2), 200),
        Issued(hill, dt.date(YEAR, 3, 2), 250),
    ]:
        issued_case(item)


def test_the_la_manager_sees_the_20_week_figures_of_their_la(world: World) -> None:
    build(world)
    html = client_for(world.users["la_manager"]).get(URL).content.decode()

    # 4 new plans; within 20 weeks 3 of 4; excluding the exception, 2 of 3.
    assert cells(html, "New plans issued")[0] == "4"
    assert cells(html, "Within 20 weeks, including exceptions") == ["3", "4", "75.0%"]
    assert cells(html, "Within 20 weeks, excluding exceptions (DfE headline)") == [
        "2",
        "3",
        "66.7%",
    ]
    assert cells(html, "With an exception recorded")[:2] == ["1", "4"]
    assert cells(html, "Issued in 20 to 52 weeks") == ["1", "4", "25.0%"]
    assert cells(html, "Issued after more than 52 weeks") == ["0", "4", "0.0%"]
    mean = round((100 + 130 + 60 + 200) / 7 / 4, 1)
    assert cells(html, "Mean weeks from request to final plan") == [f"{mean} weeks"]
    assert world.other_la_school.name not in html


def test_a_school_of_another_la_is_refused_and_the_las_own_figures_shown(world: World) -> None:
    build(world)
    client = client_for(world.users["la_manager"])

    response = client.get(URL, {"school": world.other_la_school.pk, "year": YEAR})

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Choose one of Northmoor&#x27;s schools" in html
    assert cells(html, "New plans issued")[0] == "4"  # Northmoor's, unfiltered
    assert world.other_la_school.name not in html


@pytest.mark.parametrize(
    "query",
    [
        {"school": "abc"},
        {"school": "999999"},
        {"year": "abc"},
        {"year": "1999"},
        {"year": str(TODAY.year + 1)},
        {"year": "2025'; DROP TABLE x;--", "school": "-1"},
    ],
)
def test_a_bad_filter_gets_an_error_summary_never_a_500(
    world: World, query: dict[str, str]
) -> None:
    build(world)
    response = client_for(world.users["la_manager"]).get(URL, query)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert ("Choose a year from the list" in html) or ("Choose one of Northmoor" in html)
    assert cells(html, "New plans issued")[0] == "4"


def test_a_school_of_the_la_filters_every_figure(world: World) -> None:
    build(world)
    html = (
        client_for(world.users["la_manager"])
        .get(URL, {"school": world.second_school.pk, "year": YEAR})
        .content.decode()
    )

    assert "There is a problem" not in html
    assert f"Northmoor: {world.second_school.name}" in html
    assert cells(html, "Within 20 weeks, including exceptions") == ["1", "2", "50.0%"]


def test_the_weeks_chart_is_hidden_from_screen_readers_and_the_page_has_no_inline_style(
    world: World,
) -> None:
    open_case(world.school, TODAY - dt.timedelta(days=3))
    open_case(world.school, TODAY - dt.timedelta(days=150))
    html = client_for(world.users["la_manager"]).get(URL).content.decode()

    assert re.search(r"<svg[^>]*aria-hidden=\"true\"", html)
    assert cells(html, "Week 1") == ["1"]
    assert cells(html, "Over 20 weeks") == ["1"]
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_the_current_year_to_date_is_offered(world: World) -> None:
    issued_case(Issued(world.school, dt.date(TODAY.year, 1, 5), 100))
    html = client_for(world.users["la_manager"]).get(URL, {"year": TODAY.year}).content.decode()

    assert f"New EHC plans issued in {TODAY.year} to date" in html
    assert cells(html, "New plans issued")[0] == "1"


def test_a_year_with_no_plans_says_so_instead_of_0_per_cent(world: World) -> None:
    html = client_for(world.users["la_manager"]).get(URL).content.decode()

    assert cells(html, "Within 20 weeks, including exceptions") == ["0", "0", "no plans issued"]
    assert cells(html, "Mean weeks from request to final plan") == ["no plans issued"]


def _units(world: World, start: int, n: int) -> None:
    """n of each: a plan issued last year, an open case, educational advice sent last year."""
    for i in range(start, start + n):
        school = world.school if i % 2 else world.second_school
        received = dt.date(YEAR, 1, 1) + dt.timedelta(days=i % 200)
        issued_case(Issued(school, received, 60 + i % 200, exception=i % 7 == 0))
        open_case(school, TODAY - dt.timedelta(days=i % 180))
        case = open_case(school, TODAY - dt.timedelta(days=300), assessing=True)
        AdviceRequestFactory(
            case=case,
            school=school,
            sent_on=dt.date(YEAR, 3, 1),
            received_on=dt.date(YEAR, 3, 1),
            status="submitted",
            submitted_on=dt.date(YEAR, 3, 1) + dt.timedelta(days=i % 60),
        )


def _queries(world: World) -> int:
    client = client_for(world.users["la_manager"])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, {"year": YEAR, "school": world.school.pk}).status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_makes_the_same_queries_with_10_cases_and_with_200(world: World) -> None:
    _units(world, 0, 10)
    _queries(world)  # warms the per-process content-type cache
    few = _queries(world)
    _units(world, 10, 190)
    many = _queries(world)

    assert few == many
