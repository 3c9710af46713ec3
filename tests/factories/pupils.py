"""Factories for pupils, their needs and teaching groups."""

import datetime as dt

import factory

from pupils.codes import NeedType, SenProvision
from pupils.models import (
    MedicalCondition,
    ParentCarer,
    ParentsToldRecord,
    Pupil,
    PupilNeed,
    SenStatus,
    TeachingGroup,
    TeachingGroupPupil,
    TeachingGroupStaff,
)
from pupils.upn import upn_check_letter

from .accounts import SchoolFactory, UserFactory
from .dates import ACADEMIC_YEAR_START


def _upn(n: int) -> str:
    body = f"990{1000 + n % 9000:04d}26{n % 1000:03d}"
    return upn_check_letter(body) + body


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    upn = factory.Sequence(_upn)
    legal_first_name = factory.Faker("first_name", locale="en_GB")
    legal_last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(2017, 3, 14)
    year_group = 4
    admission_date = dt.date(2021, 9, 1)
    sen_provision = SenProvision.NO_SEN

    class Params:
        sen_support = factory.Trait(sen_provision=SenProvision.SEN_SUPPORT)
        ehc_plan = factory.Trait(sen_provision=SenProvision.EHC_PLAN)


class PupilNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PupilNeed

    pupil = factory.SubFactory(PupilFactory, sen_support=True)
    rank = 1
    code = NeedType.SLCN


class TeachingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingGroup

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    year_group = 4


class TeachingGroupPupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingGroupPupil

    group = factory.SubFactory(TeachingGroupFactory)
    pupil = factory.SubFactory(PupilFactory, school=factory.SelfAttribute("..group.school"))
    start = ACADEMIC_YEAR_START
    end = None


class TeachingGroupStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingGroupStaff

    group = factory.SubFactory(TeachingGroupFactory)
    user = factory.SubFactory(UserFactory)
    role = TeachingGroupStaff.StaffRole.TEACHER
    start = ACADEMIC_YEAR_START
    end = None


class SenStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SenStatus

    pupil = factory.SubFactory(PupilFactory, sen_support=True)
    provision = SenProvision.SEN_SUPPORT
    start = ACADEMIC_YEAR_START
    end = None


class ParentsToldRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentsToldRecord

    pupil = factory.SubFactory(PupilFactory, sen_support=True)
    told_on = ACADEMIC_YEAR_START
    method = ParentsToldRecord.Method.MEETING
    told_by = "Class teacher"
    recorded_by = factory.SubFactory(UserFactory)


class ParentCarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentCarer

    pupil = factory.SubFactory(PupilFactory)
    name = factory.Faker("name", locale="en_GB")
    relationship = "Mother"
    email = factory.Sequence(lambda n: f"parent{n}@example.org")


class MedicalConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicalCondition

    pupil = factory.SubFactory(PupilFactory)
    condition = "Asthma"


def spare_upn(n: int) -> str:
    """A valid UPN in LA 992, which PupilFactory's sequence (LA 990) never uses."""
    body = f"992{n // 1000:04d}26{n % 1000:03d}"
    return upn_check_letter(body) + body
