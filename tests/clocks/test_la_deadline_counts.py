"""The LA deadlines' counts: one query gives the summary and the number listed, and with the
figure cache on (sendadmin/core/figure_cache.py) they are kept a few minutes per user, membership
and filters while the rows listed are always read now."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings

from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from tests.clocks.test_pages import DAY, body, get, la_clock, results
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def cached() -> Iterator[None]:
    with override_settings(FIGURES_CACHE_SECONDS=300, CACHES=LOCMEM):
        cache.clear()
        yield
        cache.clear()


def counts(page: str) -> dict[str, str]:
    summary = page.split("Deadlines by status")[1].split("</table>")[0]
    return dict(re.findall(r">([A-Za-z ]+)</strong></th><td[^>]*>(\d+)<", summary))


def test_the_la_summary_and_the_number_listed_agree_with_each_filter(world: World) -> None:
    la_clock(world.home_la, due_on=TODAY - DAY)
    la_clock(world.home_la, kind=Kind.DECISION_TO_ASSESS, due_on=TODAY + 2 * DAY)
    la_clock(world.home_la, kind=Kind.ADVICE_REQUEST, due_on=TODAY + 40 * DAY)
    la_clock(world.other_la, due_on=TODAY - DAY)
    user = world.users["la_caseworker"]
    page = body(get(user, "clocks:la-deadlines"))
    assert counts(page)["Overdue"] == "1"
    assert counts(page)["Due soon"] == "1"
    assert counts(page)["On track"] == "1"
    assert "3 deadlines match" in page
    page = body(get(user, "clocks:la-deadlines", query={"status": "overdue"}))
    assert "1 deadline matches" in page
    page = body(get(user, "clocks:la-deadlines", query={"kind": Kind.DECISION_TO_ASSESS}))
    assert "1 deadline matches" in page and counts(page)["Overdue"] == "0"
    assert "Counted at" in page and "at most every" not in page


def test_kept_counts_are_dated_and_the_rows_are_read_now(world: World, cached: None) -> None:
    la_clock(world.home_la, due_on=TODAY - DAY)
    user = world.users["la_caseworker"]
    page = body(get(user, "clocks:la-deadlines"))
    assert counts(page)["Overdue"] == "1"
    assert "at most every 5 minutes" in page

    la_clock(world.home_la, kind=Kind.DECISION_TO_ASSESS, due_on=TODAY - 2 * DAY)
    page = body(get(user, "clocks:la-deadlines"))
    assert counts(page)["Overdue"] == "1"  # counted before the new clock
    # A different filter is counted afresh.
    page = body(get(user, "clocks:la-deadlines", query={"status": "all"}))
    assert counts(page)["Overdue"] == "2" and "2 deadlines match" in page

    cache.clear()
    page = body(get(user, "clocks:la-deadlines"))
    assert counts(page)["Overdue"] == "2"
    assert "Decision whether to assess" in results(page)


def test_kept_counts_are_each_users_own(world: World, cached: None) -> None:
    la_clock(world.home_la, due_on=TODAY - DAY)
    assert counts(body(get(world.users["la_caseworker"], "clocks:la-deadlines")))["Overdue"] == "1"
    # A clock answered for by one person (a school role's, so no other LA role sees it).
    colleague = UserFactory(email="colleague@northmoor.example")
    MembershipFactory(
        user=colleague, school=None, local_authority=world.home_la, role=Role.LA_CASEWORKER
    )
    la_clock(
        world.home_la,
        kind=Kind.DECISION_TO_ASSESS,
        responsible_role=Role.SENCO,
        responsible_user=colleague,
        due_on=TODAY - DAY,
    )
    assert counts(body(get(colleague, "clocks:la-deadlines")))["Overdue"] == "2"
    assert counts(body(get(world.users["la_caseworker"], "clocks:la-deadlines")))["Overdue"] == "1"
    other = body(get(world.users["other_la_caseworker"], "clocks:la-deadlines"))
    assert counts(other)["Overdue"] == "0"


def test_school_deadlines_are_counted_on_every_visit(world: World, cached: None) -> None:
    from tests.clocks.test_pages import school_clock

    school_clock(world.school, due_on=TODAY - DAY)
    assert counts(body(get(world.users["head"], "clocks:school-deadlines")))["Overdue"] == "1"
    school_clock(world.school, subject_id=999_999, due_on=TODAY - DAY)
    page = body(get(world.users["head"], "clocks:school-deadlines"))
    assert counts(page)["Overdue"] == "2" and "Counted at" not in page
