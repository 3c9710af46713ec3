"""Deterministic demo data for `manage.py seed_demo`: 2 LAs, 4 schools, ~1,500 pupils, logins."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from pupils.codes import NeedType, SenProvision
from pupils.models import Pupil, PupilNeed, TeachingGroup, TeachingGroupPupil, TeachingGroupStaff
from pupils.upn import upn_check_letter
from sendadmin.accounts.models import LocalAuthority, Membership, School, User
from sendadmin.accounts.roles import Role
from sendadmin.calendar import academic_year_start

M = TypeVar("M", bound=models.Model)

DEMO_PASSWORD = "sendadmin-demo-2026"  # noqa: S105 - public by design, printed for newcomers
SEED = 2026
CHANGE_REASON = "demo data"
NORTHMOOR, EASTBROOK = "Northmoor", "Eastbrook"
OAKFIELD, RIVERSIDE = "Oakfield Primary School", "Riverside Academy"
BROOKSIDE, HILLCREST = "Brookside Special School", "Hillcrest Primary School"

# Data tables stay hand-aligned: one row per line reads better than one value per line.
# fmt: off
# Telephone numbers are from Ofcom's ranges reserved for drama, so they never ring anyone.
LOCAL_AUTHORITIES: list[dict[str, str]] = [
    {"name": NORTHMOOR, "code": "990", "local_offer_url": "https://localoffer.northmoor.example",
     "iass_name": "Northmoor SENDIASS", "iass_phone": "0113 496 0123",
     "iass_email": "sendiass@northmoor.example", "iass_url": "https://sendiass.northmoor.example"},
    {"name": EASTBROOK, "code": "991", "local_offer_url": "https://localoffer.eastbrook.example",
     "iass_name": "Eastbrook SENDIASS", "iass_phone": "0114 496 0456",
     "iass_email": "sendiass@eastbrook.example", "iass_url": "https://sendiass.eastbrook.example"},
]
# fmt: on
DEMO_LA_CODE = "990"


@dataclass(frozen=True)
class SchoolSpec:
    urn: str
    name: str
    phase: str
    type: str
    la_code: str
    years: range
    roll: int
    grouping: str  # "primary": a class per year; "secondary": tutor groups and sets; "special"
    group_names: tuple[str, ...] = ()

    @property
    def mainstream(self) -> bool:
        return self.type != School.Type.SPECIAL

    def build(self, la: LocalAuthority) -> School:
        website = f"https://www.{self.name.split()[0].lower()}.example"
        return School(
            urn=self.urn,
            name=self.name,
            phase=self.phase,
            type=self.type,
            local_authority=la,
            website=website,
        )


P, T = School.Phase, School.Type
# fmt: off
SCHOOLS = [
    SchoolSpec("990001", OAKFIELD, P.PRIMARY, T.MAINTAINED, "990", range(0, 7), 350, "primary",
               ("Acorn", "Hazel", "Rowan", "Willow", "Chestnut", "Sycamore", "Beech")),
    SchoolSpec("990002", RIVERSIDE, P.SECONDARY, T.ACADEMY, "990", range(7, 12), 750, "secondary"),
    SchoolSpec("990003", BROOKSIDE, P.ALL_THROUGH, T.SPECIAL, "990", range(1, 15), 100, "special",
               ("Badger", "Otter", "Hedgehog", "Fox", "Squirrel", "Hare", "Owl", "Kingfisher",
                "Dragonfly", "Woodpecker", "Starling", "Heron", "Swift")),
    SchoolSpec("991001", HILLCREST, P.PRIMARY, T.MAINTAINED, "991", range(0, 7), 300, "primary",
               ("Puffin", "Wren", "Robin", "Kestrel", "Heron", "Falcon", "Osprey")),
]

# Mainstream rates: SEN support is the national 14.8% (domain.md section 8). EHC plans are 6.0% of
# all pupils nationally, but special schools hold many of them, so mainstream gets 4%.
MAINSTREAM_EHC_RATE, MAINSTREAM_SUPPORT_RATE = 0.04, 0.148
SECOND_NEED_RATE, LOOKED_AFTER_RATE, IN_YEAR_ADMISSION_RATE = 0.30, 0.01, 0.10
# Primary need of EHC plans, Jan 2025 (domain.md section 8); its "unknown 0.8%" has no code.
EHC_NEED_MIX = {"ASD": 31.5, "SLCN": 21.3, "SEMH": 20.7, "MLD": 10.6, "SLD": 3.9, "PD": 3.9,
                "SPLD": 2.4, "HI": 1.4, "PMLD": 1.3, "OTH": 1.2, "VI": 0.8, "MSI": 0.3}
# Primary need on SEN support: an approximation of the DfE 2024/25 SEN support figures ("Special
# educational needs in England"), not taken from domain.md. NSA is valid only with provision K.
SUPPORT_NEED_MIX = {"SLCN": 24.5, "SEMH": 21.8, "MLD": 17.7, "SPLD": 13.1, "ASD": 8.2, "NSA": 3.9,
                    "OTH": 3.3, "PD": 2.4, "HI": 1.5, "VI": 0.8, "SLD": 0.4, "MSI": 0.2,
                    "PMLD": 0.1}
# fmt: on

FIRST_NAMES = """
Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow Emily Poppy Ella Evie
Harper Sienna Florence Daisy Phoebe Chloe Ruby Matilda Alice Elsie Maya Zara Aisha Amira Maryam
Fatima Hafsa Inaaya Anaya Priya Simran Aaliyah Zainab Nia Adaeze Chiamaka Amara Kezia Oliwia Zofia
Hanna Maja Roisin Niamh Aoife Cerys Seren Eilidh Mei Jessica Hannah Charlotte Sophie Megan Lucy
Layla Imogen Esme Orla Tia Leah Eleanor Harriet Bethany Oliver Noah George Arthur Leo Muhammad Harry
Oscar Archie Henry Theodore Freddie Jack Charlie Alfie Thomas William Jacob Isaac Joshua James
Edward Max Finley Lucas Ethan Mason Logan Reuben Samuel Daniel Joseph Alexander Benjamin Dylan
Callum Kieran Rhys Owen Dafydd Cian Oisin Ruairi Hamish Euan Ibrahim Yusuf Zayn Ayaan Aarav Arjun
Rohan Kabir Harjot Kwame Kofi Tobi Emeka Chidi Jayden Tyrese Marcus Jakub Szymon Filip Mateusz Luca
Mateo Adam Omar Hassan Bilal Ryan Hugo Jude Elliot
""".split()  # noqa: SIM905 - a word list reads better than quoted strings
LAST_NAMES = """
Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker
White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward
Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis Parker James
Bennett Young Phillips Richardson Mitchell Bailey Carter Cook Singh Shaw Bell Collins Morgan Kelly
Begum Miller Cox Hussain Marshall Simpson Price Anderson Adams Wilkinson Ali Ahmed Foster Ellis
Murphy Chapman Mason Gray Richards Webb Griffiths Hunt Palmer Campbell Holmes Mills Rogers Barnes
Knight Matthews Powell Stevens Kaur Fisher Butler Dixon Russell Harvey Pearson Graham Rahman Akhtar
Okafor Adeyemi Mensah Owusu Boateng Nwosu Francis Grant Nowak Kowalczyk Chen Wong Nguyen Sharma
Chaudhry Mahmood Iqbal Shah Mistry Doherty O'Brien O'Connor McDonald MacLeod Fraser Reid Murray
Stewart Llewellyn Pritchard Rees Jenkins Vaughan Zielinski Popescu Silva Costa Santos Yilmaz Osei
""".split()  # noqa: SIM905
# fmt: off
PREFERRED_NAMES = {
    "Alexander": "Alex", "Benjamin": "Ben", "Joshua": "Josh", "Samuel": "Sam", "Thomas": "Tom",
    "Theodore": "Theo", "Edward": "Teddy", "Joseph": "Joe", "James": "Jamie", "Muhammad": "Mo",
    "Jakub": "Kuba", "Mateusz": "Matt", "Isabella": "Bella", "Eleanor": "Ellie", "Matilda": "Tilly",
    "Florence": "Flo", "Charlotte": "Lottie", "Harriet": "Hattie", "Jessica": "Jess",
    "Imogen": "Immy", "Zofia": "Zosia", "Chiamaka": "Amaka", "Adaeze": "Ada",
}
# fmt: on
PREFERRED_NAME_RATE = 0.35

# Staff: e-mail -> (full name, job title).
STAFF = {
    "governor@oakfield.example": ("Margaret Ellison", "Chair of governors"),
    "link.governor@oakfield.example": ("Tunde Adeyemi", "SEN link governor"),
    "head@oakfield.example": ("Helen Whitfield", "Headteacher"),
    "leader@oakfield.example": ("Daniel Okafor", "Deputy headteacher"),
    "senco@oakfield.example": ("Priya Sharma", "SENCO (Oakfield and Riverside)"),
    "teacher@oakfield.example": ("Tom Gallagher", "Year 4 class teacher"),
    "ta@oakfield.example": ("Bethan Hughes", "Teaching assistant, Years 4 and 5"),
    "designated@oakfield.example": ("Aisha Rahman", "Designated teacher; Year 6 class teacher"),
    "office@oakfield.example": ("Karen Doyle", "School business manager"),
    "senco@riverside.example": ("Marcus Reid", "SENCO"),
    "senco@brookside.example": ("Siobhan Kelly", "SENCO"),
    "senco@hillcrest.example": ("Wei Chen", "SENCO"),
    "caseworker@northmoor.example": ("Fatima Hussain", "SEND caseworker"),
    "manager@northmoor.example": ("Graham Pearce", "SEND service manager"),
    "caseworker@eastbrook.example": ("Ewa Nowak", "SEND caseworker"),
    "former.teacher@oakfield.example": ("Jamie Fletcher", "Year 3 class teacher (left)"),
}
# (role, organisation, e-mail) of every current login; senco@oakfield works in two schools.
DEMO_LOGINS: list[tuple[str, str, str]] = [
    (Role.GOVERNOR, OAKFIELD, "governor@oakfield.example"),
    (Role.SEN_LINK_GOVERNOR, OAKFIELD, "link.governor@oakfield.example"),
    (Role.HEADTEACHER, OAKFIELD, "head@oakfield.example"),
    (Role.SENIOR_LEADER, OAKFIELD, "leader@oakfield.example"),
    (Role.SENCO, OAKFIELD, "senco@oakfield.example"),
    (Role.SENCO, RIVERSIDE, "senco@oakfield.example"),
    (Role.TEACHER, OAKFIELD, "teacher@oakfield.example"),
    (Role.TEACHING_ASSISTANT, OAKFIELD, "ta@oakfield.example"),
    (Role.DESIGNATED_TEACHER, OAKFIELD, "designated@oakfield.example"),
    (Role.SCHOOL_ADMIN, OAKFIELD, "office@oakfield.example"),
    (Role.SENCO, RIVERSIDE, "senco@riverside.example"),
    (Role.SENCO, BROOKSIDE, "senco@brookside.example"),
    (Role.SENCO, HILLCREST, "senco@hillcrest.example"),
    (Role.LA_CASEWORKER, NORTHMOOR, "caseworker@northmoor.example"),
    (Role.LA_MANAGER, NORTHMOOR, "manager@northmoor.example"),
    (Role.LA_CASEWORKER, EASTBROOK, "caseworker@eastbrook.example"),
]
# A leaver whose membership ended last month: shows that access ends with the role.
FORMER_LOGIN: tuple[str, str, str] = (Role.TEACHER, OAKFIELD, "former.teacher@oakfield.example")
# (e-mail, Oakfield year group of the class, role in the class).
_T, _TA = TeachingGroupStaff.StaffRole.TEACHER, TeachingGroupStaff.StaffRole.TEACHING_ASSISTANT
# fmt: off
CLASS_STAFF = [("teacher@oakfield.example", 4, _T), ("ta@oakfield.example", 4, _TA),
               ("ta@oakfield.example", 5, _TA), ("designated@oakfield.example", 6, _T)]
# fmt: on


@transaction.atomic
def seed_demo(today: dt.date | None = None) -> dict[str, int]:
    """Create the demo data; the same rows (bar ids and timestamps) every run on the same day."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    ay_start = academic_year_start(today)

    las = _create(LocalAuthority, [LocalAuthority(**spec) for spec in LOCAL_AUTHORITIES])
    la_by_code = {la.code: la for la in las}
    schools = _create(School, [s.build(la_by_code[s.la_code]) for s in SCHOOLS])
    orgs: dict[str, School | LocalAuthority] = {la.name: la for la in las}
    orgs.update({school.name: school for school in schools})
    users = _create_people(today, orgs)

    pupils: list[Pupil] = []
    for spec, school in zip(SCHOOLS, schools, strict=True):
        pupils.extend(_make_pupils(rng, spec, school, ay_start, today))
    pupils = _create(Pupil, pupils)
    needs = _create(PupilNeed, _make_needs(rng, pupils))

    groups: list[TeachingGroup] = []
    members: list[tuple[int, Pupil]] = []  # (index into groups, pupil)
    for spec, school in zip(SCHOOLS, schools, strict=True):
        roll = [p for p in pupils if p.school_id == school.pk]
        _make_groups(rng, spec, school, roll, groups, members)
    groups = _create(TeachingGroup, groups)
    # A pupil admitted since September joins the group on admission.
    links = [
        TeachingGroupPupil(group=groups[i], pupil=p, start=max(ay_start, p.admission_date))
        for i, p in members
    ]
    links = _create(TeachingGroupPupil, links)
    staff_links = _create(TeachingGroupStaff, _make_staff_links(today, ay_start, users, groups))
    return {
        "local authorities": len(las),
        "schools": len(schools),
        "users": len(users),
        "pupils": len(pupils),
        "needs": len(needs),
        "teaching groups": len(groups),
        "pupil places in groups": len(links),
        "staff places in groups": len(staff_links),
    }


