"""The PDF of an EHC plan version: every section titled, drafts marked, rows printed with their links,
free text printed as text and nothing fetched; downloads audited, as attachments without a name."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from ehcp.diff import SECTION_TITLES
from ehcp.models import AdviceKind, PlanVersion
from ehcp.pdf_plan import version_pdf_render
from pupils.support.pdf import RefusingURLFetcher
from sendadmin.accounts.models import AuditEvent, User
from tests.conftest import World, client_for
from tests.factories.ehcp import (
    AdviceRequestFactory,
    PlanFactory,
    PlanNeedFactory,
    PlanOutcomeFactory,
    PlanProvisionFactory,
    PlanVersionFactory,
)

pytestmark = pytest.mark.django_db

PAYLOAD = '<img src="http://127.0.0.1:9/x">'


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())  # titles wrap across lines; compare on single spaces


def _version(world: World, *, draft: bool) -> PlanVersion:
    plan = PlanFactory(pupil=world.pupil)
    if draft:
        version = PlanVersionFactory(plan=plan, number=1)
    else:
        version = PlanVersionFactory(plan=plan, number=1, issued_final=True)
    need = PlanNeedFactory(version=version, description="Difficulties with reading (dyslexia).")
    second = PlanNeedFactory(
        version=version, area="communication", code="SLCN", description="Speech sounds", position=1
    )
    outcome = PlanOutcomeFactory(version=version, outcome="Reads a chapter book on her own.")
    outcome.needs.add(need, second)
    provision = PlanProvisionFactory(
        version=version, what="Structured phonics, 1:1", sessions_per_week=4
    )
    provision.needs.add(need)
    provision.outcomes.add(outcome)
    advice = AdviceRequestFactory(
        case__pupil=world.pupil,
        kind=AdviceKind.PSYCHOLOGICAL,
        school=None,
        adviser_name="Northmoor EP service",
    )
    version.advice.add(advice)
    return version


def test_an_issued_final_has_every_section_title_the_pupil_and_its_rows(
    world: World, tmp_path: Path
) -> None:
    version = _version(world, draft=False)
    text = pdf_text(version_pdf_render(version), tmp_path)
    assert "Education, health and care plan" in text
    for letter, title in SECTION_TITLES.items():
        assert f"Section {letter}: {title}" in text
    assert "Amara Okafor" in text
    assert world.pupil.upn in text
    assert "Northmoor" in text
    assert "Final" in text
    assert "DRAFT" not in text
    assert "Difficulties with reading (dyslexia)." in text
    assert "meets needs: 1, 2" in text
    assert "Structured phonics, 1:1" in text
    assert "4 sessions a week, 30 minutes a session" in text
    assert "Northmoor EP service" in text
    assert "Oakfield Primary School (Mainstream primary school)" in text  # section I
    assert "Page 1 of" in text


def test_a_draft_says_draft_on_every_page_and_leaves_section_i_blank(
    world: World, tmp_path: Path
) -> None:
    version = _version(world, draft=True)
    version.section_a = "\n".join(["Talks about trains every day."] * 120)  # several pages
    version.save()
    pdf = version_pdf_render(version)
    path = tmp_path / "draft.pdf"
    path.write_bytes(pdf)
    pages = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    assert all("DRAFT" in page for page in pages)
    text = pdf_text(pdf, tmp_path)
    assert (
        "Left blank in a draft plan (the parent or young person may ask for a school to be named)"
        in text
    )
    assert f"Page {len(pages)} of {len(pages)}" in text


def test_html_in_free_text_is_printed_literally_and_nothing_is_fetched(
    world: World, tmp_path: Path
) -> None:
    version = _version(world, draft=False)
    version.section_c = f"Sees the nurse {PAYLOAD} weekly"
    version.section_j = "<script>alert(1)</script>"
    version.save()
    PlanOutcomeFactory(version=version, outcome=f"Joins in {PAYLOAD}", position=5)
    fetcher = RefusingURLFetcher()
    text = pdf_text(version_pdf_render(version, fetcher=fetcher), tmp_path)
    assert fetcher.refused == []  # escaped: the payload never became an element
    assert f"Sees the nurse {PAYLOAD} weekly" in text
    assert f"Joins in {PAYLOAD}" in text
    assert "<script>alert(1)</script>" in text


def test_the_download_is_an_audited_attachment_named_by_ids(
    world: World, senco: User, tmp_path: Path
) -> None:
    version = _version(world, draft=False)
    response = client_for(senco).get(reverse("ehcp:version-pdf", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ehc-plan-{version.plan_id}-v1-final.pdf"'
    )
    assert "Okafor" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="ehcp.plan.downloaded")
    assert (event.actor, event.target_id) == (senco, str(version.pk))
    assert "Amara Okafor" in pdf_text(response.content, tmp_path)


def test_an_unissued_draft_is_hidden_from_the_school_and_downloadable_by_the_la(
    world: World, senco: User, la_caseworker: User
) -> None:
    version = _version(world, draft=True)
    url = reverse("ehcp:version-pdf", args=[version.pk])
    assert client_for(senco).get(url).status_code == 404
    response = client_for(la_caseworker).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'ehc-plan-{version.plan_id}-v1-draft.pdf"')
    assert not AuditEvent.objects.filter(actor=senco, action="ehcp.plan.downloaded").exists()
    assert AuditEvent.objects.filter(actor=la_caseworker, action="ehcp.plan.downloaded").exists()
