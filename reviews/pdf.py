"""The documents of a review as PDFs: the invitation, the papers pack and the report (issue 6 part 4).

The approach is pupils.support.pdf's: autoescaped Django templates and a CSS file read by Python,
rendered by WeasyPrint with a fetcher that refuses every URL (security notes T32). The report follows
the plan's own sections so the LA can act on it section by section (reg 20(7)-(10); domain.md 2.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator
from weasyprint import CSS, HTML

from ehcp.diff import DIFF_PREFETCH, SECTION_TITLES, Snapshot, snapshot
from pupils.support.pdf import RefusingURLFetcher

from .deadlines import meeting_deadlines
from .models import SECTIONS, Review

CSS_PATH = Path(settings.BASE_DIR) / "static" / "reviews" / "review_pdf.css"
DOCUMENTS = ("invitation", "papers", "report")
# What the report prints of a text section as it stands: enough to recognise it, not the whole plan.
SHORT_CHARS = 300


@dataclass(frozen=True)
class SectionRow:
    """One section of the reviewed plan: what it says now (short) and the change proposed."""

    letter: str
    title: str
    now: list[str] = field(default_factory=list)
    change: str = ""


def review_pdf_filename(review: Review, document: str) -> str:
    """Ids only: no pupil name in a downloads folder or a header."""
    return f"review-{review.pk}-{document}.pdf"


def _render(template: str, context: dict[str, Any], fetcher: RefusingURLFetcher | None) -> bytes:
    fetcher = fetcher or RefusingURLFetcher()
    html = render_to_string(template, {**context, "printed_on": timezone.localdate()})
    stylesheet = CSS(string=CSS_PATH.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[stylesheet]))


def _content(review: Review) -> Snapshot:
    version = review.reviewed_version
    prefetch_related_objects([version], *DIFF_PREFETCH)
    return snapshot(version)


def _base(review: Review) -> dict[str, Any]:
    return {
        "review": review,
        "pupil": review.pupil,
        "plan": review.plan,
        "version": review.reviewed_version,
    }


def invitation_pdf_render(review: Review, *, fetcher: RefusingURLFetcher | None = None) -> bytes:
    """The letter inviting everyone to the meeting with at least two weeks' notice (reg 20(3)) and
    asking for their advice in time to circulate it two weeks before (reg 20(4))."""
    if review.meeting_on is None:
        raise ValueError("a review without a meeting date has no invitation")
    deadlines = meeting_deadlines(review.meeting_on)
    return _render(
        "reviews/la/invitation_pdf.html",
        {
            **_base(review),
            "content": _content(review),
            "invitees": list(review.invitees.all()),
            "papers_by": deadlines.papers_by,
            "letter_on": review.invitations_sent_on or timezone.localdate(),
        },
        fetcher,
    )


def papers_pdf_render(review: Review, *, fetcher: RefusingURLFetcher | None = None) -> bytes:
    """The papers circulated before the meeting: the plan as it stands (B, E, F in full, the other
    sections short) and each invitee's advice (reg 20(4))."""
    content = _content(review)
    return _render(
        "reviews/la/papers_pdf.html",
        {
            **_base(review),
            "content": content,
            "sections": _sections(content, {}),
            "titles": SECTION_TITLES,
            "invitees": list(review.invitees.all()),
            "papers_by": meeting_deadlines(review.meeting_on).papers_by
            if review.meeting_on
            else None,
        },
        fetcher,
    )


def _short(text: str) -> list[str]:
    text = text.strip()
    return [Truncator(text).chars(SHORT_CHARS)] if text else []


def _sections(content: Snapshot, changes: dict[str, str]) -> list[SectionRow]:
    """Sections A to J of the reviewed version, each with what it says now and any change."""
    rows = []
    for letter, _label in SECTIONS:
        if letter == "B":
            now = [f"{n.number}. {n.description} ({n.area_label})" for n in content.needs]
        elif letter == "E":
            now = [f"{o.number}. {o.outcome}" for o in content.outcomes]
        elif letter == "F":
            now = [
                f"{p.what}: {p.how_often}, {p.minutes_per_session} minutes, by {p.delivered_by}"
                for p in content.provisions
            ]
        else:
            now = _short(content.texts.get(letter, ""))
        rows.append(
            SectionRow(
                letter=letter,
                title=SECTION_TITLES[letter],
                now=now,
                change=changes.get(letter, ""),
            )
        )
    return rows


def report_pdf_render(review: Review, *, fetcher: RefusingURLFetcher | None = None) -> bytes:
    """The review's report in the plan's own structure (reg 20(7)): section by section what the plan
    says and the change proposed, progress towards each outcome in E (reg 20(5)), the views, preparing
    for adulthood (reg 20(6)), the recommendation and any disagreement."""
    content = _content(review)
    changes = {c.section: c.change for c in review.proposed_changes.all()}
    numbers = {o.pk: i for i, o in enumerate(review.reviewed_version.outcomes.all(), start=1)}
    progress = sorted(review.progress.all(), key=lambda p: numbers.get(p.outcome_id, 0))
    return _render(
        "reviews/la/report_pdf.html",
        {
            **_base(review),
            "sections": _sections(content, changes),
            "progress": [(numbers.get(p.outcome_id), p) for p in progress],
            "invitees": list(review.invitees.all()),
            "deadlines": meeting_deadlines(review.held_on) if review.held_on else None,
        },
        fetcher,
    )