def _create(model: type[M], objs: list[M]) -> list[M]:
    # History rows are written with the data, attributed to no user ("System") with a reason.
    return bulk_create_with_history(
        objs, model, batch_size=500, default_user=None, default_change_reason=CHANGE_REASON
    )


def year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def last_month_end(day: dt.date) -> dt.date:
    return day.replace(day=1) - dt.timedelta(days=1)


def _create_people(today: dt.date, orgs: dict[str, Any]) -> dict[str, User]:
    # One hash for every demo user: hashing is slow by design, and the password is public anyway.
    hashed = make_password(DEMO_PASSWORD)
    users = []
    for email, (full_name, job_title) in STAFF.items():
        user = User(email=email, full_name=full_name, job_title=job_title, password=hashed)
        validate_password(DEMO_PASSWORD, user)
        users.append(user)
    by_email = {u.email: u for u in _create(User, users)}

    start = year_before(today)
    memberships = []
    for (role, org_name, email), end in [
        *((login, None) for login in DEMO_LOGINS),
        (FORMER_LOGIN, last_month_end(today)),
    ]:
        org = orgs[org_name]
        where = {"school" if isinstance(org, School) else "local_authority": org}
        memberships.append(
            Membership(user=by_email[email], role=role, start=start, end=end, **where)
        )
    _create(Membership, memberships)
    return by_email


