"""`audit_record()`: the one way to write an audit event."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from .models import AuditEvent
from .selectors import active_membership


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    actor: Any,
    action: str,
    target: models.Model | None = None,
    *,
    request: HttpRequest | None = None,
    **data: Any,
) -> AuditEvent:
    """Record `action` (a dotted verb such as "pupils.pupil.viewed") by `actor` on `target`."""
    membership = active_membership(actor) if actor is not None else None
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=user,
        actor_role=membership.role if membership else "",
        school_id=membership.school_id if membership else None,
        local_authority_id=membership.local_authority_id if membership else None,
        action=action,
        ip_address=_client_ip(request),
        data=data,
    )
    if target is not None:
        event.target_type = ContentType.objects.get_for_model(target)
        event.target_id = str(target.pk)
        event.target_repr = str(target)[:200]
    event.save()
    return event
