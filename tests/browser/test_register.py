"""The SENCO's register journey through Chromium: import, SEN support with ranked needs, parents
told. Every page visited passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from pupils.models import ParentsToldRecord, Pupil
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.browser.conftest import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.conftest import World, build_world
from tests.factories.pupils import spare_upn as _upn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UPN = _upn(777)
CSV = (
    "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Admission Date,Leaving Date,"
    "SEN Provision,Primary Need,Secondary Need,EAL,FSM,Looked After\r\n"
    f"{UPN},Nakamura,Hana,,14/03/2017,4,01/09/2021,,N,,,Y,N,N\r\n"
)


@pytest.fixture
def live_world(live_server: Any) -> World:
    return build_world()


def test_senco_imports_a_csv_puts_a_pupil_on_sen_support_and_records_parents_told(
    page: Any, live_server: Any, live_world: World, tmp_path: Path
) -> None:
    base = live_server.url
    sign_in(page, base, "senco@oakfield.example", check=False)
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/pupils/register/")
    assert page.get_by_role("heading", name="SEN register").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Import from your MIS").click()
    assert_accessible(page)
    page.get_by_role("button", name="Import").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page)
    upload = tmp_path / "roll.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.get_by_label("Upload a CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    assert page.get_by_role("heading", name="Import complete").is_visible()
    assert page.locator("[data-count=created]").inner_text() == "1"
    assert_accessible(page)

    pupil = Pupil.objects.get(upn=UPN)
    page.goto(f"{base}/pupils/{pupil.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Change SEN provision and needs").click()
    assert_accessible(page)
    page.get_by_label("SEN support").check()
    page.get_by_label("Primary need (rank 1)").select_option("SLCN")
    page.get_by_label("Secondary need (rank 2)").select_option("ASD")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Hana Nakamura").is_visible()
    assert_accessible(page)
    pupil.refresh_from_db()
    assert pupil.sen_provision == "K"
    assert [n.code for n in pupil.needs.all()] == ["SLCN", "ASD"]
    assert Clock.objects.filter(kind=Kind.PARENTS_TOLD, pupil=pupil, state="open").exists()

    page.get_by_role("link", name="Record that the parents were told").click()
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("In a meeting").check()
    page.get_by_label("Who told them?").fill("Ms Patel, class teacher")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Hana Nakamura").is_visible()
    assert_accessible(page)
    assert ParentsToldRecord.objects.filter(pupil=pupil).exists()
    assert Clock.objects.get(kind=Kind.PARENTS_TOLD, pupil=pupil).state == "met"
    assert page.console_errors == []
