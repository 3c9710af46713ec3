"""Factories for the costed provision map."""

import datetime as dt
from decimal import Decimal

import factory

from pupils.codes import Area
from pupils.provision.models import (
    NotionalSenBudget,
    Provision,
    ProvisionAssignment,
    SessionAttendance,
    SessionLog,
    StaffRole,
)

from .accounts import SchoolFactory, UserFactory
from .dates import ACADEMIC_YEAR_START, TODAY
from .pupils import PupilFactory


class ProvisionFactory(factory.django.DjangoModelFactory):
    """A small-group TA intervention: 3 x 30 minutes a week at 15.00 an hour, up to 6 pupils."""

    class Meta:
        model = Provision

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Reading catch-up {n}")
    area = Area.COGNITION
    staff_role = StaffRole.TA
    sessions_per_week = 3
    minutes_per_session = 30
    cost_per_hour = Decimal("15.00")
    max_group_size = 6

    class Params:
        one_to_one_trait = factory.Trait(one_to_one=True, max_group_size=1)


class ProvisionAssignmentFactory(factory.django.DjangoModelFactory):
    """A pupil on a provision since the start of the school year, at the provision's school."""

    class Meta:
        model = ProvisionAssignment

    pupil = factory.SubFactory(PupilFactory, sen_support=True)
    provision = factory.SubFactory(ProvisionFactory, school=factory.SelfAttribute("..pupil.school"))
    start = ACADEMIC_YEAR_START


class SessionLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionLog

    provision = factory.SubFactory(ProvisionFactory)
    date = factory.Sequence(lambda n: TODAY - dt.timedelta(days=n))
    delivered_by = factory.SubFactory(UserFactory)
    duration_minutes = 30


class SessionAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionAttendance

    pupil = factory.SubFactory(PupilFactory, sen_support=True)
    session = factory.SubFactory(
        SessionLogFactory,
        provision__school=factory.SelfAttribute("...pupil.school"),
    )
    attended = True


class NotionalSenBudgetFactory(factory.django.DjangoModelFactory):
    """The notional SEN budget for the financial year from 1 April 2026."""

    class Meta:
        model = NotionalSenBudget

    school = factory.SubFactory(SchoolFactory)
    year_start = dt.date(2026, 4, 1)
    amount = Decimal("60000.00")
