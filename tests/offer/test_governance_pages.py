"""The governance pages (offer.views_governance): what the page shows, who may change what (404 for
another school's designation, 403 for a governor), GOV.UK errors, and conflicting saves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from offer.models import Governance, SencoDesignation
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World, client_for
from tests.factories.dates import TODAY
from tests.factories.offer_governance import GovernanceFactory, SencoDesignationFactory

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
PAGE = reverse("offer:governance")


def _date(prefix: str, d: dt.date | None) -> dict[str, str]:
    if d is None:
        return {f"{prefix}_day": "", f"{prefix}_month": "", f"{prefix}_year": ""}
    return {
        f"{prefix}_day": str(d.day),
        f"{prefix}_month": str(d.month),
        f"{prefix}_year": str(d.year),
    }


def _senco_post(**overrides: Any) -> dict[str, str]:
    data = {
        "name": "Marcus Reid",
        "user": "",
        "email": "senco@oakfield.example",
        "phone": "0113 496 0202",
        "qualified_teacher": "yes",
        "induction_completed": "yes",
        "is_headteacher": "no",
        "prior_senco_months": "0",
        "qualification": "none",
        "hours_per_week": "12.5",
        **_date("became_senco_on", TODAY - 100 * DAY),
        **_date("qualification_started_on", None),
        **_date("qualification_completed_on", None),
    }
    return data | overrides


def _governance_post(version: int, **overrides: Any) -> dict[str, str]:
    data = {
        "version": str(version),
        "sen_link_governor": "Tunde Adeyemi",
        "designated_teacher": "Aisha Rahman",
        **_date("accessibility_plan_on", TODAY - 400 * DAY),
        **_date("accessibility_plan_review_on", TODAY + 700 * DAY),
        **_date("medical_policy_on", TODAY - 30 * DAY),
        **_date("medical_policy_review_on", TODAY + 335 * DAY),
    }
    return data | overrides


# The page


def test_the_page_shows_the_sencos_check_time_and_the_governing_body_records(
    world: World, governor: Any
) -> None:
    SencoDesignationFactory(school=world.school, name="Priya Sharma", npq_in_progress=True)
    SencoDesignationFactory(
        school=world.school,
        name="Wei Chen",
        became_senco_on=TODAY - 1200 * DAY,
        hours_per_week="7.5",
    )
    SencoDesignationFactory(
        school=world.school,
        name="Jane Former",
        became_senco_on=TODAY - 3000 * DAY,
        ended_on=TODAY - 1300 * DAY,
    )
    SencoDesignationFactory(school=world.second_school, name="Riverside Person")
    GovernanceFactory(
        school=world.school,
        accessibility_plan_review_on=TODAY - DAY,
        medical_policy_review_on=TODAY + 100 * DAY,
    )
    html = client_for(governor).get(PAGE).content.decode()
    assert "Priya Sharma" in html and "Compliant: in progress" in html
    assert "Wei Chen" in html and "Overdue" in html and "7.5 hours a week" in html
    assert "had to be held from" in html
    assert "Wei Chen: not compliant." in html and "Priya Sharma: not compliant." not in html
    assert "SEND Regulations 2014, reg 49(4) and (7)-(9)" in html
    assert "Tunde Adeyemi" in html and "Aisha Rahman" in html
    assert html.count("Review overdue") == 1  # the accessibility plan, not the medical policy
    assert "Past SENCOs" in html and "Jane Former" in html
    assert "Riverside Person" not in html
    # A governor reads; only those who keep the records see the links to change them.
    assert reverse("offer:senco-add") not in html
    assert reverse("offer:governance-edit") not in html


def test_the_senco_sees_links_to_change_each_record(world: World, senco: Any) -> None:
    designation = SencoDesignationFactory(school=world.school)
    html = client_for(senco).get(PAGE).content.decode()
    for url in (
        reverse("offer:senco-add"),
        reverse("offer:governance-edit"),
        reverse("offer:senco-edit", args=[designation.pk]),
        reverse("offer:senco-end", args=[designation.pk]),
    ):
        assert url in html


def test_a_mainstream_school_without_a_senco_is_told_it_must_designate_one(
    world: World, head: Any
) -> None:
    html = client_for(head).get(PAGE).content.decode()
    assert "No SENCO is designated" in html and "section 67(2)" in html
    assert "Not recorded" in html  # no governance record yet


def test_the_page_makes_the_same_queries_for_one_senco_and_for_ten(world: World, head: Any) -> None:
    client = client_for(head)
    SencoDesignationFactory(school=world.school)
    GovernanceFactory(school=world.school)
    client.get(PAGE)  # warm the content type cache
    with CaptureQueriesContext(connection) as one:
        client.get(PAGE)
    SencoDesignationFactory.create_batch(9, school=world.school)
    SencoDesignationFactory.create_batch(3, school=world.school, ended=True)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(PAGE)
    assert response.content.decode().count("Qualification check") == 10
    assert len(ten) == len(one)


# Who may change what


@pytest.mark.parametrize("name", ["offer:senco-edit", "offer:senco-end"])
def test_another_schools_designation_is_not_found(world: World, senco: Any, name: str) -> None:
    other = SencoDesignationFactory(school=world.second_school)
    client = client_for(senco)
    url = reverse(name, args=[other.pk])
    assert client.get(url).status_code == 404
    before = other.name
    assert client.post(url, _senco_post(version="1") | _date("ended_on", TODAY)).status_code == 404
    other.refresh_from_db()
    assert (other.name, other.ended_on, other.version) == (before, None, 1)


@pytest.mark.parametrize("name", ["offer:senco-edit", "offer:senco-end"])
def test_a_governor_may_not_change_a_designation(world: World, governor: Any, name: str) -> None:
    designation = SencoDesignationFactory(school=world.school)
    client = client_for(governor)
    url = reverse(name, args=[designation.pk])
    assert client.get(url).status_code == 403
    post = _senco_post(version="1") | _date("ended_on", TODAY)
    assert client.post(url, post).status_code == 403
    designation.refresh_from_db()
    assert (designation.version, designation.ended_on) == (1, None)


def test_a_governor_may_not_add_a_senco_or_change_the_records(
    world: World, sen_link_governor: Any
) -> None:
    client = client_for(sen_link_governor)
    assert client.post(reverse("offer:senco-add"), _senco_post()).status_code == 403
    assert client.post(reverse("offer:governance-edit"), _governance_post(0)).status_code == 403
    assert not SencoDesignation.objects.exists() and not Governance.objects.exists()


# Designating and changing a SENCO


def test_the_senco_designates_a_senco_and_the_qualification_clock_opens(
    world: World, senco: Any
) -> None:
    response = client_for(senco).post(reverse("offer:senco-add"), _senco_post(user=str(senco.pk)))
    assert response.status_code == 302 and response.url == PAGE
    designation = SencoDesignation.objects.get(school=world.school)
    assert (designation.name, designation.user, str(designation.hours_per_week)) == (
        "Marcus Reid",
        senco,
        "12.5",
    )
    clock = Clock.objects.get(kind=Kind.SENCO_QUALIFICATION, subject_id=designation.pk)
    assert clock.state == Clock.State.OPEN


def test_a_senco_who_is_not_a_qualified_teacher_is_refused_on_the_page(
    world: World, senco: Any
) -> None:
    post = _senco_post(qualified_teacher="no", induction_completed="no", name="Kim Lee")
    response = client_for(senco).post(reverse("offer:senco-add"), post)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "A SENCO must be a qualified teacher working at the school, or the headteacher" in html
    assert 'value="Kim Lee"' in html  # what was typed is kept
    assert not SencoDesignation.objects.exists()


def test_missing_answers_show_in_the_error_summary(world: World, senco: Any) -> None:
    response = client_for(senco).post(reverse("offer:senco-add"), {})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the SENCO&#x27;s full name" in html
    assert "Enter the date they became SENCO at this school" in html
    assert "Select whether they are a qualified teacher" in html


def test_a_late_national_award_is_saved_with_a_warning(world: World, senco: Any) -> None:
    designation = SencoDesignationFactory(school=world.school)
    post = _senco_post(version="1", qualification="nasenco") | _date(
        "qualification_started_on", dt.date(2024, 9, 2)
    )
    client = client_for(senco)
    response = client.post(reverse("offer:senco-edit", args=[designation.pk]), post, follow=True)
    html = response.content.decode()
    assert "Not compliant: A National Award started on or after 1 September 2024" in html
    designation.refresh_from_db()
    assert designation.qualification == SencoDesignation.Qualification.NASENCO


def test_a_conflicting_save_shows_the_details_now_and_keeps_what_was_typed(
    world: World, senco: Any, head: Any
) -> None:
    designation = SencoDesignationFactory(school=world.school, phone="0113 496 0001")
    url = reverse("offer:senco-edit", args=[designation.pk])
    client_for(head).post(url, _senco_post(version="1", phone="0113 496 0002"))
    response = client_for(senco).post(url, _senco_post(version="1", phone="0113 496 0003"))
    html = response.content.decode()
    assert "Someone else changed these details" in html
    assert "The details as they are now" in html and "0113 496 0002" in html
    assert 'value="0113 496 0003"' in html
    assert 'name="version" value="2"' in html
    again = client_for(senco).post(url, _senco_post(version="2", phone="0113 496 0003"))
    assert again.status_code == 302
    designation.refresh_from_db()
    assert (designation.phone, designation.version) == ("0113 496 0003", 3)


def test_ending_a_designation_moves_it_to_past_sencos(world: World, senco: Any) -> None:
    designation = SencoDesignationFactory(school=world.school, name="Wei Chen")
    url = reverse("offer:senco-end", args=[designation.pk])
    client = client_for(senco)
    assert client.post(url, _date("ended_on", TODAY + DAY)).status_code == 200
    response = client.post(url, _date("ended_on", TODAY - DAY), follow=True)
    designation.refresh_from_db()
    assert designation.ended_on == TODAY - DAY
    assert "Wei Chen is no longer SENCO" in response.content.decode()


# The governance record


def test_the_head_saves_the_governance_record(world: World, head: Any) -> None:
    response = client_for(head).post(reverse("offer:governance-edit"), _governance_post(0))
    assert response.status_code == 302
    record = Governance.objects.get(school=world.school)
    assert (record.sen_link_governor, record.medical_policy_on) == (
        "Tunde Adeyemi",
        TODAY - 30 * DAY,
    )


def test_a_review_before_the_agreed_date_is_shown_as_an_error(world: World, head: Any) -> None:
    post = _governance_post(0) | _date("accessibility_plan_review_on", TODAY - 401 * DAY)
    response = client_for(head).post(reverse("offer:governance-edit"), post)
    html = response.content.decode()
    assert "There is a problem" in html
    assert "next review must be on or after the date it was agreed" in html
    assert not Governance.objects.exists()


def test_a_conflicting_governance_save_keeps_the_typed_values_at_the_current_version(
    world: World, head: Any
) -> None:
    GovernanceFactory(school=world.school, version=4, designated_teacher="Tom Gallagher")
    post = _governance_post(3, designated_teacher="Aisha Rahman")
    response = client_for(head).post(reverse("offer:governance-edit"), post)
    html = response.content.decode()
    assert "The records as they are now" in html and "Tom Gallagher" in html
    assert 'value="Aisha Rahman"' in html and 'name="version" value="4"' in html


def test_the_edit_form_opens_with_the_record_as_it_is(world: World, senco: Any) -> None:
    GovernanceFactory(school=world.school, version=2, sen_link_governor="Ruth Ojo")
    html = client_for(senco).get(reverse("offer:governance-edit")).content.decode()
    assert 'value="Ruth Ojo"' in html and 'name="version" value="2"' in html
