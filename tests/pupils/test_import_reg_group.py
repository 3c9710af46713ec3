"""The import's Reg Group column: pupils join their registration group, so their teachers see them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pupils.importer import pupils_import
from pupils.models import Pupil, TeachingGroup, TeachingGroupPupil
from pupils.rules import pupil_visible_q
from tests.conftest import LONDON, World, client_for
from tests.factories import (
    TeachingGroupFactory,
    TeachingGroupPupilFactory,
    TeachingGroupStaffFactory,
)
from tests.factories.dates import ACADEMIC_YEAR_START, TODAY
from tests.factories.pupils import spare_upn
from tests.pupils.test_importer import HEADER, csv_of

pytestmark = pytest.mark.django_db

UPN1, UPN2 = spare_upn(601), spare_upn(602)
YESTERDAY = TODAY - dt.timedelta(days=1)


def row(upn: str, surname: str, group: str, year: int = 4) -> str:
    return f"{upn},{surname},Sam,,14/03/2017,{year},01/09/2021,,N,,,N,N,N,{group}"


def roll(*rows: str, column: str = "Reg Group") -> bytes:
    return csv_of(*rows, header=f"{HEADER},{column}")


def _import(world: World, by: Any, data: bytes, complete_roll: bool = False) -> Any:
    return pupils_import(school=world.school, data=data, complete_roll=complete_roll, by=by)


def _groups_of(upn: str) -> dict[str, tuple[dt.date, dt.date | None]]:
    links = TeachingGroupPupil.objects.filter(pupil__upn=upn).select_related("group")
    return {link.group.name: (link.start, link.end) for link in links}


def _sees(user: Any, upn: str) -> bool:
    user.active_membership = user.memberships.get()  # as the middleware sets it
    return Pupil.objects.filter(pupil_visible_q(user), upn=upn).exists()


def test_a_new_reg_group_is_created_and_the_pupil_joins_it_from_today(
    world: World, senco: Any
) -> None:
    _import(world, senco, roll(row(UPN1, "Brown", "4B")))
    group = TeachingGroup.objects.get(school=world.school, name="4B")
    assert (group.registration, group.year_group) == (True, 4)
    assert _groups_of(UPN1) == {"4B": (TODAY, None)}
    link = TeachingGroupPupil.objects.get(group=group)
    assert group.history.get().history_user == senco  # type: ignore[attr-defined]
    assert link.history.get().history_user == senco  # type: ignore[attr-defined]


def test_a_group_of_pupils_from_several_years_gets_no_year_group(world: World, senco: Any) -> None:
    _import(world, senco, roll(row(UPN1, "Brown", "Oak", 3), row(UPN2, "Clark", "Oak", 4)))
    assert TeachingGroup.objects.get(school=world.school, name="Oak").year_group is None


def test_a_class_teacher_of_the_imported_group_sees_the_pupil(
    world: World, senco: Any, other_teacher: Any
) -> None:
    _import(world, senco, roll(row(UPN1, "Brightwater", "4B")))
    page = reverse("pupils:pupil-list")
    assert not _sees(other_teacher, UPN1)
    assert b"Brightwater" not in client_for(other_teacher).get(page).content
    group = TeachingGroup.objects.get(school=world.school, name="4B")
    TeachingGroupStaffFactory(group=group, user=other_teacher)
    assert _sees(other_teacher, UPN1)
    assert b"Brightwater" in client_for(other_teacher).get(page).content


def test_a_move_ends_the_old_registration_link_the_day_before_and_keeps_sets(
    world: World, senco: Any, other_teacher: Any
) -> None:
    with time_machine.travel(dt.datetime.combine(ACADEMIC_YEAR_START, dt.time(10), LONDON)):
        _import(world, senco, roll(row(UPN1, "Brown", "4A")))
    pupil = Pupil.objects.get(upn=UPN1)
    maths = TeachingGroupFactory(school=world.school, name="Maths set 1")
    TeachingGroupPupilFactory(group=maths, pupil=pupil)
    old = TeachingGroup.objects.get(school=world.school, name="4A")
    TeachingGroupStaffFactory(group=old, user=other_teacher)
    assert _sees(other_teacher, UPN1)

    result = _import(world, senco, roll(row(UPN1, "Brown", "4B")))

    assert (result.updated, result.unchanged) == (1, 0)
    assert _groups_of(UPN1) == {
        "4A": (ACADEMIC_YEAR_START, YESTERDAY),
        "4B": (TODAY, None),
        "Maths set 1": (ACADEMIC_YEAR_START, None),
    }
    assert not _sees(other_teacher, UPN1)
    ended = TeachingGroupPupil.objects.get(group=old)
    assert ended.history.first().history_user == senco  # type: ignore[attr-defined]


def test_a_same_day_correction_moves_the_link_instead_of_ending_it(
    world: World, senco: Any
) -> None:
    _import(world, senco, roll(row(UPN1, "Brown", "4A")))
    _import(world, senco, roll(row(UPN1, "Brown", "4B")))
    assert _groups_of(UPN1) == {"4B": (TODAY, None)}


def test_naming_an_existing_group_joins_it_and_marks_it_a_registration_group(
    world: World, senco: Any
) -> None:
    ash = TeachingGroup.objects.get(school=world.school, name="Year 5 Ash")
    assert not ash.registration
    _import(world, senco, roll(row(UPN1, "Brown", "Year 5 Ash", 5)))
    ash.refresh_from_db()
    assert ash.registration
    assert TeachingGroup.objects.filter(name="Year 5 Ash").count() == 1
    assert _groups_of(UPN1) == {"Year 5 Ash": (TODAY, None)}


def test_a_blank_or_missing_reg_group_leaves_the_groups_alone(world: World, senco: Any) -> None:
    _import(world, senco, roll(row(UPN1, "Brown", "4A")))
    blank = _import(world, senco, roll(row(UPN1, "Brown", "")))
    missing = _import(world, senco, csv_of(row(UPN1, "Brown", "").removesuffix(",")))
    assert blank.unchanged == missing.unchanged == 1
    assert _groups_of(UPN1) == {"4A": (TODAY, None)}


@pytest.mark.parametrize("column", ["Registration Group", "FORM", " class ", "reg group"])
def test_the_column_may_be_called_registration_group_form_or_class(
    world: World, senco: Any, column: str
) -> None:
    _import(world, senco, roll(row(UPN1, "Brown", "4B"), column=column))
    assert _groups_of(UPN1) == {"4B": (TODAY, None)}


def test_an_over_long_reg_group_is_a_row_error_and_nothing_is_written(
    world: World, senco: Any
) -> None:
    before = (Pupil.objects.count(), TeachingGroup.objects.count())
    links = TeachingGroupPupil.objects.count()
    data = roll(row(UPN1, "Brown", "4B"), row(UPN2, "Clark", "x" * 101))
    with pytest.raises(ValidationError) as exc:
        _import(world, senco, data)
    assert exc.value.messages == ["Row 3, Reg Group: is longer than 100 characters"]
    assert (Pupil.objects.count(), TeachingGroup.objects.count()) == before
    assert TeachingGroupPupil.objects.count() == links


def test_a_reg_group_of_exactly_100_characters_is_accepted(world: World, senco: Any) -> None:
    _import(world, senco, roll(row(UPN1, "Brown", "x" * 100)))
    assert _groups_of(UPN1) == {"x" * 100: (TODAY, None)}


def _queries(world: World, by: Any, data: bytes) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _import(world, by, data)
    return len(ctx.captured_queries)


def _moves(world: World, by: Any, n: int, start: int) -> tuple[int, int]:
    """Queries to import n pupils into their own new groups, then to move each to another."""
    upns = [spare_upn(start + i) for i in range(n)]
    with time_machine.travel(dt.datetime.combine(ACADEMIC_YEAR_START, dt.time(10), LONDON)):
        created = _queries(world, by, roll(*(row(u, "Brown", f"A{u}") for u in upns)))
    moved = _queries(world, by, roll(*(row(u, "Brown", f"B{u}") for u in upns)))
    assert TeachingGroupPupil.objects.filter(pupil__upn__in=upns, end=YESTERDAY).count() == n
    return created, moved


def test_joining_and_moving_groups_takes_the_same_queries_for_3_and_30_pupils(
    world: World, senco: Any
) -> None:
    assert _moves(world, senco, 3, 700) == _moves(world, senco, 30, 800)


def test_an_export_with_reg_groups_re_imports_without_changes(world: World, senco: Any) -> None:
    world.pupil.needs.create(rank=1, code="SLCN")
    world.untaught_pupil.needs.create(rank=1, code="MLD")
    _import(world, senco, roll(row(UPN1, "Brown", "4B"), row(UPN2, "Clark", "")))
    response = client_for(senco).get(reverse("pupils:register-export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Reg Group"
    groups = {r[0]: r[-1] for r in rows[1:]}
    # Year 4 Willow is a teaching group, not a registration group: it is not exported.
    assert groups == {UPN1: "4B", UPN2: "", world.pupil.upn: "", world.untaught_pupil.upn: ""}
    history = TeachingGroupPupil.history.count()  # type: ignore[attr-defined]
    result = _import(world, senco, response.content, complete_roll=True)
    assert (result.created, result.updated, result.left, result.unchanged) == (0, 0, 0, 4)
    assert TeachingGroupPupil.history.count() == history  # type: ignore[attr-defined]
