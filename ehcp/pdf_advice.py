"""PDFs of the school's side of an assessment: its educational advice, and the evidence pack that goes
with a school's request (WeasyPrint, every URL fetch refused, as pupils.support.pdf)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from pupils.models import Pupil
from pupils.support.pdf import RefusingURLFetcher

from .advice import ADVICE_FIELDS, field_label
from .evidence import Evidence, cycle_lines, provision_line
from .models import AdviceRequest

CSS_PATH = Path(settings.BASE_DIR) / "static" / "ehcp" / "advice_pdf.css"


def _render(template: str, context: dict[str, Any], fetcher: RefusingURLFetcher | None) -> bytes:
    fetcher = fetcher or RefusingURLFetcher()
    html = render_to_string(template, {**context, "printed_on": timezone.localdate()})
    stylesheet = CSS(string=CSS_PATH.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[stylesheet]))


def advice_sections(advice: AdviceRequest) -> list[tuple[str, str]]:
    """(heading, text) for each part of the advice: the school's seven, or another adviser's summary."""
    if advice.school_id is None:
        return [("Summary of the advice", advice.summary)]
    return [(field_label(name), getattr(advice, name)) for name in ADVICE_FIELDS]


def advice_pdf_filename(advice: AdviceRequest) -> str:
    """Ids and a date only: no pupil name in a downloads folder or a header."""
    return f"advice-{advice.pk}-{timezone.localdate().isoformat()}.pdf"


def advice_pdf_render(advice: AdviceRequest, *, fetcher: RefusingURLFetcher | None = None) -> bytes:
    return _render(
        "ehcp/advice/advice_pdf.html",
        {
            "advice": advice,
            "case": advice.case,
            "pupil": advice.case.pupil,
            "sections": advice_sections(advice),
            "attachments": list(advice.attachments.all()),
        },
        fetcher,
    )


def evidence_pack_filename(pupil: Pupil) -> str:
    return f"evidence-pack-{pupil.pk}-{timezone.localdate().isoformat()}.pdf"


def evidence_pack_render(evidence: Evidence, *, fetcher: RefusingURLFetcher | None = None) -> bytes:
    return _render(
        "ehcp/advice/evidence_pdf.html",
        {
            "evidence": evidence,
            "pupil": evidence.pupil,
            "cycles": [cycle_lines(c) for c in evidence.cycles],
            "provision": [provision_line(p) for p in evidence.provision],
        },
        fetcher,
    )
