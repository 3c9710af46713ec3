"""The shell: error pages without stack traces, tampered ids, and list query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World, client_for
from tests.factories import PupilFactory, TeachingGroupPupilFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tampered", ["999999999", "00", "1%20OR%201=1", "-1", "%00"])
def test_a_tampered_pupil_id_gets_a_clear_page_not_a_stack_trace(
    world: World, tampered: str
) -> None:
    response = client_for(world.users["senco"]).get(f"/pupils/{tampered}/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert "Traceback" not in body
    assert "Okafor" not in body


def test_a_server_error_shows_a_plain_page(world: World) -> None:
    from sendadmin.core.views import error_500

    response = error_500(None)  # type: ignore[arg-type]
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


def test_a_403_page_says_what_to_do(world: World) -> None:
    response = client_for(world.users["governor"]).get(reverse("pupils:pupil-list"))
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()


def test_governor_home_shows_counts_and_no_pupil_names(world: World) -> None:
    body = client_for(world.users["governor"]).get(reverse("core:home")).content.decode()
    assert "Pupils on the SEN register" in body
    assert "fewer than 5" in body
    for pupil in world.objects().values():
        assert pupil.legal_last_name not in body


def _pupil_list_queries(world: World, user_key: str) -> int:
    client = client_for(world.users[user_key])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("pupils:pupil-list")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user_key", ["senco", "class_teacher"])
def test_pupil_list_makes_the_same_number_of_queries_for_3_and_40_pupils(
    world: World, user_key: str
) -> None:
    group = world.pupil.group_links.get().group
    for _ in range(2):
        TeachingGroupPupilFactory(group=group, pupil=PupilFactory(school=world.school))
    small = _pupil_list_queries(world, user_key)
    for _ in range(37):
        TeachingGroupPupilFactory(
            group=group, pupil=PupilFactory(school=world.school, sen_support=True)
        )
    assert _pupil_list_queries(world, user_key) == small


def test_health_is_public_and_says_ok(world: World) -> None:
    response = client_for(None).get(reverse("core:health"))
    assert response.json() == {"status": "ok"}


def test_pupil_record_links_to_its_history_only_for_roles_that_may_read_it(world: World) -> None:
    url = reverse("pupils:pupil-detail", args=[world.pupil.pk])
    history = reverse("pupils:pupil-history", args=[world.pupil.pk])
    assert history in client_for(world.users["senco"]).get(url).content.decode()
    assert history not in client_for(world.users["class_teacher"]).get(url).content.decode()
