"""Guardian and model-permission hygiene (security catalogue T09, T10, T22)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import transaction
from pytest_django import DjangoDbBlocker

from sendadmin.accounts.models import User
from tests.conftest import LONDON
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo, seeded once for the module on TODAY in a transaction rolled back afterwards;
    each test runs in a savepoint of it. The tests only read."""
    on_today = dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=LONDON)
    with (
        time_machine.travel(on_today, tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def test_guardian_has_no_anonymous_user() -> None:
    assert settings.ANONYMOUS_USER_NAME is None
    assert not User.objects.filter(email__iexact="anonymoususer").exists()


def test_no_role_gets_a_model_level_permission_in_the_demo(seeded: None) -> None:
    """A model-level view_* permission would make guardian return every row (T09)."""
    assert User.objects.count() > 10
    user_perms = Permission.objects.filter(user__isnull=False).distinct().count()
    group_perms = Permission.objects.filter(group__isnull=False).distinct().count()
    print(f"{user_perms + group_perms} model-level permissions held by demo users or groups")
    assert user_perms == 0
    assert group_perms == 0
    assert not Group.objects.exists()


def test_the_demo_has_no_superuser_staff_or_default_account(seeded: None) -> None:
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()
    for name in ("admin@", "root@", "test@", "superuser@"):
        assert not User.objects.filter(email__istartswith=name).exists(), name
