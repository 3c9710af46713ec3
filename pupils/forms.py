"""Forms of the SEN register: filters, status and needs, parents told, census date, import,
parents and carers, medical conditions."""

from __future__ import annotations

from typing import Any

from django import forms

from sendadmin.clocks.forms import GovukDateField

from .codes import Area, NeedType, SenProvision, YearGroup
from .models import ParentCarer, ParentsToldRecord, TeachingGroup

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]
SORT_CHOICES = [("name", "Name"), ("year", "Year group"), ("status", "SEN provision")]
MAX_NEEDS = 4


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class RegisterFilterForm(forms.Form):
    """GET filters of the register. Always bound to request.GET; an invalid filter is ignored."""

    q = forms.CharField(label="Search by name or UPN", required=False, max_length=100)
    provision = forms.ChoiceField(
        label="SEN provision", choices=[("", "Any"), *SenProvision.choices], required=False
    )
    need = forms.ChoiceField(
        label="Type of need", choices=[("", "Any"), *NeedType.choices], required=False
    )
    area = forms.ChoiceField(
        label="Area of need", choices=[("", "Any"), *Area.choices], required=False
    )
    year = forms.TypedChoiceField(
        label="Year group",
        choices=[("", "Any"), *YearGroup.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    group = forms.TypedChoiceField(
        label="Teaching group", choices=[], coerce=int, empty_value=None, required=False
    )
    looked_after = forms.ChoiceField(label="Looked after", choices=YES_NO, required=False)
    medical = forms.ChoiceField(label="Medical condition", choices=YES_NO, required=False)
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, groups: list[TeachingGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.TypedChoiceField)
        group_field.choices = [("", "Any"), *((g.pk, g.name) for g in groups)]

    def selector_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            "search": (data.get("q") or "").strip(),
            "provision": data.get("provision") or "",
            "need": data.get("need") or "",
            "area": data.get("area") or "",
            "year": data.get("year"),
            "group_id": data.get("group"),
            "looked_after": _yes_no(data.get("looked_after")),
            "medical": _yes_no(data.get("medical")),
            "sort": data.get("sort") or "name",
        }


class SenStatusForm(forms.Form):
    provision = forms.ChoiceField(
        label="SEN provision",
        choices=SenProvision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the SEN provision"},
    )
    start = GovukDateField(label="Start date")
    need_1 = forms.ChoiceField(
        label="Primary need (rank 1)", choices=[("", "None"), *NeedType.choices], required=False
    )
    need_2 = forms.ChoiceField(
        label="Secondary need (rank 2)", choices=[("", "None"), *NeedType.choices], required=False
    )
    need_3 = forms.ChoiceField(
        label="Need rank 3", choices=[("", "None"), *NeedType.choices], required=False
    )
    need_4 = forms.ChoiceField(
        label="Need rank 4", choices=[("", "None"), *NeedType.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("start") and "start" not in self.errors:
            self.add_error("start", "Enter the start date")
        codes = [cleaned.get(f"need_{i}") or "" for i in range(1, MAX_NEEDS + 1)]
        seen_gap = False
        for i, code in enumerate(codes, start=1):
            if not code:
                seen_gap = True
            elif seen_gap:
                self.add_error(f"need_{i}", "Fill the ranks in order: leave no rank empty above")
        cleaned["needs"] = [code for code in codes if code]
        return cleaned


class ParentsToldForm(forms.Form):
    told_on = GovukDateField(label="Date the parents were told")
    method = forms.ChoiceField(
        label="How were they told?",
        choices=ParentsToldRecord.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the parents were told"},
    )
    told_by = forms.CharField(
        label="Who told them?",
        max_length=200,
        error_messages={"required": "Enter who told the parents"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("told_on") and "told_on" not in self.errors:
            self.add_error("told_on", "Enter the date the parents were told")
        return cleaned


class GovukRadios(forms.RadioSelect):
    """Radios whose error summary link goes to the first radio, as the GOV.UK pattern asks."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return f"{id_}_{index or 0}" if id_ else ""


class TelInput(forms.TextInput):
    input_type = "tel"


YES_NO_ANSWER = [("yes", "Yes"), ("no", "No")]


def _yes_no_field(label: str, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO_ANSWER,
        coerce=lambda value: value == "yes",
        widget=GovukRadios,
        error_messages={"required": required_message},
    )


def yes_no_initial(value: bool) -> str:
    return "yes" if value else "no"


class ParentCarerForm(forms.Form):
    # The history version the form was opened at (selectors.history_version): a stale one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={
            "required": "Enter the parent or carer's full name",
            "max_length": "Full name must be 200 characters or fewer",
        },
    )
    relationship = forms.CharField(
        label="Relationship to the pupil",
        max_length=100,
        error_messages={
            "required": "Enter their relationship to the pupil",
            "max_length": "Relationship must be 100 characters or fewer",
        },
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        widget=TelInput,
        error_messages={"max_length": "Phone number must be 30 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    address = forms.CharField(
        label="Postal address",
        widget=forms.Textarea,
        required=False,
        max_length=1000,
        error_messages={"max_length": "Postal address must be 1,000 characters or fewer"},
    )
    contact_preference = forms.ChoiceField(
        label="How do they prefer to be contacted?",
        choices=ParentCarer.ContactPreference.choices,
        widget=GovukRadios,
        error_messages={"required": "Select how they prefer to be contacted"},
    )
    has_parental_responsibility = _yes_no_field(
        "Do they have parental responsibility?",
        "Select whether they have parental responsibility",
    )

    def details(self) -> dict[str, Any]:
        """The service's keyword arguments (everything but the version)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class MedicalConditionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    condition = forms.CharField(
        label="Medical condition",
        max_length=200,
        error_messages={
            "required": "Enter the medical condition",
            "max_length": "Medical condition must be 200 characters or fewer",
        },
    )
    has_healthcare_plan = _yes_no_field(
        "Does the pupil have an individual healthcare plan for this condition?",
        "Select whether the pupil has an individual healthcare plan",
    )
    healthcare_plan_review_on = GovukDateField(label="Individual healthcare plan review date")

    def details(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class CensusDateForm(forms.Form):
    on = GovukDateField(label="Census date")


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Select a CSV file exported from your MIS"},
    )
    complete_roll = forms.BooleanField(
        label="This file is the complete roll: pupils not in it have left", required=False
    )
