"""The LA's decision after a review (reg 20(10)): plain GOV.UK forms; reviews.services validates again."""

from __future__ import annotations

from typing import Any

from django import forms

from sendadmin.clocks.forms import GovukDateField

from .models import Recommendation


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label="What does the LA decide?",
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the LA's decision"},
    )
    decided_on = GovukDateField(label="Date of the decision")
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        required=False,
        help_text=(
            "Required when the decision differs from the review's recommendation: the parent or "
            "young person must be told why."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("decided_on") and "decided_on" not in self.errors:
            self.add_error("decided_on", "Enter the date of the decision")
        return data
