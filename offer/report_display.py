"""The SEN Information Report laid out for reading: each section with its text and the live facts it
quotes, shared by the staff pages, the public page and the PDF so all three show the same thing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .models import InformationReport
from .sections import SECTIONS, Section
from .selectors import live_section_filled


@dataclass(frozen=True)
class SectionRow:
    section: Section
    text: str
    # The section's live facts made ready for a template (None when the section quotes none).
    facts: Any
    # False when a required section has neither text nor filled live facts.
    filled: bool

    @property
    def paragraphs(self) -> list[str]:
        """The text split at blank lines, each shown as a paragraph with its line breaks."""
        return [
            p.strip() for p in re.split(r"\n\s*\n", self.text.replace("\r\n", "\n")) if p.strip()
        ]


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def display_live(live: dict[str, Any]) -> dict[str, Any]:
    """The live facts with their ISO dates as dates, for the `date` filter."""
    shown = dict(live)
    plan = live.get("accessibility_plan") or {}
    shown["accessibility_plan"] = {
        "agreed_on": _date(plan.get("agreed_on")),
        "review_on": _date(plan.get("review_on")),
    }
    shown["as_at"] = _date(live.get("as_at"))
    return shown


def section_rows(
    report: InformationReport, live: dict[str, Any], mainstream: bool
) -> list[SectionRow]:
    """The sections the school must publish (Sch 1 paras 2 and 4 only for mainstream), and any other
    section that has text, in the order of Schedule 1."""
    shown = display_live(live)
    rows = []
    for section in SECTIONS:
        text = str(report.sections.get(section.key, "")).strip()
        if section.mainstream_only and not mainstream and not text:
            continue
        has_facts = bool(section.live) and live_section_filled(section.live, live)
        rows.append(
            SectionRow(
                section=section,
                text=text,
                facts=shown.get(section.live) if section.live else None,
                filled=bool(text) or has_facts,
            )
        )
    return rows
