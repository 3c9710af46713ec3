"""The EHC needs assessment journey through Chromium, the LA and the school on one record: every page
visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ehcp.models import AssessmentCase, PlanVersion
from sendadmin.clocks.models import Clock
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world
from tests.factories import PupilNeedFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_world(live_server: Any) -> World:
    world = build_world()
    PupilNeedFactory(pupil=world.pupil, rank=1, code="SLCN")
    return world


def _new_page(browser: Any) -> Any:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    return context.new_page()


def _date(page: Any, prefix: str, when: dt.date) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(when.day))
    page.locator(f"#id_{prefix}_month").fill(str(when.month))
    page.locator(f"#id_{prefix}_year").fill(str(when.year))


def _go(page: Any, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def test_the_la_and_the_school_take_an_assessment_from_request_to_final_plan(
    page: Any, browser: Any, live_server: Any, live_world: World
) -> None:
    base = live_server.url
    pupil = live_world.pupil
    today = timezone.localdate()
    received = today - dt.timedelta(weeks=5)

    # The caseworker opens a case for the pupil and decides to assess.
    sign_in(page, base, "la_caseworker@northmoor.example")
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="EHC assessments").click()
    assert_accessible(page)
    page.get_by_role("link", name="Open a case").click()
    assert_accessible(page)
    page.get_by_label("School URN").fill(live_world.school.urn)
    page.get_by_label("Unique pupil number (UPN)").fill(pupil.upn)
    _date(page, "date_of_birth", pupil.date_of_birth + dt.timedelta(days=1))
    page.get_by_label("Parent or carer").check()
    _date(page, "received_on", received)
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("link", name="No pupil at that school has that UPN")).to_be_visible()
    assert_accessible(page)
    _date(page, "date_of_birth", pupil.date_of_birth)
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text("Week 6 of 20")).to_be_visible()
    assert_accessible(page)
    case = AssessmentCase.objects.get(pupil=pupil)

    page.get_by_role("link", name="Record the decision whether to assess").click()
    assert_accessible(page)
    page.get_by_label("Yes, assess").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision whether to assess recorded")).to_be_visible()
    page.get_by_role("link", name="Ask for advice").click()
    assert_accessible(page)
    page.get_by_label("Educational advice (reg 6(1)(b))").check()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text(f"Advice requested from {live_world.school.name}")).to_be_visible()
    assert_accessible(page)

    # The school's SENCO sees it in "What needs your attention" with the days left, and answers.
    senco = _new_page(browser)
    sign_in(senco, base, "senco@oakfield.example")
    senco.wait_for_url(f"{base}/")
    assert_accessible(senco)
    expect(senco.get_by_text("42 days left")).to_be_visible()
    senco.get_by_role("link", name="Advice for an EHC needs assessment").click()
    expect(senco.get_by_role("heading", name="Educational advice")).to_be_visible()
    assert_accessible(senco)
    # Prefilled from the register: the primary need is already there.
    expect(senco.get_by_label("The pupil's special educational needs")).to_contain_text(
        "Speech, language and communication"
    )
    senco.get_by_label("Attainment and progress").fill(
        "Reading age 6 years; slow phonics progress."
    )
    senco.get_by_label("What has been tried, and its cost").fill(
        "Two cycles of SEN support with a language group, 3 x 30 minutes a week."
    )
    senco.get_by_label("Outcomes sought").fill("Follows two-step instructions in class.")
    senco.get_by_role("button", name="Save draft").click()
    assert_accessible(senco)
    senco.get_by_role("button", name="Send to the LA").click()
    expect(senco.get_by_text("Sent to").first).to_be_visible()
    assert_accessible(senco)
    case_advice = case.advice.get()
    assert (case_advice.status, case_advice.submitted_on) == ("submitted", today)

    # The caseworker sees the advice, decides to issue and writes the draft.
    _go(page, f"{base}/ehcp/cases/{case.pk}/")
    expect(page.get_by_text("Received", exact=False).first).to_be_visible()
    page.get_by_role("link", name="Record the decision whether to issue a plan").click()
    page.get_by_label("Yes, issue a plan").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision whether to issue a plan recorded")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name=re.compile(r"^EHC plan \d+$")).click()
    expect(page.get_by_role("heading", name="EHC plan: draft version 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add an outcome").click()
    assert_accessible(page)
    page.get_by_label("Outcome sought").fill("Follows two-step instructions in class by July 2027")
    page.get_by_label("Speech, language and communication needs").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add provision").click()
    assert_accessible(page)
    page.get_by_label("What", exact=True).fill("Speech and language therapy programme, 1:1")
    page.get_by_label("Sessions a week").fill("2")
    page.get_by_label("Minutes a session").fill("30")
    page.get_by_label("Group size").fill("1")
    page.get_by_label("For how long").fill("Until the next annual review")
    page.get_by_label("By whom").fill("Teaching assistant trained by the NHS therapist")
    page.get_by_label("Speech, language and communication needs").check()
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("cell", name="Speech and language therapy programme, 1:1")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Serve the draft").click()
    assert_accessible(page)
    page.get_by_role("button", name="Serve the draft").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record representations").click()
    assert_accessible(page)
    _date(page, "received_on", today)
    page.get_by_label("What the representations said").fill(
        "The parents agree with the draft and ask for Oakfield to be named."
    )
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Start the final plan").click()
    expect(page.get_by_role("heading", name="EHC plan: final version 2")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change section I").click()
    assert_accessible(page)
    page.get_by_label("URN of the school (optional)").fill(live_world.school.urn)
    page.get_by_label("Type of school or institution").fill("Mainstream primary school")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Issue").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Issue the plan").click()
    expect(page.get_by_text("frozen", exact=False).first).to_be_visible()
    assert_accessible(page)

    # The PDF of the final plan downloads.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download", exact=False).first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("ehc-plan-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # The timeline: every clock met (the 20-week plan in week 6), none open.
    _go(page, f"{base}/ehcp/cases/{case.pk}/")
    expect(page.get_by_text("Final plan issued")).to_be_visible()
    clocks = Clock.objects.filter(pupil=pupil).exclude(
        kind__in=["parents_told", "sen_support_review"]
    )
    states = {c.kind: c.state for c in clocks}
    assert states == {
        "decision_to_assess": "met",
        "advice_request": "met",
        "no_plan_notice": "met",
        "representations": "met",
        "final_plan": "met",
        # Issuing the final plan opens its first annual review, 12 months on (CFA s.44(1)).
        "annual_review": "open",
    }
    assert PlanVersion.objects.filter(plan__case=case, issued_on=today).count() == 2
    pupil.refresh_from_db()
    assert pupil.sen_provision == "E"
    # The two versions compared, and the plan's provision against the provision map.
    plan = case.plan
    _go(page, f"{base}/ehcp/plans/{plan.pk}/compare/")
    expect(page.get_by_text("Oakfield Primary School", exact=False).first).to_be_visible()
    _go(page, f"{base}/ehcp/plans/{plan.pk}/delivery/")
    expect(page.get_by_text("not on the provision map", exact=False).first).to_be_visible()
    _go(page, f"{base}/ehcp/plans/")
    _go(senco, f"{base}/ehcp/advice/")
    expect(senco.get_by_text("Sent to the LA on", exact=False).first).to_be_visible()
    senco.context.close()
    assert page.console_errors == []
