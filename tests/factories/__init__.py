"""factory-boy factories for every model, with valid minimal defaults."""

from .accounts import (
    AccessGrantFactory,
    AuditEventFactory,
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
    "AuditEventFactory",
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
