"""The annual review journey through Chromium: the school convenes, the LA decides and amends. Every
page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ehcp.models import PlanVersion
from reviews.models import Review
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_months
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_open
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world
from tests.factories.ehcp import (
    PlanNeedFactory,
    PlanOutcomeFactory,
    PlanProvisionFactory,
    PlanVersionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(live_server: Any) -> World:
    """The in-scope pupil has a final plan issued 11 months ago, its annual review due next month."""
    world = build_world()
    today = timezone.localdate()
    issued = today - dt.timedelta(days=330)
    version = PlanVersionFactory(
        plan__pupil=world.pupil, number=1, issued_final=True, issued_on=issued
    )
    need = PlanNeedFactory(version=version)
    outcome = PlanOutcomeFactory(version=version, outcome="Reads texts of the class's level")
    outcome.needs.add(need)
    provision = PlanProvisionFactory(version=version, sessions_per_week=1)
    provision.needs.add(need)
    provision.outcomes.add(outcome)
    clock_open(
        kind=Kind.ANNUAL_REVIEW,
        subject=version.plan,
        started_on=issued,
        start_event="Final EHC plan issued",
        school=world.school,
        pupil=world.pupil,
        responsible_role=Role.SENCO,
        by=None,
    )
    return world


def _new_page(browser: Any) -> Any:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    return context.new_page()


def _date(page: Any, prefix: str, when: dt.date) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(when.day))
    page.locator(f"#id_{prefix}_month").fill(str(when.month))
    page.locator(f"#id_{prefix}_year").fill(str(when.year))


def _pdf(page: Any, link: str) -> None:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    with open(info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"


def test_the_school_reviews_the_plan_and_the_la_amends_it(
    page: Any, browser: Any, live_server: Any, live_world: World
) -> None:
    base = live_server.url
    today = timezone.localdate()
    invited, meeting = today - dt.timedelta(days=20), today - dt.timedelta(days=5)

    # The SENCO starts the review from the plan's due date, sets the meeting and invites.
    sign_in(page, base, "senco@oakfield.example")
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="Reviews", exact=True).click()
    expect(page.get_by_role("heading", name="Reviews of EHC plans")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start the review").click()
    assert_accessible(page)
    review = Review.objects.get(plan__pupil=live_world.pupil)
    assert review.due_on == add_months(today - dt.timedelta(days=330), 12)

    page.get_by_role("link", name="Set the meeting date").click()
    assert_accessible(page)
    _date(page, "meeting_on", invited + dt.timedelta(days=13))
    page.get_by_role("button", name="Save the meeting date").click()
    assert_accessible(page)
    page.get_by_role("link", name="Send the invitations").click()
    assert_accessible(page)
    _date(page, "sent_on", invited)
    page.get_by_label("Parent or carer").fill("Grace Okafor")
    page.get_by_label("LA SEN officer (optional)").fill("Northmoor SEN team")
    page.get_by_role("button", name="Record the invitations").click()
    # Thirteen days' notice is refused with the reason (reg 20(3)).
    expect(page.get_by_text("at least two weeks' notice").first).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/reviews/{review.pk}/meeting-date/")
    _date(page, "meeting_on", meeting)
    page.get_by_role("button", name="Save the meeting date").click()
    page.get_by_role("link", name="Send the invitations").click()
    _date(page, "sent_on", invited)
    page.get_by_label("Parent or carer").fill("Grace Okafor")
    page.get_by_role("button", name="Record the invitations").click()
    page.get_by_role("link", name="Circulate the papers").click()
    assert_accessible(page)
    _date(page, "circulated_on", invited + dt.timedelta(days=1))
    page.get_by_role("button", name="Record the papers circulated").click()
    _pdf(page, "Invitation letter (PDF)")

    # The meeting: progress on the outcome, views, a change proposed to section F, amend.
    page.get_by_role("link", name="Record the meeting").click()
    assert_accessible(page)
    _date(page, "held_on", meeting)
    page.get_by_label("On track", exact=True).check()
    page.get_by_label("Evidence of progress towards outcome 1").fill("Reads 40 words a minute")
    page.get_by_label("The parents' views").fill("Happy with progress; want more therapy.")
    page.get_by_label(
        "Proposed change to section F: special educational provision (optional)"
    ).fill("Structured phonics three times a week, not once.")
    page.get_by_label("Amend the plan").check()
    page.get_by_role("button", name="Record the meeting").click()
    assert_accessible(page)
    page.get_by_role("link", name="Send the report").click()
    assert_accessible(page)
    _date(page, "sent_on", today)
    page.get_by_role("button", name="Record the report sent").click()
    assert_accessible(page)
    _pdf(page, "Review report (PDF)")
    _pdf(page, "Papers for the meeting (PDF)")

    # The caseworker decides to amend and issues the amended plan, changing only section F.
    la = _new_page(browser)
    sign_in(la, base, "la_caseworker@northmoor.example")
    la.wait_for_url(f"{base}/")
    la.goto(f"{base}/reviews/la/")
    assert_accessible(la)
    la.goto(f"{base}/reviews/{review.pk}/")
    assert_accessible(la)
    la.get_by_role("link", name="Record the decision").click()
    assert_accessible(la)
    la.get_by_label("Amend the plan").check()
    la.get_by_role("button", name="Record the decision").click()
    expect(la.get_by_role("heading", name="EHC plan: amended version 2")).to_be_visible()
    assert_accessible(la)
    la.get_by_role("link", name="Change provision F1").click()
    assert_accessible(la)
    la.get_by_label("Sessions a week").fill("3")
    la.get_by_role("button", name="Save").click()
    # The parent's 15 days on the proposed amendments (reg 22(2)(c)): they reply at once.
    la.get_by_role("link", name="Record representations").click()
    assert_accessible(la)
    _date(la, "received_on", today)
    la.get_by_label("What the representations said").fill("We agree with more phonics sessions.")
    la.get_by_role("button", name="Save").click()
    la.get_by_role("link", name="Issue").first.click()
    assert_accessible(la)
    la.get_by_role("button", name="Issue the plan").click()
    expect(la.get_by_text("frozen", exact=False).first).to_be_visible()
    assert_accessible(la)

    # Every clock of the review on the pupil's timeline is met.
    states = {
        c.kind: c.state
        for c in Clock.objects.filter(pupil=live_world.pupil).exclude(
            kind__in=["parents_told", "sen_support_review"]
        )
    }
    for kind in (
        "review_invitations",
        "review_papers",
        "review_report",
        "la_review_decision",
        "amended_plan",
        "representations",
    ):
        assert states[kind] == "met", kind
    # The review met the first annual review clock; the next one is open, 12 months on.
    annual = Clock.objects.filter(kind="annual_review", pupil=live_world.pupil)
    assert {c.state for c in annual} == {"met", "open"}
    amended = PlanVersion.objects.get(plan=review.plan, kind="amended")
    assert amended.issued_on == today
    assert amended.provisions.get().sessions_per_week == 3
    page.goto(f"{base}/deadlines/pupil/{live_world.pupil.pk}/")
    assert_accessible(page)
    la.context.close()
    assert page.console_errors == []
