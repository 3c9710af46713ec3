"""Forms of the governance pages. Plain forms: offer.services_governance checks the rules again
(reg 49, the review dates) and its refusals go next to these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from pupils.forms import GovukRadios, TelInput
from sendadmin.accounts.models import User
from sendadmin.clocks.forms import GovukDateField

from .models import SencoDesignation

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=GovukRadios,
        error_messages={"required": required_message},
    )


def yes_no_initial(value: bool) -> str:
    return "yes" if value else "no"


def _name(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=200,
        required=False,
        help_text=help_text,
        error_messages={"max_length": f"{label} must be 200 characters or fewer"},
    )


class SencoForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={
            "required": "Enter the SENCO's full name",
            "max_length": "Full name must be 200 characters or fewer",
        },
    )
    user = forms.TypedChoiceField(
        label="Their sendadmin account (optional)", required=False, coerce=int, empty_value=None
    )
    email = forms.EmailField(
        label="E-mail for parents",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an e-mail address in the correct format, like name@example.com"
        },
    )
    phone = forms.CharField(
        label="Telephone for parents",
        required=False,
        max_length=40,
        widget=TelInput,
        error_messages={"max_length": "Telephone must be 40 characters or fewer"},
    )
    qualified_teacher = _yes_no(
        "Are they a qualified teacher working at the school?",
        "Select whether they are a qualified teacher",
    )
    induction_completed = _yes_no(
        "Have they completed statutory induction?", "Select whether they have completed induction"
    )
    is_headteacher = _yes_no(
        "Are they the headteacher or acting headteacher?",
        "Select whether they are the headteacher",
    )
    became_senco_on = GovukDateField(label="Date they became SENCO at this school")
    prior_senco_months = forms.IntegerField(
        label="Months as a SENCO before, at any school",
        min_value=0,
        max_value=600,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the months as a SENCO before, or 0",
            "invalid": "Months as a SENCO before must be a whole number, like 6",
            "min_value": "Months as a SENCO before must be 0 or more",
            "max_value": "Months as a SENCO before must be 600 or fewer",
        },
    )
    qualification = forms.ChoiceField(
        label="Which SENCO qualification?",
        choices=SencoDesignation.Qualification.choices,
        widget=GovukRadios,
        error_messages={"required": "Select the qualification, or 'Not started'"},
    )
    qualification_started_on = GovukDateField(label="Date the course started")
    qualification_completed_on = GovukDateField(label="Date the qualification was completed")
    hours_per_week = forms.DecimalField(
        label="SENCO time allocated, hours a week",
        required=False,
        min_value=Decimal(0),
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "SENCO time must be a number of hours, like 12.5",
            "min_value": "SENCO time must be 0 or more hours",
            "max_digits": "SENCO time must be 999.9 hours or fewer",
            "max_decimal_places": "SENCO time must have at most one decimal place, like 12.5",
        },
    )

    def __init__(self, *args: Any, staff: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.TypedChoiceField)
        user_field.choices = [("", "None"), *((u.pk, u.full_name or u.email) for u in staff)]
        self._staff = {u.pk: u for u in staff}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("became_senco_on") and "became_senco_on" not in self.errors:
            self.add_error("became_senco_on", "Enter the date they became SENCO at this school")
        return cleaned

    def details(self) -> dict[str, Any]:
        """The service's `data`: the chosen account as a User, every other field as cleaned."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data["user"] = self._staff.get(data.get("user") or 0)
        return data


def senco_initial(designation: SencoDesignation) -> dict[str, Any]:
    return {
        "version": designation.version,
        "name": designation.name,
        "user": designation.user_id,
        "email": designation.email,
        "phone": designation.phone,
        "qualified_teacher": yes_no_initial(designation.qualified_teacher),
        "induction_completed": yes_no_initial(designation.induction_completed),
        "is_headteacher": yes_no_initial(designation.is_headteacher),
        "became_senco_on": designation.became_senco_on,
        "prior_senco_months": designation.prior_senco_months,
        "qualification": designation.qualification,
        "qualification_started_on": designation.qualification_started_on,
        "qualification_completed_on": designation.qualification_completed_on,
        "hours_per_week": designation.hours_per_week,
    }


class SencoEndForm(forms.Form):
    ended_on = GovukDateField(label="Date they stopped being SENCO")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("ended_on") and "ended_on" not in self.errors:
            self.add_error("ended_on", "Enter the date they stopped being SENCO")
        return cleaned


class GovernanceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sen_link_governor = _name("SEN link governor")
    accessibility_plan_on = GovukDateField(label="Accessibility plan agreed on")
    accessibility_plan_review_on = GovukDateField(label="Accessibility plan next review")
    medical_policy_on = GovukDateField(label="Medical conditions policy agreed on")
    medical_policy_review_on = GovukDateField(label="Medical conditions policy next review")
    designated_teacher = _name("Designated teacher for looked-after children")

    def details(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
