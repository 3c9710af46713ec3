"""The access matrix: every named URL, every role, four objects (in scope, out of scope in the same
school, in a second school, in a second LA). Not visible: 404. Visible but not allowed: 403.

A URL without a row here fails `test_every_named_url_has_a_row`. Add the row when you add the URL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pytest_django import DjangoDbBlocker

from tests.access_rows import (
    ANON,
    ANON_REDIRECT,
    HIDDEN,
    OTHER_SCHOOL,
    POST_ONLY,
    SCHOOL_WIDE,
    TAUGHT_ONLY,
    VARIANTS,
    Row,
    everyone,
)
from tests.conftest import LONDON, PERSONAS, World, build_world, client_for
from tests.dashboards import matrix_la as dashboard_la
from tests.dashboards import matrix_school as dashboard_school
from tests.ehcp import matrix_advice, matrix_cases, matrix_plan_docs, matrix_plans
from tests.factories import CalendarFeedTokenFactory, NotificationFactory
from tests.factories.dates import TODAY
from tests.factories.provision import ProvisionAssignmentFactory
from tests.factories.pupils import (
    MedicalConditionFactory,
    ParentCarerFactory,
    TeachingGroupFactory,
)
from tests.factories.support import (
    CycleOutcomeFactory,
    CycleProvisionFactory,
    SupportPlanFactory,
)
from tests.offer import matrix_governance, matrix_report
from tests.reviews import matrix_la, matrix_school

PUPIL = lambda obj: {"pk": obj.pk}  # noqa: E731
# A provision at the pupil's school with the pupil on it: the pupil decides which school it is.
PROVISION_OF_PUPIL = lambda pupil: {  # noqa: E731
    "pk": ProvisionAssignmentFactory(pupil=pupil).provision_id
}


def _senco_notification(world: World) -> dict[str, Any]:
    return {"pk": NotificationFactory(user=world.users["senco"], clock=None).pk}


def _senco_calendar_token(world: World) -> dict[str, Any]:
    return {"token": CalendarFeedTokenFactory(user=world.users["senco"]).token}


MATRIX: dict[str, Row] = {
    "core:home": Row(everyone(200)),
    "core:health": Row(everyone(200, anon=200)),
    "accounts:login": Row(everyone(302, anon=200)),
    "accounts:logout": Row(everyone(405)),
    "accounts:switch": Row(everyone(200)),
    "pupils:pupil-list": Row(
        everyone(
            403,
            senco=200,
            head=200,
            senior_leader=200,
            school_admin=200,
            class_teacher=200,
            other_teacher=200,
            ta=200,
            designated_teacher=200,
            other_school_senco=200,
        )
    ),
    "pupils:pupil-detail": Row(
        everyone(
            HIDDEN,
            anon=ANON_REDIRECT,
            senco=SCHOOL_WIDE,
            head=SCHOOL_WIDE,
            senior_leader=SCHOOL_WIDE,
            school_admin=SCHOOL_WIDE,
            class_teacher=TAUGHT_ONLY,
            ta=TAUGHT_ONLY,
            designated_teacher=TAUGHT_ONLY,
            other_teacher=(404, 200, 404, 404),
            other_school_senco=OTHER_SCHOOL,
        ),
        kwargs=PUPIL,
    ),
    "pupils:pupil-history": Row(
        everyone(
            HIDDEN,
            anon=ANON_REDIRECT,
            senco=SCHOOL_WIDE,
            head=SCHOOL_WIDE,
            senior_leader=SCHOOL_WIDE,
            # Visible to them, but their role may not read the history of changes.
            school_admin=(403, 403, 404, 404),
            class_teacher=(403, 404, 404, 404),
            ta=(403, 404, 404, 404),
            designated_teacher=(403, 404, 404, 404),
            other_teacher=(404, 403, 404, 404),
            other_school_senco=OTHER_SCHOOL,
        ),
        kwargs=PUPIL,
    ),
    # The SEN register (issue 4): SEN details of the pupils the user may see; teachers see taught ones.
    **{
        name: Row(
            everyone(
                403,
                senco=200,
                head=200,
                senior_leader=200,
                class_teacher=200,
                other_teacher=200,
                ta=200,
                designated_teacher=200,
                other_school_senco=200,
            )
        )
        for name in ("pupils:register-list", "pupils:register-export")
    },
    "pupils:register-import": Row(
        everyone(403, senco=200, school_admin=200, other_school_senco=200)
    ),
    **{
        name: Row(everyone(403, senco=200, head=200, senior_leader=200, other_school_senco=200))
        for name in ("pupils:register-census", "pupils:register-census-check")
    },
    # Only the SENCO edits the register; others who can see the pupil get 403.
    **{
        name: Row(
            everyone(
                HIDDEN,
                anon=ANON_REDIRECT,
                senco=SCHOOL_WIDE,
                head=(403, 403, 404, 404),
                senior_leader=(403, 403, 404, 404),
                school_admin=(403, 403, 404, 404),
                class_teacher=(403, 404, 404, 404),
                ta=(403, 404, 404, 404),
                designated_teacher=(403, 404, 404, 404),
                other_teacher=(404, 403, 404, 404),
                other_school_senco=OTHER_SCHOOL,
            ),
            kwargs=PUPIL,
        )
        for name in ("pupils:sen-status-set", "pupils:parents-told-record")
    },
    # Parents and carers: kept by the SENCO and the school office of the pupil's school; others who
    # can see the pupil read them on the record and get 403 here.
    **{
        name: Row(
            everyone(
                HIDDEN,
                anon=ANON_REDIRECT,
                senco=SCHOOL_WIDE,
                school_admin=SCHOOL_WIDE,
                head=(403, 403, 404, 404),
                senior_leader=(403, 403, 404, 404),
                class_teacher=(403, 404, 404, 404),
                ta=(403, 404, 404, 404),
                designated_teacher=(403, 404, 404, 404),
                other_teacher=(404, 403, 404, 404),
                other_school_senco=OTHER_SCHOOL,
            ),
            kwargs=kwargs,
        )
        for name, kwargs in (
            ("pupils:parent-carer-add", PUPIL),
            ("pupils:parent-carer-edit", lambda pupil: {"pk": ParentCarerFactory(pupil=pupil).pk}),
            (
                "pupils:parent-carer-remove",
                lambda pupil: {"pk": ParentCarerFactory(pupil=pupil).pk},
            ),
        )
    },
    # Medical conditions: edited by the register's editor (the SENCO), read on the pupil's record.
    **{
        name: Row(
            everyone(
                HIDDEN,
                anon=ANON_REDIRECT,
                senco=SCHOOL_WIDE,
                head=(403, 403, 404, 404),
                senior_leader=(403, 403, 404, 404),
                school_admin=(403, 403, 404, 404),
                class_teacher=(403, 404, 404, 404),
                ta=(403, 404, 404, 404),
                designated_teacher=(403, 404, 404, 404),
                other_teacher=(404, 403, 404, 404),
                other_school_senco=OTHER_SCHOOL,
            ),
            kwargs=kwargs,
        )
        for name, kwargs in (
            ("pupils:medical-condition-add", PUPIL),
            (
                "pupils:medical-condition-edit",
                lambda pupil: {"pk": MedicalConditionFactory(pupil=pupil).pk},
            ),
            (
                "pupils:medical-condition-remove",
                lambda pupil: {"pk": MedicalConditionFactory(pupil=pupil).pk},
            ),
        )
    },
    # Teaching groups and their staff: those who load the MIS data (SENCO, office) manage them.
    "pupils:group-list": Row(everyone(403, senco=200, school_admin=200, other_school_senco=200)),
    "pupils:group-detail": Row(
        everyone(
            (403, 403, 404, 404),
            anon=ANON_REDIRECT,
            la_caseworker=HIDDEN,
            la_manager=HIDDEN,
            other_la_caseworker=HIDDEN,
            senco=SCHOOL_WIDE,
            school_admin=SCHOOL_WIDE,
            other_school_senco=OTHER_SCHOOL,
        ),
        kwargs=lambda pupil: {"pk": TeachingGroupFactory(school=pupil.school).pk},
    ),
    # SEN support plans (pupils/support): read with SEN details, written by the SENCO; teachers who
    # teach the pupil (and the head) contribute views, delivery notes and meetings with parents.
    **{
        name: Row(
            everyone(
                HIDDEN,
                anon=ANON_REDIRECT,
                senco=SCHOOL_WIDE,
                head=SCHOOL_WIDE,
                senior_leader=SCHOOL_WIDE,
                school_admin=(403, 403, 404, 404),
                class_teacher=TAUGHT_ONLY,
                ta=TAUGHT_ONLY,
                designated_teacher=TAUGHT_ONLY,
                other_teacher=(404, 200, 404, 404),
                other_school_senco=OTHER_SCHOOL,
            ),
            kwargs=kwargs,
        )
        for name, kwargs in (
            ("support:plan-for-pupil", PUPIL),
            ("support:plan-detail", lambda pupil: {"pk": SupportPlanFactory(pupil=pupil).pk}),
            ("support:plan-pdf", lambda pupil: {"pk": SupportPlanFactory(pupil=pupil).pk}),
        )
    },
    **{
        name: Row(
            everyone(
                HIDDEN,
                anon=ANON_REDIRECT,
                senco=SCHOOL_WIDE,
                head=(403, 403, 404, 404),
                senior_leader=(403, 403, 404, 404),
                school_admin=(403, 403, 404, 404),
                class_teacher=(403, 404, 404, 404),
                ta=(403, 404, 404, 404),
                designated_teacher=(403, 404, 404, 404),
                other_teacher=(404, 403, 404, 404),
                other_school_senco=OTHER_SCHOOL,
            ),
            kwargs=lambda pupil: {"pk": SupportPlanFactory(pupil=pupil).pk},
        )
        for name in (
            "support:cycle-edit",
            "support:outcome-add",
            "support:provision-add",
            "support:review-complete",
        )
    },
    **{
        name: Row(
            everyone(
                HIDDEN,
                anon=ANON_REDIRECT,
                senco=SCHOOL_WIDE,
                head=SCHOOL_WIDE,
                senior_leader=(403, 403, 404, 404),
                school_admin=(403, 403, 404, 404),
                class_teacher=TAUGHT_ONLY,
                ta=(403, 404, 404, 404),
                designated_teacher=TAUGHT_ONLY,
                other_teacher=(404, 200, 404, 404),
                other_school_senco=OTHER_SCHOOL,
            ),
            kwargs=kwargs,
        )
        for name, kwargs in (
            ("support:view-add", lambda pupil: {"pk": SupportPlanFactory(pupil=pupil).pk}),
            ("support:delivery-add", lambda pupil: {"pk": SupportPlanFactory(pupil=pupil).pk}),
            ("support:parent-meeting-add", PUPIL),
        )
    },
    # Changing and removing the current cycle's outcomes and provision: the SENCO, as adding them.
    **{
        name: Row(
            everyone(
                HIDDEN,
                anon=ANON_REDIRECT,
                senco=SCHOOL_WIDE,
                head=(403, 403, 404, 404),
                senior_leader=(403, 403, 404, 404),
                school_admin=(403, 403, 404, 404),
                class_teacher=(403, 404, 404, 404),
                ta=(403, 404, 404, 404),
                designated_teacher=(403, 404, 404, 404),
                other_teacher=(404, 403, 404, 404),
                other_school_senco=OTHER_SCHOOL,
            ),
            kwargs=lambda pupil, row_factory=row_factory: {
                "pk": SupportPlanFactory(pupil=pupil).pk,
                "row_pk": row_factory(cycle=SupportPlanFactory(pupil=pupil).cycles.get()).pk,
            },
        )
        for name, row_factory in (
            ("support:outcome-edit", CycleOutcomeFactory),
            ("support:outcome-remove", CycleOutcomeFactory),
            ("support:provision-edit", CycleProvisionFactory),
            ("support:provision-remove", CycleProvisionFactory),
        )
    },
    # The plan's history of changes: as pupils:pupil-history (the SENCO and school leaders).
    "support:plan-history": Row(
        everyone(
            HIDDEN,
            anon=ANON_REDIRECT,
            senco=SCHOOL_WIDE,
            head=SCHOOL_WIDE,
            senior_leader=SCHOOL_WIDE,
            school_admin=(403, 403, 404, 404),
            class_teacher=(403, 404, 404, 404),
            ta=(403, 404, 404, 404),
            designated_teacher=(403, 404, 404, 404),
            other_teacher=(404, 403, 404, 404),
            other_school_senco=OTHER_SCHOOL,
        ),
        kwargs=lambda pupil: {"pk": SupportPlanFactory(pupil=pupil).pk},
    ),
    "support:parent-meetings-behind": Row(
        everyone(403, senco=200, head=200, senior_leader=200, other_school_senco=200)
    ),
    # The provision map (pupils/provision): costs for those who see school aggregates (governors
    # included: no named pupil, small counts suppressed); pupils and sessions for those who see SEN
    # details, a teacher only those they teach; the SENCO manages; teaching staff log sessions.
    "provision:map": Row(
        everyone(
            403,
            governor=200,
            sen_link_governor=200,
            head=200,
            senior_leader=200,
            senco=200,
            other_school_senco=200,
        )
    ),
    **{
        name: Row(everyone(403, senco=200, other_school_senco=200))
        for name in ("provision:create", "provision:budget-set")
    },
    "provision:log-start": Row(
        everyone(
            403,
            senco=200,
            class_teacher=200,
            other_teacher=200,
            ta=200,
            designated_teacher=200,
            other_school_senco=200,
        )
    ),
    "provision:detail": Row(
        everyone(
            HIDDEN,
            anon=ANON_REDIRECT,
            governor=(403, 403, 404, 404),
            sen_link_governor=(403, 403, 404, 404),
            school_admin=(403, 403, 404, 404),
            senco=SCHOOL_WIDE,
            head=SCHOOL_WIDE,
            senior_leader=SCHOOL_WIDE,
            class_teacher=SCHOOL_WIDE,
            other_teacher=SCHOOL_WIDE,
            ta=SCHOOL_WIDE,
            designated_teacher=SCHOOL_WIDE,
            other_school_senco=OTHER_SCHOOL,
        ),
        kwargs=PROVISION_OF_PUPIL,
    ),
    "provision:edit": Row(
        everyone(
            (403, 403, 404, 404),
            anon=ANON_REDIRECT,
            la_caseworker=HIDDEN,
            la_manager=HIDDEN,
            other_la_caseworker=HIDDEN,
            senco=SCHOOL_WIDE,
            other_school_senco=OTHER_SCHOOL,
        ),
        kwargs=PROVISION_OF_PUPIL,
    ),
    "provision:session-log": Row(
        everyone(
            (403, 403, 404, 404),
            anon=ANON_REDIRECT,
            la_caseworker=HIDDEN,
            la_manager=HIDDEN,
            other_la_caseworker=HIDDEN,
            senco=SCHOOL_WIDE,
            class_teacher=SCHOOL_WIDE,
            other_teacher=SCHOOL_WIDE,
            ta=SCHOOL_WIDE,
            designated_teacher=SCHOOL_WIDE,
            other_school_senco=OTHER_SCHOOL,
        ),
        kwargs=PROVISION_OF_PUPIL,
    ),
    "provision:pupil-summary": Row(
        everyone(
            HIDDEN,
            anon=ANON_REDIRECT,
            senco=SCHOOL_WIDE,
            head=SCHOOL_WIDE,
            senior_leader=SCHOOL_WIDE,
            school_admin=(403, 403, 404, 404),
            class_teacher=TAUGHT_ONLY,
            ta=TAUGHT_ONLY,
            designated_teacher=TAUGHT_ONLY,
            other_teacher=(404, 200, 404, 404),
            other_school_senco=OTHER_SCHOOL,
        ),
        kwargs=PUPIL,
    ),
    **{
        name: Row(
            everyone(
                HIDDEN,
                anon=ANON_REDIRECT,
                senco=SCHOOL_WIDE,
                head=(403, 403, 404, 404),
                senior_leader=(403, 403, 404, 404),
                school_admin=(403, 403, 404, 404),
                class_teacher=(403, 404, 404, 404),
                ta=(403, 404, 404, 404),
                designated_teacher=(403, 404, 404, 404),
                other_teacher=(404, 403, 404, 404),
                other_school_senco=OTHER_SCHOOL,
            ),
            kwargs=kwargs,
        )
        for name, kwargs in (
            ("provision:assign", PUPIL),
            (
                "provision:assignment-end",
                lambda pupil: {"pk": ProvisionAssignmentFactory(pupil=pupil).pk},
            ),
        )
    },
    "clocks:my-deadlines": Row(everyone(200)),
    "clocks:school-deadlines": Row(
        everyone(
            403,
            governor=200,
            sen_link_governor=200,
            head=200,
            senior_leader=200,
            senco=200,
            school_admin=200,
            other_school_senco=200,
        )
    ),
    "clocks:la-deadlines": Row(
        everyone(403, la_caseworker=200, la_manager=200, other_la_caseworker=200)
    ),
    "clocks:pupil-timeline": Row(
        everyone(
            HIDDEN,
            anon=ANON_REDIRECT,
            senco=SCHOOL_WIDE,
            head=SCHOOL_WIDE,
            senior_leader=SCHOOL_WIDE,
            # Visible to them, but their role may not see SEN details, which deadlines are.
            school_admin=(403, 403, 404, 404),
            class_teacher=TAUGHT_ONLY,
            ta=TAUGHT_ONLY,
            designated_teacher=TAUGHT_ONLY,
            other_teacher=(404, 200, 404, 404),
            other_school_senco=OTHER_SCHOOL,
        ),
        kwargs=PUPIL,
    ),
    "clocks:notification-list": Row(everyone(200)),
    # Marking read is POST only; tests/clocks/test_pages.py checks another user's gets a 404.
    "clocks:notification-read": Row(everyone(POST_ONLY), world_kwargs=_senco_notification),
    "clocks:notification-read-all": Row(everyone(POST_ONLY)),
    "clocks:calendar-settings": Row(everyone(200)),
    "clocks:calendar-revoke": Row(everyone(POST_ONLY)),
    # The secret token is the credential: a calendar application fetches it without signing in.
    "clocks:calendar-feed": Row(everyone(200, anon=200), world_kwargs=_senco_calendar_token),
}
# EHC needs assessments, advice and plans (issue 5): one module of rows per page module.
for _rows in (
    matrix_cases.ROWS,
    matrix_advice.ROWS,
    matrix_plans.ROWS,
    matrix_plan_docs.ROWS,
    matrix_school.ROWS,
    matrix_la.ROWS,
    # The SEN offer and the dashboards (issue 7).
    matrix_report.ROWS,
    matrix_governance.ROWS,
    dashboard_school.ROWS,
    dashboard_la.ROWS,
):
    assert not _rows.keys() & MATRIX.keys(), "a URL has two rows"
    MATRIX.update(_rows)


def _named_urls(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _named_urls(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_named_url_has_a_row() -> None:
    names = set(_named_urls())
    missing = sorted(names - MATRIX.keys())
    stale = sorted(MATRIX.keys() - names)
    assert not missing, f"URLs without a row in the access matrix: {missing}"
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def test_every_row_covers_every_persona_and_anonymous() -> None:
    for name, row in MATRIX.items():
        assert set(row.expect) == {*PERSONAS, ANON}, name
        for outcome in row.expect.values():
            assert isinstance(outcome, tuple) == (row.kwargs is not None), name


@dataclass(frozen=True)
class MatrixWorld:
    world: World
    sessions: dict[str, str]  # persona: session key of a signed-in session


@pytest.fixture(scope="module")
def matrix_world(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[MatrixWorld]:
    """One world and one signed-in session per persona for every row, in a transaction rolled back
    at the end of the module. Each row runs in its own savepoint (the `db` fixture), so what a row
    creates or changes, sessions included, is gone before the next row.

    Built just before the rows' TODAY 10:00, so what a row does comes after it, as when each row
    built its own world.
    """
    before_today = dt.datetime.combine(TODAY, dt.time(9, 0), tzinfo=LONDON)
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(before_today, tick=True):
            world = build_world()
            sessions = {}
            for persona in PERSONAS:
                client = client_for(world.users[persona])
                sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield MatrixWorld(world, sessions)
        transaction.set_rollback(True)


def _client(matrix: MatrixWorld, persona: str) -> Client:
    """A fresh client (no cookies from another row) carrying the persona's session, if any."""
    client = Client()
    if persona != ANON:
        client.cookies[settings.SESSION_COOKIE_NAME] = matrix.sessions[persona]
    return client


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access_matrix(url_name: str, matrix_world: MatrixWorld, db: None) -> None:
    row = MATRIX[url_name]
    world = matrix_world.world.refetched()
    fixed_kwargs = row.world_kwargs(world) if row.world_kwargs else None
    # The object a row's kwargs make is made once per variant and requested by every persona: a
    # GET changes neither it nor the world (it writes at most an audit event and the session).
    make = row.kwargs
    urls = {
        variant: reverse(url_name, kwargs=make(obj))
        for variant, obj in (world.objects().items() if make else ())
    }
    failures = []
    checked = 0
    for persona, expected in row.expect.items():
        client = _client(matrix_world, persona)
        if row.kwargs is None:
            targets = [("-", reverse(url_name, kwargs=fixed_kwargs), expected)]
        else:
            assert isinstance(expected, tuple)
            targets = [
                (variant, urls[variant], want)
                for variant, want in zip(VARIANTS, expected, strict=True)
            ]
        for variant, url, want in targets:
            status = client.get(url).status_code
            checked += 1
            if status != want:
                failures.append(f"{persona} {variant} {url}: expected {want}, got {status}")
    print(f"{url_name}: {checked - len(failures)} of {checked} role and object pairs as expected")
    assert not failures, "\n".join(failures)
