"""The parents' PDF: no URL is ever fetched (loopback canary server and canary file), it downloads
as an attachment with a safe name, and the download is audited (security notes T31, T32, T38, T44)."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from weasyprint import CSS, HTML

from pupils.support.pdf import RefusingURLFetcher, plan_pdf_render
from sendadmin.accounts.models import AuditEvent
from tests.conftest import World, client_for
from tests.factories import CycleOutcomeFactory, CycleProvisionFactory, SupportPlanFactory

pytestmark = pytest.mark.django_db


class Canary:
    def __init__(self, server: HTTPServer, hits: list[str]) -> None:
        self.server = server
        self.hits = hits

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def canary_server() -> Iterator[Canary]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Canary(server, hits)
    server.shutdown()
    server.server_close()


@pytest.fixture
def canary_file(tmp_path: Path) -> Path:
    path = tmp_path / "canary.css"
    path.write_text("body { color: red } /* CANARY-FILE-7f3a */", encoding="utf-8")
    return path


def payloads(canary: Canary, canary_file: Path) -> list[str]:
    file_url = canary_file.as_uri()
    return [
        f'<img src="{canary.url}/img">',
        f'<link rel="attachment" href="{file_url}">',
        f'<link rel="attachment" href="{canary.url}/attach">',
        f'<link rel="stylesheet" href="{canary.url}/style.css">',
        f'<link rel="stylesheet" href="{file_url}">',
        f'<style>@import url("{canary.url}/import.css"); @import url("{file_url}");</style>',
        f'<p style="background: url({canary.url}/bg)">x</p>',
        f'<svg><image href="{canary.url}/svg"/></svg>',
        f'<object data="{canary.url}/object"></object><embed src="{file_url}">',
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
    ]


def _text(pdf: bytes, tmp_path: Path) -> str | None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: `make test` installs poppler-utils")
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_fetcher_refuses_every_url_even_in_raw_html(
    canary_server: Canary, canary_file: Path
) -> None:
    fetcher = RefusingURLFetcher()
    html = "<html><body>" + "".join(payloads(canary_server, canary_file)) + "</body></html>"
    stylesheet = CSS(
        string=f'@import url("{canary_server.url}/app.css"); body {{ background: url("{canary_file.as_uri()}") }}',
        url_fetcher=fetcher,
    )
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
    assert pdf is not None and pdf.startswith(b"%PDF")
    assert canary_server.hits == []
    assert b"CANARY-FILE-7f3a" not in pdf
    assert any(url.startswith(canary_server.url) for url in fetcher.refused)
    assert any(url.startswith("file://") for url in fetcher.refused)
    assert b"/EmbeddedFile" not in pdf


def test_payloads_in_plan_fields_are_printed_as_text_and_fetch_nothing(
    world: World, canary_server: Canary, canary_file: Path, tmp_path: Path
) -> None:
    plan = SupportPlanFactory(pupil=world.pupil)
    cycle = plan.cycles.get()
    cycle.assessment = "\n".join(payloads(canary_server, canary_file))
    cycle.save()
    CycleOutcomeFactory(cycle=cycle, outcome="Joins in at <script>alert(1)</script> playtime")
    fetcher = RefusingURLFetcher()
    pdf = plan_pdf_render(plan, cycle, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert canary_server.hits == []
    assert fetcher.refused == []  # escaped: the payloads never became elements
    text = _text(pdf, tmp_path)
    if text is not None:
        assert "<script>alert(1)</script>" in text
        assert "CANARY-FILE-7f3a" not in text


def test_pdf_download_is_an_audited_attachment_for_parents(
    world: World, senco: object, tmp_path: Path
) -> None:
    plan = SupportPlanFactory(pupil=world.pupil)
    cycle = plan.cycles.get()
    CycleOutcomeFactory(cycle=cycle, outcome="Reads a page aloud with confidence")
    CycleProvisionFactory(cycle=cycle)
    response = client_for(senco).get(reverse("support:plan-pdf", args=[plan.pk]))  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="sen-support-plan-')
    assert "Okafor" not in disposition  # no pupil name in the file name
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="support.plan.pdf_downloaded")
    assert (event.actor, event.target_id) == (senco, str(plan.pk))
    text = _text(response.content, tmp_path)
    if text is not None:
        assert "Amara Okafor" in text
        assert "Reads a page aloud with confidence" in text