def _spread(total: int, years: range) -> list[tuple[int, int]]:
    base, extra = divmod(total, len(years))
    return [(year, base + (1 if i < extra else 0)) for i, year in enumerate(years)]


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _admission_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    day = _day_between(rng, first, last)
    if day.month == 8:  # schools admit nobody in the summer holiday
        day = max(first, day.replace(day=1) - dt.timedelta(days=10))
    return day


ENTRY_YEAR = {"primary": 0, "secondary": 7}


def _make_pupils(
    rng: random.Random, spec: SchoolSpec, school: School, ay_start: dt.date, today: dt.date
) -> list[Pupil]:
    serials: Counter[int] = Counter()
    pupils = []
    for year, count in _spread(spec.roll, spec.years):
        # A Year N pupil is N + 4 on the 31 August before the academic year (Reception: 4).
        born_from = dt.date(ay_start.year - year - 5, 9, 1)
        born_to = dt.date(ay_start.year - year - 4, 8, 31)
        for _ in range(count):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            preferred = ""
            if first in PREFERRED_NAMES and rng.random() < PREFERRED_NAME_RATE:
                preferred = PREFERRED_NAMES[first]
            entry_year = ENTRY_YEAR.get(spec.grouping)
            if entry_year is None:  # special schools admit at any age
                entry_year = rng.randint(min(spec.years), year)
            entry_start = dt.date(ay_start.year - (year - entry_year), 9, 1)
            admitted = entry_start
            if rng.random() < IN_YEAR_ADMISSION_RATE:
                admitted = _admission_day(rng, entry_start, today)
            allocated = academic_year_start(admitted).year % 100
            serials[allocated] += 1
            body = f"{spec.la_code}{spec.urn[-4:]}{allocated:02d}{serials[allocated]:03d}"
            pupils.append(
                Pupil(
                    school=school,
                    upn=upn_check_letter(body) + body,
                    legal_first_name=first,
                    legal_last_name=last,
                    preferred_name=preferred,
                    date_of_birth=_day_between(rng, born_from, born_to),
                    year_group=year,
                    admission_date=admitted,
                )
            )
    _assign_sen(rng, spec, pupils)
    looked_after = max(round(len(pupils) * LOOKED_AFTER_RATE), 3 if spec.name == OAKFIELD else 1)
    for pupil in rng.sample(pupils, looked_after):
        pupil.looked_after = True
    return pupils


