"""Forms of the school's side of an assessment: educational advice, attachments, a school's request."""

from __future__ import annotations

from typing import Any

from django import forms

from .advice import field_label

TEXT_LIMIT = 20_000
HINTS = {
    "needs": "The pupil's special educational needs, and how they affect learning.",
    "attainment": "Current attainment and the progress made, with the assessments behind them.",
    "attendance": (
        "sendadmin holds no attendance figures: enter the attendance from your MIS for this year "
        "and the last, and any pattern of absence."
    ),
    "tried": "The support and interventions tried, how long for, what they cost and what changed.",
    "outcomes_sought": "What the school thinks the pupil should achieve with the right support.",
    "pupil_views": "In the pupil's own words where you can.",
    "parent_views": "What the parents or carers told the school.",
}


def _text(name: str) -> forms.CharField:
    return forms.CharField(
        label=field_label(name),
        help_text=HINTS[name],
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        required=False,
    )


class AdviceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    needs = _text("needs")
    attainment = _text("attainment")
    attendance = _text("attendance")
    tried = _text("tried")
    outcomes_sought = _text("outcomes_sought")
    pupil_views = _text("pupil_views")
    parent_views = _text("parent_views")


class VersionForm(forms.Form):
    """Sending the advice: the version the person was shown."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Attach a document",
        error_messages={
            "required": "Choose a file to attach",
            "empty": "The file is empty",
            "invalid": "Choose a file to attach",
        },
    )


class AssessmentRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why is the school asking for an EHC needs assessment?",
        help_text=(
            "Say what the school has tried and why the pupil needs more than SEN support can give. "
            "The evidence pack below goes with the request."
        ),
        widget=forms.Textarea,
        max_length=TEXT_LIMIT,
        error_messages={"required": "Enter why the school is asking for an assessment"},
    )
    parents_told = forms.ChoiceField(
        label="Have the parents been told the school is asking?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the parents have been told"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("parents_told") == "no":
            # CoP 9.8: the school asks with the parents' knowledge and, where possible, agreement.
            self.add_error(
                "parents_told",
                "Tell the parents before the school asks for an assessment (SEND Code of Practice "
                "9.8), then come back to send the request",
            )
        return cleaned
