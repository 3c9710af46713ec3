"""Factories for clocks, reminders, notifications and calendar tokens."""

import datetime as dt

import factory
from django.contrib.contenttypes.models import ContentType

from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import CalendarFeedToken, Clock, Notification, Reminder

from .accounts import UserFactory
from .dates import TODAY
from .pupils import PupilFactory


class ClockFactory(factory.django.DjangoModelFactory):
    """An open SEN support review clock on a pupil, due four weeks after TODAY."""

    class Meta:
        model = Clock

    pupil = factory.SubFactory(PupilFactory, sen_support=True)
    kind = Kind.SEN_SUPPORT_REVIEW
    subject_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.pupil))
    subject_id = factory.LazyAttribute(lambda o: o.pupil.pk)
    school = factory.LazyAttribute(lambda o: o.pupil.school)
    local_authority = factory.LazyAttribute(lambda o: o.pupil.school.local_authority)
    responsible_role = Role.SENCO
    start_event = "Plan agreed"
    started_on = TODAY - dt.timedelta(days=90)
    due_on = TODAY + dt.timedelta(days=28)

    class Params:
        overdue = factory.Trait(due_on=TODAY - dt.timedelta(days=3))
        met = factory.Trait(state=Clock.State.MET, met_on=TODAY - dt.timedelta(days=1))


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    clock = factory.SubFactory(ClockFactory)
    stage = "lead_14"
    recipient = factory.SubFactory(UserFactory)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    clock = factory.SubFactory(ClockFactory)
    title = "SEN support plan review due in 14 days"


class CalendarFeedTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeedToken

    user = factory.SubFactory(UserFactory)