def _assign_sen(rng: random.Random, spec: SchoolSpec, pupils: list[Pupil]) -> None:
    if not spec.mainstream:
        for pupil in pupils:
            pupil.sen_provision = SenProvision.EHC_PLAN
        return
    shuffled = rng.sample(pupils, len(pupils))
    n_ehc = round(len(pupils) * MAINSTREAM_EHC_RATE)
    n_support = round(len(pupils) * MAINSTREAM_SUPPORT_RATE)
    for pupil in shuffled[:n_ehc]:
        pupil.sen_provision = SenProvision.EHC_PLAN
    for pupil in shuffled[n_ehc : n_ehc + n_support]:
        pupil.sen_provision = SenProvision.SEN_SUPPORT


def _pick(rng: random.Random, mix: dict[str, float]) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _make_needs(rng: random.Random, pupils: list[Pupil]) -> list[PupilNeed]:
    needs = []
    for pupil in pupils:
        if pupil.sen_provision == SenProvision.NO_SEN:
            continue
        mix = EHC_NEED_MIX if pupil.sen_provision == SenProvision.EHC_PLAN else SUPPORT_NEED_MIX
        primary = _pick(rng, mix)
        needs.append(PupilNeed(pupil=pupil, rank=1, code=primary))
        # A pupil with no specialist assessment of need (NSA) has no secondary type either.
        if primary != NeedType.NSA and rng.random() < SECOND_NEED_RATE:
            rest = {code: w for code, w in mix.items() if code not in (primary, NeedType.NSA)}
            needs.append(PupilNeed(pupil=pupil, rank=2, code=_pick(rng, rest)))
    return needs


