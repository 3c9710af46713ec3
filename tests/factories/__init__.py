"""factory-boy factories for every model, with valid minimal defaults."""

from .accounts import (
    AccessGrantFactory,
    AuditEventFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    SchoolFactory,
    UserFactory,
)
from .clocks import (
    CalendarFeedTokenFactory,
    ClockFactory,
    NotificationFactory,
    ReminderFactory,
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
    "CalendarFeedTokenFactory",
    "ClockFactory",
    "LocalAuthorityFactory",
    "MembershipFactory",
    "NotificationFactory",
    "PupilFactory",
    "PupilNeedFactory",
    "ReminderFactory",
    "SchoolFactory",
    "TeachingGroupFactory",
    "TeachingGroupPupilFactory",
    "TeachingGroupStaffFactory",
    "UserFactory",
]
