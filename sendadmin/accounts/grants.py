"""The Q that admits records reached through an unexpired, unrevoked one-off grant."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Model, Q
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.models import UserObjectPermission

from .models import AccessGrant


def granted_pks_q(user: Any, model: type[Model], permission: str) -> Q:
    """Records of `model` (whose primary key is an integer) for which `user` holds `permission` through a live grant.

    Both must agree: guardian holds the permission and our AccessGrant row says it is unexpired and
    unrevoked, so an expired grant stops working on its expiry day even before any clean-up runs.
    """
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    ct = ContentType.objects.get_for_model(model)
    app_label, codename = permission.split(".", 1)
    live = AccessGrant.objects.filter(
        user=user,
        content_type=ct,
        permission=permission,
        revoked_at__isnull=True,
        expires_on__gte=timezone.localdate(),
    ).values(pk_value=Cast("object_pk", BigIntegerField()))
    held = UserObjectPermission.objects.filter(
        user=user,
        content_type=ct,
        permission__codename=codename,
        permission__content_type__app_label=app_label,
    ).values(pk_value=Cast("object_pk", BigIntegerField()))
    return Q(pk__in=live) & Q(pk__in=held)
