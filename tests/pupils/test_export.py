"""Exporting the register: same filters and visibility as the page, formulas made inert, audited."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pupils.export import safe_cell
from pupils.importer import pupils_import
from sendadmin.accounts.models import AuditEvent
from tests.conftest import World, client_for
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("value", ["=1+2", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"])
def test_cells_that_start_like_a_formula_are_prefixed(value: str) -> None:
    assert safe_cell(value) == "'" + value


def test_plain_cells_are_left_alone() -> None:
    assert safe_cell("Brown") == "Brown"
    assert safe_cell(4) == 4


def test_csv_export_makes_formula_names_inert_and_is_audited(world: World, senco: Any) -> None:
    PupilFactory(school=world.school, legal_last_name='=HYPERLINK("x")', legal_first_name="@A")
    response = client_for(senco).get(reverse("pupils:register-export"), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[0][0] == "UPN"
    evil = next(r for r in rows if "HYPERLINK" in r[1])
    assert evil[1].startswith("'=") and evil[2] == "'@A"
    event = AuditEvent.objects.get(action="pupils.register.exported")
    assert event.data["format"] == "csv"
    assert event.data["rows"] == 3


def test_xlsx_export_applies_the_filters(world: World, senco: Any) -> None:
    response = client_for(senco).get(
        reverse("pupils:register-export"), {"format": "xlsx", "looked_after": "yes"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "UPN"
    assert [row[1] for row in values[1:]] == ["Okafor"]


def test_teacher_exports_only_the_pupils_they_teach(world: World, class_teacher: Any) -> None:
    response = client_for(class_teacher).get(reverse("pupils:register-export"), {"format": "csv"})
    rows = _csv_rows(response)
    assert [r[0] for r in rows[1:]] == [world.pupil.upn]


def test_governor_gets_403_from_the_export(world: World, governor: Any) -> None:
    response = client_for(governor).get(reverse("pupils:register-export"), {"format": "csv"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="pupils.register.exported").exists()


def test_an_unknown_format_is_a_bad_request(world: World, senco: Any) -> None:
    response = client_for(senco).get(reverse("pupils:register-export"), {"format": "pdf"})
    assert response.status_code == 400


def test_an_export_re_imports_without_changes(world: World, senco: Any) -> None:
    world.pupil.needs.create(rank=1, code="SLCN")
    world.untaught_pupil.needs.create(rank=1, code="MLD")
    response = client_for(senco).get(reverse("pupils:register-export"), {"format": "csv"})
    result = pupils_import(school=world.school, data=response.content, complete_roll=True, by=senco)
    assert (result.created, result.updated, result.left) == (0, 0, 0)
    assert result.unchanged == 2
