"""The PDF of one SEN Information Report version, rendered by WeasyPrint with every URL fetch refused.

The approach is pupils.support.pdf's: an autoescaped Django template and a CSS file read by Python,
so the renderer needs nothing from the network or the disk (security notes T32). A draft shows the
live facts as they are today and "DRAFT" on every page; a published version shows its frozen facts.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from pupils.support.pdf import RefusingURLFetcher

from .deadlines import information_report_review_due
from .models import InformationReport, is_mainstream
from .report_display import section_rows
from .selectors import report_live_data

CSS_PATH = Path(settings.BASE_DIR) / "static" / "offer" / "report_pdf.css"


def report_pdf_filename(report: InformationReport) -> str:
    """The school's URN and the version: safe in Content-Disposition."""
    return f"sen-information-report-{report.school.urn}-v{report.number}-{report.status}.pdf"


def report_pdf_render(
    report: InformationReport, *, fetcher: RefusingURLFetcher | None = None
) -> bytes:
    fetcher = fetcher or RefusingURLFetcher()
    today = timezone.localdate()
    live = report.live_data if not report.is_draft else report_live_data(report.school, today)
    html = render_to_string(
        "offer/report_pdf.html",
        {
            "report": report,
            "school": report.school,
            "rows": section_rows(report, live, is_mainstream(report.school)),
            "is_draft": report.is_draft,
            "next_review": information_report_review_due(report.published_on)
            if report.published_on
            else None,
            "printed_on": today,
        },
    )
    stylesheet = CSS(string=CSS_PATH.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[stylesheet]))
