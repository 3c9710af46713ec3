"""The LA dashboard's figures kept for a few minutes (sendadmin/core/figure_cache.py): shared by the
LA's managers, kept apart per LA, school filter and year, and dated on the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from sendadmin.accounts.roles import Role
from tests.conftest import World, client_for
from tests.dashboards.la_data import open_case
from tests.dashboards.test_la_pages import cells
from tests.factories import MembershipFactory, UserFactory
from tests.factories.dates import TODAY

URL = reverse("dashboards:la")
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def cached() -> Iterator[None]:
    with override_settings(FIGURES_CACHE_SECONDS=300, CACHES=LOCMEM):
        cache.clear()
        yield
        cache.clear()


def open_total(html: str) -> str:
    return cells(html, "Over 20 weeks")[0]


def test_figures_are_kept_for_a_few_minutes_and_dated(world: World, cached: object) -> None:
    open_case(world.school, TODAY.replace(year=TODAY.year - 1))
    client = client_for(world.users["la_manager"])
    first = client.get(URL).content.decode()
    assert open_total(first) == "1"
    assert "They are counted again at most every 5 minutes" in first

    open_case(world.school, TODAY.replace(year=TODAY.year - 1))
    assert open_total(client.get(URL).content.decode()) == "1"  # counted before the new case

    cache.clear()
    assert open_total(client.get(URL).content.decode()) == "2"


def test_kept_figures_are_the_las_own_and_per_school(world: World, cached: object) -> None:
    open_case(world.school, TODAY.replace(year=TODAY.year - 1))
    open_case(world.other_la_school, TODAY.replace(year=TODAY.year - 1))
    open_case(world.other_la_school, TODAY.replace(year=TODAY.year - 1))
    assert open_total(client_for(world.users["la_manager"]).get(URL).content.decode()) == "1"
    other_manager = UserFactory(email="manager@eastbrook.example")
    MembershipFactory(
        user=other_manager, school=None, local_authority=world.other_la, role=Role.LA_MANAGER
    )
    other = client_for(other_manager).get(URL).content.decode()
    assert open_total(other) == "2"
    by_school = client_for(world.users["la_manager"]).get(URL, {"school": world.second_school.pk})
    assert open_total(by_school.content.decode()) == "0"
