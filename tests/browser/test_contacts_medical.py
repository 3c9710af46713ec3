"""The SENCO adds a parent and a medical condition through Chromium, with a mistake first. Every
page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pupils.models import MedicalCondition, ParentCarer
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(live_server: Any) -> World:
    return build_world()


def test_senco_adds_a_parent_and_a_medical_condition_after_a_mistake(
    page: Any, live_server: Any, live_world: World
) -> None:
    base = live_server.url
    pupil = live_world.pupil
    sign_in(page, base, "senco@oakfield.example", check=False)
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/pupils/{pupil.pk}/")
    page.get_by_role("link", name="Add a parent or carer").click()
    assert page.get_by_role("heading", name="Add a parent or carer").is_visible()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Grace Okafor")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert page.get_by_label("Full name").input_value() == "Grace Okafor"
    assert_accessible(page)
    page.get_by_label("Relationship to the pupil").fill("Mother")
    page.get_by_label("Email address").fill("grace@example.org")
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Grace Okafor").is_visible()
    assert_accessible(page)
    assert ParentCarer.objects.filter(pupil=pupil, name="Grace Okafor").exists()

    page.get_by_role("link", name="Add a medical condition").click()
    assert_accessible(page)
    review_on = timezone.localdate() + dt.timedelta(days=90)
    page.get_by_label("Medical condition").fill("Epilepsy")
    page.get_by_label("Yes").check()
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("must be a real date").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Day").fill(str(review_on.day))
    page.get_by_label("Month").fill(str(review_on.month))
    page.get_by_label("Year").fill(str(review_on.year))
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Medical condition added").is_visible()
    assert_accessible(page)
    record = MedicalCondition.objects.get(pupil=pupil, condition="Epilepsy")
    clock = Clock.objects.get(kind=Kind.HEALTHCARE_PLAN_REVIEW, subject_id=record.pk)
    assert (clock.state, clock.due_on) == ("open", review_on)
    assert page.console_errors == []
