"""seed_scale --profile county at a tiny fraction, checked against the contract of issue 8
(/tmp/brief/county-contract.md as the module docstring of sendadmin.core.scale.county restates it):
counts in proportion, the logins and their memberships, one '+' history record per seeded row by the
seeding user, a SENCO's register limited to their school, and the rules the services keep.

The county is seeded once for the module inside a transaction that is rolled back at the end; each
test runs in a savepoint within it.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Model
from django.test import Client

from ehcp.models import AssessmentCase, Plan, PlanVersion
from pupils.codes import SenProvision, need_codes_validate
from pupils.models import Pupil, SenStatus, TeachingGroupStaff
from pupils.support.models import SupportCycle, SupportPlan
from pupils.upn import is_valid_upn
from reviews.models import Review
from sendadmin.accounts.models import LocalAuthority, Membership, School, User
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.core.scale import county
from sendadmin.core.scale.copyutil import (
    copy_rows,
    foreign_keys_set_aside,
    history_model,
    indexes_set_aside,
    m2m_history_model,
)
from sendadmin.core.scale.county.org import PASSWORD, SEED_USER_EMAIL
from tests.factories.dates import TODAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="seed_scale writes with PostgreSQL COPY: set DATABASE_URL to a PostgreSQL database",
    ),
]

# One school of each kind in Shirebrook (school 001 the 2,000-pupil secondary), Westmere's three.
FRACTION = 0.001
# Kinds every county seeding opens, whatever the fraction: the services' clocks of reviews,
# assessments, SEN support and the school's offer.
KINDS = {
    Kind.ANNUAL_REVIEW, Kind.REVIEW_INVITATIONS, Kind.REVIEW_PAPERS, Kind.REVIEW_REPORT,
    Kind.LA_REVIEW_DECISION, Kind.AMENDED_PLAN, Kind.REPRESENTATIONS, Kind.PHASE_TRANSFER,
    Kind.DECISION_TO_ASSESS, Kind.ADVICE_REQUEST, Kind.NO_PLAN_NOTICE, Kind.FINAL_PLAN,
    Kind.SEN_SUPPORT_REVIEW, Kind.PARENT_MEETING, Kind.PARENTS_TOLD,
    Kind.HEALTHCARE_PLAN_REVIEW, Kind.INFORMATION_REPORT_REVIEW,
}  # fmt: skip


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    if connection.vendor != "postgresql":
        pytest.skip("seed_scale needs PostgreSQL")
    with django_db_blocker.unblock(), transaction.atomic():
        counts = county.seed(fraction=FRACTION, seed=2026, out=io.StringIO(), today=TODAY)
        yield counts
        transaction.set_rollback(True)


def _shirebrook_schools() -> list[School]:
    return list(School.objects.filter(local_authority__code="870").order_by("urn"))


def test_counts_in_proportion(seeded: dict[str, int]) -> None:
    assert set(LocalAuthority.objects.values_list("code", flat=True)) == {"870", "871"}
    schools = _shirebrook_schools()
    kinds = Counter(s.type for s in schools)
    assert kinds[School.Type.ACADEMY] >= 1  # secondary
    assert kinds[School.Type.MAINTAINED] >= 1  # primary
    assert kinds[School.Type.SPECIAL] >= 1
    first = schools[0]
    assert first.urn == "870001" and first.phase == School.Phase.SECONDARY
    assert Pupil.objects.filter(school=first).count() == 2000
    assert School.objects.filter(local_authority__code="871").count() == 3

    mainstream = Pupil.objects.exclude(school__type=School.Type.SPECIAL)
    roll = mainstream.count()
    on_plans = mainstream.filter(sen_provision=SenProvision.EHC_PLAN).count()
    on_support = mainstream.filter(sen_provision=SenProvision.SEN_SUPPORT).count()
    # About 4.3% of mainstream pupils have a plan and 14% are on SEN support (county/roll.py).
    assert 0.035 < on_plans / roll < 0.05
    assert 0.12 < on_support / roll < 0.16
    special = Pupil.objects.filter(school__type=School.Type.SPECIAL)
    assert special.exists()
    assert not special.exclude(sen_provision=SenProvision.EHC_PLAN).exists()

    # Every pupil on a plan has one live plan with an issued final version; every pupil on SEN
    # support has a support plan; the seeding's own counts are the tables'.
    e_pupils = Pupil.objects.filter(sen_provision=SenProvision.EHC_PLAN)
    live = Plan.objects.filter(ceased_on__isnull=True, pupil__in=e_pupils)
    assert live.count() == e_pupils.count()
    final = PlanVersion.objects.filter(kind=PlanVersion.Kind.FINAL, issued_on__isnull=False)
    assert live.filter(versions__in=final).distinct().count() == e_pupils.count()
    k_pupils = Pupil.objects.filter(sen_provision=SenProvision.SEN_SUPPORT)
    assert SupportPlan.objects.filter(pupil__in=k_pupils).count() == k_pupils.count()
    assert seeded["pupils_pupil"] == Pupil.objects.count()
    assert seeded["clocks_clock"] == Clock.objects.count()

    # Clocks of every kind the services open, open ones and met ones, and work in progress.
    assert set(Clock.objects.values_list("kind", flat=True)) >= KINDS
    assert Clock.objects.filter(state=Clock.State.OPEN, due_on__lt=TODAY).exists()  # overdue
    assert Clock.objects.filter(state=Clock.State.MET).exists()
    assert Review.objects.filter(closed_on__isnull=True).exists()
    assert Review.objects.filter(closed_on__isnull=False, held_on__isnull=False).exists()
    open_cases = AssessmentCase.objects.filter(closed_on__isnull=True)
    assert open_cases.filter(assess_decision=AssessmentCase.AssessDecision.PENDING).exists()
    assert open_cases.filter(assess_decision=AssessmentCase.AssessDecision.ASSESS).exists()


def test_logins_per_contract_sign_in(seeded: dict[str, int]) -> None:
    schools = _shirebrook_schools()
    for i, school in enumerate(schools, start=1):
        for prefix, role in (
            ("senco", Role.SENCO),
            ("head", Role.HEADTEACHER),
            ("teacher", Role.TEACHER),
            ("ta", Role.TEACHING_ASSISTANT),
            ("governor", Role.GOVERNOR),
        ):
            user = User.objects.get(email=f"{prefix}.{i:03d}@scale.example")
            membership = Membership.objects.current(TODAY).get(user=user)
            assert (membership.role, membership.school_id) == (role, school.pk)
    shire = LocalAuthority.objects.get(code="870")
    workers = Membership.objects.filter(local_authority=shire, role=Role.LA_CASEWORKER)
    assert workers.filter(user__email="caseworker.01@scale.example").exists()
    assert Membership.objects.get(user__email="lamanager@scale.example").role == Role.LA_MANAGER
    westmere = Membership.objects.get(user__email="caseworker.westmere@scale.example")
    assert westmere.local_authority is not None and westmere.local_authority.code == "871"
    # Each caseworker holds a caseload: cases and the LA clocks of their plans.
    assert AssessmentCase.objects.filter(caseworker__email="caseworker.01@scale.example").exists()

    for email in ("senco.001@scale.example", "caseworker.01@scale.example"):
        assert Client().login(username=email, password=PASSWORD), email
    seeder = User.objects.get(email=SEED_USER_EMAIL)
    assert not seeder.has_usable_password() and not seeder.is_active
    assert not Membership.objects.filter(user=seeder).exists()


def _history_models() -> list[type[Model]]:
    return [
        m
        for m in county.seeded_models()
        if hasattr(m, "history") and m.__name__[:10] != "Historical"
    ]


def test_every_seeded_row_has_its_creation_history(seeded: dict[str, int]) -> None:
    seeder = User.objects.get(email=SEED_USER_EMAIL)
    checked = 0
    for model in _history_models():
        rows = model._default_manager.count()
        history = history_model(model)._default_manager
        assert history.count() == rows, model.__name__
        assert history.filter(history_type="+").count() == rows, model.__name__
        assert not history.exclude(history_user=seeder).exists(), model.__name__
        # One record per row, of that row.
        ids = history.values("id").annotate(n=Count("history_id")).filter(n__gt=1)
        assert not ids.exists(), model.__name__
        checked += rows > 0
    assert checked >= 40
    # simple-history's many-to-many snapshots beside each record: one per link.
    from ehcp.models import PlanOutcome, PlanProvision

    for model, field in (
        (PlanOutcome, "needs"),
        (PlanProvision, "needs"),
        (PlanProvision, "outcomes"),
        (PlanVersion, "advice"),
    ):
        through = getattr(model, field).through
        snapshot = m2m_history_model(model, field)._default_manager
        assert snapshot.count() == through.objects.count() > 0, (model.__name__, field)


def test_senco_register_shows_only_their_school(seeded: dict[str, int]) -> None:
    client = Client()
    assert client.login(username="senco.001@scale.example", password=PASSWORD)
    response = client.get("/pupils/register/")
    assert response.status_code == 200
    school = School.objects.get(urn="870001")
    listed = response.context["page"].paginator.object_list
    assert listed.exists()
    assert set(listed.values_list("school_id", flat=True)) == {school.pk}
    expected = Pupil.objects.filter(school=school).exclude(sen_provision=SenProvision.NO_SEN)
    counts = response.context["counts"]
    assert counts["E"] + counts["K"] == expected.count()
    # Every pupil linked from the page is one of school 001's.
    linked = {int(pk) for pk in re.findall(r'href="/pupils/(\d+)/"', response.content.decode())}
    assert linked
    assert set(Pupil.objects.filter(pk__in=linked).values_list("school_id", flat=True)) == {
        school.pk
    }

    # The teacher sees only the pupils of the groups they teach, some of them on the register.
    teacher = Client()
    assert teacher.login(username="teacher.001@scale.example", password=PASSWORD)
    groups = TeachingGroupStaff.objects.filter(user__email="teacher.001@scale.example")
    assert groups.exists()
    taught = Pupil.objects.filter(group_links__group__staff_links__in=groups).distinct()
    assert taught.exclude(sen_provision=SenProvision.NO_SEN).exists()
    page = teacher.get(f"/pupils/{taught.exclude(sen_provision='N').first().pk}/")
    assert page.status_code == 200
    untaught = Pupil.objects.filter(school=school).exclude(pk__in=taught).first()
    assert teacher.get(f"/pupils/{untaught.pk}/").status_code == 404


def test_the_rules_the_services_keep_hold(seeded: dict[str, int]) -> None:
    # Census: one open status per pupil on the register, matching the pupil's provision, needs
    # valid for it (domain.md 7.1); none for pupils with no SEN.
    pupils = Pupil.objects.prefetch_related("needs", "sen_statuses")
    for pupil in pupils:
        assert is_valid_upn(pupil.upn), pupil.upn
        open_ = [s for s in pupil.sen_statuses.all() if s.end is None]
        if pupil.sen_provision == SenProvision.NO_SEN:
            assert not open_ and not pupil.needs.all()
            continue
        assert [s.provision for s in open_] == [pupil.sen_provision]
        codes = [n.code for n in sorted(pupil.needs.all(), key=lambda n: n.rank)]
        assert need_codes_validate(pupil.sen_provision, codes) == []
    assert not SenStatus.objects.filter(start__gt=TODAY).exists()

    # One open annual review clock per live plan once its final version is issued (CFA s.44(1);
    # a draft of an open assessment has none yet).
    issued = PlanVersion.objects.filter(
        kind__in=[PlanVersion.Kind.FINAL, PlanVersion.Kind.AMENDED], issued_on__isnull=False
    )
    live = Plan.objects.filter(ceased_on__isnull=True, versions__in=issued).distinct()
    annual = Clock.objects.filter(kind=Kind.ANNUAL_REVIEW, state=Clock.State.OPEN)
    assert annual.count() == live.count()
    assert annual.values("subject_id").distinct().count() == live.count()
    # An open assessment's 20-week clock is open; a closed one's is met or cancelled.
    final = dict(Clock.objects.filter(kind=Kind.FINAL_PLAN).values_list("subject_id", "state"))
    for pk, closed_on in AssessmentCase.objects.values_list("pk", "closed_on"):
        assert (final[pk] == Clock.State.OPEN) == (closed_on is None), pk
    # A school's clocks name the school's own pupils; LA clocks name no school.
    assert (
        not Clock.objects.filter(pupil__isnull=False, school__isnull=False)
        .exclude(pupil__school=F("school"))
        .exists()
    )
    assert (
        not Clock.objects.filter(
            responsible_role__in=[Role.LA_CASEWORKER, Role.LA_MANAGER],
            school__isnull=False,
        )
        .exclude(kind=Kind.PHASE_TRANSFER)
        .exists()
    )
    # Each SEN support plan has one current cycle at most (a DB constraint) and a cycle's review
    # clock is met exactly when it was reviewed.
    review_clocks = dict(
        Clock.objects.filter(kind=Kind.SEN_SUPPORT_REVIEW).values_list("subject_id", "state")
    )
    expected_state = {
        SupportCycle.Status.REVIEWED: Clock.State.MET,
        SupportCycle.Status.ACTIVE: Clock.State.OPEN,
        SupportCycle.Status.DRAFT: None,
    }
    for pk, status in SupportCycle.objects.values_list("pk", "status"):
        assert review_clocks.get(pk) == expected_state[status], (pk, status)

    # Model validation (choices, lengths, validators) on a sample of every seeded table.
    for model in _history_models():
        for obj in model._default_manager.all()[:5]:
            obj.full_clean(validate_unique=False, validate_constraints=False)


def test_the_command_refuses_a_database_already_seeded(seeded: dict[str, int]) -> None:
    with pytest.raises((CommandError, county.AlreadySeeded)):
        call_command("seed_scale", profile="county", fraction=FRACTION, stdout=io.StringIO())


def test_a_dangling_reference_fails_when_the_foreign_keys_come_back() -> None:
    school = (10**9, "999991", "Nowhere School", "primary", "maintained", 10**9, "")
    columns = ("id", "urn", "name", "phase", "type", "local_authority_id", "website")
    with pytest.raises(IntegrityError), transaction.atomic():  # noqa: SIM117 - the order matters
        with foreign_keys_set_aside([School]) as keys:
            assert keys >= 1
            copy_rows(School, columns, [school])  # no LA 10**9: refused only when the key returns


def test_a_duplicate_fails_when_the_unique_constraints_come_back() -> None:
    columns = ("id", "name", "code", "local_offer_url", "iass_name", "iass_phone", "iass_email",
               "iass_url")  # fmt: skip
    rows = [(10**9 + n, "Twice", "999", "", "", "", "", "") for n in range(2)]
    with pytest.raises(IntegrityError), transaction.atomic():  # noqa: SIM117 - the order matters
        with indexes_set_aside([LocalAuthority]) as indexes:
            assert indexes >= 1
            copy_rows(LocalAuthority, columns, rows)  # code is unique: refused on the rebuild
