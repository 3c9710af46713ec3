"""The school dashboard's figures kept for a few minutes (sendadmin/core/figure_cache.py): dated on
the page, kept apart per school and per way of seeing them, so a governor is never shown a leader's
drill-down links or exact small counts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from sendadmin.accounts.roles import Role
from tests.conftest import World, client_for
from tests.factories import MembershipFactory, PupilFactory, UserFactory

URL = reverse("dashboards:school")
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DRILL_E = 'href="/dashboard/school/status/?key=E"'


@pytest.fixture
def cached() -> Iterator[None]:
    with override_settings(FIGURES_CACHE_SECONDS=300, CACHES=LOCMEM):
        cache.clear()
        yield
        cache.clear()


def ehc_count(html: str) -> str:
    """The number in the link to the pupils with an EHC plan (leaders' view)."""
    after = html.split(DRILL_E, 1)[1]
    return after.split(">", 1)[1].split("<", 1)[0].strip().split()[0]


def test_figures_are_kept_for_a_few_minutes_and_dated(world: World, cached: object) -> None:
    for _ in range(2):
        PupilFactory(school=world.school, ehc_plan=True)
    client = client_for(world.users["head"])
    first = client.get(URL).content.decode()
    assert "The figures are counted again at most every 5 minutes" in first
    assert 'id="figures-as-at"' in first
    before = ehc_count(first)

    PupilFactory(school=world.school, ehc_plan=True)
    assert ehc_count(client.get(URL).content.decode()) == before  # counted before the new pupil

    cache.clear()
    assert int(ehc_count(client.get(URL).content.decode())) == int(before) + 1


def test_a_governor_never_gets_the_leaders_figures(world: World, cached: object) -> None:
    for _ in range(2):
        PupilFactory(school=world.school, ehc_plan=True)
    head = client_for(world.users["head"]).get(URL).content.decode()
    assert DRILL_E in head
    governor = client_for(world.users["governor"]).get(URL).content.decode()
    assert DRILL_E not in governor
    assert "fewer than 5" in governor
    assert "/dashboard/school/" not in governor.split('id="status"', 1)[1]


def test_kept_figures_are_the_schools_own(world: World, cached: object) -> None:
    for _ in range(3):
        PupilFactory(school=world.school, ehc_plan=True)
    own = ehc_count(client_for(world.users["head"]).get(URL).content.decode())
    other_head = UserFactory(email="head@riverside.example")
    MembershipFactory(user=other_head, school=world.second_school, role=Role.HEADTEACHER)
    other = client_for(other_head).get(URL).content.decode()
    assert world.second_school.name in other
    assert ehc_count(other) != own
