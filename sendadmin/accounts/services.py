"""State changes for accounts: switching role, granting and revoking one-off access."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from .audit import audit_record
from .models import AccessGrant, Membership, User
from .selectors import membership_list_current_for

MAX_GRANT_DAYS = 366


def membership_switch(*, user: User, membership_id: Any, session: Any) -> Membership:
    """Make one of the user's current memberships the active one, or refuse clearly."""
    from .middleware import SESSION_KEY

    try:
        wanted = int(membership_id)
    except (TypeError, ValueError) as exc:
        raise ValidationError("Choose a school or local authority from the list.") from exc
    for membership in membership_list_current_for(user):
        if membership.pk == wanted:
            session[SESSION_KEY] = membership.pk
            user.active_membership = membership
            return membership
    raise ValidationError("You do not have a current role there. Choose one from the list.")


@transaction.atomic
def access_grant_create(
    *,
    user: User,
    target: models.Model,
    permission: str,
    reason: str,
    expires_on: dt.date,
    by: User,
) -> AccessGrant:
    """Grant `user` one permission on one record until `expires_on`, for a recorded reason."""
    today = timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": "Enter why this access is needed."})
    if expires_on < today:
        raise ValidationError({"expires_on": "The expiry date must be today or in the future."})
    if expires_on > today + dt.timedelta(days=MAX_GRANT_DAYS):
        raise ValidationError({"expires_on": "Access can be granted for at most a year."})
    app_label, codename = permission.split(".", 1)
    if not Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists():
        raise ValidationError({"permission": f"Unknown permission {permission}."})
    assign_perm(permission, user, target)
    grant = AccessGrant.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(target.pk),
        permission=permission,
        reason=reason.strip(),
        expires_on=expires_on,
        granted_by=by,
    )
    audit_record(
        by,
        "accounts.access.granted",
        target,
        grantee=user.pk,
        permission=permission,
        expires_on=expires_on.isoformat(),
        reason=grant.reason,
    )
    return grant


def _remove_grant(grant: AccessGrant, *, by: User | None, action: str) -> None:
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    target = grant.content_type.get_object_for_this_type(pk=grant.object_pk)
    remove_perm(grant.permission, grant.user, target)
    audit_record(by, action, target, grantee=grant.user_id, permission=grant.permission)


@transaction.atomic
def access_grant_expire_due() -> int:
    """End every grant whose expiry day has passed; returns how many were ended.

    Visibility already ignores expired grants (grants.granted_pks_q); this removes the guardian row
    too, so nothing outlives its reason.
    """
    due = AccessGrant.objects.select_for_update().filter(
        revoked_at__isnull=True, expires_on__lt=timezone.localdate()
    )
    count = 0
    for grant in due.select_related("content_type", "user"):
        _remove_grant(grant, by=None, action="accounts.access.expired")
        count += 1
    return count


@transaction.atomic
def access_grant_revoke(*, grant: AccessGrant, by: User) -> AccessGrant:
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        target = grant.content_type.get_object_for_this_type(pk=grant.object_pk)
        remove_perm(grant.permission, grant.user, target)
        audit_record(
            by,
            "accounts.access.revoked",
            target,
            grantee=grant.user_id,
            permission=grant.permission,
        )
    return grant
