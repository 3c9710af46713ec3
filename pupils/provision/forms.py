"""Forms of the provision map. Plain forms with GOV.UK messages; the services validate again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from pupils.codes import Area
from sendadmin.clocks.forms import GovukDateField

from .models import Provision, StaffRole

GROUP, ONE_TO_ONE = "group", "one_to_one"
# GOV.UK asks for text inputs with a numeric keyboard rather than type="number".
NUMERIC = forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
DECIMAL = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})


def _required_date(form: forms.Form, name: str, message: str) -> None:
    if not form.cleaned_data.get(name) and name not in form.errors:
        form.add_error(name, message)


class ProvisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the provision's name"}
    )
    description = forms.CharField(
        label="Description (optional)", widget=forms.Textarea, max_length=5_000, required=False
    )
    area = forms.ChoiceField(
        label="Area of need",
        choices=Area.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the area of need"},
    )
    delivery = forms.ChoiceField(
        label="Group or 1:1",
        choices=[(GROUP, "Small group"), (ONE_TO_ONE, "1:1")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is a group or 1:1"},
    )
    max_group_size = forms.IntegerField(
        widget=NUMERIC,
        label="Largest group (pupils)",
        min_value=1,
        max_value=60,
        required=False,
        error_messages={
            "invalid": "Largest group must be a whole number",
            "min_value": "Largest group must be at least 1",
            "max_value": "Largest group must be 60 or fewer",
        },
    )
    staff_role = forms.ChoiceField(
        label="Delivered by",
        choices=StaffRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who delivers it"},
    )
    sessions_per_week = forms.IntegerField(
        widget=NUMERIC,
        label="Sessions a week",
        min_value=1,
        max_value=25,
        error_messages={
            "required": "Enter the number of sessions a week",
            "invalid": "Sessions a week must be a whole number",
            "min_value": "Sessions a week must be at least 1",
            "max_value": "Sessions a week must be 25 or fewer",
        },
    )
    minutes_per_session = forms.IntegerField(
        widget=NUMERIC,
        label="Minutes a session",
        min_value=1,
        max_value=480,
        error_messages={
            "required": "Enter the minutes a session",
            "invalid": "Minutes a session must be a whole number",
            "min_value": "Minutes a session must be at least 1",
            "max_value": "Minutes a session must be 480 or fewer",
        },
    )
    cost_per_hour = forms.DecimalField(
        widget=DECIMAL,
        label="Staff cost per hour, in pounds",
        min_value=Decimal("0"),
        max_digits=7,
        decimal_places=2,
        error_messages={
            "required": "Enter the staff cost per hour",
            "invalid": "Staff cost per hour must be an amount of money, like 15.50",
            "min_value": "Staff cost per hour cannot be negative",
            "max_digits": "Staff cost per hour must be less than 100,000",
            "max_decimal_places": "Staff cost per hour must have no more than 2 decimal places",
        },
    )
    active = forms.BooleanField(label="Running now (untick to retire it)", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("delivery") == GROUP
            and not data.get("max_group_size")
            and "max_group_size" not in self.errors
        ):
            self.add_error("max_group_size", "Enter the largest group")
        return data

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        one_to_one = data["delivery"] == ONE_TO_ONE
        return {
            "name": data["name"],
            "description": data["description"],
            "area": data["area"],
            "one_to_one": one_to_one,
            "max_group_size": 1 if one_to_one else data["max_group_size"],
            "staff_role": data["staff_role"],
            "sessions_per_week": data["sessions_per_week"],
            "minutes_per_session": data["minutes_per_session"],
            "cost_per_hour": data["cost_per_hour"],
            "active": data["active"],
        }

    @staticmethod
    def initial_for(provision: Provision) -> dict[str, Any]:
        return {
            "version": provision.version,
            "name": provision.name,
            "description": provision.description,
            "area": provision.area,
            "delivery": ONE_TO_ONE if provision.one_to_one else GROUP,
            "max_group_size": provision.max_group_size,
            "staff_role": provision.staff_role,
            "sessions_per_week": provision.sessions_per_week,
            "minutes_per_session": provision.minutes_per_session,
            "cost_per_hour": provision.cost_per_hour,
            "active": provision.active,
        }


class AssignForm(forms.Form):
    provision = forms.TypedChoiceField(
        label="Provision",
        coerce=int,
        error_messages={"required": "Select a provision", "invalid_choice": "Select a provision"},
    )
    start = GovukDateField(label="Start date")
    end = GovukDateField(label="End date (optional)")
    entry_measure = forms.CharField(
        label="Entry measure (optional)",
        max_length=200,
        required=False,
        help_text="A score or observation to compare with at the end, like a reading age.",
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea, max_length=5_000, required=False
    )

    def __init__(self, *args: Any, provisions: list[Provision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provision"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a provision")] + [(p.pk, p.name) for p in provisions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _required_date(self, "start", "Enter the start date")
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "End date must be the same as or after the start date")
        return data


class EndAssignmentForm(forms.Form):
    end = GovukDateField(label="End date")
    exit_measure = forms.CharField(
        label="Exit measure (optional)",
        max_length=200,
        required=False,
        help_text="The same measure as at the start, to show the impact.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _required_date(self, "end", "Enter the end date")
        return data


class SessionLogForm(forms.Form):
    # A new key each time the form is shown: sending the same form twice logs one session.
    key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    date = GovukDateField(label="Date of the session")
    duration_minutes = forms.IntegerField(
        widget=NUMERIC,
        label="How long it lasted, in minutes",
        min_value=1,
        max_value=480,
        error_messages={
            "required": "Enter how many minutes the session lasted",
            "invalid": "Minutes must be a whole number",
            "min_value": "Minutes must be at least 1",
            "max_value": "Minutes must be 480 or fewer",
        },
    )
    attended = forms.TypedMultipleChoiceField(
        label="Who attended?",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select only pupils on this provision"},
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea, max_length=5_000, required=False
    )

    def __init__(self, *args: Any, pupils: list[tuple[int, str]], today: dt.date, **kw: Any):
        super().__init__(*args, **kw)
        field = self.fields["attended"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = pupils
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _required_date(self, "date", "Enter the date of the session")
        day = data.get("date")
        if day and day > self.today:
            self.add_error("date", "Date of the session must be today or in the past")
        return data


class BudgetForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    amount = forms.DecimalField(
        widget=DECIMAL,
        label="Notional SEN budget, in pounds",
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        error_messages={
            "required": "Enter the notional SEN budget",
            "invalid": "The budget must be an amount of money, like 120000",
            "min_value": "The budget cannot be negative",
            "max_digits": "The budget must be less than 100 million",
            "max_decimal_places": "The budget must have no more than 2 decimal places",
        },
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(y, f"April {y} to March {y + 1}") for y in years]
