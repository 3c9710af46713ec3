"""Parents, carers and medical conditions: the pages, who may use them, validation, the review
clock, history and audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pupils.models import MedicalCondition, ParentCarer
from pupils.selectors import history_version
from pupils.services import medical_condition_record, parent_carer_add
from sendadmin.accounts.models import AuditEvent
from sendadmin.accounts.selectors import membership_current_for
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World, client_for
from tests.factories import MedicalConditionFactory, ParentCarerFactory
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)

PARENT = {
    "name": "Grace Okafor",
    "relationship": "Mother",
    "phone": "07700 900982",
    "email": "grace@example.org",
    "address": "1 Oak Lane\nNorthmoor",
    "contact_preference": "email",
    "has_parental_responsibility": "yes",
}


def _date(prefix: str, d: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(d.day),
        f"{prefix}_month": str(d.month),
        f"{prefix}_year": str(d.year),
    }


def _condition(name: str = "Epilepsy", review_on: dt.date | None = None) -> dict[str, str]:
    data = {"condition": name, "has_healthcare_plan": "yes" if review_on else "no"}
    return data | (_date("healthcare_plan_review_on", review_on) if review_on else {})


def _acting(user: Any) -> Any:
    """A user as the middleware leaves them in a request: acting in their current membership."""
    user.active_membership = membership_current_for(user)
    return user


def _review_clocks(record: MedicalCondition) -> Any:
    return Clock.objects.filter(kind=Kind.HEALTHCARE_PLAN_REVIEW, subject_id=record.pk)


def _audit(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


# Parents and carers


def test_senco_adds_a_parent_through_the_page(world: World, senco: Any) -> None:
    url = reverse("pupils:parent-carer-add", args=[world.pupil.pk])
    response = client_for(senco).post(url, PARENT)
    assert response.status_code == 302
    assert response.url == reverse("pupils:pupil-detail", args=[world.pupil.pk])
    parent = ParentCarer.objects.get(pupil=world.pupil)
    assert (parent.name, parent.phone, parent.address) == (
        "Grace Okafor",
        "07700 900982",
        "1 Oak Lane\nNorthmoor",
    )
    assert parent.has_parental_responsibility is True
    assert parent.history.get().history_user == senco
    event = _audit("pupils.parent_carer.added")
    assert (event.actor, event.target_id, event.data) == (
        senco,
        str(world.pupil.pk),
        {"parent_carer_id": parent.pk},
    )


def test_the_school_office_adds_a_parent_too(world: World, school_admin: Any) -> None:
    url = reverse("pupils:parent-carer-add", args=[world.pupil.pk])
    assert client_for(school_admin).post(url, PARENT).status_code == 302
    assert ParentCarer.objects.get(pupil=world.pupil).history.get().history_user == school_admin


def test_sending_the_add_form_twice_adds_one_parent(world: World, senco: Any) -> None:
    client = client_for(senco)
    url = reverse("pupils:parent-carer-add", args=[world.pupil.pk])
    assert client.post(url, PARENT).status_code == 302
    assert client.post(url, {**PARENT, "name": "  Grace   Okafor "}).status_code == 302
    assert ParentCarer.objects.filter(pupil=world.pupil).count() == 1
    assert AuditEvent.objects.filter(action="pupils.parent_carer.added").count() == 1


@pytest.mark.parametrize("persona", ["head", "senior_leader", "class_teacher", "ta"])
def test_roles_that_see_the_pupil_may_not_add_a_parent(
    world: World, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    url = reverse("pupils:parent-carer-add", args=[world.pupil.pk])
    assert client_for(user).post(url, PARENT).status_code == 403
    assert not ParentCarer.objects.exists()


def test_another_schools_senco_gets_404_for_our_parent(
    world: World, other_school_senco: Any
) -> None:
    parent = ParentCarerFactory(pupil=world.pupil)
    client = client_for(other_school_senco)
    edit = reverse("pupils:parent-carer-edit", args=[parent.pk])
    remove = reverse("pupils:parent-carer-remove", args=[parent.pk])
    assert client.post(edit, PARENT).status_code == 404
    assert client.post(remove).status_code == 404
    assert ParentCarer.objects.filter(pk=parent.pk).exists()


def test_the_service_refuses_a_teacher(world: World, class_teacher: Any) -> None:
    with pytest.raises(PermissionDenied):
        parent_carer_add(
            pupil=world.pupil,
            by=_acting(class_teacher),
            **{**PARENT, "has_parental_responsibility": True},
        )


def test_an_empty_parent_form_shows_every_error_in_the_summary(world: World, senco: Any) -> None:
    url = reverse("pupils:parent-carer-add", args=[world.pupil.pk])
    response = client_for(senco).post(url, {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "<title>Error: " in body
    for message in (
        "Enter the parent or carer&#x27;s full name",
        "Enter their relationship to the pupil",
        "Select how they prefer to be contacted",
        "Select whether they have parental responsibility",
    ):
        assert message in body
    # The summary links each error to its field; radios link to their first option.
    assert 'href="#id_contact_preference_0"' in body
    assert not ParentCarer.objects.exists()


def test_service_refusals_show_next_to_their_fields_and_nothing_typed_is_lost(
    world: World, senco: Any
) -> None:
    url = reverse("pupils:parent-carer-add", args=[world.pupil.pk])
    data = {**PARENT, "email": "", "phone": "call me", "contact_preference": "email"}
    response = client_for(senco).post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter an email address, or choose another way to contact them" in body
    assert "Enter a phone number, like 01632 960 001" in body
    assert 'href="#id_email"' in body
    assert 'value="Grace Okafor"' in body
    assert 'value="call me"' in body
    assert "1 Oak Lane\nNorthmoor</textarea>" in body
    assert not ParentCarer.objects.exists()


def test_senco_changes_a_parents_details(world: World, senco: Any) -> None:
    parent = ParentCarerFactory(pupil=world.pupil, name="Grace Okafor", phone="")
    url = reverse("pupils:parent-carer-edit", args=[parent.pk])
    client = client_for(senco)
    page = client.get(url).content.decode()
    assert f'name="version" value="{history_version(parent)}"' in page
    assert 'value="Grace Okafor"' in page
    data = {**PARENT, "version": history_version(parent), "contact_preference": "phone"}
    assert client.post(url, data).status_code == 302
    parent.refresh_from_db()
    assert (parent.phone, parent.contact_preference) == ("07700 900982", "phone")
    latest = parent.history.first()
    assert latest is not None
    assert (latest.history_type, latest.history_user) == ("~", senco)
    event = _audit("pupils.parent_carer.updated")
    assert event.actor == senco
    assert "phone" in event.data["fields"]


def test_a_stale_parent_form_is_refused_and_nothing_is_overwritten(
    world: World, senco: Any, school_admin: Any
) -> None:
    parent = ParentCarerFactory(pupil=world.pupil, phone="01632 960001")
    url = reverse("pupils:parent-carer-edit", args=[parent.pk])
    opened_at = history_version(parent)
    office = {**PARENT, "version": opened_at, "phone": "01632 960002"}
    assert client_for(school_admin).post(url, office).status_code == 302
    mine = {**PARENT, "version": opened_at, "phone": "01632 960003"}
    response = client_for(senco).post(url, mine)
    assert response.status_code == 200
    assert "Someone else changed these details" in response.content.decode()
    assert 'value="01632 960003"' in response.content.decode()
    parent.refresh_from_db()
    assert parent.phone == "01632 960002"
    # The page shows the details as they are now, and the typed form is at the current version:
    # saving again, having seen them, goes through.
    body = response.content.decode()
    assert "The details as they are now" in body and "01632 960002" in body
    current = history_version(parent)
    assert f'name="version" value="{current}"' in body
    again = client_for(senco).post(url, {**mine, "version": current})
    assert again.status_code == 302
    parent.refresh_from_db()
    assert parent.phone == "01632 960003"


def test_senco_removes_a_parent_after_confirming(world: World, senco: Any) -> None:
    parent = ParentCarerFactory(pupil=world.pupil, name="Grace Okafor")
    url = reverse("pupils:parent-carer-remove", args=[parent.pk])
    client = client_for(senco)
    page = client.get(url)
    assert page.status_code == 200
    assert "Are you sure you want to remove Grace Okafor?" in page.content.decode()
    assert ParentCarer.objects.filter(pk=parent.pk).exists()
    assert client.post(url).status_code == 302
    assert not ParentCarer.objects.filter(pk=parent.pk).exists()
    deleted = ParentCarer.history.filter(id=parent.pk, history_type="-").get()
    assert deleted.history_user == senco
    assert _audit("pupils.parent_carer.removed").data == {"parent_carer_id": parent.pk}
    # A second press finds nothing to remove.
    assert client.post(url).status_code == 404


def test_everyone_who_sees_the_pupil_sees_the_parents_and_only_editors_get_links(
    world: World, senco: Any, class_teacher: Any
) -> None:
    parent = ParentCarerFactory(pupil=world.pupil, name="Grace Okafor")
    MedicalConditionFactory(pupil=world.pupil, condition="Asthma")
    detail = reverse("pupils:pupil-detail", args=[world.pupil.pk])
    edit = reverse("pupils:parent-carer-edit", args=[parent.pk])
    teacher_page = client_for(class_teacher).get(detail).content.decode()
    assert "Grace Okafor" in teacher_page
    assert "Asthma" in teacher_page
    assert edit not in teacher_page
    assert "Add a parent or carer" not in teacher_page
    assert "Add a medical condition" not in teacher_page
    senco_page = client_for(senco).get(detail).content.decode()
    assert edit in senco_page
    assert "Add a parent or carer" in senco_page
    assert "Add a medical condition" in senco_page


# Medical conditions


def test_senco_adds_a_condition_with_a_plan_and_the_review_clock_opens(
    world: World, senco: Any
) -> None:
    url = reverse("pupils:medical-condition-add", args=[world.pupil.pk])
    response = client_for(senco).post(url, _condition("Epilepsy", TODAY + 100 * DAY))
    assert response.status_code == 302
    record = MedicalCondition.objects.get(pupil=world.pupil)
    assert (record.has_healthcare_plan, record.healthcare_plan_review_on) == (
        True,
        TODAY + 100 * DAY,
    )
    clock = _review_clocks(record).get()
    assert (clock.state, clock.due_on, clock.pupil) == ("open", TODAY + 100 * DAY, world.pupil)
    assert record.history.get().history_user == senco
    assert _audit("pupils.medical_condition.recorded").actor == senco


def test_sending_the_condition_form_twice_adds_one_condition_and_one_clock(
    world: World, senco: Any
) -> None:
    client = client_for(senco)
    url = reverse("pupils:medical-condition-add", args=[world.pupil.pk])
    data = _condition("Epilepsy", TODAY + 100 * DAY)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    record = MedicalCondition.objects.get(pupil=world.pupil)
    assert _review_clocks(record).count() == 1


def test_the_same_condition_with_other_answers_is_refused(world: World, senco: Any) -> None:
    MedicalConditionFactory(pupil=world.pupil, condition="Epilepsy")
    url = reverse("pupils:medical-condition-add", args=[world.pupil.pk])
    response = client_for(senco).post(url, _condition("epilepsy", TODAY + 10 * DAY))
    assert response.status_code == 200
    assert "already recorded for this pupil" in response.content.decode()
    assert MedicalCondition.objects.filter(pupil=world.pupil).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the medical condition"),
        ({}, "Select whether the pupil has an individual healthcare plan"),
        (
            {
                "condition": "Asthma",
                "has_healthcare_plan": "no",
                **_date("healthcare_plan_review_on", TODAY),
            },
            "A review date needs an individual healthcare plan",
        ),
        (
            _condition("Asthma", TODAY - DAY),
            "The review date must be today or in the future",
        ),
        (
            {
                "condition": "Asthma",
                "has_healthcare_plan": "yes",
                "healthcare_plan_review_on_day": "31",
                "healthcare_plan_review_on_month": "2",
                "healthcare_plan_review_on_year": "2027",
            },
            "Individual healthcare plan review date must be a real date",
        ),
    ],
)
def test_bad_condition_answers_show_in_the_error_summary(
    world: World, senco: Any, data: dict[str, str], message: str
) -> None:
    url = reverse("pupils:medical-condition-add", args=[world.pupil.pk])
    response = client_for(senco).post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert message in body
    assert not MedicalCondition.objects.exists()
    assert not Clock.objects.filter(kind=Kind.HEALTHCARE_PLAN_REVIEW).exists()


def test_a_bad_date_keeps_what_was_typed(world: World, senco: Any) -> None:
    url = reverse("pupils:medical-condition-add", args=[world.pupil.pk])
    data = {
        "condition": "Type 1 diabetes",
        "has_healthcare_plan": "yes",
        "healthcare_plan_review_on_day": "31",
        "healthcare_plan_review_on_month": "2",
        "healthcare_plan_review_on_year": "2027",
    }
    body = client_for(senco).post(url, data).content.decode()
    assert 'value="Type 1 diabetes"' in body
    assert 'id="id_healthcare_plan_review_on_day" name="healthcare_plan_review_on_day"' in body
    assert 'value="31"' in body
    assert 'href="#id_healthcare_plan_review_on_day"' in body


@pytest.mark.parametrize("persona", ["school_admin", "head", "class_teacher", "ta"])
def test_only_the_senco_edits_medical_conditions(
    world: World, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    record = MedicalConditionFactory(pupil=world.pupil)
    client = client_for(user)
    add = reverse("pupils:medical-condition-add", args=[world.pupil.pk])
    assert client.post(add, _condition("Asthma")).status_code == 403
    edit = reverse("pupils:medical-condition-edit", args=[record.pk])
    assert client.post(edit, _condition("Hay fever")).status_code == 403
    remove = reverse("pupils:medical-condition-remove", args=[record.pk])
    assert client.post(remove).status_code == 403
    record.refresh_from_db()
    assert record.condition == "Asthma"


def test_a_new_review_date_cancels_the_open_clock_and_opens_one_due_then(
    world: World, senco: Any
) -> None:
    record = medical_condition_record(
        pupil=world.pupil,
        condition="Epilepsy",
        has_healthcare_plan=True,
        healthcare_plan_review_on=TODAY + 30 * DAY,
        by=_acting(senco),
    )
    url = reverse("pupils:medical-condition-edit", args=[record.pk])
    client = client_for(senco)
    assert 'name="healthcare_plan_review_on_day" type="text" inputmode="numeric" value="' in (
        client.get(url).content.decode()
    )
    data = {**_condition("Epilepsy", TODAY + 60 * DAY), "version": history_version(record)}
    assert client.post(url, data).status_code == 302
    clocks = {c.due_on: c for c in _review_clocks(record)}
    assert clocks[TODAY + 30 * DAY].state == "cancelled"
    assert clocks[TODAY + 30 * DAY].cancelled_reason == (
        "The individual healthcare plan review date was changed"
    )
    assert clocks[TODAY + 60 * DAY].state == "open"
    assert _review_clocks(record).filter(state="open").count() == 1
    record.refresh_from_db()
    latest = record.history.first()
    assert latest is not None
    assert latest.history_user == senco
    assert _audit("pupils.medical_condition.updated").data["fields"] == [
        "healthcare_plan_review_on"
    ]


def test_a_condition_renamed_keeps_its_clock(world: World, senco: Any) -> None:
    record = medical_condition_record(
        pupil=world.pupil,
        condition="Epilepsy",
        has_healthcare_plan=True,
        healthcare_plan_review_on=TODAY + 30 * DAY,
        by=_acting(senco),
    )
    clock = _review_clocks(record).get()
    url = reverse("pupils:medical-condition-edit", args=[record.pk])
    data = {**_condition("Epilepsy (focal)", TODAY + 30 * DAY), "version": history_version(record)}
    assert client_for(senco).post(url, data).status_code == 302
    assert list(_review_clocks(record)) == [clock]
    clock.refresh_from_db()
    assert clock.state == "open"


def test_no_plan_any_more_cancels_the_review_clock(world: World, senco: Any) -> None:
    record = medical_condition_record(
        pupil=world.pupil,
        condition="Epilepsy",
        has_healthcare_plan=True,
        healthcare_plan_review_on=TODAY + 30 * DAY,
        by=_acting(senco),
    )
    url = reverse("pupils:medical-condition-edit", args=[record.pk])
    data = {**_condition("Epilepsy"), "version": history_version(record)}
    assert client_for(senco).post(url, data).status_code == 302
    assert not _review_clocks(record).filter(state="open").exists()
    assert _review_clocks(record).get().state == "cancelled"


def test_a_stale_condition_form_is_refused(world: World, senco: Any) -> None:
    record = MedicalConditionFactory(pupil=world.pupil, condition="Asthma")
    url = reverse("pupils:medical-condition-edit", args=[record.pk])
    stale = history_version(record)
    medical = {**_condition("Severe asthma"), "version": stale}
    assert client_for(senco).post(url, medical).status_code == 302
    response = client_for(senco).post(url, {**_condition("Mild asthma"), "version": stale})
    assert "Someone else changed these details" in response.content.decode()
    record.refresh_from_db()
    assert record.condition == "Severe asthma"
    body = response.content.decode()
    assert "The condition as it is now" in body and "Severe asthma" in body
    again = {**_condition("Mild asthma"), "version": history_version(record)}
    assert f'value="{again["version"]}"' in body
    assert client_for(senco).post(url, again).status_code == 302
    record.refresh_from_db()
    assert record.condition == "Mild asthma"


def test_removing_a_condition_cancels_its_clock(world: World, senco: Any) -> None:
    record = medical_condition_record(
        pupil=world.pupil,
        condition="Epilepsy",
        has_healthcare_plan=True,
        healthcare_plan_review_on=TODAY + 30 * DAY,
        by=_acting(senco),
    )
    url = reverse("pupils:medical-condition-remove", args=[record.pk])
    client = client_for(senco)
    page = client.get(url).content.decode()
    assert "Are you sure you want to remove Epilepsy?" in page
    assert "will be cancelled" in page
    assert client.post(url).status_code == 302
    assert not MedicalCondition.objects.filter(pk=record.pk).exists()
    clock = _review_clocks(record).get()
    assert clock.state == "cancelled"
    assert clock.cancelled_reason == "The medical condition was removed from the pupil's record"
    deleted = MedicalCondition.history.filter(id=record.pk, history_type="-").get()
    assert deleted.history_user == senco
    assert _audit("pupils.medical_condition.removed").actor == senco


def test_the_condition_services_refuse_the_school_office(world: World, school_admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        medical_condition_record(
            pupil=world.pupil,
            condition="Asthma",
            has_healthcare_plan=False,
            healthcare_plan_review_on=None,
            by=_acting(school_admin),
        )


def test_the_condition_service_names_the_field_in_its_refusal(world: World, senco: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        medical_condition_record(
            pupil=world.pupil,
            condition=" ",
            has_healthcare_plan=False,
            healthcare_plan_review_on=TODAY,
            by=_acting(senco),
        )
    assert set(exc.value.message_dict) == {"condition", "healthcare_plan_review_on"}
