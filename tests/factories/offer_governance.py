"""Factories for the SENCO designation and the governance record (made directly; the clock and the
rules go through offer.services_governance in the tests that need them)."""

import datetime as dt
from decimal import Decimal

import factory

from offer.models import Governance, SencoDesignation

from .accounts import SchoolFactory
from .dates import TODAY


class SencoDesignationFactory(factory.django.DjangoModelFactory):
    """A qualified teacher who became SENCO a year ago and has not started the qualification."""

    class Meta:
        model = SencoDesignation

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"SENCO {n}")
    email = factory.Sequence(lambda n: f"senco{n}@school.example")
    phone = "0113 496 0000"
    qualified_teacher = True
    induction_completed = True
    became_senco_on = TODAY - dt.timedelta(days=365)
    prior_senco_months = 0
    hours_per_week = Decimal("10.0")

    class Params:
        headteacher = factory.Trait(is_headteacher=True, qualified_teacher=False)
        npq_in_progress = factory.Trait(
            qualification=SencoDesignation.Qualification.NPQ,
            qualification_started_on=TODAY - dt.timedelta(days=100),
        )
        nasenco_held = factory.Trait(
            qualification=SencoDesignation.Qualification.NASENCO,
            qualification_started_on=dt.date(2022, 9, 1),
            qualification_completed_on=dt.date(2023, 7, 14),
        )
        ended = factory.Trait(ended_on=TODAY - dt.timedelta(days=30))


class GovernanceFactory(factory.django.DjangoModelFactory):
    """A record with every duty in date."""

    class Meta:
        model = Governance
        django_get_or_create = ("school",)

    school = factory.SubFactory(SchoolFactory)
    sen_link_governor = "Tunde Adeyemi"
    accessibility_plan_on = TODAY - dt.timedelta(days=400)
    accessibility_plan_review_on = TODAY + dt.timedelta(days=300)
    medical_policy_on = TODAY - dt.timedelta(days=200)
    medical_policy_review_on = TODAY + dt.timedelta(days=165)
    designated_teacher = "Aisha Rahman"
