"""The filters of the school and LA deadline lists, with GOV.UK date inputs (day, month, year)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import F, Q, QuerySet

from sendadmin.accounts.roles import Role

from .kinds import Kind
from .models import DUE_SOON_DAYS, Clock, Status

OPEN = "open"
ALL = "all"

STATUS_CHOICES = [
    (OPEN, "Open (not yet met)"),
    (Status.OVERDUE.value, "Overdue"),
    (Status.DUE_SOON.value, "Due soon"),
    (Status.ON_TRACK.value, "On track"),
    (Status.EXCEPTION_APPLIES.value, "Exception applies"),
    ("met", "Met"),
    (Status.CANCELLED.value, "Cancelled"),
    (ALL, "Any status"),
]


def status_q(status: str, today: dt.date) -> Q:
    """The clocks whose derived status (Clock.status) is `status` on `today`, as a filter.

    Mirrors Clock.status so a filter and the tag shown on each row always agree.
    """
    is_open = Q(state=Clock.State.OPEN)
    is_met = Q(state=Clock.State.MET)
    past_due = Q(due_on__lt=today)
    has_exception = ~Q(exception_regulation="")
    met_late = is_met & Q(met_on__gt=F("due_on"))
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    table: dict[str, Q] = {
        OPEN: is_open,
        ALL: Q(),
        "met": is_met,
        Status.OVERDUE: is_open & past_due & ~has_exception,
        Status.DUE_SOON: is_open & Q(due_on__gte=today, due_on__lte=soon),
        Status.ON_TRACK: is_open & Q(due_on__gt=soon),
        Status.EXCEPTION_APPLIES: has_exception & ((is_open & past_due) | met_late),
        Status.MET_ON_TIME: is_met & Q(met_on__lte=F("due_on")),
        Status.MET_LATE: met_late & ~has_exception,
        Status.CANCELLED: Q(state=Clock.State.CANCELLED),
    }
    return table[status]


class GovukDateWidget(forms.MultiWidget):
    """Three text inputs named <name>_day, <name>_month, <name>_year (the GOV.UK date input)."""

    def __init__(self) -> None:
        super().__init__(
            widgets={
                "day": forms.TextInput(),
                "month": forms.TextInput(),
                "year": forms.TextInput(),
            }
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        # The error summary links to the first input of the group, as the GOV.UK pattern asks.
        return f"{id_}_day" if id_ else ""


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, with the GOV.UK error messages for each mistake."""

    widget = GovukDateWidget

    def __init__(self, **kwargs: Any) -> None:
        parts = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(fields=parts, require_all_fields=False, required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        # A date given as the initial value is shown as its day, month and year, so views pass a
        # date rather than building the three parts themselves.
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return value

    def compress(self, data_list: list[str]) -> dt.date | None:
        if not data_list or not any(part.strip() for part in data_list):
            return None
        label = str(self.label)
        day, month, year = (part.strip() for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{label} must be a real date")
        if len(year) != 4:
            raise forms.ValidationError(f"Year in {label.lower()} must include 4 numbers")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(f"{label} must be a real date") from exc


class ClockFilterForm(forms.Form):
    """GET filters of a deadline list. Always bound to request.GET; an empty query means 'open'."""

    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)
    kind = forms.ChoiceField(
        label="Type of deadline", choices=[("", "Any type"), *Kind.choices], required=False
    )
    responsible_role = forms.ChoiceField(
        label="Responsible role", choices=[("", "Any role"), *Role.choices], required=False
    )
    due_from = GovukDateField(label="Due from")
    due_to = GovukDateField(label="Due to")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        due_from, due_to = cleaned.get("due_from"), cleaned.get("due_to")
        if due_from and due_to and due_to < due_from:
            self.add_error("due_to", "Due to must be the same as or after due from")
        return cleaned

    def status_filter(self) -> str:
        """The status listed: the one chosen if valid, else 'open'."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return str(data.get("status") or OPEN)

    def filters_applied(self) -> list[tuple[str, str]]:
        """(name, value) of every filter `filter` applies, the status included: what a cached
        count of the filtered clocks must be kept under."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        applied = [("status", self.status_filter())]
        for name in ("kind", "responsible_role", "due_from", "due_to"):
            if data.get(name):
                applied.append((name, str(data[name])))
        return applied

    def filter(self, clocks: QuerySet[Clock], today: dt.date) -> QuerySet[Clock]:
        """Apply the filters that are valid; an invalid one is left out (its error is shown)."""
        clocks = clocks.filter(status_q(self.status_filter(), today))
        return self.filter_except_status(clocks)

    def filter_except_status(self, clocks: QuerySet[Clock]) -> QuerySet[Clock]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if data.get("kind"):
            clocks = clocks.filter(kind=data["kind"])
        if data.get("responsible_role"):
            clocks = clocks.filter(responsible_role=data["responsible_role"])
        if data.get("due_from"):
            clocks = clocks.filter(due_on__gte=data["due_from"])
        if data.get("due_to"):
            clocks = clocks.filter(due_on__lte=data["due_to"])
        return clocks
