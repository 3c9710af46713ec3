"""The SEN register: status history, needs, parents told, medical conditions, pages and census."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from pupils.codes import SenProvision
from pupils.models import MedicalCondition, ParentsToldRecord, Pupil, SenStatus
from pupils.services import medical_condition_record, parents_told_record, pupil_sen_status_set
from sendadmin.accounts.models import AuditEvent
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World, client_for
from tests.factories import PupilFactory, TeachingGroupPupilFactory
from tests.factories.dates import TODAY
from tests.factories.pupils import spare_upn as _upn

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _plain_pupil(world: World) -> Pupil:
    return PupilFactory(school=world.school, legal_last_name="Zed")


def _open_parents_told(pupil: Pupil) -> Any:
    return Clock.objects.filter(kind=Kind.PARENTS_TOLD, pupil=pupil, state=Clock.State.OPEN)


def test_putting_a_pupil_on_sen_support_records_status_and_opens_parents_told_clock(
    world: World, senco: Any
) -> None:
    pupil = _plain_pupil(world)
    status = pupil_sen_status_set(
        pupil=pupil, provision="K", start=TODAY - DAY, by=senco, needs=["SLCN", "ASD"]
    )
    pupil.refresh_from_db()
    assert pupil.sen_provision == "K"
    assert status.end is None
    assert [(n.rank, n.code) for n in pupil.needs.all()] == [(1, "SLCN"), (2, "ASD")]
    clock = _open_parents_told(pupil).get()
    assert clock.due_on == TODAY - DAY + dt.timedelta(weeks=2)
    assert AuditEvent.objects.filter(action="pupils.sen_status.set").exists()


def test_recording_parents_told_meets_the_clock(world: World, senco: Any) -> None:
    pupil = _plain_pupil(world)
    pupil_sen_status_set(pupil=pupil, provision="K", start=TODAY - 3 * DAY, by=senco, needs=["MLD"])
    parents_told_record(
        pupil=pupil, told_on=TODAY - DAY, method="meeting", told_by="Ms Senco", by=senco
    )
    clock = Clock.objects.get(kind=Kind.PARENTS_TOLD, pupil=pupil)
    assert clock.state == Clock.State.MET
    assert clock.met_on == TODAY - DAY


def test_no_parents_told_clock_when_parents_were_already_told_in_this_run_of_sen(
    world: World, senco: Any
) -> None:
    pupil = _plain_pupil(world)
    pupil_sen_status_set(pupil=pupil, provision="E", start=TODAY - 30 * DAY, by=senco, needs=["HI"])
    parents_told_record(
        pupil=pupil, told_on=TODAY - 20 * DAY, method="letter", told_by="SENCO", by=senco
    )
    pupil_sen_status_set(pupil=pupil, provision="K", start=TODAY, by=senco)
    assert not _open_parents_told(pupil).exists()


def test_a_new_status_ends_the_open_one_the_day_before(world: World, senco: Any) -> None:
    pupil = _plain_pupil(world)
    pupil_sen_status_set(
        pupil=pupil, provision="K", start=TODAY - 10 * DAY, by=senco, needs=["MLD"]
    )
    pupil_sen_status_set(pupil=pupil, provision="N", start=TODAY, by=senco, needs=[])
    statuses = list(SenStatus.objects.filter(pupil=pupil).order_by("start"))
    assert [(s.provision, s.end) for s in statuses] == [("K", TODAY - DAY), ("N", None)]
    pupil.refresh_from_db()
    assert pupil.sen_provision == "N"
    assert not pupil.needs.exists()


def test_the_database_refuses_a_second_open_status(world: World) -> None:
    pupil = _plain_pupil(world)
    SenStatus.objects.create(pupil=pupil, provision="K", start=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        SenStatus.objects.create(pupil=pupil, provision="E", start=TODAY)


@pytest.mark.parametrize(
    ("provision", "needs", "start_offset", "message"),
    [
        ("K", [], 0, "must have a primary need"),
        ("E", [], 0, "must have a primary need"),
        ("E", ["NSA"], 0, "NSA"),
        ("K", ["XYZ"], 0, "not a DfE type of need code"),
        ("K", ["MLD", "MLD"], 0, "only once"),
        ("K", ["MLD"], 5, "future"),
        ("Q", [], 0, "not a census SEN provision code"),
    ],
)
def test_status_service_refuses_bad_input(
    world: World, senco: Any, provision: str, needs: list[str], start_offset: int, message: str
) -> None:
    pupil = _plain_pupil(world)
    with pytest.raises(ValidationError, match=message):
        pupil_sen_status_set(
            pupil=pupil,
            provision=provision,
            start=TODAY + start_offset * DAY,
            by=senco,
            needs=needs,
        )
    assert not SenStatus.objects.filter(pupil=pupil).exists()


def test_status_service_refuses_a_start_before_the_open_status(world: World, senco: Any) -> None:
    pupil = _plain_pupil(world)
    pupil_sen_status_set(pupil=pupil, provision="K", start=TODAY, by=senco, needs=["MLD"])
    with pytest.raises(ValidationError, match="already has an open status"):
        pupil_sen_status_set(pupil=pupil, provision="E", start=TODAY - DAY, by=senco, needs=["MLD"])


def test_a_change_on_the_day_the_status_began_corrects_it(world: World, senco: Any) -> None:
    pupil = _plain_pupil(world)
    pupil_sen_status_set(pupil=pupil, provision="K", start=TODAY, by=senco, needs=["MLD"])
    pupil_sen_status_set(pupil=pupil, provision="E", start=TODAY, by=senco, needs=["MLD"])
    assert [(s.provision, s.end) for s in SenStatus.objects.filter(pupil=pupil)] == [("E", None)]


def test_model_clean_refuses_a_bad_upn_and_a_future_date_of_birth(world: World) -> None:
    pupil = PupilFactory.build(school=world.school, upn="NOTAUPN", date_of_birth=TODAY + DAY)
    with pytest.raises(ValidationError) as exc:
        pupil.full_clean()
    assert {"upn", "date_of_birth"} <= set(exc.value.message_dict)


def test_medical_condition_with_a_healthcare_plan_opens_a_review_clock(
    world: World, senco: Any
) -> None:
    senco.active_membership = senco.memberships.get()  # the service checks the acting role
    condition = medical_condition_record(
        pupil=world.pupil,
        condition="Asthma",
        has_healthcare_plan=True,
        healthcare_plan_review_on=TODAY + 100 * DAY,
        by=senco,
    )
    clock = Clock.objects.get(kind=Kind.HEALTHCARE_PLAN_REVIEW, subject_id=condition.pk)
    assert clock.due_on == TODAY + 100 * DAY
    assert condition.history.count() == 1
    assert MedicalCondition.objects.count() == 1


# Pages


def test_senco_sets_status_and_needs_through_the_form(world: World, senco: Any) -> None:
    pupil = _plain_pupil(world)
    response = client_for(senco).post(
        reverse("pupils:sen-status-set", args=[pupil.pk]),
        {
            "provision": "K",
            "start_day": TODAY.day,
            "start_month": TODAY.month,
            "start_year": TODAY.year,
            "need_1": "SEMH",
            "need_2": "SLCN",
        },
    )
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.sen_provision == "K"
    assert [n.code for n in pupil.needs.all()] == ["SEMH", "SLCN"]


def test_status_form_shows_the_service_refusal_in_the_error_summary(
    world: World, senco: Any
) -> None:
    pupil = _plain_pupil(world)
    response = client_for(senco).post(
        reverse("pupils:sen-status-set", args=[pupil.pk]),
        {"provision": "E", "start_day": "1", "start_month": "9", "start_year": "2026"},
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"must have a primary need" in response.content


def test_parents_told_form_requires_each_answer(world: World, senco: Any) -> None:
    response = client_for(senco).post(reverse("pupils:parents-told-record", args=[world.pupil.pk]))
    assert response.status_code == 200
    for message in (b"Enter the date the parents were told", b"Select how", b"Enter who told"):
        assert message in response.content
    assert not ParentsToldRecord.objects.exists()


def test_teacher_may_not_post_a_status_change(world: World, class_teacher: Any) -> None:
    response = client_for(class_teacher).post(
        reverse("pupils:sen-status-set", args=[world.pupil.pk]), {"provision": "N"}
    )
    assert response.status_code == 403


def test_register_shows_a_teacher_only_the_pupils_they_teach(
    world: World, class_teacher: Any
) -> None:
    response = client_for(class_teacher).get(reverse("pupils:register-list"))
    pupils = list(response.context["page"].object_list)
    assert pupils == [world.pupil]
    assert response.context["counts"]["total"] == 1


def test_register_returns_403_for_a_governor(world: World, governor: Any) -> None:
    assert client_for(governor).get(reverse("pupils:register-list")).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"provision": "K"}, {"Okafor", "Hughes"}),
        ({"provision": "N"}, {"Zed"}),
        ({"need": "ASD"}, {"Hughes"}),
        ({"area": "communication"}, {"Hughes"}),
        ({"year": "5"}, {"Hughes"}),
        ({"looked_after": "yes"}, {"Okafor"}),
        ({"medical": "yes"}, {"Zed"}),
        ({"q": "okaf"}, {"Okafor"}),
    ],
)
def test_register_filters(
    world: World, senco: Any, query: dict[str, str], expected: set[str]
) -> None:
    zed = _plain_pupil(world)
    MedicalCondition.objects.create(pupil=zed, condition="Epilepsy")
    world.untaught_pupil.needs.create(rank=1, code="ASD")
    response = client_for(senco).get(reverse("pupils:register-list"), query)
    names = {p.legal_last_name for p in response.context["page"].object_list}
    assert names == expected


def test_register_filters_by_teaching_group(world: World, senco: Any) -> None:
    group = world.pupil.group_links.get().group
    response = client_for(senco).get(reverse("pupils:register-list"), {"group": group.pk})
    assert list(response.context["page"].object_list) == [world.pupil]


def _bulk_pupils(world: World, n: int) -> None:
    pupils = [
        Pupil(
            school=world.school,
            upn=_upn(10_000 + i),
            legal_first_name=f"First{i}",
            legal_last_name=f"Last{i:05d}",
            date_of_birth=dt.date(2016, 1, 1),
            year_group=i % 7,
            admission_date=dt.date(2021, 9, 1),
            sen_provision=SenProvision.SEN_SUPPORT if i % 5 == 0 else SenProvision.NO_SEN,
        )
        for i in range(n)
    ]
    bulk_create_with_history(pupils, Pupil, batch_size=500)


def _register_queries(world: World, senco: Any, query: dict[str, str]) -> int:
    client = client_for(senco)
    client.get(reverse("pupils:register-list"))  # warm the session and the membership
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("pupils:register-list"), query)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", [{}, {"provision": "K", "sort": "year", "page": "2"}])
def test_register_runs_the_same_number_of_queries_for_10_and_2000_pupils(
    world: World, senco: Any, query: dict[str, str]
) -> None:
    _bulk_pupils(world, 10)
    small = _register_queries(world, senco, {**query, "page": "1"})
    Pupil.objects.filter(upn__in=[_upn(10_000 + i) for i in range(10)]).delete()
    _bulk_pupils(world, 2000)
    large = _register_queries(world, senco, query)
    assert small == large


def test_census_counts_come_from_the_dated_history(world: World, senco: Any) -> None:
    pupil = _plain_pupil(world)
    pupil_sen_status_set(
        pupil=pupil, provision="K", start=TODAY - 40 * DAY, by=senco, needs=["SLD"]
    )
    pupil_sen_status_set(pupil=pupil, provision="E", start=TODAY - 10 * DAY, by=senco)
    client = client_for(senco)
    past = TODAY - 20 * DAY
    before = client.get(
        reverse("pupils:register-census"),
        {"on_day": past.day, "on_month": past.month, "on_year": past.year},
    )
    assert before.context["counts"]["K"] == 1
    assert before.context["counts"]["E"] == 0
    # The world's factory pupils have no status rows: they count as N, so E + K + N is the roll.
    assert before.context["total"] == 3
    now = client.get(reverse("pupils:register-census"))
    assert now.context["counts"]["E"] == 1
    sld = next(row for row in now.context["needs"] if row[0] == "SLD")
    assert sld[1] == 1


def test_census_check_lists_sen_pupils_without_a_primary_need_and_nsa_with_e(
    world: World, senco: Any
) -> None:
    nsa = PupilFactory(school=world.school, ehc_plan=True, legal_last_name="Nsa")
    nsa.needs.create(rank=1, code="NSA")
    gap = PupilFactory(school=world.school, sen_support=True, legal_last_name="Gap")
    gap.needs.create(rank=2, code="MLD")
    response = client_for(senco).get(reverse("pupils:register-census-check"))
    problems = {(p.legal_last_name, m) for p, m in response.context["problems"]}
    messages = " ".join(m for _, m in problems)
    assert ("Okafor", "A pupil on SEN support must have a primary need") in problems
    assert "NSA" in messages
    assert any(name == "Gap" and "ranks" in m for name, m in problems)


def test_teaching_group_pupils_outside_the_group_are_not_listed(
    world: World, other_teacher: Any
) -> None:
    TeachingGroupPupilFactory(
        group=world.untaught_pupil.group_links.get().group,
        pupil=PupilFactory(school=world.school, legal_last_name="Extra"),
        end=TODAY - DAY,
    )
    response = client_for(other_teacher).get(reverse("pupils:register-list"))
    assert [p.legal_last_name for p in response.context["page"].object_list] == ["Hughes"]
