"""Forms of the SEN register: filters, status and needs, parents told, census date, import."""

from __future__ import annotations

from typing import Any

from django import forms

from sendadmin.clocks.forms import GovukDateField

from .codes import Area, NeedType, SenProvision, YearGroup
from .models import ParentsToldRecord, TeachingGroup

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
