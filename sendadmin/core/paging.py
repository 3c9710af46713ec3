"""Pages of a list found by their ids first, then read with their related rows.

A list that select_related()s its pupil, school and plan and sorts by a date asks PostgreSQL to sort
the joined rows; on a county's data it joined every open row of the LA (and every pupil of the
county) before it could take the first ten (benchmarks/load, the SENCO's reviews list: 335 ms). The
page's ids are found on the list's own table and indexes, with the same filter and order, and only
those rows are read with their joins; the count is the list's own count, without joins either.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def ids_first_page(qs: QuerySet[M], number: Any, per_page: int) -> Page[M]:
    """The page `number` of `qs` (Paginator.get_page's forgiving rules), its rows in qs's order.

    `qs` must be ordered: the ids are paged in that order, and the page's rows are put back in it.
    """
    if not qs.ordered:
        raise ValueError("ids_first_page needs an ordered queryset")
    page = Paginator(qs.values_list("pk", flat=True), per_page).get_page(number)
    pks = list(page.object_list)
    rows = qs.in_bulk(pks)
    page.object_list = [rows[pk] for pk in pks]
    return page
