"""Every model of ours has a factory that builds a valid row."""

from __future__ import annotations

import factory
import pytest
from django.apps import apps

import tests.factories as factories
from tests.accounts.test_history import OUR_APPS
from tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _factories() -> dict[type, type[factory.django.DjangoModelFactory]]:
    found = {}
    for name in factories.__all__:
        candidate = getattr(factories, name)
        found[candidate._meta.model] = candidate
    return found


def test_every_model_of_ours_has_a_factory() -> None:
    ours = [
        m
        for m in apps.get_models()
        if m._meta.app_label in OUR_APPS and not m.__name__.startswith("Historical")
    ]
    missing = sorted(m.__name__ for m in ours if m not in _factories())
    assert not missing, f"Models without a factory in tests/factories: {missing}"


@pytest.mark.parametrize("name", [n for n in factories.__all__ if n != "AccessGrantFactory"])
def test_each_factory_builds_a_valid_saved_row(name: str) -> None:
    row = getattr(factories, name)()
    row.full_clean()
    assert row.pk is not None


def test_access_grant_factory_builds_a_valid_row_for_a_target() -> None:
    grant = factories.AccessGrantFactory(target=PupilFactory())
    grant.full_clean()
    assert grant.pk is not None
