"""Reads of pupils, always filtered by what the asking user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sendadmin.access import get_visible_or_404
from sendadmin.accounts.selectors import active_membership

from .codes import NEED_AREA, NeedType, SenProvision, need_codes_validate
from .models import (
    MedicalCondition,
    ParentCarer,
    Pupil,
    PupilNeed,
    SenStatus,
    TeachingGroup,
    TeachingGroupPupil,
)
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


def parent_carer_get_for_user_or_404(user: Any, pk: Any) -> ParentCarer:
    """A parent or carer of a pupil the user can see, or 404."""
    visible = Pupil.objects.filter(pupil_visible_q(user)).values("pk")
    parents = ParentCarer.objects.filter(pupil__in=visible).select_related("pupil__school")
    return get_visible_or_404(parents, pk=pk)


def medical_condition_get_for_user_or_404(user: Any, pk: Any) -> MedicalCondition:
    """A medical condition of a pupil the user can see, or 404."""
    visible = Pupil.objects.filter(pupil_visible_q(user)).values("pk")
    conditions = MedicalCondition.objects.filter(pupil__in=visible).select_related("pupil__school")
    return get_visible_or_404(conditions, pk=pk)


def history_version(obj: Any) -> int | None:
    """The id of the record's latest history row. Every save adds a row, so a form that carries
    it can tell whether someone else saved the record since the form was opened."""
    latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return int(latest) if latest is not None else None


SORTS = {
    "name": ("legal_last_name", "legal_first_name", "pk"),
    "year": ("year_group", "legal_last_name", "legal_first_name", "pk"),
    "status": ("sen_provision", "legal_last_name", "legal_first_name", "pk"),
}


def register_list_for(
    user: Any,
    *,
    search: str = "",
    provision: str = "",
    need: str = "",
    area: str = "",
    year: int | None = None,
    group_id: int | None = None,
    looked_after: bool | None = None,
    medical: bool | None = None,
    sort: str = "name",
    on_roll: bool = True,
) -> QuerySet[Pupil]:
    """The SEN register: visible pupils, filtered; a fixed number of queries for any size."""
    qs = pupil_list_for(user, search=search)
    if on_roll:
        today = timezone.localdate()
        qs = qs.filter(Q(leaving_date__isnull=True) | Q(leaving_date__gt=today))
    if provision:
        qs = qs.filter(sen_provision=provision)
    if need:
        qs = qs.filter(Exists(PupilNeed.objects.filter(pupil_id=OuterRef("pk"), code=need)))
    if area:
        codes = [code for code, a in NEED_AREA.items() if a == area]
        qs = qs.filter(Exists(PupilNeed.objects.filter(pupil_id=OuterRef("pk"), code__in=codes)))
    if year is not None:
        qs = qs.filter(year_group=year)
    if group_id is not None:
        today = timezone.localdate()
        links = TeachingGroupPupil.objects.filter(
            Q(end__isnull=True) | Q(end__gte=today),
            pupil_id=OuterRef("pk"),
            group_id=group_id,
            start__lte=today,
        )
        qs = qs.filter(Exists(links))
    if looked_after is not None:
        qs = qs.filter(looked_after=looked_after)
    if medical is not None:
        has = Exists(MedicalCondition.objects.filter(pupil_id=OuterRef("pk")))
        qs = qs.filter(has if medical else ~has)
    return qs.order_by(*SORTS.get(sort, SORTS["name"]))


def register_counts(pupils: QuerySet[Pupil]) -> dict[str, int]:
    """E, K, N and total counts of a register queryset, in one query."""
    counts = pupils.order_by().aggregate(
        total=Count("pk"),
        **{str(code): Count("pk", filter=Q(sen_provision=code)) for code in SenProvision.values},
    )
    return {str(k): int(v) for k, v in counts.items()}


def teaching_group_list_for(user: Any) -> QuerySet[TeachingGroup]:
    membership = active_membership(user)
    if membership is None or membership.school_id is None:
        return TeachingGroup.objects.none()
    return TeachingGroup.objects.filter(school_id=membership.school_id).order_by("name")


def census_as_at(user: Any, on: dt.date) -> dict[str, Any]:
    """Census SEN provision counts and needs by rank as at `on`, from the SenStatus history.

    A pupil on roll on `on` with no status covering that date counts as N (domain.md 7.1: E + K +
    N is the whole roll). Needs are the current ranked needs of the pupils who were E or K.
    """
    on_roll = Pupil.objects.filter(pupil_visible_q(user)).filter(
        Q(leaving_date__isnull=True) | Q(leaving_date__gte=on), admission_date__lte=on
    )
    status_on = SenStatus.objects.filter(
        Q(end__isnull=True) | Q(end__gte=on), pupil_id=OuterRef("pk"), start__lte=on
    ).values("provision")[:1]
    rows = (
        on_roll.annotate(provision_on=Coalesce(Subquery(status_on), Value(SenProvision.NO_SEN)))
        .values("provision_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {code: 0 for code in SenProvision.values}
    for row in rows:
        counts[row["provision_on"]] = row["n"]
    sen_pupils = on_roll.annotate(
        provision_on=Coalesce(Subquery(status_on), Value(SenProvision.NO_SEN))
    ).filter(provision_on__in=[SenProvision.SEN_SUPPORT, SenProvision.EHC_PLAN])
    need_rows = (
        PupilNeed.objects.filter(pupil__in=sen_pupils.values("pk"), rank__lte=2)
        .values("code", "rank")
        .annotate(n=Count("pk"))
        .order_by()
    )
    needs: dict[str, dict[int, int]] = {code: {1: 0, 2: 0} for code in NeedType.values}
    for row in need_rows:
        needs[row["code"]][row["rank"]] = row["n"]
    return {
        "counts": counts,
        "total": sum(counts.values()),
        "needs": [(NeedType(code), ranks[1], ranks[2]) for code, ranks in needs.items()],
    }


def census_problems_for(user: Any) -> list[tuple[Pupil, str]]:
    """What a census return would reject in the current register (domain.md 7.1)."""
    problems: list[tuple[Pupil, str]] = []
    for pupil in register_list_for(user):
        needs = list(pupil.needs.all())
        ranks = [n.rank for n in needs]
        if ranks != list(range(1, len(ranks) + 1)):
            problems.append((pupil, f"Need ranks are not 1, 2, 3...: {ranks}"))
        for message in need_codes_validate(pupil.sen_provision, [n.code for n in needs]):
            problems.append((pupil, message))
    return problems
