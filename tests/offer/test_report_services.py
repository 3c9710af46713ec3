"""The SEN Information Report through offer.services_report: drafts, text, approvals, publication
and its yearly review clock (CFA 2014 s.69; reg 51 and Sch 1; CoP 6.79; domain.md 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from offer.models import InformationReport
from offer.sections import SECTION_BY_KEY, sections_for
from offer.services_report import (
    CONFLICT,
    StaleVersionError,
    report_approve_as_head,
    report_draft_start,
    report_governors_approval_record,
    report_publish,
    report_sections_save,
)
from sendadmin.accounts.models import AuditEvent, School
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_months
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World
from tests.factories.accounts import LocalAuthorityFactory, SchoolFactory
from tests.factories.clocks import ClockFactory
from tests.factories.offer_report import InformationReportFactory, every_section_written
from tests.factories.provision import ProvisionFactory

pytestmark = pytest.mark.django_db
Status = InformationReport.Status


def _approved_draft(world: World, **kwargs: object) -> InformationReport:
    return InformationReportFactory(school=world.school, approved=True, **kwargs)


def _report_clocks(school: School) -> list[Clock]:
    return list(
        Clock.objects.filter(kind=Kind.INFORMATION_REPORT_REVIEW, school=school).order_by("pk")
    )


def test_starting_a_draft_twice_gives_one_draft(world: World) -> None:
    first = report_draft_start(school=world.school, by=world.users["senco"])
    second = report_draft_start(school=world.school, by=world.users["head"])
    assert first.pk == second.pk
    assert InformationReport.objects.filter(school=world.school).count() == 1
    assert first.number == 1 and first.is_draft


def test_a_new_draft_is_numbered_after_the_latest_and_copies_its_text(world: World) -> None:
    InformationReportFactory(school=world.school, superseded=True)
    latest = InformationReportFactory(school=world.school, published=True)
    draft = report_draft_start(school=world.school, by=world.users["senco"])
    assert draft.number == latest.number + 1 == 3
    assert draft.sections == latest.sections
    assert draft.head_approved_on is None and draft.governors_approved_on is None
    assert draft.history.first().history_user == world.users["senco"]
    assert AuditEvent.objects.filter(action="offer.report.draft_started").count() == 1


def test_saving_text_keeps_other_sections_and_removes_emptied_ones(world: World) -> None:
    report = InformationReportFactory(
        school=world.school, sections={"complaints": "Speak to the class teacher first."}
    )
    saved = report_sections_save(
        report=report,
        sections={"teaching_approach": "  Quality-first teaching.  ", "complaints": ""},
        expected_version=report.version,
        by=world.users["senco"],
    )
    assert saved.sections == {"teaching_approach": "Quality-first teaching."}
    assert saved.version == report.version + 1
    assert saved.history.first().history_user == world.users["senco"]


def test_changing_the_text_clears_both_approvals(world: World) -> None:
    report = _approved_draft(world)
    saved = report_sections_save(
        report=report,
        sections={"complaints": "A new complaints procedure."},
        expected_version=report.version,
        by=world.users["senco"],
    )
    assert saved.head_approved_on is None and saved.head_approved_by is None
    assert saved.governors_approved_on is None and saved.governors_minute == ""
    event = AuditEvent.objects.get(action="offer.report.sections_saved")
    assert event.data == {"sections": ["complaints"], "approvals_cleared": True}


def test_saving_the_same_text_keeps_the_approvals(world: World) -> None:
    report = _approved_draft(world)
    saved = report_sections_save(
        report=report,
        sections={"complaints": report.sections["complaints"]},
        expected_version=report.version,
        by=world.users["senco"],
    )
    assert saved.head_approved_on is not None and saved.governors_approved_on is not None
    assert saved.version == report.version


def test_a_stale_version_is_refused_and_nothing_is_saved(world: World) -> None:
    report = InformationReportFactory(school=world.school, sections={"complaints": "Old"})
    with pytest.raises(StaleVersionError) as caught:
        report_sections_save(
            report=report,
            sections={"complaints": "Mine"},
            expected_version=report.version - 1,
            by=world.users["senco"],
        )
    assert caught.value.messages == [CONFLICT]
    report.refresh_from_db()
    assert report.sections == {"complaints": "Old"}


def test_only_a_draft_can_be_changed(world: World) -> None:
    report = InformationReportFactory(school=world.school, published=True)
    with pytest.raises(ValidationError, match="Only a draft"):
        report_sections_save(
            report=report,
            sections={"complaints": "New"},
            expected_version=report.version,
            by=world.users["senco"],
        )


def test_an_unknown_section_is_refused(world: World) -> None:
    report = InformationReportFactory(school=world.school)
    with pytest.raises(ValidationError, match="no section 'favourite_colour'"):
        report_sections_save(
            report=report,
            sections={"favourite_colour": "Blue"},
            expected_version=report.version,
            by=world.users["senco"],
        )


def test_approvals_in_the_future_are_refused(world: World) -> None:
    report = InformationReportFactory(school=world.school)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        report_approve_as_head(report=report, by=world.users["head"], on=tomorrow)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        report_governors_approval_record(
            report=report, on=tomorrow, minute="FGB 1", by=world.users["governor"]
        )


def test_the_governing_bodys_approval_needs_a_minute(world: World) -> None:
    report = InformationReportFactory(school=world.school)
    with pytest.raises(ValidationError, match="minute reference"):
        report_governors_approval_record(
            report=report, on=timezone.localdate(), minute="  ", by=world.users["governor"]
        )


def test_both_approvals_are_recorded_with_who_and_when(world: World) -> None:
    report = InformationReportFactory(school=world.school)
    today = timezone.localdate()
    report = report_approve_as_head(report=report, by=world.users["head"], on=today)
    report = report_governors_approval_record(
        report=report,
        on=today - dt.timedelta(days=2),
        minute=" FGB 2026/14 ",
        by=world.users["governor"],
    )
    assert report.head_approved_by == world.users["head"] and report.head_approved_on == today
    assert report.governors_minute == "FGB 2026/14"
    assert report.governors_approval_recorded_by == world.users["governor"]


def test_publishing_is_refused_naming_every_empty_section_and_each_missing_approval(
    world: World,
) -> None:
    report = InformationReportFactory(
        school=world.school, sections={"complaints": "Speak to the SENCO."}
    )
    with pytest.raises(ValidationError) as caught:
        report_publish(report=report, by=world.users["senco"], today=timezone.localdate())
    messages = caught.value.messages
    assert "The headteacher has not approved this version" in messages
    assert "The governing body's approval of this version has not been recorded" in messages
    # The Local Offer section is filled from the LA's details, and complaints has text.
    written_or_live = {"complaints", "local_offer"}
    for section in sections_for(True):
        named = any(section.title in m for m in messages)
        assert named == (section.key not in written_or_live), section.key
    report.refresh_from_db()
    assert report.is_draft and report.live_data == {}


def test_live_facts_fill_a_section_without_text(world: World) -> None:
    ProvisionFactory(school=world.school, name="Lexia reading")
    sections = every_section_written()
    del sections["additional_support"]
    report = _approved_draft(world, sections=sections)
    published = report_publish(report=report, by=world.users["senco"], today=timezone.localdate())
    assert published.status == Status.PUBLISHED
    names = [p["name"] for p in published.live_data["provision_catalogue"]]
    assert names == ["Lexia reading"]


def test_a_special_school_need_not_write_the_mainstream_only_sections(world: World) -> None:
    special = SchoolFactory(type=School.Type.SPECIAL, local_authority=world.home_la)
    sections = every_section_written()
    for key in ("identification", "senco"):
        del sections[key]
        assert SECTION_BY_KEY[key].mainstream_only
    report = InformationReportFactory(school=special, approved=True, sections=sections)
    published = report_publish(report=report, by=world.users["senco"], today=timezone.localdate())
    assert published.status == Status.PUBLISHED


def test_publishing_supersedes_freezes_the_facts_and_moves_the_review_clock(world: World) -> None:
    today = timezone.localdate()
    old = InformationReportFactory(school=world.school, published=True)
    old_clock = ClockFactory(
        pupil=None,
        school=world.school,
        local_authority=world.home_la,
        kind=Kind.INFORMATION_REPORT_REVIEW,
        subject_type=ContentType.objects.get_for_model(InformationReport),
        subject_id=old.pk,
        started_on=old.published_on,
        due_on=today + dt.timedelta(days=20),
    )
    draft = _approved_draft(world)
    published = report_publish(
        report=draft, by=world.users["senco"], today=today, expected_version=draft.version
    )

    old.refresh_from_db()
    old_clock.refresh_from_db()
    assert old.status == Status.SUPERSEDED
    assert published.status == Status.PUBLISHED and published.published_on == today
    assert published.published_by == world.users["senco"]
    assert published.live_data["as_at"] == today.isoformat()
    assert published.live_data["local_offer"]["url"] == world.home_la.local_offer_url
    assert old_clock.state == Clock.State.MET and old_clock.met_on == today
    new_clock = _report_clocks(world.school)[-1]
    assert new_clock.state == Clock.State.OPEN
    assert new_clock.subject == published
    assert new_clock.due_on == add_months(today, 12)
    assert new_clock.responsible_role == Role.SENCO
    assert new_clock.pupil_id is None
    assert AuditEvent.objects.filter(action="offer.report.published").count() == 1


def test_publishing_meets_an_old_clock_kept_on_the_school_itself(world: World) -> None:
    """Before reports were versions the demo's review clock hung on the school."""
    today = timezone.localdate()
    clock = ClockFactory(
        pupil=None,
        school=world.school,
        local_authority=world.home_la,
        kind=Kind.INFORMATION_REPORT_REVIEW,
        subject_type=ContentType.objects.get_for_model(School),
        subject_id=world.school.pk,
    )
    report_publish(report=_approved_draft(world), by=world.users["head"], today=today)
    clock.refresh_from_db()
    assert clock.state == Clock.State.MET
    assert [c.state for c in _report_clocks(world.school)] == [Clock.State.MET, Clock.State.OPEN]


