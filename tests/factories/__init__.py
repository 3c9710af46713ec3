"""factory-boy factories for every model, with valid minimal defaults."""

from .accounts import (
    AccessGrantFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    SchoolFactory,
    UserFactory,
)
from .pupils import (
    PupilFactory,
    PupilNeedFactory,
    TeachingGroupFactory,
    TeachingGroupPupilFactory,
    TeachingGroupStaffFactory,
)

__all__ = [
    "AccessGrantFactory",
    "LocalAuthorityFactory",
    "MembershipFactory",
    "PupilFactory",
    "PupilNeedFactory",
    "SchoolFactory",
    "TeachingGroupFactory",
    "TeachingGroupPupilFactory",
    "TeachingGroupStaffFactory",
    "UserFactory",
]
