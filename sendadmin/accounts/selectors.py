"""Reads of memberships and audit events, filtered by who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import AuditEvent, Membership, User


def membership_list_current_for(user: User | Any) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(user=user)
        .select_related("school__local_authority", "local_authority")
        .order_by("school__name", "local_authority__name", "role")
    )


def membership_current_for(user: User | Any, preferred_id: object = None) -> Membership | None:
    """The membership the user acts in: the preferred one if current, else their first current one."""
    memberships = list(membership_list_current_for(user))
    for membership in memberships:
        if membership.pk == preferred_id:
            return membership
    return memberships[0] if memberships else None


def active_membership(user: User | Any) -> Membership | None:
    return getattr(user, "active_membership", None)


def audit_event_list_for_target(target: Any) -> QuerySet[AuditEvent]:
    from django.contrib.contenttypes.models import ContentType

    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")
