"""Teaching-group staff pages: attaching a teacher gives them the group's pupils; removing takes
them away after today; only the SENCO and the office manage groups."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pupils.models import Pupil, TeachingGroupStaff
from pupils.rules import pupil_visible_q
from sendadmin.accounts.models import AuditEvent, Membership
from tests.conftest import World, client_for
from tests.factories import PupilFactory
from tests.factories.dates import TODAY
from tests.factories.pupils import TeachingGroupFactory, TeachingGroupPupilFactory

pytestmark = pytest.mark.django_db


def _sees(user: Any, pupil: Pupil) -> bool:
    user.active_membership = Membership.objects.get(user=user)
    return Pupil.objects.filter(pupil_visible_q(user), pk=pupil.pk).exists()


def test_the_office_attaches_a_teacher_who_then_sees_the_pupils(
    world: World, school_admin: Any, other_teacher: Any
) -> None:
    group = TeachingGroupFactory(school=world.school, name="Year 3 Oak")
    pupil = PupilFactory(school=world.school)
    TeachingGroupPupilFactory(group=group, pupil=pupil)
    assert not _sees(other_teacher, pupil)
    client = client_for(school_admin)
    url = reverse("pupils:group-detail", args=[group.pk])
    page = client.get(url).content.decode()
    assert "No staff" in page and pupil.display_name in page

    missing = client.post(url, {"action": "add"})
    assert "Select a member of staff" in missing.content.decode()
    data = {"action": "add", "user": str(other_teacher.pk), "role": "teacher"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # sent twice: still one place
    link = TeachingGroupStaff.objects.get(group=group)
    assert (link.user, link.start, link.end) == (other_teacher, TODAY, None)
    assert link.history.get().history_user == school_admin  # type: ignore[attr-defined]
    assert _sees(other_teacher, pupil)

    client.post(url, {"action": "end", "link": str(link.pk)})
    link.refresh_from_db()
    assert link.end == TODAY  # they keep the pupils to the end of today
    assert AuditEvent.objects.filter(action="pupils.group_staff.ended").count() == 1


def test_only_current_teaching_staff_of_the_school_can_be_attached(
    world: World, senco: Any, governor: Any, other_school_senco: Any
) -> None:
    group = TeachingGroupFactory(school=world.school)
    url = reverse("pupils:group-detail", args=[group.pk])
    client = client_for(senco)
    for outsider in (governor, other_school_senco):
        response = client.post(url, {"action": "add", "user": str(outsider.pk), "role": "teacher"})
        assert "Select a member of staff" in response.content.decode()
    assert not TeachingGroupStaff.objects.filter(group=group).exists()


def test_a_teacher_cannot_manage_groups(world: World, class_teacher: Any) -> None:
    group = TeachingGroupFactory(school=world.school)
    client = client_for(class_teacher)
    assert client.get(reverse("pupils:group-list")).status_code == 403
    response = client.post(
        reverse("pupils:group-detail", args=[group.pk]),
        {"action": "add", "user": str(class_teacher.pk), "role": "teacher"},
    )
    assert response.status_code == 403
    assert not TeachingGroupStaff.objects.filter(group=group).exists()


def test_group_list_queries_do_not_grow_with_groups(world: World, senco: Any) -> None:
    client = client_for(senco)
    url = reverse("pupils:group-list")
    client.get(url)

    def count(n: int) -> int:
        for _ in range(n):
            group = TeachingGroupFactory(school=world.school)
            TeachingGroupPupilFactory(group=group, pupil=PupilFactory(school=world.school))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(20)
