"""The provision map through Chromium: a TA logs a session on a phone, and the whole graduated
approach from a MIS import to the cost of what was delivered. Every page visited passes axe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pupils.models import ParentsToldRecord, Pupil
from pupils.provision.models import ProvisionAssignment, SessionAttendance, SessionLog
from pupils.support.models import SupportCycle
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world
from tests.factories.provision import ProvisionAssignmentFactory
from tests.factories.pupils import spare_upn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_world(live_server: Any) -> World:
    return build_world()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def _fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _fill_date(page: Any, prefix: str, day: dt.date) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def test_a_teaching_assistant_logs_a_session_on_a_phone(
    phone: Any, live_server: Any, live_world: World
) -> None:
    assignment = ProvisionAssignmentFactory(pupil=live_world.pupil)
    base = live_server.url
    sign_in(phone, base, "ta@oakfield.example")
    phone.wait_for_url(f"{base}/")
    phone.goto(f"{base}/provision/log/")
    expect(phone.get_by_role("heading", name="Log a session")).to_be_visible()
    assert _fits_the_screen(phone)
    assert_accessible(phone)

    phone.get_by_role("link", name=assignment.provision.name).click()
    expect(phone.get_by_role("heading", name=assignment.provision.name)).to_be_visible()
    expect(phone.get_by_label(live_world.pupil.display_name)).to_be_checked()
    assert _fits_the_screen(phone)
    assert_accessible(phone)

    phone.locator("#id_duration_minutes").fill("")
    phone.get_by_role("button", name="Log the session").click()
    expect(
        phone.get_by_role("link", name="Enter how many minutes the session lasted")
    ).to_be_visible()
    assert_accessible(phone)
    phone.locator("#id_duration_minutes").fill("25")
    phone.get_by_label("Notes (optional)").fill("Worked on describing pictures")
    phone.get_by_role("button", name="Log the session").click()
    expect(phone.get_by_text("Session logged")).to_be_visible()
    assert_accessible(phone)

    log = SessionLog.objects.get()
    assert (log.duration_minutes, log.delivered_by) == (25, live_world.users["ta"])
    assert SessionAttendance.objects.get(session=log).pupil == live_world.pupil
    assert phone.console_errors == []


UPN = spare_upn(778)
CSV = (
    "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Admission Date,Leaving Date,"
    "SEN Provision,Primary Need,Secondary Need,EAL,FSM,Looked After,Reg Group\r\n"
    f"{UPN},Okoro,Chidi,,02/05/2017,4,01/09/2021,,N,,,N,Y,N,Year 4 Willow\r\n"
)


def test_the_graduated_approach_from_import_to_the_cost_of_what_was_delivered(
    page: Any, phone: Any, live_server: Any, live_world: World, tmp_path: Path
) -> None:
    base = live_server.url
    today = timezone.localdate()

    # The SENCO imports the roll from the MIS.
    sign_in(page, base, "senco@oakfield.example", check=False)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/pupils/register/import/")
    upload = tmp_path / "roll.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.get_by_label("Upload a CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    assert_accessible(page)
    pupil = Pupil.objects.get(upn=UPN)
    # The Reg Group column put the pupil in the Year 4 class the teacher teaches.
    assert pupil.group_links.get().group == live_world.pupil.group_links.get().group

    # SEN support with two ranked needs, and the parents told (CFA 2014 s.68).
    page.goto(f"{base}/pupils/{pupil.pk}/")
    page.get_by_role("link", name="Change SEN provision and needs").click()
    page.get_by_label("SEN support").check()
    page.get_by_label("Primary need (rank 1)").select_option("SLCN")
    page.get_by_label("Secondary need (rank 2)").select_option("SEMH")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Chidi Okoro")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record that the parents were told").click()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("In a meeting").check()
    page.get_by_label("Who told them?").fill("Priya Sharma, SENCO")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Chidi Okoro")).to_be_visible()
    assert ParentsToldRecord.objects.filter(pupil=pupil).exists()

    # The SEN support plan, and its PDF for the parents.
    page.get_by_role("link", name="SEN support plan").click()
    page.get_by_role("button", name="Start a SEN support plan").click()
    page.get_by_label("Assessment").fill("Struggles to find words to explain his thinking")
    _fill_date(page, "review_date", today + dt.timedelta(days=56))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add an outcome").click()
    page.get_by_label("Outcome sought").fill("Retells a story in sequence")
    page.get_by_label("Success criteria").fill("Uses 4 connected sentences")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Retells a story in sequence")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the plan for parents (PDF)").click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert SupportCycle.objects.get(plan__pupil=pupil).outcomes.count() == 1

    # The provision map: a new intervention and the pupil on it.
    page.get_by_role("link", name="Provision map").click()
    expect(page.get_by_role("heading", name="Provision map")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a provision").click()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Talk Boost")
    page.get_by_label("Communication and interaction").check()
    page.get_by_label("Small group").check()
    page.get_by_label("Largest group (pupils)").fill("4")
    page.get_by_label("Teaching assistant").check()
    page.get_by_label("Sessions a week").fill("3")
    page.get_by_label("Minutes a session").fill("30")
    page.get_by_label("Staff cost per hour, in pounds").fill("18.00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Talk Boost")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}/pupils/{pupil.pk}/")
    page.get_by_role("link", name="Provision and its cost").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add to a provision").click()
    page.get_by_label("Provision").select_option(label="Talk Boost")
    _fill_date(page, "start", today - dt.timedelta(days=7))
    page.get_by_label("Entry measure (optional)").fill("Language Link 22%")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Chidi Okoro is on Talk Boost")).to_be_visible()
    assert_accessible(page)
    assert ProvisionAssignment.objects.filter(pupil=pupil, provision__name="Talk Boost").exists()

    # The class teacher logs a session from a phone.
    sign_in(phone, base, "class_teacher@oakfield.example", check=False)
    phone.wait_for_url(f"{base}/")
    phone.goto(f"{base}/provision/log/")
    phone.get_by_role("link", name="Talk Boost").click()
    expect(phone.get_by_label("Chidi Okoro")).to_be_checked()
    phone.get_by_role("button", name="Log the session").click()
    expect(phone.get_by_text("Session logged")).to_be_visible()
    assert_accessible(phone)

    # The provision map shows the cost: 30 minutes at £18.00 an hour.
    page.goto(f"{base}/provision/")
    row = page.get_by_role("row", name="Talk Boost")
    expect(row).to_contain_text("£9.00")
    assert_accessible(page)
    page.goto(f"{base}/provision/pupil/{pupil.pk}/")
    expect(page.get_by_text("£9.00").first).to_be_visible()
    assert SessionLog.objects.get(provision__name="Talk Boost").duration_minutes == 30
    assert page.console_errors == [] and phone.console_errors == []


def test_the_office_puts_a_teacher_in_a_group_without_errors_for_axe(
    page: Any, live_server: Any, live_world: World
) -> None:
    base = live_server.url
    sign_in(page, base, "school_admin@oakfield.example", check=False)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/pupils/groups/")
    assert_accessible(page)
    page.get_by_role("link", name="Year 5 Ash").click()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("link", name="Select a member of staff")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Member of staff").select_option(label="Class Teacher")
    page.get_by_label("Teacher", exact=True).check()
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("cell", name="Class Teacher", exact=True)).to_be_visible()
    assert_accessible(page)
    assert (
        live_world.users["class_teacher"].teaching_links.filter(group__name="Year 5 Ash").exists()
    )
