"""Access helpers for views: 404 for what the user may not see, 403 for what they may not do."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

M = TypeVar("M", bound=Model)


def require_perm(user: Any, perm: str, obj: Model | None = None) -> None:
    """Raise PermissionDenied (403) unless `user` has `perm` (on `obj`, if given)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def require_membership(request: HttpRequest) -> Any:
    """The active membership, or 403: a signed-in person with no current role sees no data."""
    membership = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied("no current membership")
    return membership


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object from an already-filtered queryset, or 404 (never 403: that would confirm
    that the record exists)."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc
