"""The SENCO designation and the governance record through offer.services_governance: reg 49's
eligibility and qualification clock (domain.md 6), stale forms, history and audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from offer.models import Governance, SencoDesignation
from offer.selectors import qualification_check
from offer.services_governance import (
    governance_save,
    senco_designate,
    senco_end,
    senco_update,
)
from sendadmin.accounts.models import AuditEvent
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_months
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.factories.dates import TODAY
from tests.factories.offer_governance import GovernanceFactory

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
BECAME = TODAY - dt.timedelta(days=200)
NPQ = SencoDesignation.Qualification.NPQ
NASENCO = SencoDesignation.Qualification.NASENCO


def _data(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Priya Sharma",
        "email": "senco@oakfield.example",
        "phone": "0113 496 0101",
        "qualified_teacher": True,
        "induction_completed": True,
        "is_headteacher": False,
        "became_senco_on": BECAME,
        "prior_senco_months": 0,
        "qualification": SencoDesignation.Qualification.NONE,
        "qualification_started_on": None,
        "qualification_completed_on": None,
        "hours_per_week": Decimal("12.5"),
    } | overrides


def _clocks(designation: SencoDesignation) -> Any:
    return Clock.objects.filter(kind=Kind.SENCO_QUALIFICATION, subject_id=designation.pk).order_by(
        "pk"
    )


def _open(designation: SencoDesignation) -> Clock:
    return _clocks(designation).get(state=Clock.State.OPEN)


def _refusal(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# Designating a SENCO


def test_a_senco_who_is_neither_a_qualified_teacher_nor_the_head_is_refused(
    world: World, senco: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        senco_designate(
            world.school,
            data=_data(qualified_teacher=False, induction_completed=False),
            by=senco,
        )
    assert _refusal(exc)["qualified_teacher"] == [
        "A SENCO must be a qualified teacher working at the school, or the headteacher "
        "(SEND Regulations 2014, reg 49(1)-(3))"
    ]
    assert not SencoDesignation.objects.exists()
    assert not Clock.objects.exists()


def test_a_qualified_teacher_who_has_not_completed_induction_is_refused(
    world: World, senco: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        senco_designate(world.school, data=_data(induction_completed=False), by=senco)
    assert "reg 49(2)" in _refusal(exc)["induction_completed"][0]
    assert not SencoDesignation.objects.exists()


def test_the_headteacher_may_be_senco_without_being_a_qualified_teacher(
    world: World, head: Any
) -> None:
    designation = senco_designate(
        world.school,
        data=_data(qualified_teacher=False, induction_completed=False, is_headteacher=True),
        by=head,
    )
    assert designation.is_headteacher and not designation.qualified_teacher


def test_designating_opens_the_qualification_clock_due_on_the_third_anniversary(
    world: World, senco: Any
) -> None:
    designation = senco_designate(world.school, data=_data(), by=senco)
    clock = _open(designation)
    assert clock.due_on == add_months(BECAME, 36)
    assert clock.started_on == BECAME
    assert clock.school == world.school
    assert clock.responsible_role == Role.HEADTEACHER
    assert clock.subject == designation
    assert designation.history.get().history_user == senco
    event = AuditEvent.objects.get(action="offer.senco.designated")
    assert event.data["qualification_due"] == add_months(BECAME, 36).isoformat()


def test_the_governing_body_may_name_another_role_to_answer_for_the_clock(
    world: World, senco: Any
) -> None:
    designation = senco_designate(
        world.school, data=_data(), by=senco, responsible_role=Role.SEN_LINK_GOVERNOR
    )
    assert _open(designation).responsible_role == Role.SEN_LINK_GOVERNOR


@pytest.mark.parametrize(
    "overrides",
    [
        {"prior_senco_months": 13},  # more than 12 months as a SENCO before
        {"became_senco_on": dt.date(2009, 9, 1)},  # not after 1 September 2009
        {  # a National Award that counts, already held
            "qualification": NASENCO,
            "qualification_started_on": dt.date(2022, 9, 5),
            "qualification_completed_on": dt.date(2023, 7, 14),
        },
    ],
)
def test_no_clock_opens_when_reg_49_4_does_not_apply_or_the_qualification_is_held(
    world: World, senco: Any, overrides: dict[str, Any]
) -> None:
    designation = senco_designate(world.school, data=_data(**overrides), by=senco)
    assert not _clocks(designation).exists()


def test_a_completion_date_in_the_future_or_before_the_start_is_refused(
    world: World, senco: Any
) -> None:
    future = _data(
        qualification=NPQ, qualification_started_on=BECAME, qualification_completed_on=TODAY + DAY
    )
    with pytest.raises(ValidationError) as exc:
        senco_designate(world.school, data=future, by=senco)
    assert "cannot be in the future" in _refusal(exc)["qualification_completed_on"][0]
    backwards = _data(
        qualification=NPQ, qualification_started_on=BECAME, qualification_completed_on=BECAME - DAY
    )
    with pytest.raises(ValidationError) as exc:
        senco_designate(world.school, data=backwards, by=senco)
    assert "after the date the course started" in _refusal(exc)["qualification_completed_on"][0]


def test_a_qualification_needs_its_start_date_and_none_needs_no_dates(
    world: World, senco: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        senco_designate(world.school, data=_data(qualification=NPQ), by=senco)
    assert _refusal(exc)["qualification_started_on"] == [
        "Enter the date the qualification course started"
    ]
    with pytest.raises(ValidationError) as exc:
        senco_designate(world.school, data=_data(qualification_started_on=BECAME), by=senco)
    assert "qualification" in _refusal(exc)


def test_a_staff_account_of_another_school_is_refused(world: World, senco: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        senco_designate(world.school, data=_data(user=world.users["other_school_senco"]), by=senco)
    assert _refusal(exc)["user"] == ["Choose a member of staff of this school"]
    linked = senco_designate(world.school, data=_data(user=senco), by=senco)
    assert linked.user == senco


# Changing a designation


def test_a_stale_form_is_refused_and_nothing_is_saved(world: World, senco: Any, head: Any) -> None:
    designation = senco_designate(world.school, data=_data(), by=senco)
    senco_update(designation, {"phone": "0113 496 0999"}, 1, head)
    with pytest.raises(ValidationError) as exc:
        senco_update(designation, {"phone": "0113 496 0555"}, 1, senco)
    assert exc.value.code == "stale"
    designation.refresh_from_db()
    assert (designation.phone, designation.version) == ("0113 496 0999", 2)


def test_the_same_form_sent_twice_changes_nothing(world: World, senco: Any) -> None:
    designation = senco_designate(world.school, data=_data(), by=senco)
    senco_update(designation, {"hours_per_week": Decimal("15")}, 1, senco)
    again = senco_update(designation, {"hours_per_week": Decimal("15.0")}, 1, senco)
    assert again.version == 2
    assert designation.history.count() == 2


def test_recording_a_completed_npq_meets_the_clock_on_the_completion_date(
    world: World, senco: Any
) -> None:
    designation = senco_designate(world.school, data=_data(), by=senco)
    clock = _open(designation)
    completed = TODAY - 10 * DAY
    senco_update(
        designation,
        {
            "qualification": NPQ,
            "qualification_started_on": BECAME,
            "qualification_completed_on": completed,
        },
        1,
        senco,
    )
    clock.refresh_from_db()
    assert (clock.state, clock.met_on) == (Clock.State.MET, completed)
    assert not _clocks(designation).filter(state=Clock.State.OPEN).exists()


def test_an_npq_in_progress_keeps_the_clock_open(world: World, senco: Any) -> None:
    designation = senco_designate(world.school, data=_data(), by=senco)
    senco_update(designation, {"qualification": NPQ, "qualification_started_on": BECAME}, 1, senco)
    assert _open(designation).due_on == add_months(BECAME, 36)


def test_changing_the_date_appointed_cancels_the_clock_and_opens_one_at_the_new_due_date(
    world: World, senco: Any
) -> None:
    designation = senco_designate(
        world.school, data=_data(), by=senco, responsible_role=Role.SEN_LINK_GOVERNOR
    )
    old = _open(designation)
    corrected = BECAME - 60 * DAY
    senco_update(designation, {"became_senco_on": corrected}, 1, senco)
    old.refresh_from_db()
    assert old.state == Clock.State.CANCELLED
    assert "now due by" in old.cancelled_reason
    new = _open(designation)
    assert (new.started_on, new.due_on) == (corrected, add_months(corrected, 36))
    assert new.responsible_role == Role.SEN_LINK_GOVERNOR


def test_prior_experience_of_more_than_twelve_months_cancels_the_clock(
    world: World, senco: Any
) -> None:
    designation = senco_designate(world.school, data=_data(), by=senco)
    senco_update(designation, {"prior_senco_months": 18}, 1, senco)
    clock = _clocks(designation).get()
    assert clock.state == Clock.State.CANCELLED
    assert "no longer applies (reg 49(4))" in clock.cancelled_reason


def test_a_national_award_started_after_the_2024_change_is_recorded_but_flagged(
    world: World, senco: Any
) -> None:
    designation = senco_designate(world.school, data=_data(), by=senco)
    saved = senco_update(
        designation,
        {
            "qualification": NASENCO,
            "qualification_started_on": dt.date(2024, 9, 1),
            "qualification_completed_on": TODAY - DAY,
        },
        1,
        senco,
    )
    assert saved.qualification == NASENCO
    check = qualification_check(saved, TODAY)
    assert not check.compliant
    assert "NPQ for SENCOs (reg 49(7)-(9))" in check.message
    assert _open(saved).due_on == add_months(BECAME, 36)  # still owed: the award does not count


def test_an_ended_designation_cannot_be_changed(world: World, senco: Any) -> None:
    designation = senco_designate(world.school, data=_data(), by=senco)
    senco_end(designation, TODAY, senco)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        senco_update(designation, {"phone": "0113 496 0777"}, 2, senco)


# Ending a designation


def test_ending_a_designation_cancels_its_clock_with_the_reason(world: World, senco: Any) -> None:
    designation = senco_designate(world.school, data=_data(), by=senco)
    ended = senco_end(designation, TODAY - DAY, senco)
    assert ended.ended_on == TODAY - DAY
    clock = _clocks(designation).get()
    assert clock.state == Clock.State.CANCELLED
    assert clock.cancelled_reason.startswith("Priya Sharma stopped being SENCO on")
    assert AuditEvent.objects.filter(action="offer.senco.ended").count() == 1
    assert senco_end(designation, TODAY - DAY, senco).ended_on == TODAY - DAY  # sent twice


@pytest.mark.parametrize(
    ("ended_on", "message"),
    [
        (None, "Enter the date they stopped being SENCO"),
        (TODAY + DAY, "cannot be in the future"),
        (BECAME - DAY, "after the date they became SENCO"),
    ],
)
def test_an_impossible_end_date_is_refused(
    world: World, senco: Any, ended_on: dt.date | None, message: str
) -> None:
    designation = senco_designate(world.school, data=_data(), by=senco)
    with pytest.raises(ValidationError) as exc:
        senco_end(designation, ended_on, senco)
    assert message in _refusal(exc)["ended_on"][0]
    assert _open(designation)


# The governance record


GOVERNANCE = {
    "sen_link_governor": "Tunde Adeyemi",
    "accessibility_plan_on": TODAY - 400 * DAY,
    "accessibility_plan_review_on": TODAY + 700 * DAY,
    "medical_policy_on": TODAY - 100 * DAY,
    "medical_policy_review_on": TODAY + 265 * DAY,
    "designated_teacher": "Aisha Rahman",
}


def test_the_first_save_creates_the_governance_record(world: World, head: Any) -> None:
    record = governance_save(world.school, GOVERNANCE, 0, head)
    assert (record.version, record.sen_link_governor) == (1, "Tunde Adeyemi")
    assert record.history.get().history_user == head
    assert AuditEvent.objects.get(action="offer.governance.saved").data["school_id"] == (
        world.school.pk
    )


def test_a_stale_governance_form_is_refused(world: World, head: Any, senco: Any) -> None:
    governance_save(world.school, GOVERNANCE, 0, head)
    with pytest.raises(ValidationError) as exc:
        governance_save(
            world.school, {**GOVERNANCE, "designated_teacher": "Tom Gallagher"}, 0, senco
        )
    assert exc.value.code == "stale"
    assert Governance.objects.get(school=world.school).designated_teacher == "Aisha Rahman"
    saved = governance_save(
        world.school, {**GOVERNANCE, "designated_teacher": "Tom Gallagher"}, 1, senco
    )
    assert saved.version == 2


def test_a_record_opened_before_it_existed_is_stale_once_someone_else_created_it(
    world: World, head: Any
) -> None:
    GovernanceFactory(school=world.school, version=3)
    with pytest.raises(ValidationError) as exc:
        governance_save(world.school, GOVERNANCE, None, head)
    assert exc.value.code == "stale"


@pytest.mark.parametrize(
    ("agreed", "review"),
    [
        ("accessibility_plan_on", "accessibility_plan_review_on"),
        ("medical_policy_on", "medical_policy_review_on"),
    ],
)
def test_a_review_date_before_the_agreed_date_is_refused(
    world: World, head: Any, agreed: str, review: str
) -> None:
    data = {**GOVERNANCE, agreed: TODAY - 10 * DAY, review: TODAY - 11 * DAY}
    with pytest.raises(ValidationError) as exc:
        governance_save(world.school, data, 0, head)
    assert "on or after the date it was agreed" in _refusal(exc)[review][0]
    assert not Governance.objects.exists()


def test_an_agreed_date_in_the_future_is_refused(world: World, head: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        governance_save(world.school, {**GOVERNANCE, "medical_policy_on": TODAY + DAY}, 0, head)
    assert "cannot be in the future" in _refusal(exc)["medical_policy_on"][0]


def test_a_staff_member_with_an_ended_membership_cannot_be_linked(world: World, senco: Any) -> None:
    leaver = UserFactory(email="leaver@oakfield.example")
    MembershipFactory(user=leaver, school=world.school, role=Role.TEACHER, ended=True)
    with pytest.raises(ValidationError) as exc:
        senco_designate(world.school, data=_data(user=leaver), by=senco)
    assert "user" in _refusal(exc)
