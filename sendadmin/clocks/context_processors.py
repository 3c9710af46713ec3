"""Puts the signed-in user's unread notification count into every template (one COUNT query)."""

from typing import Any

from django.http import HttpRequest

from .selectors import notification_unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": notification_unread_count(user)}
