"""Factories for reviews of EHC plans (made directly; tests of the chain go through services)."""

import datetime as dt

import factory

from reviews.models import Invitee, OutcomeProgress, ProposedChange, Review

from .dates import TODAY
from .ehcp import PlanOutcomeFactory, PlanVersionFactory


class ReviewFactory(factory.django.DjangoModelFactory):
    """An open annual review of an issued final plan, its meeting set for four weeks ahead."""

    class Meta:
        model = Review

    reviewed_version = factory.SubFactory(PlanVersionFactory, issued_final=True)
    plan = factory.LazyAttribute(lambda o: o.reviewed_version.plan)
    pupil = factory.LazyAttribute(lambda o: o.plan.pupil)
    school = factory.LazyAttribute(lambda o: o.plan.pupil.school)
    local_authority = factory.LazyAttribute(lambda o: o.plan.local_authority)
    due_on = TODAY + dt.timedelta(days=300)
    meeting_on = TODAY + dt.timedelta(weeks=4)


class InviteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitee

    review = factory.SubFactory(ReviewFactory)
    role = Invitee.Role.PARENT
    name = factory.Sequence(lambda n: f"Parent {n}")


class OutcomeProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeProgress

    review = factory.SubFactory(ReviewFactory)
    outcome = factory.SubFactory(
        PlanOutcomeFactory, version=factory.SelfAttribute("..review.reviewed_version")
    )
    rating = OutcomeProgress.Rating.ON_TRACK
    evidence = "Reads 40 words a minute, up from 25."


class ProposedChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposedChange

    review = factory.SubFactory(ReviewFactory)
    section = "F"
    change = "Speech and language therapy twice a week instead of once."
