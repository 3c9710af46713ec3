"""Forms of the school's review pages (domain.md 2.1-2.2). Plain forms; the services validate again."""

from __future__ import annotations

from typing import Any

from django import forms

from sendadmin.clocks.forms import GovukDateField

from .models import SECTIONS, OutcomeProgress, Recommendation, Review

VERSION = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _text(label: str, required_message: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=10_000,
        required=bool(required_message),
        error_messages={"required": required_message} if required_message else {},
    )


def _name(label: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=200, required=False)


class _DatedForm(forms.Form):
    """A form whose date fields are all required, each with its own message."""

    required_dates: dict[str, str] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in self.required_dates.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data


class EarlyReviewForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which review?",
        choices=[
            (Review.Kind.EARLY, "An early review (needs have changed or the placement is at risk)"),
            (Review.Kind.INTERIM, "An interim review (a child under five)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of review"},
    )
    reason = _text("Why review the plan now?", "Say why the plan should be reviewed now")


class ScheduleForm(_DatedForm):
    version = VERSION
    meeting_on = GovukDateField(label="Date of the review meeting")
    required_dates = {"meeting_on": "Enter the date of the review meeting"}


# The people invited (reg 20(2)): a fixed set of rows, one per role; empty rows are left out.
# Each field is named after its Invitee.Role value.
INVITEE_ROLES = ["parent", "young_person", "school", "la_officer", "health", "social_care", "other"]


class InviteForm(_DatedForm):
    version = VERSION
    sent_on = GovukDateField(label="Date the invitations were sent")
    parent = _name("Parent or carer")
    young_person = _name("The young person (if over compulsory school age)")
    school = _name("Headteacher or SENCO (optional)")
    la_officer = _name("LA SEN officer (optional)")
    health = _name("Health care professional (optional)")
    social_care = _name("Social care officer (optional)")
    other = _name("Someone else (optional)")
    required_dates = {"sent_on": "Enter the date the invitations were sent"}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("parent", "").strip() or data.get("young_person", "").strip()):
            # Reg 20(2)(a): the child's parent or the young person is always invited.
            self.add_error("parent", "Enter the name of the parent or carer, or the young person")
        return data

    def invitees(self) -> list[tuple[str, str]]:
        return [(role, self.cleaned_data.get(role, "")) for role in INVITEE_ROLES]


class PapersForm(_DatedForm):
    circulated_on = GovukDateField(label="Date the papers were circulated")
    required_dates = {"circulated_on": "Enter the date the papers were circulated"}


class AdviceForm(_DatedForm):
    received_on = GovukDateField(label="Date the advice was received")
    advice = _text("The advice", "Enter the advice", rows=8)
    required_dates = {"received_on": "Enter the date the advice was received"}


class ReportForm(_DatedForm):
    sent_on = GovukDateField(label="Date the report was sent")
    required_dates = {"sent_on": "Enter the date the report was sent"}


class MeetingForm(_DatedForm):
    """The meeting (reg 20(5)-(6)): progress on every outcome of the reviewed version, views,
    preparing for adulthood from Year 9, a proposed change per section and the recommendation."""

    version = VERSION
    held_on = GovukDateField(label="Date the meeting was held")
    required_dates = {"held_on": "Enter the date the meeting was held"}

    def __init__(self, *args: Any, outcomes: list[Any], adulthood: bool, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.outcomes = outcomes
        for number, outcome in enumerate(outcomes, start=1):
            self.fields[f"rating_{outcome.pk}"] = forms.ChoiceField(
                label=f"Outcome {number}: {outcome.outcome}",
                choices=OutcomeProgress.Rating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select the progress towards outcome {number}"},
            )
            self.fields[f"evidence_{outcome.pk}"] = _text(
                f"Evidence of progress towards outcome {number}",
                f"Enter the evidence of progress towards outcome {number}",
                rows=3,
            )
        self.fields["child_views"] = _text("The child's or young person's views")
        self.fields["parent_views"] = _text("The parents' views")
        if adulthood:
            # Reg 20(6): from Year 9 the review considers preparing for adulthood.
            self.fields["preparing_for_adulthood"] = _text(
                "Preparing for adulthood",
                "Say what was discussed about preparing for adulthood",
            )
        for section, label in SECTIONS:
            self.fields[f"change_{section}"] = _text(
                f"Proposed change to section {label} (optional)", rows=2
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label="What does the review recommend?",
            choices=Recommendation.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Select what the review recommends"},
        )
        self.fields["disagreements"] = _text("Disagreements (optional)")

    def outcome_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"rating_{o.pk}"], self[f"evidence_{o.pk}"]) for o in self.outcomes]

    def change_fields(self) -> list[forms.BoundField]:
        return [self[f"change_{section}"] for section, _ in SECTIONS]

    def progress(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {o.pk: (data[f"rating_{o.pk}"], data[f"evidence_{o.pk}"]) for o in self.outcomes}

    def changes(self) -> dict[str, str]:
        return {section: self.cleaned_data[f"change_{section}"] for section, _ in SECTIONS}
