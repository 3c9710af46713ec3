"""Forms of EHC plan editing and issuing. Plain forms with GOV.UK messages; ehcp.plans validates again."""

from __future__ import annotations

from typing import Any

from django import forms

from pupils.codes import Area, NeedType
from sendadmin.clocks.forms import GovukDateField

from .models import PlanNeed, PlanOutcome, PlanVersion

VERSION = forms.IntegerField(widget=forms.HiddenInput, required=False)

# domain.md 3: what each section holds, shown under its heading and as the hint on its form.
SECTION_TITLES: dict[str, tuple[str, str]] = {
    "a": (
        "A: Views, interests and aspirations",
        "The views, interests and aspirations of the child and parents, or of the young person: "
        "history, how they like to communicate, and hopes for adult life.",
    ),
    "b": (
        "B: Special educational needs",
        "All of the child's or young person's identified special educational needs.",
    ),
    "c": (
        "C: Health care needs",
        "Health care needs related to the special educational needs.",
    ),
    "d": (
        "D: Social care needs",
        "Social care needs related to the special educational needs or to a disability.",
    ),
    "e": (
        "E: Outcomes",
        "The outcomes sought, including for adult life, with arrangements for shorter-term "
        "targets set by the setting.",
    ),
    "f": (
        "F: Special educational provision",
        "Provision for every need in section B: specific and quantified (what, how often, for how "
        "long, by whom).",
    ),
    "g": (
        "G: Health care provision",
        "Health care provision reasonably required by the learning difficulties or disabilities, "
        "agreed by the commissioning body (reg 12(2)).",
    ),
    "h1": (
        "H1: Social care provision under the Chronically Sick and Disabled Persons Act 1970",
        "Social care provision that must be made for a child under 18 under section 2 of the "
        "1970 Act.",
    ),
    "h2": (
        "H2: Other social care provision",
        "Any other social care provision reasonably required, including adult care under the Care "
        "Act 2014.",
    ),
    "i": (
        "I: Placement",
        "The name and type of the school or other institution, or just the type if none is named. "
        "Blank in the draft.",
    ),
    "j": (
        "J: Personal budget",
        "Where provision is secured by a direct payment, the needs and outcomes it meets; details "
        "of any personal budget and how it will be used.",
    ),
    "k": (
        "K: Advice and information",
        "The advice and information gathered during the EHC needs assessment.",
    ),
}


def _text(label: str, required_message: str = "", hint: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=20_000,
        required=bool(required_message),
        help_text=hint,
        error_messages={"required": required_message} if required_message else {},
    )


def _count(label: str, message: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=1000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": f"{label} must be 1000 or fewer",
        },
    )


class SectionTextForm(forms.Form):
    """One text section (A, C, D, G, H1, H2 or J)."""

    version = VERSION
    text = _text("")

    def __init__(self, *args: Any, section: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        title, hint = SECTION_TITLES[section]
        self.fields["text"].label = title
        self.fields["text"].help_text = hint


class SectionIForm(forms.Form):
    """Section I: a school by URN, or a name typed in, and the type; or the type alone."""

    version = VERSION
    school_urn = forms.CharField(
        label="URN of the school (optional)",
        max_length=8,
        required=False,
        help_text="The 6-digit unique reference number, for a school in sendadmin",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label="Name of the school or institution, if it has no URN (optional)",
        max_length=200,
        required=False,
    )
    type = forms.CharField(
        label="Type of school or institution",
        max_length=200,
        required=False,
        help_text="For example, mainstream primary school or special school (SEMH)",
    )


class NeedForm(forms.Form):
    version = VERSION
    area = forms.ChoiceField(
        label="Area of need",
        choices=Area.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the area of need"},
    )
    code = forms.ChoiceField(
        label="Census type of need (optional)",
        choices=[("", "None"), *NeedType.choices],
        required=False,
    )
    description = _text(
        "Description of the need", "Describe the need", "What the difficulty is and its effect."
    )


class _LinkedForm(forms.Form):
    """A row of E or F with needs (and outcomes) of its version, chosen by checkboxes."""

    def __init__(self, *args: Any, version: PlanVersion, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.plan_version = version
        self.needs_by_pk = {n.pk: n for n in version.needs.all()}
        field = self.fields["needs"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(n.pk, str(n)) for n in self.needs_by_pk.values()]
        if "outcomes" in self.fields:
            self.outcomes_by_pk = {o.pk: o for o in version.outcomes.all()}
            outcomes = self.fields["outcomes"]
            assert isinstance(outcomes, forms.MultipleChoiceField)
            outcomes.choices = [(o.pk, str(o)) for o in self.outcomes_by_pk.values()]

    def chosen_needs(self) -> list[PlanNeed]:
        return [self.needs_by_pk[int(pk)] for pk in self.cleaned_data.get("needs", [])]

    def chosen_outcomes(self) -> list[PlanOutcome]:
        return [self.outcomes_by_pk[int(pk)] for pk in self.cleaned_data.get("outcomes", [])]


class OutcomeForm(_LinkedForm):
    version = VERSION
    outcome = _text(
        "Outcome sought",
        "Enter the outcome sought",
        "What the child or young person will be able to do, including in adult life.",
    )
    by_when = forms.CharField(
        label="By when (optional)",
        max_length=100,
        required=False,
        help_text="For example, end of Key Stage 2",
    )
    needs = forms.MultipleChoiceField(
        label="Needs in section B this outcome answers",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one need in section B"},
    )


class ProvisionForm(_LinkedForm):
    version = VERSION
    what = _text("What", "Enter what the provision is", "The provision, specific enough to check.")
    sessions_per_week = _count("Sessions a week", "Enter how many sessions a week, 1 or more")
    minutes_per_session = _count("Minutes a session", "Enter how many minutes a session, 1 or more")
    group_size = _count("Group size", "Enter the group size, 1 or more")
    duration = forms.CharField(
        label="For how long",
        max_length=100,
        error_messages={"required": "Enter for how long the provision is made"},
        help_text="For example, until the next annual review",
    )
    delivered_by = forms.CharField(
        label="By whom",
        max_length=200,
        error_messages={"required": "Enter who delivers the provision"},
    )
    needs = forms.MultipleChoiceField(
        label="Needs in section B this provision meets",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one need in section B"},
    )
    outcomes = forms.MultipleChoiceField(
        label="Outcomes in section E it works towards (optional)",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    map_provision = forms.ChoiceField(
        label="The school's provision map entry that delivers it (optional)", required=False
    )

    def __init__(self, *args: Any, version: PlanVersion, map_choices: list[Any], **kw: Any):
        super().__init__(*args, version=version, **kw)
        self.map_by_pk = {p.pk: p for p in map_choices}
        field = self.fields["map_provision"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "None"), *((p.pk, p.name) for p in map_choices)]

    def chosen_map_provision(self) -> Any:
        value = self.cleaned_data.get("map_provision")
        return self.map_by_pk.get(int(value)) if value else None


class RemoveForm(forms.Form):
    version = VERSION


class IssueForm(forms.Form):
    version = VERSION
    issued_on = GovukDateField(label="Date of issue")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("issued_on") and "issued_on" not in self.errors:
            self.add_error("issued_on", "Enter the date of issue")
        return data


class RepresentationsForm(forms.Form):
    received_on = GovukDateField(label="Date the representations were received")
    text = _text(
        "What the representations said",
        "Enter what the representations said",
        "A summary of the parent's or young person's comments and any school they asked for.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("received_on") and "received_on" not in self.errors:
            self.add_error("received_on", "Enter the date the representations were received")
        return data
