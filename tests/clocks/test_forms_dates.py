"""The GOV.UK date field shows a date given as its initial value as day, month and year."""

import datetime as dt

from django import forms

from sendadmin.clocks.forms import GovukDateField


class _Form(forms.Form):
    when = GovukDateField(label="When")


def test_a_date_initial_is_shown_as_its_three_parts() -> None:
    html = str(_Form(initial={"when": dt.date(2027, 2, 15)})["when"].value())
    assert html == "[15, 2, 2027]"


def test_typed_parts_are_shown_back_as_typed() -> None:
    form = _Form(data={"when_day": "31", "when_month": "2", "when_year": "2027"})
    assert not form.is_valid()
    assert form["when"].value() == ["31", "2", "2027"]
    assert form.errors["when"] == ["When must be a real date"]
