"""The school dashboard through Chromium (issue 7 parts 3 and 4): a governor sees the charts and
tables with no pupil named; the head drills down from a count to the pupils; axe on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pupils.codes import NeedType
from sendadmin.clocks.kinds import Kind
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world
from tests.factories import ClockFactory, PupilFactory, PupilNeedFactory, SenStatusFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = dt.timedelta(days=1)


@pytest.fixture
def dashboard_world(live_server: Any) -> World:
    world = build_world()
    today = timezone.localdate()
    for i, code in enumerate([NeedType.ASD, NeedType.ASD, NeedType.SLCN, NeedType.SEMH] * 2):
        pupil = PupilFactory(
            school=world.school,
            ehc_plan=i % 3 == 0,
            sen_support=i % 3 != 0,
            year_group=i % 4 + 1,
            legal_last_name=f"Dashboardchild{i}",
        )
        PupilNeedFactory(pupil=pupil, code=code)
        SenStatusFactory(pupil=pupil, provision=pupil.sen_provision, start=today - 500 * DAY)
        ClockFactory(
            pupil=pupil,
            kind=Kind.PARENT_MEETING,
            started_on=today - 150 * DAY,
            due_on=today - (3 + i) * DAY,
        )
    return world


def test_a_governor_sees_the_dashboard_without_a_name(
    page: Any, live_server: Any, dashboard_world: World
) -> None:
    url = live_server.url
    sign_in(page, url, "governor@oakfield.example", check=False)
    page.goto(f"{url}/dashboard/school/")
    assert page.get_by_role("heading", name="SEN compliance dashboard").is_visible()
    assert "Dashboardchild" not in page.content()
    assert page.get_by_text("fewer than 5").count() > 0
    assert page.locator("a[href*='/dashboard/school/status/']").count() == 0
    assert_accessible(page)


def test_the_head_drills_down_from_a_count_to_the_pupils(
    page: Any, live_server: Any, dashboard_world: World
) -> None:
    url = live_server.url
    sign_in(page, url, "head@oakfield.example", check=False)
    page.goto(f"{url}/dashboard/school/")
    assert_accessible(page)
    page.locator("a[href='/dashboard/school/need/?key=ASD']").click()
    assert page.get_by_role("heading", name="Autistic spectrum disorder").is_visible()
    assert page.get_by_text("Dashboardchild0").is_visible()
    assert_accessible(page)
    page.goto(f"{url}/dashboard/school/overdue/?key={Kind.PARENT_MEETING}")
    assert page.get_by_text("Dashboardchild7").is_visible()
    assert_accessible(page)
