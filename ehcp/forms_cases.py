"""Forms of the LA's side of an assessment. Plain forms with GOV.UK messages; services validate again."""

from __future__ import annotations

from typing import Any

from django import forms

from ehcp.deadlines import EXCEPTION_LIMBS
from sendadmin.clocks.forms import GovukDateField

from .models import AdviceKind, AssessmentCase

VERSION = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _text(label: str, required_message: str = "", hint: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=10_000,
        required=bool(required_message),
        help_text=hint,
        error_messages={"required": required_message} if required_message else {},
    )


def _required_date(form: forms.Form, name: str, message: str) -> None:
    if not form.cleaned_data.get(name) and name not in form.errors:
        form.add_error(name, message)


class CaseOpenForm(forms.Form):
    school_urn = forms.CharField(
        label="School URN",
        max_length=8,
        help_text="The 6-digit unique reference number of the child's school",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": "Enter the school's URN"},
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        max_length=13,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"required": "Enter the child's UPN"},
    )
    date_of_birth = GovukDateField(label="Date of birth")
    requested_by = forms.ChoiceField(
        label="Who asked for the assessment?",
        choices=AssessmentCase.RequestedBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who asked for the assessment"},
    )
    requester_name = forms.CharField(
        label="Name of the person who asked (optional)", max_length=200, required=False
    )
    received_on = GovukDateField(label="Date the LA received the request")
    reason = _text("Why the assessment is asked for (optional)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _required_date(self, "date_of_birth", "Enter the child's date of birth")
        _required_date(self, "received_on", "Enter the date the LA received the request")
        return data


class DecisionForm(forms.Form):
    version = VERSION
    decision = forms.ChoiceField(label="", widget=forms.RadioSelect)
    decided_on = GovukDateField(label="Date of the decision")
    reasons = _text(
        "Reasons",
        hint="Required when the answer is no: the parent or young person must be told them.",
    )

    def __init__(self, *args: Any, question: str, choices: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        field.label = question
        field.choices = choices
        self.fields["decision"].error_messages["required"] = f"Select an answer to '{question}'"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _required_date(self, "decided_on", "Enter the date of the decision")
        return data


class AdviceRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Advice from",
        choices=AdviceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of advice"},
    )
    adviser_name = forms.CharField(
        label="Adviser or service",
        max_length=200,
        required=False,
        help_text="Leave blank for educational advice: it goes to the child's school.",
    )
    sent_on = GovukDateField(label="Date the request was sent")
    received_on = GovukDateField(label="Date the adviser received it")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _required_date(self, "sent_on", "Enter the date the request was sent")
        _required_date(self, "received_on", "Enter the date the adviser received the request")
        return data


class AdviceRecordForm(forms.Form):
    received_on = GovukDateField(label="Date the LA received the advice")
    summary = _text("Summary of the advice", "Enter a summary of the advice")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _required_date(self, "received_on", "Enter the date the LA received the advice")
        return data


class PlacementForm(forms.Form):
    version = VERSION
    requested_school_urn = forms.CharField(
        label="URN of the school the parent asked for (if it uses sendadmin)",
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    requested_school_name = forms.CharField(
        label="Or the school's name", max_length=200, required=False
    )
    consultation_sent_on = GovukDateField(label="Date the consultation was sent (optional)")
    consultation_reply_on = GovukDateField(label="Date the school replied (optional)")
    consultation_reply = forms.ChoiceField(
        label="What the school replied",
        choices=[c for c in AssessmentCase.ConsultationReply.choices if c[0]],
        widget=forms.RadioSelect,
        required=False,
    )


class ExceptionForm(forms.Form):
    limb = forms.ChoiceField(
        label="Which exception applies?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the exception that applies"},
    )
    date_from = GovukDateField(label="From")
    date_to = GovukDateField(label="To")
    evidence = _text("Evidence", "Enter the evidence for the exception")

    def __init__(self, *args: Any, regulation: str, **kw: Any):
        super().__init__(*args, **kw)
        field = self.fields["limb"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (limb.code, f"({limb.code}) {limb.label}") for limb in EXCEPTION_LIMBS[regulation]
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _required_date(self, "date_from", "Enter the date the exception starts")
        _required_date(self, "date_to", "Enter the date the exception ends")
        return data
