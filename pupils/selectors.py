"""Reads of pupils, always filtered by what the asking user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from sendadmin.access import get_visible_or_404

from .models import Pupil, PupilNeed
from .rules import pupil_visible_q


def pupil_list_for(user: Any, *, search: str = "") -> QuerySet[Pupil]:
    qs = (
        Pupil.objects.filter(pupil_visible_q(user))
        .select_related("school")
        .prefetch_related(Prefetch("needs", queryset=PupilNeed.objects.order_by("rank")))
    )
    if search:
        for word in search.split()[:5]:
            qs = qs.filter(
                Q(legal_last_name__icontains=word)
                | Q(legal_first_name__icontains=word)
                | Q(preferred_name__icontains=word)
                | Q(upn__iexact=word)
            )
    return qs.order_by("legal_last_name", "legal_first_name", "pk")


def pupil_get_for_user_or_404(user: Any, pk: Any) -> Pupil:
    return get_visible_or_404(pupil_list_for(user), pk=pk)
