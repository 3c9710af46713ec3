"""Shared fixtures: a fixed TODAY, and a world of two LAs, three schools and a persona per role.

Every fixture set has a second school and a second LA, so a leak across tenants fails a test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from pupils.models import Pupil
from sendadmin.accounts.models import LocalAuthority, School, User
from sendadmin.accounts.roles import Role
from tests.factories import (
    LocalAuthorityFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    TeachingGroupFactory,
    TeachingGroupPupilFactory,
    TeachingGroupStaffFactory,
    UserFactory,
)
from tests.factories.accounts import PASSWORD
from tests.factories.dates import TODAY

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _fixed_today(request: pytest.FixtureRequest) -> Any:
    """Tests run on TODAY at 10:00 in London, with the clock ticking; browser tests use real time."""
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("slow"):
        yield
        return
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=LONDON), tick=True):
        yield


@dataclass
class World:
    home_la: LocalAuthority
    other_la: LocalAuthority
    school: School
    second_school: School
    other_la_school: School
    # The four objects every access-matrix row is checked against.
    pupil: Pupil  # in scope: taught by class_teacher and the TA, looked after
    untaught_pupil: Pupil  # same school, not taught by them, not looked after
    second_school_pupil: Pupil
    other_la_pupil: Pupil
    users: dict[str, User] = field(default_factory=dict)

    def refetched(self) -> World:
        """The same world read afresh from the database: nothing a test set on the objects in
        memory reaches the next test that shares this world."""
        las = LocalAuthority.objects.in_bulk([self.home_la.pk, self.other_la.pk])
        schools = School.objects.in_bulk(
            [self.school.pk, self.second_school.pk, self.other_la_school.pk]
        )
        pupils = Pupil.objects.in_bulk(
            [
                self.pupil.pk,
                self.untaught_pupil.pk,
                self.second_school_pupil.pk,
                self.other_la_pupil.pk,
            ]
        )
        users = User.objects.in_bulk([user.pk for user in self.users.values()])
        return World(
            home_la=las[self.home_la.pk],
            other_la=las[self.other_la.pk],
            school=schools[self.school.pk],
            second_school=schools[self.second_school.pk],
            other_la_school=schools[self.other_la_school.pk],
            pupil=pupils[self.pupil.pk],
            untaught_pupil=pupils[self.untaught_pupil.pk],
            second_school_pupil=pupils[self.second_school_pupil.pk],
            other_la_pupil=pupils[self.other_la_pupil.pk],
            users={name: users[user.pk] for name, user in self.users.items()},
        )

    def objects(self) -> dict[str, Pupil]:
        return {
            "in_scope": self.pupil,
            "out_of_scope": self.untaught_pupil,
            "second_school": self.second_school_pupil,
            "second_la": self.other_la_pupil,
        }


SCHOOL_PERSONAS = {
    "governor": Role.GOVERNOR,
    "sen_link_governor": Role.SEN_LINK_GOVERNOR,
    "head": Role.HEADTEACHER,
    "senior_leader": Role.SENIOR_LEADER,
    "senco": Role.SENCO,
    "class_teacher": Role.TEACHER,
    "other_teacher": Role.TEACHER,
    "ta": Role.TEACHING_ASSISTANT,
    "designated_teacher": Role.DESIGNATED_TEACHER,
    "school_admin": Role.SCHOOL_ADMIN,
}
LA_PERSONAS = {"la_caseworker": Role.LA_CASEWORKER, "la_manager": Role.LA_MANAGER}
PERSONAS = [*SCHOOL_PERSONAS, *LA_PERSONAS, "other_school_senco", "other_la_caseworker"]


def build_world() -> World:
    home_la = LocalAuthorityFactory(name="Northmoor", code="990")
    other_la = LocalAuthorityFactory(name="Eastbrook", code="991")
    school = SchoolFactory(urn="990001", name="Oakfield Primary School", local_authority=home_la)
    second = SchoolFactory(
        urn="990002",
        name="Riverside Academy",
        local_authority=home_la,
        phase=School.Phase.SECONDARY,
        type=School.Type.ACADEMY,
    )
    other = SchoolFactory(urn="991001", name="Hillcrest Primary School", local_authority=other_la)
    group = TeachingGroupFactory(school=school, name="Year 4 Willow")
    other_group = TeachingGroupFactory(school=school, name="Year 5 Ash", year_group=5)
    pupil = PupilFactory(
        school=school,
        legal_first_name="Amara",
        legal_last_name="Okafor",
        sen_support=True,
        looked_after=True,
    )
    untaught = PupilFactory(
        school=school,
        legal_first_name="Ben",
        legal_last_name="Hughes",
        year_group=5,
        sen_support=True,
    )
    TeachingGroupPupilFactory(group=group, pupil=pupil)
    TeachingGroupPupilFactory(group=other_group, pupil=untaught)
    world = World(
        home_la=home_la,
        other_la=other_la,
        school=school,
        second_school=second,
        other_la_school=other,
        pupil=pupil,
        untaught_pupil=untaught,
        second_school_pupil=PupilFactory(school=second, year_group=8, ehc_plan=True),
        other_la_pupil=PupilFactory(school=other, ehc_plan=True),
    )
    for name, role in SCHOOL_PERSONAS.items():
        user = UserFactory(
            email=f"{name}@oakfield.example", full_name=name.replace("_", " ").title()
        )
        MembershipFactory(user=user, school=school, role=role)
        world.users[name] = user
    for name, role in LA_PERSONAS.items():
        user = UserFactory(email=f"{name}@northmoor.example")
        MembershipFactory(user=user, school=None, local_authority=home_la, role=role)
        world.users[name] = user
    TeachingGroupStaffFactory(group=group, user=world.users["class_teacher"])
    TeachingGroupStaffFactory(group=group, user=world.users["ta"], role="teaching_assistant")
    TeachingGroupStaffFactory(group=other_group, user=world.users["other_teacher"])
    world.users["other_school_senco"] = UserFactory(email="senco@riverside.example")
    MembershipFactory(user=world.users["other_school_senco"], school=second, role=Role.SENCO)
    world.users["other_la_caseworker"] = UserFactory(email="caseworker@eastbrook.example")
    MembershipFactory(
        user=world.users["other_la_caseworker"],
        school=None,
        local_authority=other_la,
        role=Role.LA_CASEWORKER,
    )
    return world


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def login() -> Any:
    return client_for


for _name in PERSONAS:

    def _make(name: str = _name) -> Any:
        @pytest.fixture(name=name)
        def persona(world: World) -> User:
            return world.users[name]

        return persona

    globals()[_name] = _make()


@pytest.fixture
def pupil(world: World) -> Pupil:
    return world.pupil


__all__ = ["PASSWORD", "World", "build_world", "client_for"]
