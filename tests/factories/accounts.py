"""Factories for organisations, users, memberships and grants."""

import datetime as dt

import factory
from django.contrib.contenttypes.models import ContentType

from sendadmin.accounts.models import (
    AccessGrant,
    AuditEvent,
    LocalAuthority,
    Membership,
    School,
    User,
)
from sendadmin.accounts.roles import Role

from .dates import TODAY

PASSWORD = "correct-horse-battery-staple"


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Authority {n}")
    code = factory.Sequence(lambda n: f"{800 + n % 100:03d}")
    local_offer_url = "https://localoffer.example"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("urn",)

    urn = factory.Sequence(lambda n: f"{100000 + n}")
    name = factory.Sequence(lambda n: f"School {n}")
    phase = School.Phase.PRIMARY
    type = School.Type.MAINTAINED
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    local_authority = None
    role = Role.SENCO
    start = TODAY - dt.timedelta(days=365)
    end = None

    class Params:
        at_la = factory.Trait(
            school=None,
            local_authority=factory.SubFactory(LocalAuthorityFactory),
            role=Role.LA_CASEWORKER,
        )
        ended = factory.Trait(end=TODAY - dt.timedelta(days=30))


class AccessGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessGrant

    user = factory.SubFactory(UserFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_pk = factory.LazyAttribute(lambda o: str(o.target.pk))
    permission = "pupils.view_pupil"
    reason = "Outreach teacher working with this pupil"
    expires_on = TODAY + dt.timedelta(days=30)
    granted_by = factory.SubFactory(UserFactory)

    class Params:
        target = None


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor = factory.SubFactory(UserFactory)
    actor_role = Role.SENCO
    action = "pupils.pupil.viewed"
