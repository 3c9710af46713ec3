"""The LA dashboard's filters: a calendar year and, optionally, one of the LA's own schools."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms

from sendadmin.accounts.models import School

# The years offered: this year to date and the four before it. SEN2 reports the previous calendar
# year (domain.md 7.2), so that is the default.
YEARS_OFFERED = 5


def default_year(today: dt.date) -> int:
    return today.year - 1


def year_choices(today: dt.date) -> list[tuple[str, str]]:
    choices = [(str(today.year), f"{today.year} (1 January to today)")]
    for year in range(today.year - 1, today.year - YEARS_OFFERED, -1):
        label = f"{year} (January to December)"
        if year == default_year(today):
            label += ", as SEN2 reports it"
        choices.append((str(year), label))
    return choices


class LaFilterForm(forms.Form):
    """Read from the query string. A value not in the lists is an error; the view then shows the
    LA's unfiltered figures, so no parameter can reach another LA's data (ADR 0013)."""

    year = forms.TypedChoiceField(label="Year", coerce=int, required=False, empty_value=None)
    school = forms.TypedChoiceField(label="School", coerce=int, required=False, empty_value=None)

    def __init__(
        self,
        *args: Any,
        la_name: str,
        schools: Iterable[School],
        today: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        school = self.fields["school"]
        assert isinstance(year, forms.TypedChoiceField)
        assert isinstance(school, forms.TypedChoiceField)
        year.choices = year_choices(today)
        year.error_messages["invalid_choice"] = "Choose a year from the list"
        school.choices = [("", f"All {la_name} schools")] + [(str(s.pk), s.name) for s in schools]
        school.error_messages["invalid_choice"] = f"Choose one of {la_name}'s schools"
