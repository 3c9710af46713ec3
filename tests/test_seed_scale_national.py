"""seed_scale --profile national at a tiny fraction: the counts, the history, the people the
reminders go to, and --double-stored doubling what is stored while the sweep's due set stays."""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Model

from ehcp.models import AdviceRequest, AssessmentCase, Plan
from pupils.models import Pupil, SenStatus
from pupils.support.models import SupportCycle, SupportPlan
from sendadmin.accounts.models import LocalAuthority, Membership, School, User
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.reminders import max_lead_days
from sendadmin.core.scale import national
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db

FRACTION = 0.0005  # 1 LA, 11 schools, 320 plans, 580 pupils on SEN support, 30 open assessments
STORED: tuple[type[Model], ...] = (
    School, Pupil, SenStatus, Plan, SupportPlan, SupportCycle, AssessmentCase, AdviceRequest,
    Clock,
)  # fmt: skip


def _seed(**options: Any) -> str:
    out = io.StringIO()
    call_command("seed_scale", profile="national", fraction=FRACTION, stdout=out, **options)
    return out.getvalue()


def _due_set() -> list[int]:
    """What the sweep reads: open clocks due on or before the horizon."""
    horizon = TODAY + dt.timedelta(days=max_lead_days())
    due = Clock.objects.filter(state=Clock.State.OPEN, due_on__lte=horizon)
    return sorted(due.values_list("pk", flat=True))


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in STORED}


@pytest.fixture(autouse=True)
def _check_foreign_keys_now() -> None:
    # The test's transaction is rolled back, so deferred foreign keys would never be checked.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_national_profile_has_its_scaled_counts_and_every_row_its_creation_history() -> None:
    output = _seed()

    specs = national.plan_las(FRACTION, 2026)
    assert len(specs) == 1 and LocalAuthority.objects.count() == 1
    assert School.objects.count() == 11
    assert Plan.objects.count() == round(national.PLANS * FRACTION) == 320
    assert Pupil.objects.filter(sen_provision="E").count() == 320
    assert Pupil.objects.filter(sen_provision="K").count() == 580
    assert not Pupil.objects.filter(sen_provision="N").exists()
    assert SupportPlan.objects.count() == 580
    assert AssessmentCase.objects.filter(closed_on__isnull=True).count() == 30
    # The clocks the services open: one open annual review per plan, one open SEN support review
    # per K pupil, the 20-week clock of every open assessment.
    open_clocks = Clock.objects.filter(state=Clock.State.OPEN)
    assert open_clocks.filter(kind=Kind.ANNUAL_REVIEW).count() == 320
    assert open_clocks.filter(kind=Kind.SEN_SUPPORT_REVIEW).count() == 580
    assert open_clocks.filter(kind=Kind.FINAL_PLAN).count() == 30
    assert open_clocks.filter(kind=Kind.ADVICE_REQUEST).exists()
    assert open_clocks.filter(due_on__lt=TODAY).exists()  # some overdue
    assert Clock.objects.filter(state=Clock.State.MET).count() > 500  # and history met
    # Every SEN pupil has their open census period, matching Pupil.sen_provision.
    assert SenStatus.objects.filter(end__isnull=True).count() == Pupil.objects.count()
    # A current SENCO and head at every school, caseworkers and a manager at the LA.
    for role in (Role.SENCO, Role.HEADTEACHER):
        current = Membership.objects.current(TODAY).filter(role=role, school__isnull=False)
        assert current.values("school").distinct().count() == 11
    la_roles = Membership.objects.current(TODAY).filter(school__isnull=True)
    assert la_roles.filter(role=Role.LA_CASEWORKER).count() == math.ceil(320 / 250)
    assert la_roles.filter(role=Role.LA_MANAGER).count() == 1
    assert not any(user.has_usable_password() for user in User.objects.all())
    # One '+' history row per row, by the seeding system user.
    system = User.objects.get(email=national.SYSTEM_EMAIL)
    assert not system.is_active
    for model in (LocalAuthority, Membership, *STORED):
        history = model.history  # type: ignore[attr-defined]
        assert history.filter(history_type="+", history_user=system).count() == (
            model.objects.count()
        ), model.__name__
    assert User.history.filter(history_type="+").count() == User.objects.count()  # type: ignore[attr-defined]
    assert national.profile_state() == national.ProfileState(FRACTION, 2026, TODAY, False, True)
    assert "ANALYZE" in output and "SEN pupils and status periods: 1,800 rows" in output


def test_double_stored_doubles_what_is_stored_and_leaves_the_due_set_as_it_was() -> None:
    _seed()
    due, counts = _due_set(), _counts()
    assert due  # reminders are due: the sweep has work

    _seed(double_stored=True)

    assert _due_set() == due
    assert _counts() == {name: 2 * n for name, n in counts.items()}
    # The added rows are not due: met, cancelled, or open beyond the horizon.
    horizon = TODAY + dt.timedelta(days=max_lead_days())
    added = Clock.objects.exclude(pk__in=due).filter(state=Clock.State.OPEN)
    assert not added.filter(due_on__lte=horizon).exists()
    assert Clock.objects.filter(state=Clock.State.CANCELLED).exists()
    assert national.profile_state() == national.ProfileState(FRACTION, 2026, TODAY, True, True)


def test_double_stored_on_an_empty_database_seeds_the_profile_first() -> None:
    _seed(double_stored=True)
    assert School.objects.count() == 22
    assert Plan.objects.count() == 640


def test_seeding_the_profile_again_or_at_another_fraction_is_refused() -> None:
    _seed()
    with pytest.raises(CommandError, match="already in this database"):
        _seed()
    with pytest.raises(CommandError, match=r"--fraction 0\.0005"):
        call_command("seed_scale", profile="national", fraction=0.001, double_stored=True)
    _seed(double_stored=True)
    with pytest.raises(CommandError, match="already has its --double-stored data"):
        _seed(double_stored=True)
