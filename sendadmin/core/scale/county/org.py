"""Step 1a: the two LAs, their schools, the seeding user and every login with its membership.

The contract (the module docstring of county/__init__.py) names the logins; one password hash is
computed once and shared, as in the demo.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from sendadmin.accounts.models import LocalAuthority, Membership, School, User
from sendadmin.accounts.roles import Role
from sendadmin.core.demo import FIRST_NAMES, LAST_NAMES

from .base import Run

PASSWORD = "sendadmin-scale-2026"  # noqa: S105 - public by design, like the demo's
DOMAIN = "scale.example"
SEED_USER_EMAIL = f"seed_scale@{DOMAIN}"

# Shirebrook at fraction 1 (issue 8): 370 primary, 70 secondary and 10 special schools.
PRIMARIES, SECONDARIES, SPECIALS = 370, 70, 10
# School 001, the register-export target, at every fraction.
EXPORT_SCHOOL_ROLL = 2000
# Rolls chosen so the county holds about 420,000 mainstream pupils: SEN support (60,000) is then
# about 14% of pupils and EHC plans about 4.3% of mainstream pupils, between the contract's 13% and
# 4.8% (the two cannot both hold with 20,000 plans and 60,000 on SEN support).
SECONDARY_ROLL, PRIMARY_ROLL, SPECIAL_ROLL = (1100, 2100), (450, 1210), (170, 230)
WESTMERE_ROLLS = (("primary", 320), ("primary", 380), ("secondary", 820))
CASEWORKERS = 40  # about 500 plans each at fraction 1

P, T = School.Phase, School.Type

PLACES = """Ash Beech Birch Bram Brook Burn Clay Cold Crane Dale Elm Fern Fox Glen Green Hazel Heath
High Holly Kings Lark Lea Marsh Mill Moor North Oak Pen Red Rush Salt Sand Stone Thorn Wood Wyn
""".split()  # noqa: SIM905
ENDINGS = """bury by combe croft dean field ford gate ham hill hurst leigh ley mere minster more stead
stoke ton well wick worth""".split()  # noqa: SIM905


@dataclass(slots=True)
class SchoolRec:
    id: int
    la_id: int
    la_code: str
    urn: str
    name: str
    kind: str  # "primary", "secondary" or "special"
    phase: str
    type: str
    roll: int
    login: str  # the {i:03d} of the logins, or "westmere1"...
    staff: dict[str, int] = field(default_factory=dict)  # e-mail prefix -> user id
    names: dict[str, str] = field(default_factory=dict)  # e-mail prefix -> full name

    @property
    def mainstream(self) -> bool:
        return self.kind != "special"

    @property
    def years(self) -> range:
        return {"primary": range(0, 7), "secondary": range(7, 12), "special": range(1, 15)}[
            self.kind
        ]


@dataclass(slots=True)
class Org:
    shirebrook_id: int
    westmere_id: int
    schools: list[SchoolRec]
    caseworkers: dict[int, list[int]]  # LA id -> caseworker user ids
    manager_id: int


def _place_names(run: Run, n: int) -> list[str]:
    names = [p + e for p in PLACES for e in ENDINGS]
    run.rng.shuffle(names)
    return names[:n]


def seed_org(run: Run) -> Org:
    today = run.today
    hashed = make_password(PASSWORD)
    la_ids = run.ids(LocalAuthority, 2)
    shire, west = la_ids
    run.put(
        LocalAuthority,
        ("id", "name", "code", "local_offer_url", "iass_name", "iass_phone", "iass_email", "iass_url"),
        [
            (shire, "Shirebrook", "870", "https://localoffer.shirebrook.example",
             "Shirebrook SENDIASS", "0113 496 0870", "sendiass@shirebrook.example",
             "https://sendiass.shirebrook.example"),
            (west, "Westmere", "871", "https://localoffer.westmere.example", "Westmere SENDIASS",
             "0114 496 0871", "sendiass@westmere.example", "https://sendiass.westmere.example"),
        ],
    )  # fmt: skip

    kinds = (
        ["secondary"] * run.scaled(SECONDARIES)
        + ["primary"] * run.scaled(PRIMARIES)
        + ["special"] * run.scaled(SPECIALS)
    )
    places = _place_names(run, len(kinds) + len(WESTMERE_ROLLS))
    specs: list[tuple[int, str, str, str, str, int]] = []  # la, code, urn, kind, login, roll
    for i, kind in enumerate(kinds, start=1):
        if i == 1:
            roll = EXPORT_SCHOOL_ROLL
        else:
            low, high = {"primary": PRIMARY_ROLL, "secondary": SECONDARY_ROLL}.get(
                kind, SPECIAL_ROLL
            )
            roll = run.rng.randint(low, high)
        specs.append((shire, "870", f"870{i:03d}", kind, f"{i:03d}", roll))
    for j, (kind, roll) in enumerate(WESTMERE_ROLLS, start=1):
        specs.append((west, "871", f"871{j:03d}", kind, f"westmere{j}", roll))

    school_ids = run.ids(School, len(specs))
    schools: list[SchoolRec] = []
    for pk, (la, code, urn, kind, login, roll), place in zip(
        school_ids, specs, places, strict=True
    ):
        if kind == "primary":
            title, phase, type_ = f"{place} Primary School", P.PRIMARY, T.MAINTAINED
        elif kind == "secondary":
            title, phase, type_ = f"{place} Academy", P.SECONDARY, T.ACADEMY
        else:
            title, phase, type_ = f"{place} Special School", P.ALL_THROUGH, T.SPECIAL
        schools.append(SchoolRec(pk, la, code, urn, title, kind, phase, type_, roll, login))
    run.put(
        School,
        ("id", "urn", "name", "phase", "type", "local_authority_id", "website"),
        [
            (s.id, s.urn, s.name, s.phase, s.type, s.la_id, f"https://www.{s.urn}.{DOMAIN}")
            for s in schools
        ],
    )

    # Users: (email, full name, job title, role, school id or None, LA id or None).
    people: list[tuple[str, str, str, str, int | None, int | None]] = []

    def name() -> str:
        return f"{run.rng.choice(FIRST_NAMES)} {run.rng.choice(LAST_NAMES)}"

    for s in schools:
        roles: list[tuple[str, str, str]] = [
            ("senco", Role.SENCO, "SENCO"),
            ("head", Role.HEADTEACHER, "Headteacher"),
        ]
        if s.la_id == shire:
            roles += [
                ("teacher", Role.TEACHER, "Class teacher" if s.kind == "primary" else "Teacher"),
                ("ta", Role.TEACHING_ASSISTANT, "Teaching assistant"),
                ("governor", Role.GOVERNOR, "Governor"),
            ]
        for prefix, role, title in roles:
            people.append((f"{prefix}.{s.login}@{DOMAIN}", name(), title, role, s.id, None))
    n_case = run.scaled(CASEWORKERS)
    for k in range(1, n_case + 1):
        people.append(
            (
                f"caseworker.{k:02d}@{DOMAIN}",
                name(),
                "SEND caseworker",
                Role.LA_CASEWORKER,
                None,
                shire,
            )
        )
    people.append(
        (f"lamanager@{DOMAIN}", name(), "SEND service manager", Role.LA_MANAGER, None, shire)
    )
    people.append(
        (f"caseworker.westmere@{DOMAIN}", name(), "SEND caseworker", Role.LA_CASEWORKER, None, west)
    )

    user_ids = run.ids(User, len(people))
    joined = run.at(today - dt.timedelta(days=400))
    run.put(
        User,
        ("id", "password", "last_login", "is_superuser", "email", "full_name", "job_title",
         "is_active", "is_staff", "date_joined"),
        [
            (pk, hashed, None, False, email, full, title, True, False, joined)
            for pk, (email, full, title, _r, _s, _l) in zip(user_ids, people, strict=True)
        ],
    )  # fmt: skip
    start = today - dt.timedelta(days=400)
    membership_ids = run.ids(Membership, len(people))
    run.put(
        Membership,
        ("id", "user_id", "school_id", "local_authority_id", "role", "start", "end"),
        [
            (mid, uid, school, la, role, start, None)
            for mid, uid, (_e, _n, _t, role, school, la) in zip(
                membership_ids, user_ids, people, strict=True
            )
        ],
    )
    by_school = {s.id: s for s in schools}
    caseworkers: dict[int, list[int]] = {shire: [], west: []}
    manager = 0
    for uid, (email, full, _t, role, at_school, at_la) in zip(user_ids, people, strict=True):
        if at_school is not None:
            by_school[at_school].staff[email.split(".", 1)[0]] = uid
            by_school[at_school].names[email.split(".", 1)[0]] = full
        elif role == Role.LA_CASEWORKER and at_la is not None:
            caseworkers[at_la].append(uid)
        else:
            manager = uid
    return Org(shire, west, schools, caseworkers, manager)


def seed_user(run: Run) -> int:
    """The non-login system user every seeded history record names (an unusable password)."""
    (pk,) = run.ids(User, 1)
    run.seed_user_id = pk
    run.put(
        User,
        ("id", "password", "last_login", "is_superuser", "email", "full_name", "job_title",
         "is_active", "is_staff", "date_joined"),
        [(pk, make_password(None), None, False, SEED_USER_EMAIL, "seed_scale (system)",
          "Data generator", False, False, run.now)],
    )  # fmt: skip
    return pk
