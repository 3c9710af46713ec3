"""History with the acting user on every model that holds personal data, and the history page."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from sendadmin.accounts.models import AuditEvent
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

# Models that hold no personal data about a pupil or a member of staff, or that are themselves
# an append-only record (audit events). Anything else in our apps must keep history.
NO_HISTORY_NEEDED = {
    "accounts.AuditEvent",
    # Delivery logs: created once, then stamped sent or read in the row itself; no other change.
    "clocks.Reminder",
    "clocks.Notification",
}
OUR_APPS = {
    "accounts",
    "core",
    "pupils",
    "support",
    "provision",
    "ehcp",
    "reviews",
    "offer",
    "clocks",
}


def test_every_model_of_ours_keeps_history_unless_listed() -> None:
    missing = []
    for model in apps.get_models():
        label = f"{model._meta.app_label}.{model.__name__}"
        if model._meta.app_label not in OUR_APPS or model.__name__.startswith("Historical"):
            continue
        if label in NO_HISTORY_NEEDED:
            continue
        if not hasattr(model, "history"):
            missing.append(label)
    assert not missing, f"Models without simple-history: {missing}"


def test_history_records_the_acting_user_of_a_web_request(world: World) -> None:
    from simple_history.models import HistoricalChanges  # noqa: F401

    pupil = world.pupil
    pupil._history_user = world.users["senco"]  # type: ignore[attr-defined]
    pupil.preferred_name = "Mara"
    pupil.save()
    latest = pupil.history.first()
    assert latest.history_user == world.users["senco"]
    assert latest.history_type == "~"


def test_history_page_shows_who_changed_what(world: World) -> None:
    pupil = world.pupil
    pupil._history_user = world.users["senco"]  # type: ignore[attr-defined]
    pupil.preferred_name = "Mara"
    pupil.save()
    response = client_for(world.users["head"]).get(reverse("pupils:pupil-history", args=[pupil.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Senco" in body  # the acting user's name
    assert "Preferred name" in body
    assert "Mara" in body
    assert (
        AuditEvent.objects.filter(
            action="pupils.pupil.history_viewed", actor=world.users["head"]
        ).count()
        == 1
    )


def test_history_page_of_another_schools_pupil_is_not_found(world: World) -> None:
    response = client_for(world.users["head"]).get(
        reverse("pupils:pupil-history", args=[world.second_school_pupil.pk])
    )
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_history_page_queries_do_not_grow_with_the_number_of_changes(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pupil = world.pupil
    client = client_for(world.users["head"])
    url = reverse("pupils:pupil-history", args=[pupil.pk])
    client.get(url)

    def change(times: int) -> int:
        for n in range(times):
            pupil._history_user = world.users["senco"]  # type: ignore[attr-defined]
            pupil.preferred_name = f"Name {n}"
            pupil.save()
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).content.decode()
        assert f"Name {times - 1}" in body
        return len(ctx.captured_queries)

    assert change(2) == change(20)
