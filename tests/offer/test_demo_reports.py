"""seed_demo_reports: a published SEN Information Report for each demo school with its yearly review
clock, and Oakfield's second version in draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.db import transaction
from pytest_django import DjangoDbBlocker

from offer.models import InformationReport, is_mainstream
from offer.sections import sections_for
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_days, add_months
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.core.demo import OAKFIELD, SCHOOLS, seed_demo
from sendadmin.core.demo_clocks import REPORT_DUE_IN
from sendadmin.core.demo_offer import OAKFIELD_DRAFT_CHANGES, seed_demo_reports
from tests.conftest import LONDON, client_for
from tests.factories.dates import TODAY

Status = InformationReport.Status


@pytest.fixture(scope="module")
def counts(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, int]]:
    on_today = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=LONDON)
    with (
        time_machine.travel(on_today, tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        seed_demo(TODAY)
        result = seed_demo_reports(TODAY)
        again = seed_demo_reports(TODAY)
        assert set(again.values()) == {0}, "a second run adds nothing"
        yield result
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db]


def test_every_demo_school_has_a_published_report_written_in_full(counts: dict[str, int]) -> None:
    assert counts["information reports"] == len(SCHOOLS) + 1
    for spec in SCHOOLS:
        report = InformationReport.objects.get(school__urn=spec.urn, status=Status.PUBLISHED)
        assert report.published_on == add_days(TODAY, -(365 - REPORT_DUE_IN[spec.name]))
        assert report.head_approved_on and report.governors_approved_on
        assert report.head_approved_on < report.governors_approved_on < report.published_on
        for section in sections_for(is_mainstream(report.school)):
            assert len(report.sections[section.key]) > 100, (spec.name, section.key)
        assert spec.name in report.sections["kinds_of_sen"]
        assert "{" not in "".join(report.sections.values()), "every placeholder is filled"


def test_each_report_has_its_review_clock_with_demo_clocks_responsible_role(
    counts: dict[str, int],
) -> None:
    for spec in SCHOOLS:
        report = InformationReport.objects.get(school__urn=spec.urn, status=Status.PUBLISHED)
        clock = Clock.objects.get(
            kind=Kind.INFORMATION_REPORT_REVIEW, school=report.school, state=Clock.State.OPEN
        )
        assert clock.subject == report
        assert clock.due_on == add_months(report.published_on, 12)
        role = Role.GOVERNOR if spec.name == OAKFIELD else Role.SENCO
        assert clock.responsible_role == role, spec.name
    # Riverside's review is overdue, the others' are ahead (demo_clocks.REPORT_DUE_IN).
    overdue = Clock.objects.filter(
        kind=Kind.INFORMATION_REPORT_REVIEW, state=Clock.State.OPEN, due_on__lt=TODAY
    )
    assert list(overdue.values_list("school__name", flat=True)) == ["Riverside Academy"]


def test_oakfield_is_writing_its_second_version(counts: dict[str, int]) -> None:
    draft = InformationReport.objects.get(school__name=OAKFIELD, status=Status.DRAFT)
    published = InformationReport.objects.get(school__name=OAKFIELD, status=Status.PUBLISHED)
    assert draft.number == 2 and published.number == 1
    for key, text in OAKFIELD_DRAFT_CHANGES.items():
        assert draft.sections[key] == text != published.sections[key]
    assert draft.head_approved_on is None and draft.governors_approved_on is None
    assert InformationReport.objects.filter(status=Status.DRAFT).count() == 1


def test_the_public_page_shows_each_demo_schools_report(counts: dict[str, int]) -> None:
    for spec in SCHOOLS:
        page = client_for(None).get(f"/schools/{spec.urn}/sen-information-report/")
        assert page.status_code == 200
        assert spec.name in page.content.decode()
