"""Reads of clocks and notifications, filtered by who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Clock, Notification
from .rules import clock_visible_q, responsible_q


def clock_list_for(user: Any) -> QuerySet[Clock]:
    return (
        Clock.objects.filter(clock_visible_q(user))
        .select_related("pupil", "school", "local_authority", "responsible_user", "subject_type")
        .order_by("due_on", "pk")
    )


def clock_list_responsible_for(user: Any) -> QuerySet[Clock]:
    """'My deadlines': open clocks the user answers for, soonest first."""
    return clock_list_for(user).filter(responsible_q(user), state=Clock.State.OPEN)


def notification_list_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("clock")


def notification_unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
