"""The termly "SEN report to governors" as a PDF (issue 7 part 3): aggregates only.

Every count is suppressed below 5 whoever downloads it, and nothing links to a named pupil: the
report goes to the whole governing body. The approach is reviews.pdf's: an autoescaped Django
template and a CSS file read by Python, rendered by WeasyPrint with a fetcher that refuses every
URL (security notes T32).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from pupils.support.pdf import RefusingURLFetcher
from sendadmin.accounts.models import School

from .census import term_of
from .present import dashboard_context
from .school import school_dashboard

CSS_PATH = Path(settings.BASE_DIR) / "static" / "dashboards" / "governors_report_pdf.css"


def governors_report_filename(school: School, today: dt.date) -> str:
    return f"sen-report-to-governors-{school.urn}-{today.isoformat()}.pdf"


def governors_report_html(school: School, today: dt.date) -> str:
    """The report's HTML, before WeasyPrint: what tests read to check that no pupil is named."""
    context = dashboard_context(school_dashboard(school, today), suppress=True, links=False)
    context.update({"school": school, "term": term_of(today), "printed_on": today})
    return render_to_string("dashboards/governors_report_pdf.html", context)


def governors_report_pdf_render(html: str, *, fetcher: RefusingURLFetcher | None = None) -> bytes:
    fetcher = fetcher or RefusingURLFetcher()
    stylesheet = CSS(string=CSS_PATH.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[stylesheet]))
