"""The read-replica router (docs/scaling.md): dashboards and exports may read from a replica, and
nothing else does; writes and migrations always go to the primary."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from pupils import views as pupil_views
from pupils.models import Pupil
from sendadmin.accounts.models import AuditEvent
from sendadmin.core.replica import ReplicaRouter, reads_from_replica, reporting_reads
from sendadmin.dashboards import views_la, views_school
from sendadmin.env import REPLICA, replica_config

# Only the router reads the replica entry here; no connection to it is opened.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
WITH_REPLICA = {**settings.DATABASES, REPLICA: dict(settings.DATABASES["default"])}


def test_without_a_replica_every_read_uses_the_primary() -> None:
    router = ReplicaRouter()
    assert REPLICA not in settings.DATABASES
    with reporting_reads():
        assert router.db_for_read(Pupil) is None


@override_settings(DATABASES=WITH_REPLICA)
def test_with_a_replica_only_reporting_reads_use_it() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Pupil) is None
    with reporting_reads():
        assert router.db_for_read(Pupil) == REPLICA
        # The audit event an export writes goes to the primary, inside or out.
        assert router.db_for_write(AuditEvent) == "default"
    assert router.db_for_read(Pupil) is None


@override_settings(DATABASES=WITH_REPLICA)
def test_the_decorator_scopes_replica_reads_to_the_view_call() -> None:
    router = ReplicaRouter()
    seen: list[str | None] = []

    @reads_from_replica
    def view(*args: Any) -> None:
        seen.append(router.db_for_read(Pupil))
        raise RuntimeError("the view failed")

    with pytest.raises(RuntimeError):
        view()
    assert seen == [REPLICA]
    assert router.db_for_read(Pupil) is None  # reset even when the view raised


def test_migrations_never_run_on_the_replica() -> None:
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "pupils") is False
    assert router.allow_migrate("default", "pupils") is True


def test_the_dashboards_and_the_register_export_read_from_the_replica() -> None:
    for view in (
        views_school.school_page,
        views_school.school_drill,
        views_school.governors_report_pdf,
        views_la.la_dashboard,
        views_la.la_sen2,
        pupil_views.register_export,
    ):
        assert getattr(view, "reads_from_replica", False), view.__name__
    # A page that lists what a user has just changed must not.
    assert not getattr(pupil_views.register_list, "reads_from_replica", False)


def test_the_replica_url_becomes_a_test_mirror_of_the_primary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    assert replica_config() is None
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader@replica.example:5432/sendadmin")
    config = replica_config()
    assert config is not None
    assert config["HOST"] == "replica.example"
    assert config["USER"] == "reader"
    assert config["TEST"] == {"MIRROR": "default"}