def test_another_schools_clock_is_left_alone(world: World) -> None:
    other = ClockFactory(
        pupil=None,
        school=world.second_school,
        local_authority=world.home_la,
        kind=Kind.INFORMATION_REPORT_REVIEW,
        subject_type=ContentType.objects.get_for_model(School),
        subject_id=world.second_school.pk,
    )
    report_publish(
        report=_approved_draft(world), by=world.users["head"], today=timezone.localdate()
    )
    other.refresh_from_db()
    assert other.state == Clock.State.OPEN


def test_a_published_report_cannot_be_published_again(world: World) -> None:
    report = InformationReportFactory(school=world.school, published=True)
    with pytest.raises(ValidationError, match="Only a draft"):
        report_publish(report=report, by=world.users["head"], today=timezone.localdate())


def test_an_la_without_a_local_offer_address_leaves_that_section_empty(world: World) -> None:
    la = LocalAuthorityFactory(code="992", local_offer_url="")
    school = SchoolFactory(local_authority=la)
    sections = every_section_written()
    del sections["local_offer"]
    report = InformationReportFactory(school=school, approved=True, sections=sections)
    with pytest.raises(ValidationError) as caught:
        report_publish(report=report, by=world.users["head"], today=timezone.localdate())
    assert caught.value.messages == [
        f"Write the section '{SECTION_BY_KEY['local_offer'].title}' "
        f"({SECTION_BY_KEY['local_offer'].citation})"
    ]
