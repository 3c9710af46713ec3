"""sendadmin.core.paging.ids_first_page: the same page, in the same order, as a plain Paginator."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from sendadmin.accounts.models import School
from sendadmin.core.paging import ids_first_page
from tests.factories.accounts import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools() -> list[School]:
    # Names out of pk order, and two equal names so the tie-break on pk matters.
    names = ["Elm", "Ash", "Oak", "Ash", "Yew", "Birch", "Fir"]
    return [SchoolFactory.create(name=name) for name in names]


def ordered() -> QuerySet[School]:
    return School.objects.filter(name__in=["Elm", "Ash", "Oak", "Yew", "Birch", "Fir"]).order_by(
        "name", "pk"
    )


@pytest.mark.parametrize("number", [1, 2, 3, "last", "x", 99])
def test_same_rows_and_order_as_the_plain_paginator(schools: list[School], number: Any) -> None:
    plain = Paginator(ordered(), 3).get_page(number)
    page = ids_first_page(ordered(), number, 3)
    assert [s.pk for s in page] == [s.pk for s in plain]
    assert page.number == plain.number
    assert page.paginator.count == plain.paginator.count == 7
    assert page.has_next() == plain.has_next()


def test_rows_keep_their_related_rows_without_more_queries(schools: list[School]) -> None:
    qs = School.objects.select_related("local_authority").order_by("name", "pk")
    page = ids_first_page(qs, 1, 4)
    with CaptureQueriesContext(connection) as queries:
        names = [s.local_authority.name for s in page]
    assert len(names) == 4
    assert len(queries) == 0


def test_an_unordered_list_is_refused() -> None:
    with pytest.raises(ValueError, match="ordered"):
        ids_first_page(School.objects.order_by(), 1, 10)


def test_an_empty_list_gives_an_empty_first_page() -> None:
    page = ids_first_page(School.objects.none().order_by("pk"), 1, 10)
    assert list(page) == []
    assert page.number == 1
