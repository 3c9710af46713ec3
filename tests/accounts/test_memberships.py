"""Signing in, the role switcher, and memberships outside their dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sendadmin.accounts.models import Membership
from sendadmin.accounts.roles import Role
from tests.conftest import World, client_for
from tests.factories import MembershipFactory, UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.dates import TODAY

pytestmark = pytest.mark.django_db


def test_sign_in_with_wrong_password_shows_an_error_summary_and_no_data(world: World) -> None:
    response = client_for(None).post(
        reverse("accounts:login"), {"username": "senco@oakfield.example", "password": "wrong"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The e-mail address or password is not right" in body
    assert "Okafor" not in body


def test_sign_in_with_right_password_lands_on_the_home_page(world: World) -> None:
    client = client_for(None)
    response = client.post(
        reverse("accounts:login"),
        {"username": "senco@oakfield.example", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert "What needs your attention" in response.content.decode()


def test_switcher_moves_a_person_to_their_other_school(world: World) -> None:
    senco = world.users["senco"]
    MembershipFactory(user=senco, school=world.second_school, role=Role.SENCO)
    client = client_for(senco)
    assert (
        client.get(reverse("pupils:pupil-detail", args=[world.second_school_pupil.pk])).status_code
        == 404
    )
    riverside = Membership.objects.get(user=senco, school=world.second_school)
    response = client.post(reverse("accounts:switch"), {"membership": riverside.pk})
    assert response.status_code == 302
    assert (
        client.get(reverse("pupils:pupil-detail", args=[world.second_school_pupil.pk])).status_code
        == 200
    )
    # Acting at Riverside now, Oakfield's pupils are out of reach.
    assert client.get(reverse("pupils:pupil-detail", args=[world.pupil.pk])).status_code == 404


@pytest.mark.parametrize("value", ["999999", "not-a-number", ""])
def test_switcher_refuses_an_unknown_school_with_a_clear_message(world: World, value: str) -> None:
    client = client_for(world.users["senco"])
    response = client.post(reverse("accounts:switch"), {"membership": value})
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "Traceback" not in body


def test_switcher_refuses_another_persons_membership(world: World) -> None:
    theirs = Membership.objects.get(user=world.users["other_school_senco"])
    client = client_for(world.users["senco"])
    response = client.post(reverse("accounts:switch"), {"membership": theirs.pk})
    assert response.status_code == 400
    assert (
        client.get(reverse("pupils:pupil-detail", args=[world.second_school_pupil.pk])).status_code
        == 404
    )


def test_an_ended_membership_gives_no_access(world: World) -> None:
    leaver = UserFactory(email="leaver@oakfield.example")
    MembershipFactory(user=leaver, school=world.school, role=Role.SENCO, ended=True)
    client = client_for(leaver)
    home = client.get(reverse("core:home"))
    assert "You have no current role" in home.content.decode()
    assert client.get(reverse("pupils:pupil-list")).status_code == 403
    assert client.get(reverse("pupils:pupil-detail", args=[world.pupil.pk])).status_code == 404


def test_a_membership_that_has_not_started_gives_no_access(world: World) -> None:
    starter = UserFactory(email="starter@oakfield.example")
    MembershipFactory(
        user=starter, school=world.school, role=Role.SENCO, start=TODAY + dt.timedelta(days=7)
    )
    client = client_for(starter)
    assert client.get(reverse("pupils:pupil-detail", args=[world.pupil.pk])).status_code == 404


def test_a_membership_ending_today_still_counts_today(world: World) -> None:
    last_day = UserFactory(email="lastday@oakfield.example")
    MembershipFactory(user=last_day, school=world.school, role=Role.SENCO, end=TODAY)
    client = client_for(last_day)
    assert client.get(reverse("pupils:pupil-detail", args=[world.pupil.pk])).status_code == 200


def test_a_session_pointing_at_an_ended_membership_falls_back_to_a_current_one(
    world: World,
) -> None:
    senco = world.users["senco"]
    old = MembershipFactory(user=senco, school=world.second_school, role=Role.SENCO)
    client = client_for(senco)
    client.post(reverse("accounts:switch"), {"membership": old.pk})
    old.end = TODAY - dt.timedelta(days=1)
    old.save()
    response = client.get(reverse("pupils:pupil-detail", args=[world.second_school_pupil.pk]))
    assert response.status_code == 404
    assert client.get(reverse("pupils:pupil-detail", args=[world.pupil.pk])).status_code == 200


def test_header_shows_current_school_and_role(world: World) -> None:
    body = client_for(world.users["senco"]).get(reverse("core:home")).content.decode()
    assert "SENCO" in body
    assert "Oakfield Primary School" in body
