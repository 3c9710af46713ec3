"""Forms of the SEN Information Report pages. Plain forms; the services validate again."""

from __future__ import annotations

from typing import Any

from django import forms

from sendadmin.clocks.forms import GovukDateField

from .sections import Section
from .services_report import SECTION_MAX_CHARS

VERSION = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportSectionsForm(forms.Form):
    """A textarea per section, its guidance as the hint; `version` is the draft's, hidden."""

    version = VERSION

    def __init__(self, *args: Any, sections: tuple[Section, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[section.key] = forms.CharField(
                label=section.title,
                help_text=section.guidance,
                widget=forms.Textarea(attrs={"rows": 8}),
                required=False,
                max_length=SECTION_MAX_CHARS,
                strip=True,
                error_messages={
                    "max_length": f"{section.title} must be {SECTION_MAX_CHARS:,} characters "
                    "or fewer"
                },
            )

    def section_texts(self) -> dict[str, str]:
        return {s.key: self.cleaned_data.get(s.key, "") for s in self.sections}


class GovernorsApprovalForm(forms.Form):
    version = VERSION
    approved_on = GovukDateField(label="Date of the governing body's meeting")
    minute = forms.CharField(
        label="Minute reference",
        help_text="As it appears in the signed minutes, for example 'FGB 2026/14'.",
        max_length=100,
        error_messages={
            "required": "Enter the minute reference of the approval",
            "max_length": "The minute reference must be 100 characters or fewer",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("approved_on") and "approved_on" not in self.errors:
            self.add_error("approved_on", "Enter the date of the governing body's meeting")
        return data
