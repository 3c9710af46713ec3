"""Audit events for sensitive reads, and one-off grants with a reason and an expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sendadmin.accounts.models import AuditEvent
from sendadmin.accounts.services import access_grant_create, access_grant_revoke
from tests.conftest import World, client_for
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db


def test_viewing_a_pupil_writes_an_audit_event_with_the_actor_and_role(world: World) -> None:
    client_for(world.users["senco"]).get(reverse("pupils:pupil-detail", args=[world.pupil.pk]))
    event = AuditEvent.objects.get(action="pupils.pupil.viewed")
    assert event.actor == world.users["senco"]
    assert event.actor_role == "senco"
    assert event.school == world.school
    assert event.target_id == str(world.pupil.pk)


def test_a_refused_view_writes_no_read_event(world: World) -> None:
    client_for(world.users["other_teacher"]).get(
        reverse("pupils:pupil-detail", args=[world.pupil.pk])
    )
    assert not AuditEvent.objects.filter(action="pupils.pupil.viewed").exists()


def _grant(world: World, **overrides: object) -> object:
    args: dict[str, object] = {
        "user": world.users["other_teacher"],
        "target": world.pupil,
        "permission": "pupils.view_pupil",
        "reason": "Covering Year 4 for the spring term",
        "expires_on": TODAY + dt.timedelta(days=30),
        "by": world.users["senco"],
    }
    args.update(overrides)
    return access_grant_create(**args)  # type: ignore[arg-type]


def test_a_grant_lets_a_teacher_see_one_more_pupil_and_is_audited(world: World) -> None:
    client = client_for(world.users["other_teacher"])
    url = reverse("pupils:pupil-detail", args=[world.pupil.pk])
    assert client.get(url).status_code == 404
    _grant(world)
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.get(action="accounts.access.granted")
    assert event.actor == world.users["senco"]
    assert event.data["reason"] == "Covering Year 4 for the spring term"


def test_an_expired_grant_stops_working_on_its_own(world: World, time_machine: object) -> None:
    _grant(world, expires_on=TODAY + dt.timedelta(days=2))
    client = client_for(world.users["other_teacher"])
    url = reverse("pupils:pupil-detail", args=[world.pupil.pk])
    assert client.get(url).status_code == 200
    time_machine.move_to(dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(9)))  # type: ignore[attr-defined]
    # A new session: the old one has passed its 12-hour limit.
    assert client_for(world.users["other_teacher"]).get(url).status_code == 404


def test_a_revoked_grant_stops_working_and_is_audited(world: World) -> None:
    grant = _grant(world)
    access_grant_revoke(grant=grant, by=world.users["senco"])  # type: ignore[arg-type]
    url = reverse("pupils:pupil-detail", args=[world.pupil.pk])
    assert client_for(world.users["other_teacher"]).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="accounts.access.revoked").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": "  "}, "Enter why this access is needed."),
        ({"expires_on": TODAY - dt.timedelta(days=1)}, "must be today or in the future"),
        ({"expires_on": TODAY + dt.timedelta(days=400)}, "at most a year"),
    ],
)
def test_a_grant_without_a_reason_or_a_sensible_expiry_is_refused(
    world: World, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _grant(world, **overrides)
    assert not AuditEvent.objects.exists()


def test_the_expiry_task_removes_ended_grants_once_and_audits_each(
    world: World, time_machine: object
) -> None:
    from guardian.shortcuts import get_perms

    from sendadmin.accounts.tasks import expire_access_grants

    teacher = world.users["other_teacher"]
    _grant(world, expires_on=TODAY + dt.timedelta(days=1))
    _grant(world, user=world.users["ta"], target=world.untaught_pupil)
    time_machine.move_to(dt.datetime.combine(TODAY + dt.timedelta(days=2), dt.time(1)))  # type: ignore[attr-defined]
    assert expire_access_grants.apply().get() == 1
    assert expire_access_grants.apply().get() == 0
    assert "view_pupil" not in get_perms(teacher, world.pupil)
    assert "view_pupil" in get_perms(world.users["ta"], world.untaught_pupil)
    assert AuditEvent.objects.filter(action="accounts.access.expired").count() == 1
