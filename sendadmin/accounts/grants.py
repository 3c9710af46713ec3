"""The Q that admits records reached through an unexpired, unrevoked one-off grant."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Model, Q
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.models import UserObjectPermission

from .models import AccessGrant


def granted_pks_q(user: Any, model: type[Model], permission: str, field: str = "pk") -> Q:
    """Records of `model` (whose primary key is an integer) for which `user` holds `permission` through a live grant.

    Both must agree: guardian holds the permission and our AccessGrant row says it is unexpired and
    unrevoked, so an expired grant stops working on its expiry day even before any clean-up runs.
    `field` is where the record's pk is: its own pk, or a foreign key on a row that points at it.

    The grants are read now and the Q names their pks. A person holds few grants and nearly always
    none, and then the Q is empty, which Django drops from any OR it is in: as subqueries, this
    branch of every pupil visibility filter kept PostgreSQL from using the other branches' indexes
    (a scan of every pupil in the county for a school's list; benchmarks/load).
    """
    if not getattr(user, "is_authenticated", False):
        return Q(**{f"{field}__in": []})
    ct = ContentType.objects.get_for_model(model)
    app_label, codename = permission.split(".", 1)
    live = set(
        AccessGrant.objects.filter(
            user=user,
            content_type=ct,
            permission=permission,
            revoked_at__isnull=True,
            expires_on__gte=timezone.localdate(),
        ).values_list(Cast("object_pk", BigIntegerField()), flat=True)
    )
    if not live:
        return Q(**{f"{field}__in": []})
    held = set(
        UserObjectPermission.objects.filter(
            user=user,
            content_type=ct,
            permission__codename=codename,
            permission__content_type__app_label=app_label,
        ).values_list(Cast("object_pk", BigIntegerField()), flat=True)
    )
    return Q(**{f"{field}__in": sorted(live & held)})
