"""The SEN Information Report pages: versions, writing, approvals, publishing, the PDF and the public
page at /schools/<urn>/sen-information-report/ (CFA 2014 s.69; CoP 6.79; ADR 0013)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from offer.models import InformationReport
from offer.sections import SECTION_BY_KEY, sections_for
from offer.services_report import CONFLICT
from sendadmin.accounts.models import AuditEvent
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World, client_for
from tests.factories.accounts import LocalAuthorityFactory, SchoolFactory
from tests.factories.offer_report import InformationReportFactory
from tests.factories.pupils import PupilFactory

pytestmark = pytest.mark.django_db
Status = InformationReport.Status


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def _edit_data(report: InformationReport, **texts: str) -> dict[str, str]:
    data = {s.key: report.sections.get(s.key, "") for s in sections_for(True)}
    data.update(texts)
    data["version"] = str(report.version)
    return data


def test_the_list_shows_each_version_and_the_published_ones_next_review(world: World) -> None:
    published = InformationReportFactory(school=world.school, published=True)
    InformationReportFactory(school=world.school)
    InformationReportFactory(school=world.second_school, published=True)
    page = client_for(world.users["governor"]).get(reverse("offer:report-list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Version 1" in body and "Version 2" in body and "Version 3" not in body
    assert f"{published.published_on:%-d %B %Y}" in body
    next_review = published.published_on.replace(year=published.published_on.year + 1)
    assert f"{next_review:%-d %B %Y}" in body
    # A governor reads the report but does not write it.
    assert "Start a new version" not in body and "Continue with the draft" not in body


def test_starting_twice_gives_one_draft(world: World) -> None:
    client = client_for(world.users["senco"])
    page = client.get(reverse("offer:report-list"))
    assert "Start a new version" in page.content.decode()
    first = client.post(reverse("offer:report-start"))
    second = client.post(reverse("offer:report-start"))
    draft = InformationReport.objects.get(school=world.school)
    assert first.url == second.url == reverse("offer:report-detail", args=[draft.pk])
    assert draft.is_draft and draft.created_by == world.users["senco"]


def test_the_detail_page_shows_every_section_with_guidance_and_live_facts(world: World) -> None:
    report = InformationReportFactory(
        school=world.school, sections={"complaints": "Speak to the class teacher first."}
    )
    page = client_for(world.users["senior_leader"]).get(
        reverse("offer:report-detail", args=[report.pk])
    )
    body = page.content.decode()
    for section in sections_for(True):
        assert section.title.replace("'", "&#x27;") in body, section.key
        assert section.citation in body
    assert SECTION_BY_KEY["complaints"].guidance in body
    assert "Speak to the class teacher first." in body
    assert world.home_la.local_offer_url in body
    # A senior leader may read but neither write, approve nor publish.
    for action in ("report-edit", "report-approve-head", "report-publish"):
        assert reverse(f"offer:{action}", args=[report.pk]) not in body


def test_each_role_sees_only_the_actions_it_may_take(world: World) -> None:
    report = InformationReportFactory(school=world.school)
    urls = {
        name: reverse(f"offer:{name}", args=[report.pk])
        for name in ("report-edit", "report-approve-head", "report-governors-approval")
    }
    expected = {
        "senco": {"report-edit"},
        "head": {"report-edit", "report-approve-head", "report-governors-approval"},
        "governor": {"report-governors-approval"},
    }
    for persona, allowed in expected.items():
        body = client_for(world.users[persona]).get(
            reverse("offer:report-detail", args=[report.pk])
        )
        shown = {name for name, url in urls.items() if url in body.content.decode()}
        assert shown == allowed, persona


def test_saving_text_through_the_page_clears_the_approvals(world: World) -> None:
    report = InformationReportFactory(school=world.school, approved=True)
    client = client_for(world.users["senco"])
    url = reverse("offer:report-edit", args=[report.pk])
    assert "clears the headteacher" in client.get(url).content.decode()
    response = client.post(url, _edit_data(report, complaints="Ring the office."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.sections["complaints"] == "Ring the office."
    assert report.head_approved_on is None and report.governors_approved_on is None


def test_a_stale_save_keeps_the_typed_text_beside_what_was_saved(world: World) -> None:
    report = InformationReportFactory(school=world.school, sections={"complaints": "Original"})
    client = client_for(world.users["senco"])
    url = reverse("offer:report-edit", args=[report.pk])
    opened = _edit_data(report, complaints="My careful new wording")
    # The head saves first.
    client_for(world.users["head"]).post(url, _edit_data(report, complaints="The head's words"))
    page = client.post(url, opened)
    body = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in body and CONFLICT.split(":")[0] in body.replace("&#x27;", "'")
    assert "My careful new wording" in body
    assert "The head&#x27;s words" in body
    report.refresh_from_db()
    assert report.sections["complaints"] == "The head's words"
    # The form now carries the current version, so saving again goes through.
    assert f'name="version" value="{report.version}"' in body
    opened["version"] = str(report.version)
    assert client.post(url, opened).status_code == 302
    report.refresh_from_db()
    assert report.sections["complaints"] == "My careful new wording"


def test_publishing_with_empty_sections_names_them_on_the_detail_page(world: World) -> None:
    report = InformationReportFactory(
        school=world.school, sections={"complaints": "Speak to the SENCO."}
    )
    page = client_for(world.users["head"]).post(
        reverse("offer:report-publish", args=[report.pk]), {"version": report.version}
    )
    body = page.content.decode().replace("&#x27;", "'")
    assert page.status_code == 200
    assert "There is a problem" in body
    assert "The headteacher has not approved this version" in body
    assert f"Write the section '{SECTION_BY_KEY['identification'].title}'" in body
    assert f"Write the section '{SECTION_BY_KEY['complaints'].title}'" not in body
    report.refresh_from_db()
    assert report.is_draft


def test_the_head_approves_the_governors_record_theirs_and_the_head_publishes(
    world: World,
) -> None:
    old = InformationReportFactory(school=world.school, published=True)
    report = InformationReportFactory(school=world.school, written=True)
    head, governor = client_for(world.users["head"]), client_for(world.users["governor"])
    head.post(reverse("offer:report-approve-head", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    today = timezone.localdate()
    response = governor.post(
        reverse("offer:report-governors-approval", args=[report.pk]),
        {
            "version": report.version,
            "approved_on_day": today.day,
            "approved_on_month": today.month,
            "approved_on_year": today.year,
            "minute": "FGB 2026/14",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.head_approved_on == today and report.governors_minute == "FGB 2026/14"
    response = head.post(
        reverse("offer:report-publish", args=[report.pk]), {"version": report.version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    old.refresh_from_db()
    assert report.status == Status.PUBLISHED and old.status == Status.SUPERSEDED
    clock = Clock.objects.get(
        kind=Kind.INFORMATION_REPORT_REVIEW, school=world.school, state=Clock.State.OPEN
    )
    assert clock.subject == report and clock.started_on == today


def test_the_governors_form_refuses_a_future_meeting_date(world: World) -> None:
    report = InformationReportFactory(school=world.school)
    day = timezone.localdate() + dt.timedelta(days=1)
    page = client_for(world.users["governor"]).post(
        reverse("offer:report-governors-approval", args=[report.pk]),
        {
            "version": report.version,
            "approved_on_day": day.day,
            "approved_on_month": day.month,
            "approved_on_year": day.year,
            "minute": "FGB 1",
        },
    )
    body = page.content.decode().replace("&#x27;", "'")
    assert "There is a problem" in body
    assert "The date of the governing body's meeting cannot be in the future" in body
    report.refresh_from_db()
    assert report.governors_approved_on is None


def test_the_public_page_shows_the_published_version_and_not_the_draft(world: World) -> None:
    PupilFactory(school=world.school, legal_first_name="Zebedee", legal_last_name="Quartz")
    InformationReportFactory(
        school=world.school, published=True, sections={"complaints": "Published wording."}
    )
    InformationReportFactory(school=world.school, sections={"complaints": "Draft wording."})
    url = reverse("public:information-report", args=[world.school.urn])
    assert url == f"/schools/{world.school.urn}/sen-information-report/"
    page = client_for(None).get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Published wording." in body and "Draft wording." not in body
    assert world.school.name in body
    assert "Zebedee" not in body and "Quartz" not in body
    # The anonymous layout: no navigation of signed-in pages, no sign-out.
    assert "Main menu" not in body and "Sign out" not in body
    assert f'href="{reverse("core:home")}"' not in body


def test_the_public_page_is_not_found_for_a_school_with_nothing_published(world: World) -> None:
    InformationReportFactory(school=world.second_school)
    for urn in (world.second_school.urn, "000000"):
        url = reverse("public:information-report", args=[urn])
        assert client_for(None).get(url).status_code == 404


def test_the_public_page_shows_a_superseded_version_no_more(world: World) -> None:
    InformationReportFactory(
        school=world.school, superseded=True, sections={"complaints": "Old wording."}
    )
    url = reverse("public:information-report", args=[world.school.urn])
    assert client_for(None).get(url).status_code == 404


def test_the_public_page_answers_get_only(world: World) -> None:
    InformationReportFactory(school=world.school, published=True)
    url = reverse("public:information-report", args=[world.school.urn])
    assert client_for(None).post(url).status_code in (403, 405)


def test_the_pdf_downloads_marked_draft_and_is_audited(world: World, tmp_path: Path) -> None:
    report = InformationReportFactory(
        school=world.school, sections={"complaints": "Speak to the class teacher."}
    )
    response = client_for(world.users["governor"]).get(
        reverse("offer:report-pdf", args=[report.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="sen-information-report-{world.school.urn}-v1-draft.pdf"'
    )
    text = _pdf_text(response.content, tmp_path)
    assert "DRAFT" in text and "Speak to the class teacher." in text
    event = AuditEvent.objects.get(action="offer.report.downloaded")
    assert (event.actor, event.target_id) == (world.users["governor"], str(report.pk))


def test_a_published_pdf_is_not_marked_draft(world: World, tmp_path: Path) -> None:
    report = InformationReportFactory(school=world.school, published=True)
    response = client_for(world.users["senco"]).get(reverse("offer:report-pdf", args=[report.pk]))
    text = _pdf_text(response.content, tmp_path)
    assert "DRAFT" not in text and world.school.name in text


def test_another_schools_report_is_not_found(world: World) -> None:
    la = LocalAuthorityFactory(code="993")
    report = InformationReportFactory(school=SchoolFactory(local_authority=la), published=True)
    client = client_for(world.users["head"])
    for name in ("report-detail", "report-edit", "report-pdf", "report-governors-approval"):
        assert client.get(reverse(f"offer:{name}", args=[report.pk])).status_code == 404
    response = client.post(reverse("offer:report-publish", args=[report.pk]))
    assert response.status_code == 404
