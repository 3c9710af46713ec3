"""Puts the active membership and the user's other current memberships into every template."""

from typing import Any

from django.http import HttpRequest

from .selectors import membership_list_current_for


def membership(request: HttpRequest) -> dict[str, Any]:
    active = getattr(request, "membership", None)
    if active is None or not request.user.is_authenticated:
        return {"active_membership": active, "other_memberships": []}
    others = [m for m in membership_list_current_for(request.user) if m.pk != active.pk]
    return {"active_membership": active, "other_memberships": others}
