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
from .provision import (
    NotionalSenBudgetFactory,
    ProvisionAssignmentFactory,
    ProvisionFactory,
    SessionAttendanceFactory,
    SessionLogFactory,
)
from .pupils import (
    MedicalConditionFactory,
    ParentCarerFactory,
    ParentsToldRecordFactory,
    PupilFactory,
    PupilNeedFactory,
    SenStatusFactory,
    TeachingGroupFactory,
    TeachingGroupPupilFactory,
    TeachingGroupStaffFactory,
)
from .support import (
    CycleOutcomeFactory,
    CycleProvisionFactory,
    CycleViewFactory,
    DeliveryNoteFactory,
    OutcomeReviewFactory,
    ParentMeetingFactory,
    SupportCycleFactory,
    SupportPlanFactory,
)

__all__ = [
    "AccessGrantFactory",
    "AuditEventFactory",
    "CalendarFeedTokenFactory",
    "ClockFactory",
    "CycleOutcomeFactory",
    "CycleProvisionFactory",
    "CycleViewFactory",
    "DeliveryNoteFactory",
    "LocalAuthorityFactory",
    "MedicalConditionFactory",
    "MembershipFactory",
    "NotificationFactory",
    "NotionalSenBudgetFactory",
    "OutcomeReviewFactory",
    "ParentCarerFactory",
    "ParentMeetingFactory",
    "ParentsToldRecordFactory",
    "ProvisionAssignmentFactory",
    "ProvisionFactory",
    "PupilFactory",
    "PupilNeedFactory",
    "ReminderFactory",
    "SchoolFactory",
    "SenStatusFactory",
    "SessionAttendanceFactory",
    "SessionLogFactory",
    "SupportCycleFactory",
    "SupportPlanFactory",
    "TeachingGroupFactory",
    "TeachingGroupPupilFactory",
    "TeachingGroupStaffFactory",
    "UserFactory",
]
