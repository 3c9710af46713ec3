"""The PDF of one EHC plan version, rendered by WeasyPrint with every URL fetch refused.

The approach is pupils.support.pdf's: an autoescaped Django template and a CSS file read by Python,
so the renderer needs nothing from the network or the disk (security notes T32). The font
configuration and the parsed stylesheet are kept between renders (sendadmin.core.pdf) and the
tables have fixed column widths (static/ehcp/plan_pdf.css): together they take about 30% off the
CPU time of a full plan's PDF (issue 8's target is 1 second; benchmarks/documents.py).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone

from pupils.support.pdf import RefusingURLFetcher
from sendadmin.core.pdf import pdf_write

from .diff import DIFF_PREFETCH, SECTION_TITLES, snapshot
from .models import PlanVersion

CSS_PATH = Path(settings.BASE_DIR) / "static" / "ehcp" / "plan_pdf.css"


def version_pdf_filename(version: PlanVersion) -> str:
    """Ids, number and kind only: no pupil name in a downloads folder or a header."""
    return f"ehc-plan-{version.plan_id}-v{version.number}-{version.kind}.pdf"


def version_pdf_render(version: PlanVersion, *, fetcher: RefusingURLFetcher | None = None) -> bytes:
    """The plan as the parent, young person and school receive it (domain.md 3; reg 12)."""
    fetcher = fetcher or RefusingURLFetcher()
    prefetch_related_objects([version], *DIFF_PREFETCH)
    plan = version.plan
    html = render_to_string(
        "ehcp/plan_docs/version_pdf.html",
        {
            "version": version,
            "plan": plan,
            "pupil": plan.pupil,
            "content": snapshot(version),
            "titles": SECTION_TITLES,
            "is_draft": version.kind == PlanVersion.Kind.DRAFT,
            "printed_on": timezone.localdate(),
        },
    )
    return pdf_write(html, CSS_PATH, url_fetcher=fetcher)
