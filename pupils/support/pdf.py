"""The parents' PDF of a support plan, rendered by WeasyPrint with every URL fetch refused.

The HTML is an autoescaped Django template and the CSS is a static file read by Python, so the
renderer needs nothing from the network or the disk: a fetcher that refuses every URL (http, https,
file, data) closes the SSRF and local-file routes (security-and-reliability.md item 26, T32).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from .models import SupportCycle, SupportPlan

CSS_PATH = Path(settings.BASE_DIR) / "static" / "support" / "plan_pdf.css"


class RefusingURLFetcher(URLFetcher):
    """Fetches nothing; keeps the URLs it refused so tests and logs can see the attempts."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        self.refused.append(url[:200])
        raise ValueError("sendadmin PDFs load no external resources")


def plan_pdf_filename(plan: SupportPlan) -> str:
    """Ids and a date only: safe in Content-Disposition, and no pupil name in a downloads folder."""
    return f"sen-support-plan-{plan.pk}-{timezone.localdate().isoformat()}.pdf"


def plan_pdf_render(
    plan: SupportPlan, cycle: SupportCycle, *, fetcher: RefusingURLFetcher | None = None
) -> bytes:
    fetcher = fetcher or RefusingURLFetcher()
    html = render_to_string(
        "support/plan_pdf.html",
        {
            "plan": plan,
            "pupil": plan.pupil,
            "cycle": cycle,
            "outcomes": list(cycle.outcomes.all()),
            "provisions": list(cycle.provisions.all()),
            "views": list(cycle.views.all()),
            "printed_on": timezone.localdate(),
        },
    )
    stylesheet = CSS(string=CSS_PATH.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[stylesheet]))
