"""Forms of SEN support plans and parents' meetings (GOV.UK date inputs, listed fields only)."""

from __future__ import annotations

from typing import Any

from django import forms

from sendadmin.clocks.forms import GovukDateField

from .models import CycleOutcome, CycleView, OutcomeReview


def _required_date(form: forms.Form, name: str, message: str) -> None:
    if not form.cleaned_data.get(name) and name not in form.errors:
        form.add_error(name, message)


class CycleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    assessment = forms.CharField(
        label="Assessment", widget=forms.Textarea, max_length=10_000, required=False
    )
    evidence = forms.CharField(
        label="Evidence", widget=forms.Textarea, max_length=10_000, required=False
    )
    review_date = GovukDateField(label="Review date")


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome sought",
        widget=forms.Textarea,
        max_length=5_000,
        error_messages={"required": "Enter the outcome sought"},
    )
    success_criteria = forms.CharField(
        label="Success criteria",
        widget=forms.Textarea,
        max_length=5_000,
        error_messages={"required": "Enter the success criteria"},
    )


class ProvisionForm(forms.Form):
    provision = forms.CharField(
        label="Strategy or provision",
        widget=forms.Textarea,
        max_length=5_000,
        error_messages={"required": "Enter the strategy or provision"},
    )
    who = forms.CharField(
        label="Who delivers it",
        max_length=200,
        error_messages={"required": "Enter who delivers it"},
    )
    how_often = forms.CharField(
        label="How often",
        max_length=200,
        error_messages={"required": "Enter how often it is delivered"},
    )


class OutcomeEditForm(OutcomeForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProvisionEditForm(ProvisionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RowRemoveForm(forms.Form):
    """The confirmation of a removal: the version of the row the person was shown."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ViewForm(forms.Form):
    whose = forms.ChoiceField(
        label="Whose views are these?",
        choices=CycleView.Whose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whose views these are"},
    )
    text = forms.CharField(
        label="Views",
        widget=forms.Textarea,
        max_length=10_000,
        error_messages={"required": "Enter the views"},
    )


class DeliveryNoteForm(forms.Form):
    delivered_on = GovukDateField(label="Date delivered")
    note = forms.CharField(
        label="What was delivered",
        widget=forms.Textarea,
        max_length=5_000,
        error_messages={"required": "Enter what was delivered"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _required_date(self, "delivered_on", "Enter the date it was delivered")
        return cleaned


class ReviewForm(forms.Form):
    """The review of a cycle: the date, then progress, notes and next steps for each outcome."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reviewed_on = GovukDateField(label="Date of the review")

    def __init__(self, *args: Any, outcomes: list[CycleOutcome], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        for outcome in outcomes:
            self.fields[f"progress_{outcome.pk}"] = forms.ChoiceField(
                label=f"Progress towards: {outcome.outcome}",
                choices=OutcomeReview.Progress.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select the progress made towards this outcome"},
            )
            self.fields[f"notes_{outcome.pk}"] = forms.CharField(
                label="Notes", widget=forms.Textarea, max_length=5_000, required=False
            )
            self.fields[f"next_steps_{outcome.pk}"] = forms.CharField(
                label="Next steps", widget=forms.Textarea, max_length=5_000, required=False
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _required_date(self, "reviewed_on", "Enter the date of the review")
        return cleaned

    def outcome_fields(self) -> list[tuple[CycleOutcome, Any, Any, Any]]:
        return [
            (o, self[f"progress_{o.pk}"], self[f"notes_{o.pk}"], self[f"next_steps_{o.pk}"])
            for o in self.outcomes
        ]

    def reviews(self) -> dict[int, dict[str, str]]:
        return {
            o.pk: {
                "progress": self.cleaned_data.get(f"progress_{o.pk}") or "",
                "notes": self.cleaned_data.get(f"notes_{o.pk}") or "",
                "next_steps": self.cleaned_data.get(f"next_steps_{o.pk}") or "",
            }
            for o in self.outcomes
        }


class ParentMeetingForm(forms.Form):
    date = GovukDateField(label="Date of the meeting")
    attendees = forms.CharField(
        label="Who attended",
        widget=forms.Textarea,
        max_length=2_000,
        error_messages={"required": "Enter who attended"},
    )
    agreed = forms.CharField(
        label="What was agreed",
        widget=forms.Textarea,
        max_length=10_000,
        error_messages={"required": "Enter what was agreed"},
    )
    next_date = GovukDateField(label="Date of the next meeting (optional)")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _required_date(self, "date", "Enter the date of the meeting")
        return cleaned
