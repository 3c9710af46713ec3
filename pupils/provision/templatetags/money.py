"""`{{ amount|money }}`: pounds with a thousands separator and pence, a minus sign when negative."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(amount: Decimal | int | None) -> str:
    if amount is None:
        return ""
    value = Decimal(amount)
    sign = "\u2212" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"
