"""The load scenarios: one per role, each a list of pages, and the floor every page is compared with.

Pure data, no Django: the plan builder (plan.py) turns each page into URLs for one signed-in user,
and the locustfile requests them. A page with an `ids` kind is a record page: the plan gives each
user many records of that kind that the user may see, and the user visits them in turn.
"""

from __future__ import annotations

from dataclasses import dataclass

from sendadmin.accounts.roles import Role

# The kinds of record a page needs an id of; plan.py knows how to find them for a user.
PUPIL_ON_REGISTER = "pupil_on_register"
TAUGHT_PUPIL = "taught_pupil"
SUPPORT_PLAN = "support_plan"
EHC_PLAN = "ehc_plan"
CASE = "case"
PROVISION_TO_LOG = "provision_to_log"
ID_KINDS = frozenset(
    {PUPIL_ON_REGISTER, TAUGHT_PUPIL, SUPPORT_PLAN, EHC_PLAN, CASE, PROVISION_TO_LOG}
)


@dataclass(frozen=True)
class Page:
    """One page of a scenario: `url_name` is a Django URL name; `ids` the kind of its pk, if any."""

    label: str
    url_name: str
    ids: str | None = None


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    roles: frozenset[str]
    pages: tuple[Page, ...]


HOME = Page("home", "core:home")

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "senco",
        "SENCO",
        frozenset({Role.SENCO}),
        (
            HOME,
            Page("SEN register", "pupils:register-list"),
            Page("pupil list", "pupils:pupil-list"),
            Page("pupil page", "pupils:pupil-detail", PUPIL_ON_REGISTER),
            Page("SEN support plan", "support:plan-detail", SUPPORT_PLAN),
            Page("provision map", "provision:map"),
            Page("EHC plan", "ehcp:plan-detail", EHC_PLAN),
            Page("reviews list", "reviews:review-list"),
            Page("school deadlines", "clocks:school-deadlines"),
        ),
    ),
    Scenario(
        "teacher",
        "Class or subject teacher",
        frozenset({Role.TEACHER}),
        (
            HOME,
            Page("my pupils", "pupils:pupil-list"),
            Page("taught pupil page", "pupils:pupil-detail", TAUGHT_PUPIL),
            Page("log a session: start", "provision:log-start"),
            Page("log a session: form", "provision:session-log", PROVISION_TO_LOG),
        ),
    ),
    Scenario(
        "ta",
        "Teaching assistant",
        frozenset({Role.TEACHING_ASSISTANT}),
        (
            HOME,
            Page("my pupils", "pupils:pupil-list"),
            Page("taught pupil page", "pupils:pupil-detail", TAUGHT_PUPIL),
            Page("log a session: start", "provision:log-start"),
            Page("log a session: form", "provision:session-log", PROVISION_TO_LOG),
        ),
    ),
    Scenario(
        "head",
        "Headteacher or senior leader",
        frozenset({Role.HEADTEACHER, Role.SENIOR_LEADER}),
        (
            HOME,
            Page("school dashboard", "dashboards:school"),
            Page("school deadlines", "clocks:school-deadlines"),
        ),
    ),
    Scenario(
        "governor",
        "Governor",
        frozenset({Role.GOVERNOR, Role.SEN_LINK_GOVERNOR}),
        (HOME, Page("school dashboard", "dashboards:school")),
    ),
    Scenario(
        "caseworker",
        "LA SEND caseworker",
        frozenset({Role.LA_CASEWORKER}),
        (
            HOME,
            Page("LA deadlines", "clocks:la-deadlines"),
            Page("case list", "ehcp:case-list"),
            Page("case page", "ehcp:case-detail", CASE),
            Page("EHC plan", "ehcp:plan-detail", EHC_PLAN),
            Page("LA reviews list", "reviews:la-review-list"),
        ),
    ),
    Scenario(
        "la_manager",
        "LA SEND manager",
        frozenset({Role.LA_MANAGER}),
        (HOME, Page("LA dashboard", "dashboards:la")),
    ),
)

# The floor: the simplest signed-in page that still goes through the whole stack and base template.
# /account/switch/ does what every signed-in page does (session, user, active membership, the
# membership and unread-notification context processors, CSRF, CSP, the base template with its
# navigation) plus one query for the user's memberships, already made for the header. The other
# candidates do more: the notification list counts and pages a table, /health/ renders no template
# and needs no sign-in, and every home page reads the user's deadlines.
FLOOR = Scenario(
    "floor",
    "Floor: choose where you are working",
    frozenset(Role),
    (Page("floor (switch page)", "accounts:switch"),),
)

SCENARIO_KEYS = tuple(s.key for s in SCENARIOS)


def scenario(key: str) -> Scenario:
    if key == FLOOR.key:
        return FLOOR
    for s in SCENARIOS:
        if s.key == key:
            return s
    raise KeyError(key)
