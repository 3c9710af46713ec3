"""The register as CSV or Excel, with cells that a spreadsheet could run as formulas made inert."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from itertools import chain
from typing import Any

import xlsxwriter
from django.db.models import QuerySet

from .models import Pupil, PupilNeed, TeachingGroupPupil, current_q

HEADER = [
    "UPN",
    "Legal Surname",
    "Legal Forename",
    "Preferred Forename",
    "DOB",
    "Year",
    "Admission Date",
    "Leaving Date",
    "SEN Provision",
    "Primary Need",
    "Secondary Need",
    "EAL",
    "FSM",
    "Looked After",
    "Reg Group",
]
# OWASP CSV injection: a cell starting with one of these is run as a formula by Excel or Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
YEAR_TEXT = {-2: "N1", -1: "N2", 0: "R"}


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


def _date(value: dt.date | None) -> str:
    # dd/mm/yyyy as docs/import-format.md; f-string rather than strftime, 4,000 times per 2,000 rows.
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else ""


# The columns read from Pupil, in the order rows() uses them.
FIELDS = (
    "pk",
    "upn",
    "legal_last_name",
    "legal_first_name",
    "preferred_name",
    "date_of_birth",
    "year_group",
    "admission_date",
    "leaving_date",
    "sen_provision",
    "eal",
    "free_school_meals",
    "looked_after",
)


def _needs(pupil_ids: QuerySet[Any]) -> dict[int, list[str]]:
    """Each pupil's need codes, primary first, in one query."""
    needs: dict[int, list[str]] = {}
    for pupil_id, code in (
        PupilNeed.objects.filter(pupil_id__in=pupil_ids)
        .order_by("pupil_id", "rank")
        .values_list("pupil_id", "code")
    ):
        needs.setdefault(pupil_id, []).append(code)
    return needs


def _registration_groups(pupil_ids: QuerySet[Any]) -> dict[int, str]:
    """Each pupil's current registration group, in one query; the latest to start wins."""
    links = (
        TeachingGroupPupil.objects.filter(
            current_q(), pupil_id__in=pupil_ids, group__registration=True
        )
        .order_by("start", "pk")
        .values_list("pupil_id", "group__name")
    )
    return dict(links)


def rows(pupils: QuerySet[Pupil]) -> Iterator[list[Any]]:
    """One row per pupil, in the columns of docs/import-format.md, so an export re-imports.

    Three queries whatever the size: the pupils' columns as tuples, and their needs and
    registration groups with the register's own query as a subquery. Model instances and the
    needs prefetch (a queryset built per pupil) are left out: they were most of a 2,000-row
    export's time (benchmarks/documents.py).
    """
    pupil_ids = pupils.order_by().values("pk")
    needs = _needs(pupil_ids)
    groups = _registration_groups(pupil_ids)
    for (
        pk,
        upn,
        last,
        first,
        preferred,
        born,
        year,
        admitted,
        left,
        provision,
        eal,
        fsm,
        looked_after,
    ) in pupils.prefetch_related(None).values_list(*FIELDS):
        codes = needs.get(pk, ())
        yield [
            safe_cell(value)
            for value in (
                upn,
                last,
                first,
                preferred,
                _date(born),
                YEAR_TEXT.get(year, str(year)),
                _date(admitted),
                _date(left),
                provision,
                codes[0] if codes else "",
                codes[1] if len(codes) > 1 else "",
                _yn(eal),
                _yn(fsm),
                _yn(looked_after),
                groups.get(pk, ""),
            )
        ]


def as_csv(pupils: QuerySet[Pupil]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows(pupils))
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(pupils: QuerySet[Pupil]) -> bytes:
    """The same rows as one sheet. XlsxWriter rather than openpyxl: about three times faster for a
    2,000-row register (benchmarks/documents.py). Every cell is written as a string, so none
    becomes a formula, a number or a link, whatever it starts with."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("SEN register")
    for r, row in enumerate(chain([HEADER], rows(pupils))):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()
