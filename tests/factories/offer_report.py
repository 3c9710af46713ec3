"""Factories for SEN Information Report versions (made directly; tests of the workflow go through
offer.services_report). Kept apart from tests/factories/offer.py, which holds the governance ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.db.models import Max

from offer.models import InformationReport
from offer.sections import SECTIONS

from .accounts import SchoolFactory, UserFactory
from .dates import TODAY


def _next_number(report: Any) -> int:
    latest = InformationReport.objects.filter(school=report.school).aggregate(n=Max("number"))["n"]
    return int(latest or 0) + 1


def every_section_written(school_name: str = "the school") -> dict[str, str]:
    """A line of text for every section, so a report is complete without any live facts."""
    return {s.key: f"{s.title} at {school_name}: how we do it." for s in SECTIONS}


class InformationReportFactory(factory.django.DjangoModelFactory):
    """A draft with no text, numbered after the school's latest version.

    Traits: `written` (every section has text), `approved` (written, and approved by the head and
    the governing body), `published` (approved and published 30 days before TODAY), `superseded`.
    """

    class Meta:
        model = InformationReport

    school = factory.SubFactory(SchoolFactory)
    number = factory.LazyAttribute(_next_number)
    status = InformationReport.Status.DRAFT
    sections = factory.LazyFunction(dict)
    created_by = factory.SubFactory(UserFactory)

    class Params:
        written = factory.Trait(
            sections=factory.LazyAttribute(lambda o: every_section_written(o.school.name))
        )
        approved = factory.Trait(
            written=True,
            head_approved_on=TODAY - dt.timedelta(days=40),
            governors_approved_on=TODAY - dt.timedelta(days=35),
            governors_minute="FGB 2026/7",
        )
        published = factory.Trait(
            approved=True,
            status=InformationReport.Status.PUBLISHED,
            published_on=TODAY - dt.timedelta(days=30),
            live_data=factory.LazyFunction(
                lambda: {
                    "as_at": (TODAY - dt.timedelta(days=30)).isoformat(),
                    "kinds_of_sen": ["Communication and interaction"],
                    "provision_catalogue": [],
                    "senco": [],
                    "iass": {},
                    "local_offer": {},
                    "accessibility_plan": {"agreed_on": None, "review_on": None},
                }
            ),
        )
        superseded = factory.Trait(
            approved=True,
            status=InformationReport.Status.SUPERSEDED,
            published_on=TODAY - dt.timedelta(days=400),
        )
