"""Factories for SEN support plans, their cycles and parents' meetings."""

import datetime as dt

import factory

from pupils.support.models import (
    CycleOutcome,
    CycleProvision,
    CycleView,
    DeliveryNote,
    OutcomeReview,
    ParentMeeting,
    SupportCycle,
    SupportPlan,
)

from .accounts import UserFactory
from .dates import TODAY
from .pupils import PupilFactory


class SupportPlanFactory(factory.django.DjangoModelFactory):
    """A plan with its first, draft cycle (as support_plan_start makes it)."""

    class Meta:
        model = SupportPlan
        # One plan per pupil: asking again for the same pupil returns the plan it has.
        django_get_or_create = ("pupil",)
        skip_postgeneration_save = True

    pupil = factory.SubFactory(PupilFactory, sen_support=True)
    school = factory.LazyAttribute(lambda o: o.pupil.school)

    @factory.post_generation
    def first_cycle(obj: SupportPlan, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted is not False and not obj.cycles.exists():
            SupportCycleFactory(plan=obj, number=1)


class SupportCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportCycle

    plan = factory.SubFactory(SupportPlanFactory, first_cycle=False)
    number = 1

    class Params:
        active = factory.Trait(
            status=SupportCycle.Status.ACTIVE,
            assessment="Finds it hard to follow spoken instructions",
            review_date=TODAY + dt.timedelta(days=60),
        )


class CycleOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CycleOutcome

    cycle = factory.SubFactory(SupportCycleFactory)
    outcome = "Follows a two-step instruction in class"
    success_criteria = "Does so in 4 out of 5 lessons"


class CycleProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CycleProvision

    cycle = factory.SubFactory(SupportCycleFactory)
    provision = "Visual timetable and pre-teaching of vocabulary"
    who = "Class teacher"
    how_often = "Daily"


class CycleViewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CycleView

    cycle = factory.SubFactory(SupportCycleFactory)
    whose = CycleView.Whose.PUPIL
    text = "I like it when the pictures show what comes next"
    recorded_by = factory.SubFactory(UserFactory)


class DeliveryNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryNote

    cycle = factory.SubFactory(SupportCycleFactory)
    delivered_on = TODAY - dt.timedelta(days=7)
    note = "Pre-taught the science vocabulary"
    recorded_by = factory.SubFactory(UserFactory)


class OutcomeReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeReview

    outcome = factory.SubFactory(CycleOutcomeFactory)
    progress = OutcomeReview.Progress.SOME


class ParentMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentMeeting

    pupil = factory.SubFactory(PupilFactory, sen_support=True)
    school = factory.LazyAttribute(lambda o: o.pupil.school)
    date = TODAY - dt.timedelta(days=30)
    attendees = "Mother, class teacher, SENCO"
    agreed = "Try the visual timetable at home too"
    recorded_by = factory.SubFactory(UserFactory)
