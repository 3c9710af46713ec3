"""Importing the roll from a MIS CSV: the whole file is checked first, and a re-import is a no-op."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pupils.importer import BATCH, pupils_import
from pupils.models import Pupil, PupilNeed, SenStatus, TeachingGroup, TeachingGroupPupil
from sendadmin.accounts.models import AuditEvent
from tests.conftest import World, client_for
from tests.factories.dates import TODAY
from tests.factories.pupils import spare_upn as _upn

pytestmark = pytest.mark.django_db

HEADER = (
    "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Admission Date,Leaving Date,"
    "SEN Provision,Primary Need,Secondary Need,EAL,FSM,Looked After"
)
UPN1, UPN2, UPN3 = _upn(501), _upn(502), _upn(503)


def csv_of(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


GOOD = csv_of(
    f"{UPN1},Brown,Alice,Ali,14/03/2017,4,01/09/2021,,K,SLCN,ASD,Y,N,N",
    f"{UPN2},Évora,José,,2016-05-02,R,2021-09-01,,E,HI,,N,Y,Y",
    f"{UPN3},Clark,Sam,,01/01/2018,3,01/09/2022,,N,,,N,N,N",
)
GOOD_WITH_REG_GROUPS = csv_of(
    f"{UPN1},Brown,Alice,Ali,14/03/2017,4,01/09/2021,,K,SLCN,ASD,Y,N,N,4B",
    f"{UPN2},Évora,José,,2016-05-02,R,2021-09-01,,E,HI,,N,Y,Y,Year 4 Willow",
    f"{UPN3},Clark,Sam,,01/01/2018,3,01/09/2022,,N,,,N,N,N,",
    header=HEADER + ",Reg Group",
)


def _import(world: World, user: Any, data: bytes, complete_roll: bool = False) -> Any:
    return pupils_import(school=world.school, data=data, complete_roll=complete_roll, by=user)


def _history_rows() -> int:
    return (
        Pupil.history.count()  # type: ignore[attr-defined]
        + PupilNeed.history.count()  # type: ignore[attr-defined]
        + SenStatus.history.count()  # type: ignore[attr-defined]
        + TeachingGroup.history.count()  # type: ignore[attr-defined]
        + TeachingGroupPupil.history.count()  # type: ignore[attr-defined]
    )


def test_import_creates_pupils_with_status_needs_and_flags(world: World, senco: Any) -> None:
    result = _import(world, senco, GOOD)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    alice = Pupil.objects.get(upn=UPN1)
    assert alice.preferred_name == "Ali"
    assert alice.eal and not alice.free_school_meals
    assert [(n.rank, n.code) for n in alice.needs.all()] == [(1, "SLCN"), (2, "ASD")]
    assert alice.sen_statuses.get().provision == "K"
    jose = Pupil.objects.get(upn=UPN2)
    assert (jose.legal_last_name, jose.year_group, jose.looked_after) == ("Évora", 0, True)
    assert jose.date_of_birth == dt.date(2016, 5, 2)
    assert alice.history.get().history_user == senco
    event = AuditEvent.objects.get(action="pupils.register.imported")
    assert event.data["created"] == 3


def _links() -> list[tuple[Any, ...]]:
    return list(TeachingGroupPupil.objects.order_by("pk").values_list("group", "start", "end"))


@pytest.mark.parametrize("data", [GOOD, GOOD_WITH_REG_GROUPS], ids=["plain", "reg-groups"])
def test_reimporting_the_same_file_changes_nothing_and_writes_no_history(
    world: World, senco: Any, data: bytes
) -> None:
    _import(world, senco, data)
    before, links = _history_rows(), _links()
    result = _import(world, senco, data, complete_roll=False)
    assert (result.created, result.updated, result.unchanged, result.left) == (0, 0, 3, 0)
    assert (_history_rows(), _links()) == (before, links)


def test_an_updated_file_updates_by_upn_and_a_complete_roll_records_leavers(
    world: World, senco: Any
) -> None:
    _import(world, senco, GOOD)
    updated = csv_of(
        f"{UPN1},Brown,Alice,Ali,14/03/2017,5,01/09/2021,,E,SLCN,,Y,N,N",
        f"{UPN2},Évora,José,,2016-05-02,R,2021-09-01,,E,HI,,N,Y,Y",
    )
    result = _import(world, senco, updated, complete_roll=True)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    alice = Pupil.objects.get(upn=UPN1)
    assert (alice.year_group, alice.sen_provision) == (5, "E")
    assert [n.code for n in alice.needs.all()] == ["SLCN"]
    # Sam, and the world's own pupils of this school, are not in a complete roll: they left today.
    assert Pupil.objects.get(upn=UPN3).leaving_date == TODAY
    assert result.left == 3
    assert (
        world.second_school_pupil.__class__.objects.get(
            pk=world.second_school_pupil.pk
        ).leaving_date
        is None
    )
    again = _import(world, senco, updated, complete_roll=True)
    assert (again.updated, again.left, again.unchanged) == (0, 0, 2)


def test_leavers_are_recorded_only_when_the_file_is_the_complete_roll(
    world: World, senco: Any
) -> None:
    _import(world, senco, csv_of(f"{UPN1},Brown,Alice,,14/03/2017,4,01/09/2021,,N,,,N,N,N"))
    assert not Pupil.objects.filter(leaving_date__isnull=False).exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            f"{UPN1},Brown,Alice,,31/02/2015,4,01/09/2021,,N,,,N,N,N",
            "Row 2, DOB: 31/02/2015 is not a real date",
        ),
        (
            f"{UPN1},Brown,Alice,,01/01/2030,4,01/09/2021,,N,,,N,N,N",
            "Row 2, DOB: 01/01/2030 is in the future",
        ),
        (
            f"B{UPN1[1:]},Brown,Alice,,01/01/2017,4,01/09/2021,,N,,,N,N,N"
            if UPN1[0] != "B"
            else f"C{UPN1[1:]},Brown,Alice,,01/01/2017,4,01/09/2021,,N,,,N,N,N",
            "check letter",
        ),
        (
            f"{UPN1},Brown,Alice,,01/01/2017,4,01/09/2021,,K,XYZ,,N,N,N",
            "Row 2, Primary Need: XYZ is not a DfE type of need code",
        ),
        (f"{UPN1},Brown,Alice,,01/01/2017,4,01/09/2021,,E,NSA,,N,N,N", "NSA"),
        (
            f"{UPN1},Brown,Alice,,01/01/2017,4,01/09/2021,,K,,,N,N,N",
            "must have a primary need",
        ),
        (f"{UPN1},Brown,Alice,,01/01/2017,Q,01/09/2021,,N,,,N,N,N", "Row 2, Year"),
        (f"{UPN1},Brown,Alice,,01/01/2017,4,01/09/2021,,N,,,maybe,N,N", "Row 2, EAL"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(
    world: World, senco: Any, row: str, message: str
) -> None:
    good_row = f"{UPN2},Évora,José,,2016-05-02,R,2021-09-01,,E,HI,,N,Y,Y"
    before = Pupil.objects.count()
    with pytest.raises(ValidationError) as exc:
        _import(world, senco, csv_of(good_row, row))
    text = " | ".join(exc.value.messages)
    assert message.replace("Row 2", "Row 3") in text
    assert Pupil.objects.count() == before


def test_duplicate_upns_in_the_file_are_refused(world: World, senco: Any) -> None:
    row = f"{UPN1},Brown,Alice,,01/01/2017,4,01/09/2021,,N,,,N,N,N"
    with pytest.raises(ValidationError, match=f"Row 3, UPN: {UPN1} is also on row 2"):
        _import(world, senco, csv_of(row, row))


def test_a_utf16_file_is_refused_with_a_clear_message(world: World, senco: Any) -> None:
    data = GOOD.decode("utf-8").encode("utf-16")
    with pytest.raises(ValidationError, match="UTF-16"):
        _import(world, senco, data)


def test_a_windows_1252_file_is_read(world: World, senco: Any) -> None:
    _import(world, senco, GOOD.decode("utf-8").encode("cp1252"))
    assert Pupil.objects.get(upn=UPN2).legal_last_name == "Évora"


def test_a_utf8_file_with_a_bom_is_read(world: World, senco: Any) -> None:
    _import(world, senco, b"\xef\xbb\xbf" + GOOD)
    assert Pupil.objects.filter(upn=UPN1).exists()


def test_a_missing_column_is_named(world: World, senco: Any) -> None:
    with pytest.raises(ValidationError, match="no column called DOB"):
        _import(world, senco, csv_of(header="UPN,Legal Surname,Legal Forename,Year,Admission Date"))


def test_a_large_file_is_imported_in_batches(world: World, senco: Any) -> None:
    rows = [
        f"{_upn(20_000 + i)},Last{i},First{i},,01/01/2017,4,01/09/2021,,"
        + ("K,MLD" if i % 3 == 0 else "N,")
        + ",,N,N,N"
        for i in range(BATCH * 2 + 10)
    ]
    result = _import(world, senco, csv_of(*rows))
    assert result.created == BATCH * 2 + 10
    assert PupilNeed.objects.filter(code="MLD").count() == len(range(0, BATCH * 2 + 10, 3))


def test_import_page_reports_counts_and_row_errors(world: World, senco: Any) -> None:
    client = client_for(senco)
    url = reverse("pupils:register-import")
    ok = client.post(url, {"file": SimpleUploadedFile("roll.csv", GOOD, "text/csv")})
    assert ok.status_code == 200
    assert ok.context["result"].created == 3
    bad = csv_of(f"{UPN1},Brown,Alice,,31/02/2015,4,01/09/2021,,N,,,N,N,N")
    response = client.post(url, {"file": SimpleUploadedFile("roll.csv", bad, "text/csv")})
    assert b"govuk-error-summary" in response.content
    assert b"Row 2, DOB: 31/02/2015 is not a real date" in response.content


def test_import_page_needs_a_file(world: World, senco: Any) -> None:
    response = client_for(senco).post(reverse("pupils:register-import"))
    assert b"Select a CSV file exported from your MIS" in response.content


def test_teachers_and_governors_may_not_import(
    world: World, class_teacher: Any, governor: Any
) -> None:
    for user in (class_teacher, governor):
        response = client_for(user).post(
            reverse("pupils:register-import"),
            {"file": SimpleUploadedFile("roll.csv", GOOD, "text/csv")},
        )
        assert response.status_code == 403
    assert not Pupil.objects.filter(upn=UPN1).exists()
