"""The school's educational advice (reg 6(1)(b), reg 8): the inbox, the draft and its stale edits,
sending it once, the LA reading it only when sent, its PDF, and the documents attached to advice."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehcp.advice import MAX_ATTACHMENT_BYTES, advice_save, attachment_add
from ehcp.models import AdviceAttachment, AdviceKind, AdviceRequest
from ehcp.services import StaleVersionError, advice_request_create, advice_submit
from sendadmin.accounts.models import AuditEvent
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World, client_for
from tests.factories import PupilFactory
from tests.factories.dates import TODAY
from tests.factories.ehcp import AssessmentCaseFactory

pytestmark = pytest.mark.django_db

FILLED = {
    "needs": "Dyslexia: reading age two years below",
    "attainment": "Working towards the expected standard",
    "attendance": "96% this year",
    "tried": "Two cycles of phonics catch-up",
    "outcomes_sought": "Reads independently by Year 6",
    "pupil_views": "Reading is hard",
    "parent_views": "We want more help",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%advice\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def ask(world: World, pupil: Any = None, received: dt.date | None = None) -> AdviceRequest:
    """The LA asks the pupil's school for educational advice, through the service (so the clock runs)."""
    day = received or TODAY - dt.timedelta(days=7)
    case = AssessmentCaseFactory(
        pupil=pupil or world.pupil,
        assessing=True,
        request_received_on=min(day, TODAY - dt.timedelta(weeks=3)),
    )
    return advice_request_create(
        case=case,
        kind=AdviceKind.EDUCATIONAL,
        sent_on=day,
        received_on=day,
        by=world.users["la_caseworker"],
    )


def filled(world: World, senco: Any) -> AdviceRequest:
    advice = ask(world)
    return advice_save(advice=advice, data=FILLED, version=advice.version, by=senco)


def detail(advice: AdviceRequest) -> str:
    return reverse("ehcp:advice-detail", kwargs={"pk": advice.pk})


def form_data(advice: AdviceRequest, **changes: str) -> dict[str, Any]:
    return {**FILLED, "version": advice.version, **changes}


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / "advice.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


# The draft


def test_saving_the_draft_bumps_the_version_and_is_audited(world: World, senco: Any) -> None:
    advice = ask(world)
    response = client_for(senco).post(detail(advice), form_data(advice))
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.version == 2
    assert advice.needs == FILLED["needs"] and advice.parent_views == FILLED["parent_views"]
    assert advice.status == AdviceRequest.Status.REQUESTED
    assert AuditEvent.objects.filter(action="ehcp.advice.saved", actor=senco).count() == 1


def test_the_same_draft_sent_twice_saves_once(world: World, senco: Any) -> None:
    advice = ask(world)
    client = client_for(senco)
    data = form_data(advice)
    client.post(detail(advice), data)
    second = client.post(detail(advice), data)
    assert second.status_code == 302
    advice.refresh_from_db()
    assert advice.version == 2


def test_a_stale_save_is_refused_and_keeps_the_typed_text(
    world: World, senco: Any, head: Any
) -> None:
    advice = ask(world)
    opened = form_data(advice, needs="The SENCO's words")
    advice_save(advice=advice, data={**FILLED, "needs": "The head's words"}, version=1, by=head)
    page = client_for(senco).post(detail(advice), opened).content.decode()
    advice.refresh_from_db()
    assert advice.needs == "The head's words"
    assert "Someone else saved this advice while you were editing it" in page
    assert "The SENCO&#x27;s words" in page  # typed text kept in the form
    assert "The advice as it is now" in page and "The head&#x27;s words" in page
    assert 'name="version" value="2"' in page


def test_the_service_refuses_a_stale_version(world: World, senco: Any) -> None:
    advice = ask(world)
    advice_save(advice=advice, data=FILLED, version=1, by=senco)
    with pytest.raises(StaleVersionError):
        advice_save(advice=advice, data={**FILLED, "needs": "Other"}, version=1, by=senco)


def test_sent_advice_cannot_be_changed(world: World, senco: Any) -> None:
    advice = filled(world, senco)
    advice_submit(advice=advice, by=senco)
    with pytest.raises(ValidationError, match="already sent to the LA on 23 November 2026"):
        advice_save(advice=advice, data={**FILLED, "needs": "Later"}, version=3, by=senco)
    response = client_for(senco).post(detail(advice), form_data(advice, needs="Later"))
    page = response.content.decode()
    assert "already sent to the LA on 23 November 2026" in page
    assert 'name="needs"' not in page  # read-only once sent
    advice.refresh_from_db()
    assert advice.needs == FILLED["needs"]


def test_only_writers_save_the_draft(world: World, senior_leader: Any) -> None:
    advice = ask(world)
    client = client_for(senior_leader)
    page = client.get(detail(advice)).content.decode()
    assert 'name="needs"' not in page and "Save draft" not in page
    assert client.post(detail(advice), form_data(advice)).status_code == 403


