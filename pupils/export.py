"""The register as CSV or Excel, with cells that a spreadsheet could run as formulas made inert."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from .models import Pupil, TeachingGroupPupil, current_q

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


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _registration_groups(pupils: list[Pupil]) -> dict[int, str]:
    """Each pupil's current registration group, in one query; the latest to start wins."""
    links = (
        TeachingGroupPupil.objects.filter(current_q(), pupil__in=pupils, group__registration=True)
        .order_by("start", "pk")
        .values_list("pupil_id", "group__name")
    )
    return dict(links)


def rows(pupils: Iterable[Pupil]) -> Iterable[list[Any]]:
    """One row per pupil, in the columns of docs/import-format.md, so an export re-imports."""
    pupils = list(pupils)
    groups = _registration_groups(pupils)
    for p in pupils:
        needs = [n.code for n in p.needs.all()]
        yield [
            safe_cell(value)
            for value in (
                p.upn,
                p.legal_last_name,
                p.legal_first_name,
                p.preferred_name,
                _date(p.date_of_birth),
                YEAR_TEXT.get(p.year_group, str(p.year_group)),
                _date(p.admission_date),
                _date(p.leaving_date),
                p.sen_provision,
                needs[0] if needs else "",
                needs[1] if len(needs) > 1 else "",
                _yn(p.eal),
                _yn(p.free_school_meals),
                _yn(p.looked_after),
                groups.get(p.pk, ""),
            )
        ]


def as_csv(pupils: Iterable[Pupil]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows(pupils))
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(pupils: Iterable[Pupil]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("SEN register")
    sheet.append(HEADER)
    for row in rows(pupils):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
