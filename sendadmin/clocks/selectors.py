"""Reads of clocks and notifications, filtered by who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import Clock, Notification
from .rules import clock_visible_q, responsible_q


def _clock_list(q: Q) -> QuerySet[Clock]:
    return (
        Clock.objects.filter(q)
        .select_related("pupil", "school", "local_authority", "responsible_user", "subject_type")
        .order_by("due_on", "pk")
    )


def clock_list_for(user: Any) -> QuerySet[Clock]:
    return _clock_list(clock_visible_q(user))


def clock_list_responsible_for(user: Any) -> QuerySet[Clock]:
    """'My deadlines': open clocks the user answers for, soonest first. responsible_q already
    holds clock_visible_q: applying it twice made PostgreSQL hash an LA's cases and plans twice on
    every home page (benchmarks/load)."""
    return _clock_list(responsible_q(user)).filter(state=Clock.State.OPEN)


def notification_list_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("clock")


def notification_unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