def test_the_first_opening_prefills_from_the_register_but_saves_nothing(
    world: World, senco: Any
) -> None:
    from tests.factories import PupilNeedFactory

    PupilNeedFactory(pupil=world.pupil, rank=1, code="SPLD")
    advice = ask(world)
    page = client_for(senco).get(detail(advice)).content.decode()
    assert "1. Specific learning difficulty (SPLD): Cognition and learning" in page
    assert "filled in from the SEN register" in page
    assert "sendadmin holds no attendance figures" in page
    assert "Northmoor" in page and advice.case.reference in page
    assert "left" in page  # days left on the advice clock
    advice.refresh_from_db()
    assert advice.needs == "" and advice.version == 1


# Sending it


def test_sending_meets_the_school_clock_and_twice_is_harmless(world: World, senco: Any) -> None:
    advice = filled(world, senco)
    client = client_for(senco)
    url = reverse("ehcp:advice-submit", kwargs={"pk": advice.pk})
    first = client.post(url, {"version": advice.version})
    assert first.status_code == 302 and first["Location"] == detail(advice)
    second = client.post(url, {"version": advice.version})
    assert second.status_code == 200
    assert "already sent to the LA on 23 November 2026; nothing has changed" in (
        second.content.decode()
    )
    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.SUBMITTED and advice.submitted_on == TODAY
    assert advice.submitted_by == senco
    clock = Clock.objects.get(kind=Kind.ADVICE_REQUEST, subject_id=advice.pk)
    assert clock.state == Clock.State.MET and clock.met_on == TODAY
    assert AuditEvent.objects.filter(action="ehcp.advice.submitted").count() == 1
    banner = client.get(detail(advice)).content.decode()
    assert "Sent to the LA on 23 November 2026" in banner


def test_sending_incomplete_or_stale_advice_explains_why(world: World, senco: Any) -> None:
    advice = ask(world)
    url = reverse("ehcp:advice-submit", kwargs={"pk": advice.pk})
    page = client_for(senco).post(url, {"version": 1}).content.decode()
    assert "Complete these parts before sending the advice" in page
    advice_save(advice=advice, data=FILLED, version=1, by=senco)
    page = client_for(senco).post(url, {"version": 1}).content.decode()
    assert "so it was not sent" in page
    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.REQUESTED


# What the LA sees


def test_the_la_cannot_read_the_schools_draft(world: World, senco: Any, la_caseworker: Any) -> None:
    advice = filled(world, senco)
    client = client_for(la_caseworker)
    page = client.get(detail(advice)).content.decode()
    assert "The school has not sent its advice yet" in page
    assert FILLED["needs"] not in page
    assert client.get(reverse("ehcp:advice-pdf", kwargs={"pk": advice.pk})).status_code == 403
    advice_submit(advice=advice, by=senco)
    page = client.get(detail(advice)).content.decode()
    assert FILLED["needs"] in page and "not sent its advice yet" not in page
    assert client.get(reverse("ehcp:advice-pdf", kwargs={"pk": advice.pk})).status_code == 200


def test_the_advice_pdf_holds_every_part_and_is_audited(
    world: World, senco: Any, tmp_path: Path
) -> None:
    advice = filled(world, senco)
    advice_submit(advice=advice, by=senco)
    response = client_for(senco).get(reverse("ehcp:advice-pdf", kwargs={"pk": advice.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="advice-{advice.pk}-2026-11-23.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Educational advice",
        "Amara Okafor",
        "Northmoor",
        advice.case.reference,
        "Sent to the LA 23 November 2026",
        *FILLED.values(),
        "What has been tried, and its cost",
    ):
        assert expected in text, expected
    assert AuditEvent.objects.filter(action="ehcp.advice.downloaded", actor=senco).exists()


# The inbox


def test_the_inbox_shows_outstanding_first_with_days_left_and_sent_ones_after(
    world: World, senco: Any
) -> None:
    due_today = ask(world, received=TODAY - dt.timedelta(weeks=6))
    cara = PupilFactory(school=world.school, legal_first_name="Cara")
    overdue = ask(world, cara, TODAY - dt.timedelta(weeks=6, days=2))
    fresh_pupil = PupilFactory(school=world.school, legal_first_name="Dev", legal_last_name="Rao")
    fresh = ask(world, fresh_pupil)
    advice_save(advice=fresh, data=FILLED, version=1, by=senco)
    advice_submit(advice=fresh, by=senco)
    page = client_for(senco).get(reverse("ehcp:advice-inbox")).content.decode()
    assert "Due today" in page and "2 days overdue" in page
    assert "Sent to the LA on 23 Nov 2026" in page
    assert page.index(overdue.case.pupil.display_name) < page.index("Dev Rao")
    assert page.index(due_today.case.pupil.display_name) < page.index("Dev Rao")
    assert reverse("ehcp:advice-inbox") in page  # the nav link


def test_the_inbox_queries_do_not_grow_with_requests(world: World, senco: Any) -> None:
    client = client_for(senco)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("ehcp:advice-inbox")).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        ask(world, PupilFactory(school=world.school))
    count()  # the first request of a session loads what later ones find cached
    few = count()
    for _ in range(18):
        ask(world, PupilFactory(school=world.school))
    assert count() == few


# Attachments


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_and_a_word_document_are_attached_with_the_sniffed_type(
    world: World, senco: Any
) -> None:
    advice = ask(world)
    pdf = attachment_add(advice=advice, upload=upload("C:\\Users\\me\\report.pdf", PDF), by=senco)
    docx = attachment_add(advice=advice, upload=upload("notes.DOCX", docx_bytes()), by=senco)
    assert pdf.original_name == "report.pdf" and pdf.content_type == "application/pdf"
    assert docx.content_type.endswith("wordprocessingml.document")
    assert pdf.file.read() == PDF
    assert "report" not in pdf.file.name  # stored under a random name
    assert AuditEvent.objects.filter(action="ehcp.attachment.added").count() == 2


def test_a_file_over_10_mb_is_refused_with_the_limit(world: World, senco: Any) -> None:
    advice = ask(world)
    big = upload("big.pdf", PDF + b"0" * MAX_ATTACHMENT_BYTES)
    with pytest.raises(ValidationError, match=r"The file big\.pdf is larger than 10 MB"):
        attachment_add(advice=advice, upload=big, by=senco)
    assert not AdviceAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", PNG, "The file scan.pdf is not a .pdf file: its contents are a PNG image"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60, "The file setup.pdf is not a PDF, a Word"),
        ("letter.docx", b"PK\x03\x04not really a zip", "The file letter.docx is not a PDF"),
    ],
)
def test_a_file_whose_content_is_not_its_type_is_refused(
    world: World, senco: Any, name: str, content: bytes, message: str
) -> None:
    advice = ask(world)
    with pytest.raises(ValidationError, match=message):
        attachment_add(advice=advice, upload=upload(name, content), by=senco)
    assert not AdviceAttachment.objects.exists()


