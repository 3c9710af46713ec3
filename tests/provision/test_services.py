"""Provision map services: bad input and acting outside one's school or pupils are refused."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pupils.codes import Area
from pupils.provision import services
from pupils.provision.models import SessionAttendance, SessionLog, StaffRole
from sendadmin.accounts.models import AuditEvent, User
from sendadmin.accounts.selectors import membership_current_for
from tests.conftest import World
from tests.factories import ProvisionAssignmentFactory, ProvisionFactory
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _acting(world: World) -> None:
    """Services act in the membership the middleware would pick for each request."""
    for user in world.users.values():
        user.active_membership = membership_current_for(user)  # type: ignore[attr-defined]


def _create(world: World, by: User, **changes: object) -> object:
    values: dict[str, object] = {
        "name": "Lego therapy",
        "area": Area.COMMUNICATION,
        "staff_role": StaffRole.TA,
        "sessions_per_week": 2,
        "minutes_per_session": 40,
        "cost_per_hour": Decimal("14.50"),
        "max_group_size": 3,
    }
    values.update(changes)
    return services.provision_create(school=world.school, by=by, **values)  # type: ignore[arg-type]


def test_senco_creates_a_provision_with_an_audit_event(world: World, senco: User) -> None:
    provision = _create(world, senco)
    assert AuditEvent.objects.filter(action="provision.provision.created", actor=senco).exists()
    assert provision.history.first().history_user == senco  # type: ignore[attr-defined]


def test_one_to_one_provision_is_saved_with_a_group_of_one(world: World, senco: User) -> None:
    provision = _create(world, senco, one_to_one=True, max_group_size=4)
    assert provision.max_group_size == 1  # type: ignore[attr-defined]


def test_provision_create_refuses_negative_minutes(world: World, senco: User) -> None:
    with pytest.raises(ValidationError):
        _create(world, senco, minutes_per_session=-10)


def test_provision_create_refuses_a_teacher(world: World, class_teacher: User) -> None:
    with pytest.raises(PermissionDenied):
        _create(world, class_teacher)


def test_provision_create_refuses_the_senco_of_another_school(
    world: World, other_school_senco: User
) -> None:
    with pytest.raises(PermissionDenied):
        _create(world, other_school_senco)


def test_assign_refuses_an_end_before_the_start(world: World, senco: User) -> None:
    provision = ProvisionFactory(school=world.school)
    with pytest.raises(ValidationError) as err:
        services.provision_assign(
            provision=provision, pupil=world.pupil, start=TODAY, end=TODAY - DAY, by=senco
        )
    assert "end" in err.value.message_dict


def test_assign_refuses_a_pupil_of_another_school(world: World, senco: User) -> None:
    provision = ProvisionFactory(school=world.school)
    with pytest.raises(ValidationError) as err:
        services.provision_assign(
            provision=provision, pupil=world.second_school_pupil, start=TODAY, by=senco
        )
    assert "pupil" in err.value.message_dict


def test_assign_records_the_pupil(world: World, senco: User) -> None:
    provision = ProvisionFactory(school=world.school)
    assignment = services.provision_assign(
        provision=provision, pupil=world.pupil, start=TODAY, by=senco, entry_measure="Age 6y2m"
    )
    assert assignment.history.first().history_user == senco  # type: ignore[attr-defined]


def test_teacher_logs_a_session_for_a_pupil_they_teach(world: World, class_teacher: User) -> None:
    assignment = ProvisionAssignmentFactory(pupil=world.pupil)
    log, created = services.session_log_record(
        provision=assignment.provision,
        date=TODAY,
        duration_minutes=30,
        attended={world.pupil.pk: True},
        by=class_teacher,
    )
    assert created
    assert SessionAttendance.objects.get(session=log).attended


def test_logging_the_same_session_twice_returns_the_first_log(world: World, ta: User) -> None:
    assignment = ProvisionAssignmentFactory(pupil=world.pupil)
    kwargs = {
        "provision": assignment.provision,
        "date": TODAY,
        "duration_minutes": 30,
        "attended": {world.pupil.pk: True},
        "by": ta,
        "submission_key": uuid.UUID(int=7),
    }
    first, _ = services.session_log_record(**kwargs)  # type: ignore[arg-type]
    again, created = services.session_log_record(**kwargs)  # type: ignore[arg-type]
    assert (again, created) == (first, False)
    assert SessionLog.objects.count() == 1
    # Another form the same day (a second 1:1 session) is another session.
    _, created = services.session_log_record(**{**kwargs, "submission_key": uuid.UUID(int=8)})  # type: ignore[arg-type]
    assert created
    assert SessionLog.objects.count() == 2


def test_teacher_cannot_log_for_a_pupil_they_do_not_teach(
    world: World, class_teacher: User
) -> None:
    assignment = ProvisionAssignmentFactory(pupil=world.untaught_pupil)
    with pytest.raises(PermissionDenied):
        services.session_log_record(
            provision=assignment.provision,
            date=TODAY,
            duration_minutes=30,
            attended={world.untaught_pupil.pk: True},
            by=class_teacher,
        )
    assert not SessionLog.objects.exists()


def test_logging_refuses_a_pupil_not_assigned_on_that_date(
    world: World, class_teacher: User
) -> None:
    assignment = ProvisionAssignmentFactory(pupil=world.pupil, start=TODAY)
    with pytest.raises(PermissionDenied):
        services.session_log_record(
            provision=assignment.provision,
            date=TODAY - DAY,
            duration_minutes=30,
            attended={world.pupil.pk: True},
            by=class_teacher,
        )


def test_logging_refuses_a_session_of_no_minutes(world: World, class_teacher: User) -> None:
    assignment = ProvisionAssignmentFactory(pupil=world.pupil)
    with pytest.raises(ValidationError):
        services.session_log_record(
            provision=assignment.provision,
            date=TODAY,
            duration_minutes=0,
            attended={world.pupil.pk: True},
            by=class_teacher,
        )


def test_governor_cannot_log_a_session(world: World, governor: User) -> None:
    assignment = ProvisionAssignmentFactory(pupil=world.pupil)
    with pytest.raises(PermissionDenied):
        services.session_log_record(
            provision=assignment.provision,
            date=TODAY,
            duration_minutes=30,
            attended={world.pupil.pk: True},
            by=governor,
        )


def test_notional_budget_set_updates_the_years_budget(world: World, senco: User) -> None:
    first = services.notional_budget_set(
        school=world.school, year_start=dt.date(2026, 4, 1), amount=Decimal("50000"), by=senco
    )
    again = services.notional_budget_set(
        school=world.school, year_start=dt.date(2026, 4, 1), amount=Decimal("52000"), by=senco
    )
    assert again.pk == first.pk
    assert again.amount == Decimal("52000")


def test_notional_budget_refuses_a_negative_amount(world: World, senco: User) -> None:
    with pytest.raises(ValidationError):
        services.notional_budget_set(
            school=world.school, year_start=dt.date(2026, 4, 1), amount=Decimal("-1"), by=senco
        )
