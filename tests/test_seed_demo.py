"""`manage.py seed_demo` builds the demo world the newcomer sees, and only once."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from ehcp.models import AdviceRequest, AssessmentCase, Plan, PlanVersion
from pupils.codes import NeedType, SenProvision
from pupils.models import Pupil, PupilNeed, TeachingGroup, TeachingGroupPupil, TeachingGroupStaff
from pupils.provision.models import (
    NotionalSenBudget,
    Provision,
    ProvisionAssignment,
    SessionAttendance,
    SessionLog,
)
from pupils.provision.selectors import (
    financial_year_start,
    provision_map_for_school,
    provisions_to_log_for,
)
from pupils.upn import is_valid_upn
from sendadmin.accounts.models import AuditEvent, LocalAuthority, Membership, School, User
from sendadmin.accounts.selectors import membership_current_for
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock, Status
from sendadmin.clocks.selectors import clock_list_responsible_for
from sendadmin.core.demo import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    FORMER_LOGIN,
    NORTHMOOR,
    academic_year_start,
)
from sendadmin.core.demo_sen2 import _schedule
from sendadmin.dashboards import la as figures
from tests.conftest import LONDON, client_for
from tests.dashboards.test_la_figures import by_hand_percent
from tests.dashboards.test_la_pages import cells
from tests.factories.dates import TODAY

MAINSTREAM = ["Oakfield Primary School", "Riverside Academy", "Hillcrest Primary School"]
MODELS = [
    LocalAuthority,
    School,
    User,
    Membership,
    Pupil,
    PupilNeed,
    TeachingGroup,
    TeachingGroupPupil,
    TeachingGroupStaff,
    Clock,
    Provision,
    ProvisionAssignment,
    SessionLog,
    SessionAttendance,
    NotionalSenBudget,
]


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """Seed once for the module inside a transaction that is rolled back afterwards.

    Seeded on TODAY, like the tests that read it: demo dates are relative to the day of seeding.
    """
    on_today = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=LONDON)
    with (
        time_machine.travel(on_today, tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def _counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in MODELS}


def test_seed_demo_creates_the_two_local_authorities_and_four_schools() -> None:
    assert set(LocalAuthority.objects.values_list("code", "name")) == {
        ("990", "Northmoor"),
        ("991", "Eastbrook"),
    }
    assert dict(School.objects.values_list("urn", "local_authority__code")) == {
        "990001": "990",
        "990002": "990",
        "990003": "990",
        "991001": "991",
    }
    northmoor = LocalAuthority.objects.get(code="990")
    assert northmoor.local_offer_url == "https://localoffer.northmoor.example"
    assert northmoor.iass_name == "Northmoor SENDIASS"
    assert northmoor.iass_phone and northmoor.iass_email


def test_seed_demo_creates_about_fifteen_hundred_pupils() -> None:
    assert 1_400 <= Pupil.objects.count() <= 1_600


@pytest.mark.parametrize(("provision", "target"), [("E", 0.04), ("K", 0.148), ("N", 0.812)])
def test_mainstream_sen_provision_is_close_to_the_national_rates(
    provision: str, target: float
) -> None:
    """The register as seeded follows the national rates; pupils whose plans the demo's finished
    EHC needs assessments issued (demo_ehcp, demo_sen2) moved from K to E, so count them as K."""
    for school in MAINSTREAM:
        roll = Pupil.objects.filter(school__name=school)
        issued = roll.filter(assessment_cases__plan__versions__kind="final").distinct()
        as_seeded = {
            SenProvision.EHC_PLAN: roll.filter(sen_provision="E").exclude(pk__in=issued).count(),
            SenProvision.SEN_SUPPORT: roll.filter(sen_provision="K").count() + issued.count(),
        }
        count = as_seeded.get(provision, roll.filter(sen_provision=provision).count())
        assert abs(count / roll.count() - target) < 0.01, school


def test_every_pupil_at_the_special_school_has_an_ehc_plan() -> None:
    roll = Pupil.objects.filter(school__name="Brookside Special School")
    assert roll.exists()
    assert not roll.exclude(sen_provision=SenProvision.EHC_PLAN).exists()


def test_every_pupil_with_sen_has_exactly_one_primary_need_and_others_none() -> None:
    primaries = Count("needs", filter=Q(needs__rank=1))
    with_sen = Pupil.objects.exclude(sen_provision=SenProvision.NO_SEN).annotate(n=primaries)
    assert set(with_sen.values_list("n", flat=True)) == {1}
    assert not PupilNeed.objects.filter(pupil__sen_provision=SenProvision.NO_SEN).exists()


def test_about_thirty_percent_of_pupils_with_sen_have_a_second_need_of_a_different_type() -> None:
    with_sen = Pupil.objects.exclude(sen_provision=SenProvision.NO_SEN).count()
    seconds = PupilNeed.objects.filter(rank=2)
    assert 0.2 < seconds.count() / with_sen < 0.4
    assert not PupilNeed.objects.filter(rank__gt=2).exists()
    assert not seconds.filter(code=NeedType.NSA).exists()


def test_no_pupil_with_an_ehc_plan_is_recorded_as_nsa() -> None:
    assert not PupilNeed.objects.filter(
        pupil__sen_provision=SenProvision.EHC_PLAN, code=NeedType.NSA
    ).exists()


def test_every_upn_is_valid_and_carries_the_school_la_and_establishment() -> None:
    for upn, la_code, urn in Pupil.objects.values_list(
        "upn", "school__local_authority__code", "school__urn"
    ):
        assert is_valid_upn(upn), upn
        assert upn[1:8] == la_code + urn[-4:], upn


def test_dates_of_birth_match_the_year_group() -> None:
    year = academic_year_start(timezone.localdate()).year
    for born, year_group, admitted in Pupil.objects.values_list(
        "date_of_birth", "year_group", "admission_date"
    ):
        # A Year N pupil is N + 4 on the 31 August before the academic year starts.
        assert dt.date(year - year_group - 5, 9, 1) <= born <= dt.date(year - year_group - 4, 8, 31)
        assert born < admitted <= timezone.localdate()


def test_about_one_percent_are_looked_after_with_at_least_three_at_oakfield() -> None:
    looked_after = Pupil.objects.filter(looked_after=True)
    assert 0.005 <= looked_after.count() / Pupil.objects.count() <= 0.02
    assert looked_after.filter(school__name="Oakfield Primary School").count() >= 3


def test_every_pupil_is_in_a_current_teaching_group() -> None:
    today = timezone.localdate()
    current = TeachingGroupPupil.objects.filter(
        Q(end__isnull=True) | Q(end__gte=today), start__lte=today
    )
    assert not Pupil.objects.exclude(pk__in=current.values("pupil")).exists()
    assert not current.exclude(group__school=F("pupil__school")).exists()


@pytest.mark.parametrize(("role", "organisation", "email"), DEMO_LOGINS)
def test_every_demo_login_authenticates_and_has_a_current_membership(
    role: str, organisation: str, email: str
) -> None:
    request = RequestFactory().post("/accounts/login/")
    user = authenticate(request, username=email, password=DEMO_PASSWORD)
    assert user is not None
    current = Membership.objects.current().filter(user=user, role=role)
    assert current.filter(Q(school__name=organisation) | Q(local_authority__name=organisation))


def test_the_former_teacher_can_sign_in_but_has_no_current_membership_or_class() -> None:
    _, _, email = FORMER_LOGIN
    user = User.objects.get(email=email)
    assert Membership.objects.filter(user=user).exists()
    assert not Membership.objects.current().filter(user=user).exists()
    assert not TeachingGroupStaff.objects.filter(user=user, end__isnull=True).exists()


def test_the_teacher_teaches_only_year_4_and_the_ta_years_4_and_5() -> None:
    def years(email: str) -> set[int | None]:
        links = TeachingGroupStaff.objects.filter(user__email=email, end__isnull=True)
        return set(links.values_list("group__year_group", flat=True))

    assert years("teacher@oakfield.example") == {4}
    assert years("ta@oakfield.example") == {4, 5}
    assert years("designated@oakfield.example") == {6}


@pytest.mark.parametrize(("role", "organisation", "email"), DEMO_LOGINS)
def test_every_demo_login_has_an_open_clock_to_answer_for_in_each_membership(
    role: str, organisation: str, email: str
) -> None:
    user = User.objects.get(email=email)
    user.active_membership = Membership.objects.current().get(  # type: ignore[attr-defined]
        Q(school__name=organisation) | Q(local_authority__name=organisation), user=user, role=role
    )
    assert clock_list_responsible_for(user).exists()


@pytest.mark.parametrize("email", sorted({email for _, _, email in DEMO_LOGINS}))
def test_every_demo_login_signs_in_to_a_non_empty_my_deadlines_page(email: str) -> None:
    user = User.objects.get(email=email)
    user.active_membership = membership_current_for(user)  # type: ignore[attr-defined]
    assert clock_list_responsible_for(user).exists()


def test_some_demo_clocks_are_overdue_and_some_due_soon() -> None:
    statuses = {clock.status() for clock in Clock.objects.filter(state=Clock.State.OPEN)}
    assert {Status.OVERDUE, Status.DUE_SOON, Status.ON_TRACK} <= statuses


@pytest.mark.parametrize("la", ["Northmoor", "Eastbrook"])
def test_each_demo_la_has_clocks_overdue_and_due_soon(la: str) -> None:
    clocks = Clock.objects.filter(local_authority__name=la, school__isnull=True)
    assert {Status.OVERDUE, Status.DUE_SOON} <= {clock.status() for clock in clocks}


def test_la_demo_clocks_name_a_pupil_only_through_an_ehc_case_of_that_la() -> None:
    la_clocks = Clock.objects.filter(school__isnull=True)
    assert la_clocks.filter(pupil__isnull=True).exists()  # reviews: no case behind them yet
    named = la_clocks.filter(pupil__isnull=False)
    assert named.exists()
    for clock in named:
        assert AssessmentCase.objects.filter(
            pupil_id=clock.pupil_id, local_authority_id=clock.local_authority_id
        ).exists()


def test_demo_clocks_were_opened_with_history_and_an_audit_event() -> None:
    """By the system, except those opened by a person's action: the EHC needs assessments' (the
    caseworker's) and the published reports' (the SENCO's, as the report services record them)."""
    ids = {str(pk) for pk in Clock.objects.values_list("pk", flat=True)}
    opened = AuditEvent.objects.filter(action="clocks.clock.opened")
    assert ids <= set(opened.values_list("target_id", flat=True))
    created = Clock.history.filter(history_type="+")  # type: ignore[attr-defined]
    assert ids <= {str(pk) for pk in created.values_list("id", flat=True)}
    ehcp = ContentType.objects.filter(app_label="ehcp")
    case_steps = ehcp.filter(model__in=["assessmentcase", "advicerequest", "planversion"])
    by_caseworker = {
        str(pk)
        for pk in Clock.objects.filter(subject_type__in=case_steps).values_list("pk", flat=True)
    }
    by_person = ContentType.objects.filter(app_label__in=["ehcp", "offer"])
    by_system = {
        str(pk)
        for pk in Clock.objects.exclude(subject_type__in=by_person).values_list("pk", flat=True)
    }
    assert by_caseworker and by_system
    assert by_caseworker <= set(
        opened.filter(actor__isnull=False).values_list("target_id", flat=True)
    )
    assert by_system <= set(opened.filter(actor__isnull=True).values_list("target_id", flat=True))


def test_every_pupil_on_an_ehc_plan_has_a_plan_whose_review_clock_started_when_it_was_issued() -> (
    None
):
    on_plan = Pupil.objects.filter(sen_provision="E")
    plans = Plan.objects.filter(pupil__in=on_plan)
    assert plans.count() == on_plan.count()
    for plan in plans.prefetch_related("versions")[:20]:
        issued = max(v.issued_on for v in plan.versions.all() if v.issued_on)
        clock = Clock.objects.get(kind="annual_review", subject_id=plan.pk, state="open")
        assert clock.started_on == issued


def test_year_6_pupils_on_plans_have_their_15_february_clock() -> None:
    year6 = Plan.objects.filter(pupil__year_group=6, pupil__school__phase="primary")
    assert year6.exists()
    clocks = Clock.objects.filter(kind="phase_transfer")
    assert {c.due_on for c in clocks if c.pupil.year_group == 6} == {dt.date(TODAY.year + 1, 2, 15)}


def test_the_demo_has_assessments_at_every_stage() -> None:
    cases = AssessmentCase.objects.all()
    assert cases.filter(assess_decision="pending").exists()
    assert cases.filter(assess_decision="assess", issue_decision="pending").exists()
    assert cases.filter(
        plan__versions__kind="draft", plan__versions__issued_on__isnull=True
    ).exists()
    assert cases.filter(closed_reason="Final plan issued").exists()
    # Oakfield's SENCO has educational advice to write, with days left.
    waiting = AdviceRequest.objects.filter(
        school__name="Oakfield Primary School", status="requested"
    )
    assert waiting.count() >= 2


def test_running_seed_demo_again_changes_nothing() -> None:
    before = _counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo data already present" in out.getvalue()
    assert "senco@oakfield.example" in out.getvalue()
    assert _counts() == before


def test_reset_recreates_the_same_pupils() -> None:
    def snapshot() -> list[tuple[object, ...]]:
        return sorted(
            Pupil.objects.values_list(
                "school__urn",
                "upn",
                "legal_first_name",
                "legal_last_name",
                "date_of_birth",
                "sen_provision",
            )
        )

    before, counts = snapshot(), _counts()
    call_command("seed_demo", reset=True, stdout=io.StringIO())
    assert snapshot() == before
    assert _counts() == counts


def test_pupils_needs_and_groups_have_creation_history() -> None:
    for model in (Pupil, PupilNeed, TeachingGroupPupil, Membership):
        created = model.history.filter(history_type="+")  # type: ignore[attr-defined]
        assert created.count() >= model._default_manager.count()
        assert created.filter(history_change_reason="demo data").exists()


def test_the_printed_table_lists_every_login_and_the_password(seeded: str) -> None:
    for _, _, email in [*DEMO_LOGINS, FORMER_LOGIN]:
        assert email in seeded
    assert DEMO_PASSWORD in seeded


def test_the_demo_provision_map_has_costs_and_sessions_within_group_sizes() -> None:
    assert NotionalSenBudget.objects.count() == 3  # the mainstream schools
    assert not Provision.objects.filter(school__type=School.Type.SPECIAL).exists()
    oakfield = School.objects.get(urn="990001")
    summary = provision_map_for_school(oakfield.pk, financial_year_start(TODAY))
    assert summary.budget is not None
    assert 0 < summary.delivered_total < summary.planned_total < summary.budget.budget
    # No session has more pupils than the provision's group size; none is in the future.
    oversized = (
        SessionLog.objects.annotate(n=Count("attendance"))
        .filter(n__gt=F("provision__max_group_size"))
        .count()
    )
    assert oversized == 0
    assert not SessionLog.objects.filter(date__gte=TODAY).exists()
    assert SessionAttendance.objects.filter(attended=False).exists()


def test_the_demo_teaching_assistant_has_sessions_to_log_today() -> None:
    ta = User.objects.get(email="ta@oakfield.example")
    ta.active_membership = Membership.objects.get(user=ta)  # type: ignore[attr-defined]
    provisions = provisions_to_log_for(ta, TODAY)
    assert provisions.exists()
    assert SessionLog.objects.filter(delivered_by=ta).exists()


# seed_demo_sen2: Northmoor's finished assessments, made through the ehcp services, give the LA
# dashboard a 20-week figure for last year and this year that matches a count made by hand from the
# cases, plans and clocks.


def _twenty_weeks_by_hand(year: int) -> dict[str, int]:
    """The 20-week counts from Northmoor's cases, their final versions and their 20-week clocks."""
    case_type = ContentType.objects.get_for_model(AssessmentCase)
    flagged = set(
        Clock.objects.filter(kind=Kind.FINAL_PLAN, subject_type=case_type)
        .exclude(exception_regulation="")
        .values_list("subject_id", flat=True)
    )
    n = {"new": 0, "within": 0, "exceptions": 0, "clean": 0, "within_clean": 0, "middle": 0}
    n.update({"over": 0, "days": 0})
    for case in AssessmentCase.objects.filter(local_authority__name=NORTHMOOR):
        finals = PlanVersion.objects.filter(
            plan__case=case, kind="final", issued_on__isnull=False
        ).values_list("issued_on", flat=True)
        if not finals or min(finals).year != year:
            continue
        days = (min(finals) - case.request_received_on).days
        n["new"] += 1
        n["days"] += days
        n["within"] += days <= 140
        n["middle"] += 140 < days <= 364
        n["over"] += days > 364
        if case.pk in flagged:
            n["exceptions"] += 1
        else:
            n["clean"] += 1
            n["within_clean"] += days <= 140
    return n


def test_about_40_finished_cases_with_their_clocks_met(seeded: str) -> None:
    assert "40 finished EHC needs assessments" in seeded
    finished = AssessmentCase.objects.filter(
        local_authority__name=NORTHMOOR, closed_reason="Final plan issued"
    )
    assert finished.count() >= 40
    for case in finished:
        final = case.plan.versions.get(kind="final")
        clock = Clock.objects.get(
            kind=Kind.FINAL_PLAN,
            subject_type=ContentType.objects.get_for_model(AssessmentCase),
            subject_id=case.pk,
        )
        assert (clock.state, clock.met_on, case.closed_on) == (
            "met",
            final.issued_on,
            final.issued_on,
        )
        # The due date never moves, exception or not (domain.md 0A).
        assert clock.due_on == case.request_received_on + dt.timedelta(weeks=20)
        assert case.pupil.sen_provision == "E"


def test_last_years_figure_matches_a_count_by_hand() -> None:
    year = TODAY.year - 1
    want = _twenty_weeks_by_hand(year)
    la = AssessmentCase.objects.filter(local_authority__name=NORTHMOOR).first()
    assert la is not None

    got = figures.twenty_week_figure(la.local_authority_id, year, TODAY)

    assert want["new"] == 26 and want["exceptions"] == 3
    assert want["within"] > want["middle"] > want["over"] > 0
    assert (got.new_plans, got.within_20, got.with_exception) == (
        want["new"],
        want["within"],
        want["exceptions"],
    )
    assert (got.within_20_without_exception, got.weeks_20_to_52, got.over_52) == (
        want["within_clean"],
        want["middle"],
        want["over"],
    )
    assert got.excluding_percent == by_hand_percent(want["within_clean"], want["clean"])
    print(  # the figures the demo shows, for the report
        f"\n{year}: {got.new_plans} new plans; within 20 weeks {got.within_20} "
        f"({got.within_20_percent}); excluding exceptions {got.within_20_without_exception} of "
        f"{got.without_exception} ({got.excluding_percent}); 20-52 weeks {got.weeks_20_to_52}; "
        f"over 52 {got.over_52}; mean {got.mean_weeks} weeks"
    )


def test_the_la_manager_sees_this_years_figure_as_counted_by_hand() -> None:
    want = _twenty_weeks_by_hand(TODAY.year)
    manager = User.objects.get(email="manager@northmoor.example")

    html = client_for(manager).get(reverse("dashboards:la"), {"year": TODAY.year}).content.decode()

    assert cells(html, "Within 20 weeks, including exceptions") == [
        str(want["within"]),
        str(want["new"]),
        by_hand_percent(want["within"], want["new"]),
    ]
    assert cells(html, "Within 20 weeks, excluding exceptions (DfE headline)") == [
        str(want["within_clean"]),
        str(want["clean"]),
        by_hand_percent(want["within_clean"], want["clean"]),
    ]
    print(f"\n{TODAY.year} to date: " + ", ".join(f"{k} {v}" for k, v in want.items()))


def test_the_schedule_is_the_same_every_run_on_the_same_day() -> None:
    assert _schedule(random.Random(1), TODAY) == _schedule(random.Random(1), TODAY)