def test_the_same_file_twice_is_one_attachment(world: World, senco: Any) -> None:
    advice = ask(world)
    first = attachment_add(advice=advice, upload=upload("a.pdf", PDF), by=senco)
    second = attachment_add(advice=advice, upload=upload("copy of a.pdf", PDF), by=senco)
    assert first.pk == second.pk
    assert AdviceAttachment.objects.count() == 1


def test_the_upload_form_shows_a_refusal_on_the_advice_page(world: World, senco: Any) -> None:
    advice = ask(world)
    url = reverse("ehcp:attachment-add", kwargs={"pk": advice.pk})
    page = client_for(senco).post(url, {"file": upload("scan.pdf", PNG)})
    assert page.status_code == 200
    assert "is not a .pdf file" in page.content.decode()
    ok = client_for(senco).post(url, {"file": upload("report.pdf", PDF)})
    assert ok.status_code == 302 and AdviceAttachment.objects.count() == 1


def test_a_download_is_an_audited_attachment_named_by_id(
    world: World, senco: Any, la_caseworker: Any
) -> None:
    advice = ask(world)
    attachment = attachment_add(advice=advice, upload=upload("Amara report.png", PNG), by=senco)
    url = reverse("ehcp:attachment-download", kwargs={"pk": attachment.pk})
    response = client_for(senco).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert (
        response["Content-Disposition"] == f'attachment; filename="attachment-{attachment.pk}.png"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(
        action="ehcp.attachment.downloaded", actor=senco, target_id=str(attachment.pk)
    ).exists()
    # The LA sees the school's documents only once the advice is sent.
    assert client_for(la_caseworker).get(url).status_code == 403


def test_no_attachment_once_the_school_has_sent_its_advice(world: World, senco: Any) -> None:
    advice = filled(world, senco)
    advice_submit(advice=advice, by=senco)
    with pytest.raises(ValidationError, match="already sent"):
        attachment_add(advice=advice, upload=upload("late.pdf", PDF), by=senco)
    url = reverse("ehcp:attachment-add", kwargs={"pk": advice.pk})
    assert client_for(senco).post(url, {"file": upload("late.pdf", PDF)}).status_code == 403


def test_the_la_attaches_another_advisers_document(world: World, la_caseworker: Any) -> None:
    case = AssessmentCaseFactory(pupil=world.pupil, assessing=True)
    advice = advice_request_create(
        case=case,
        kind=AdviceKind.PSYCHOLOGICAL,
        sent_on=TODAY,
        received_on=TODAY,
        adviser_name="Northmoor EP service",
        by=la_caseworker,
    )
    url = reverse("ehcp:attachment-add", kwargs={"pk": advice.pk})
    response = client_for(la_caseworker).post(url, {"file": upload("ep-report.pdf", PDF)})
    assert response.status_code == 302
    assert advice.attachments.get().original_name == "ep-report.pdf"


def test_only_those_who_answer_requests_see_the_nav_link(
    world: World, senior_leader: Any, la_caseworker: Any, class_teacher: Any
) -> None:
    inbox = reverse("ehcp:advice-inbox")
    assert inbox in client_for(senior_leader).get(reverse("core:home")).content.decode()
    for user in (la_caseworker, class_teacher):
        assert inbox not in client_for(user).get(reverse("core:home")).content.decode()