def _year_label(year: int) -> str:
    return "Reception" if year == 0 else f"Year {year}"


def _make_groups(
    rng: random.Random,
    spec: SchoolSpec,
    school: School,
    roll: list[Pupil],
    groups: list[TeachingGroup],
    members: list[tuple[int, Pupil]],
) -> None:
    def add_group(name: str, year: int | None, pupils: list[Pupil]) -> None:
        groups.append(TeachingGroup(school=school, name=name, year_group=year))
        members.extend((len(groups) - 1, p) for p in pupils)

    if spec.grouping == "primary":
        for year, name in zip(spec.years, spec.group_names, strict=True):
            cohort = [p for p in roll if p.year_group == year]
            add_group(f"{_year_label(year)} {name}", year, cohort)
    elif spec.grouping == "secondary":
        for year in spec.years:
            cohort = [p for p in roll if p.year_group == year]
            tutor_order = rng.sample(cohort, len(cohort))
            set_order = rng.sample(cohort, len(cohort))
            for i, letter in enumerate("ABCDE"):
                add_group(f"{year}{letter}", year, tutor_order[i::5])
            size = -(-len(cohort) // 5)
            for i in range(5):
                add_group(f"{year} Maths set {i + 1}", year, set_order[i * size : (i + 1) * size])
    else:
        ordered = sorted(roll, key=lambda p: (p.year_group, p.date_of_birth))
        names = iter(spec.group_names)
        while ordered:
            size = rng.randint(8, 10)
            chunk, ordered = ordered[:size], ordered[size:]
            if len(ordered) < 8:  # no class of fewer than eight: fold the remainder in
                chunk, ordered = chunk + ordered, []
            years = {p.year_group for p in chunk}
            add_group(f"Class {next(names)}", years.pop() if len(years) == 1 else None, chunk)


def _make_staff_links(
    today: dt.date, ay_start: dt.date, users: dict[str, User], groups: list[TeachingGroup]
) -> list[TeachingGroupStaff]:
    classes = {g.year_group: g for g in groups if g.school.name == OAKFIELD}
    rows: list[tuple[str, int, str, dt.date, dt.date | None]] = [
        (email, year, role, ay_start, None) for email, year, role in CLASS_STAFF
    ]
    # The leaver taught Year 3 until the day the membership ended.
    rows.append((FORMER_LOGIN[2], 3, _T, year_before(today), last_month_end(today)))
    return [
        TeachingGroupStaff(group=classes[year], user=users[email], role=role, start=start, end=end)
        for email, year, role, start, end in rows
    ]
