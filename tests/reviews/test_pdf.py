"""The review's documents as PDFs: the invitation, the papers pack and the report in the plan's own
structure; audited attachments named by ids only, and nothing fetched (security notes T32)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from pupils.support.pdf import RefusingURLFetcher
from reviews.deadlines import meeting_deadlines
from reviews.models import Review
from reviews.pdf import report_pdf_render
from reviews.services import invitee_advice_record
from sendadmin.accounts.models import AuditEvent
from tests.conftest import World, client_for
from tests.factories.ehcp import PlanVersionFactory
from tests.factories.reviews import ReviewFactory
from tests.reviews.test_la_pages import INVITED, MEETING, held_review

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / "review.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def _download(world: World, review: Review, name: str, persona: str = "la_caseworker") -> bytes:
    response = client_for(world.users[persona]).get(
        reverse(f"reviews:{name}-pdf", args=[review.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == f'attachment; filename="review-{review.pk}-{name}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.filter(action="reviews.review.pdf_downloaded").latest("pk")
    assert (event.actor, event.target_id, event.data.get("document")) == (
        world.users[persona],
        str(review.pk),
        name,
    )
    return bytes(response.content)


def test_the_report_follows_the_plan_section_by_section(world: World, tmp_path: Path) -> None:
    review = held_review(world)
    text = _text(_download(world, review, "report"), tmp_path)
    assert "Report of the review of an EHC plan" in text
    assert "Amara Okafor" in text
    for letter in ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J"):
        assert f"Section {letter}:" in text
    assert "Proposed change: Increase speech and language therapy to twice a week." in text
    assert "No change proposed." in text
    assert "Reads a page aloud with confidence" in text
    assert "On track" in text and "Reads 40 words a minute, up from 25." in text
    assert "Amend the plan" in text
    assert "The parents would like daily therapy." in text
    assert f"{meeting_deadlines(MEETING).la_decision_by:%-d %B %Y}" in text


def test_the_invitation_gives_the_meeting_who_is_invited_and_when_advice_is_due(
    world: World, tmp_path: Path
) -> None:
    review = held_review(world)
    text = _text(_download(world, review, "invitation", persona="senco"), tmp_path)
    assert "Invitation to a review of an EHC plan" in text
    assert f"{MEETING:%A %-d %B %Y}" in text
    assert "Mrs Okafor" in text and "Parent or carer" in text
    assert f"by {meeting_deadlines(MEETING).papers_by:%-d %B %Y}" in text
    assert "Reads a page aloud with confidence" in text


def test_a_review_without_a_meeting_date_has_no_invitation(world: World) -> None:
    review = ReviewFactory(
        reviewed_version=PlanVersionFactory(plan__pupil=world.pupil, issued_final=True),
        meeting_on=None,
    )
    url = reverse("reviews:invitation-pdf", args=[review.pk])
    assert client_for(world.users["la_caseworker"]).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="reviews.review.pdf_downloaded").exists()


def test_the_papers_pack_has_the_plan_and_each_invitees_advice(
    world: World, tmp_path: Path
) -> None:
    review = held_review(world)
    invitee = review.invitees.get()
    invitee_advice_record(
        invitee=invitee,
        received_on=INVITED + dt.timedelta(days=3),
        advice="Amara talks about her reading every evening.",
        by=world.users["senco"],
    )
    text = _text(_download(world, review, "papers"), tmp_path)
    assert "Papers for the review meeting" in text
    assert "Section B:" in text and "Section E:" in text and "Section F:" in text
    assert "Reads a page aloud with confidence" in text
    assert "Mrs Okafor (Parent or carer)" in text
    assert "Amara talks about her reading every evening." in text


def test_markup_typed_into_a_review_is_printed_as_text_and_fetches_nothing(
    world: World, tmp_path: Path
) -> None:
    review = held_review(world)
    Review.objects.filter(pk=review.pk).update(
        disagreements='<img src="http://127.0.0.1:9/x"> <script>alert(1)</script>'
    )
    fetcher = RefusingURLFetcher()
    pdf = report_pdf_render(Review.objects.get(pk=review.pk), fetcher=fetcher)
    assert fetcher.refused == []
    assert "<script>alert(1)</script>" in _text(pdf, tmp_path)
