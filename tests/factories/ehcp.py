"""Factories for EHC needs assessments, advice requests and plans (made directly, without clocks;
tests of clocks go through ehcp.services)."""

import datetime as dt
import hashlib

import factory

from ehcp.models import (
    AdviceAttachment,
    AdviceKind,
    AdviceRequest,
    AssessmentCase,
    Plan,
    PlanNeed,
    PlanOutcome,
    PlanProvision,
    PlanVersion,
)

from .accounts import UserFactory
from .dates import TODAY
from .pupils import PupilFactory


class AssessmentCaseFactory(factory.django.DjangoModelFactory):
    """An open case, requested by a parent three weeks ago, held by the LA of the pupil's school.

    One open case per pupil: asking again for the same pupil returns the case it has (the access
    matrix builds its object once per persona)."""

    class Meta:
        model = AssessmentCase
        django_get_or_create = ("pupil",)

    pupil = factory.SubFactory(PupilFactory)
    local_authority = factory.LazyAttribute(lambda o: o.pupil.school.local_authority)
    requested_by = AssessmentCase.RequestedBy.PARENT
    created_by = factory.SubFactory(UserFactory)
    request_received_on = TODAY - dt.timedelta(weeks=3)

    class Params:
        assessing = factory.Trait(
            assess_decision=AssessmentCase.AssessDecision.ASSESS,
            assess_decision_on=TODAY - dt.timedelta(weeks=1),
        )


class AdviceRequestFactory(factory.django.DjangoModelFactory):
    """Educational advice asked of the pupil's school a week ago (asking again returns it)."""

    class Meta:
        model = AdviceRequest
        django_get_or_create = ("case", "kind", "adviser_name")

    case = factory.SubFactory(AssessmentCaseFactory, assessing=True)
    kind = AdviceKind.EDUCATIONAL
    school = factory.LazyAttribute(lambda o: o.case.pupil.school)
    adviser_name = factory.LazyAttribute(lambda o: o.school.name if o.school else "EP service")
    sent_on = TODAY - dt.timedelta(weeks=1)
    received_on = TODAY - dt.timedelta(weeks=1)


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan (one live plan per pupil: asking again for the same pupil returns it)."""

    class Meta:
        model = Plan
        django_get_or_create = ("pupil",)

    pupil = factory.SubFactory(PupilFactory, ehc_plan=True)
    local_authority = factory.LazyAttribute(lambda o: o.pupil.school.local_authority)


class PlanVersionFactory(factory.django.DjangoModelFactory):
    """An unissued draft; the `issued_final` trait gives an issued final naming the pupil's school."""

    class Meta:
        model = PlanVersion

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = PlanVersion.Kind.DRAFT

    class Params:
        issued_final = factory.Trait(
            kind=PlanVersion.Kind.FINAL,
            issued_on=TODAY - dt.timedelta(days=30),
            section_i_school=factory.LazyAttribute(lambda o: o.plan.pupil.school),
            section_i_name=factory.LazyAttribute(lambda o: o.plan.pupil.school.name),
            section_i_type="Mainstream primary school",
        )


class PlanNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanNeed

    version = factory.SubFactory(PlanVersionFactory)
    area = "cognition"
    code = "SPLD"
    description = "Difficulties with reading and spelling (dyslexia)."


class PlanOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanOutcome
        skip_postgeneration_save = True

    version = factory.SubFactory(PlanVersionFactory)
    outcome = "Reads age-appropriate texts independently by the end of Year 6."
    by_when = "July 2028"


class PlanProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanProvision
        skip_postgeneration_save = True

    version = factory.SubFactory(PlanVersionFactory)
    what = "Structured phonics programme, 1:1 with a trained TA"
    sessions_per_week = 3
    minutes_per_session = 30
    duration = "Until the next annual review"
    delivered_by = "Teaching assistant trained by the SENCO"


ATTACHMENT_BYTES = b"%PDF-1.4\n% a test attachment\n"


class AdviceAttachmentFactory(factory.django.DjangoModelFactory):
    """A small PDF attached to advice (stored under the test MEDIA_ROOT)."""

    class Meta:
        model = AdviceAttachment

    advice = factory.SubFactory(AdviceRequestFactory)
    file = factory.django.FileField(data=ATTACHMENT_BYTES, filename="advice.pdf")
    original_name = "advice.pdf"
    uploaded_by = factory.SubFactory(UserFactory)
    content_type = "application/pdf"
    size = len(ATTACHMENT_BYTES)
    sha256 = hashlib.sha256(ATTACHMENT_BYTES).hexdigest()
