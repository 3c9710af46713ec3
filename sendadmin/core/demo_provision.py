"""Demo provision map for `manage.py seed_demo`: catalogues, pupils on them, sessions since September.

Run after `demo.seed_demo`. Each mainstream school gets a catalogue of the interventions primary and
secondary schools commonly run (the costs are typical TA and teacher hourly rates with on-costs), a
notional SEN budget for this financial year, and its pupils on SEN support or with an EHC plan on
one or two provisions that match their primary need. Groups never exceed the provision's size.

Who delivers: at Oakfield the demo logins deliver for the classes they teach (the TA for Years 4
and 5, the Year 4 teacher and the designated teacher for Year 6), so the TA's "Log a session" page
has pupils; the school's SENCO stands for the rest of the staff team. Sessions are logged on the
provision's weekdays from the start of the school year to yesterday, skipping the autumn half term,
with about one session in ten not delivered and one pupil in twelve absent: realistic gaps between
planned and delivered. The special school is left out: its whole curriculum is the provision.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from pupils.codes import Area, SenProvision
from pupils.models import Pupil, PupilNeed
from pupils.provision.models import (
    NotionalSenBudget,
    Provision,
    ProvisionAssignment,
    SessionAttendance,
    SessionLog,
    StaffRole,
)
from pupils.provision.selectors import financial_year_start
from sendadmin.accounts.models import School, User

from .demo import OAKFIELD, SCHOOLS, SEED, _create, academic_year_start

A, R = Area, StaffRole


@dataclass(frozen=True)
class Spec:
    name: str
    area: str
    staff_role: str
    sessions_per_week: int
    minutes: int
    rate: str
    group: int  # 1 for 1:1
    description: str
    phases: tuple[str, ...] = ("primary", "secondary")


# fmt: off
CATALOGUE = [
    Spec("Precision teaching", A.COGNITION, R.TA, 3, 20, "17.50", 4,
         "Short daily practice of number facts or high-frequency words, timed and charted."),
    Spec("Reading recovery", A.COGNITION, R.TEACHER, 5, 30, "38.00", 1,
         "Daily one-to-one reading lessons with a trained teacher.", ("primary",)),
    Spec("Toe by Toe", A.COGNITION, R.TA, 3, 20, "17.50", 1,
         "A structured phonics reading programme, one to one.", ("secondary",)),
    Spec("Language group (NELI)", A.COMMUNICATION, R.TA, 3, 30, "17.50", 4,
         "Nuffield Early Language Intervention: vocabulary, narrative and listening.", ("primary",)),
    Spec("Lego-based therapy", A.COMMUNICATION, R.TA, 1, 45, "17.50", 3,
         "Social communication through building in roles: engineer, supplier, builder."),
    Spec("Speech and language targets", A.COMMUNICATION, R.SPECIALIST, 1, 30, "45.00", 1,
         "Targets set by the NHS speech and language therapist, practised one to one."),
    Spec("Zones of Regulation", A.SEMH, R.TA, 1, 40, "17.50", 6,
         "Recognising feelings and choosing strategies to manage them."),
    Spec("ELSA sessions", A.SEMH, R.SPECIALIST, 1, 45, "22.00", 1,
         "Emotional literacy support with a trained ELSA."),
    Spec("Fine motor skills", A.SENSORY_PHYSICAL, R.TA, 2, 20, "17.50", 5,
         "Handwriting, cutting and manipulation activities from the OT programme.", ("primary",)),
    Spec("Touch typing", A.SENSORY_PHYSICAL, R.TA, 1, 30, "17.50", 6,
         "Learning to touch type as an alternative way of recording.", ("secondary",)),
]
# fmt: on
# Notional SEN budgets for this financial year, by school name (typical for the roll's size).
BUDGETS = {OAKFIELD: Decimal("46000"), "Riverside Academy": Decimal("98000")}
DEFAULT_BUDGET = Decimal("39000")
MEASURES: dict[str, tuple[str, str]] = {
    A.COGNITION: ("Reading age {a}y{b}m", "Reading age {a}y{c}m"),
    A.COMMUNICATION: ("Language Link {n}%", "Language Link {m}%"),
    A.SEMH: ("Boxall profile {n}/34", "Boxall profile {m}/34"),
    A.SENSORY_PHYSICAL: ("Handwriting {n} letters a minute", "Handwriting {m} letters a minute"),
}
MISSED_SESSION_RATE, ABSENCE_RATE, ENDED_LAST_YEAR_RATE = 0.10, 0.08, 0.15
WEEKDAYS = (0, 2, 4, 1, 3)  # Monday, Wednesday, Friday, then Tuesday, Thursday


def _measures(rng: random.Random, area: str) -> tuple[str, str]:
    entry, exit_ = MEASURES.get(area, ("", ""))
    values = {"a": rng.randint(6, 11), "b": rng.randint(0, 5), "c": rng.randint(6, 11)}
    values.update(n=rng.randint(8, 40), m=0)
    values["m"] = values["n"] + rng.randint(2, 12)
    return entry.format(**values), exit_.format(**values)


def _autumn_half_term(ay_start: dt.date) -> tuple[dt.date, dt.date]:
    """The last full Monday-to-Friday week of October."""
    last = dt.date(ay_start.year, 10, 31)
    monday = last - dt.timedelta(days=(last.weekday() - 0) % 7)
    if monday + dt.timedelta(days=4) > last:
        monday -= dt.timedelta(days=7)
    return monday, monday + dt.timedelta(days=4)


def _school_days(first: dt.date, last: dt.date, weekdays: set[int]) -> list[dt.date]:
    half_term = _autumn_half_term(academic_year_start(first))
    days = []
    day = first
    while day <= last:
        if day.weekday() in weekdays and not half_term[0] <= day <= half_term[1]:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _deliverer(pupil: Pupil, spec: Spec, school: School, staff: dict[str, User]) -> User:
    senco = staff[f"senco@{school.name.split()[0].lower()}.example"]
    if school.name != OAKFIELD:
        return senco
    year = pupil.year_group
    if spec.staff_role == R.TA and year in (4, 5):
        return staff["ta@oakfield.example"]
    if spec.staff_role == R.TEACHER and year == 4:
        return staff["teacher@oakfield.example"]
    if spec.staff_role == R.TEACHER and year == 6:
        return staff["designated@oakfield.example"]
    return senco


def seed_demo_provision(today: dt.date) -> dict[str, int]:
    """Create the demo provision maps; the same rows every run on the same day."""
    rng = random.Random(SEED + 4)
    ay_start = academic_year_start(today)
    yesterday = today - dt.timedelta(days=1)
    mainstream = [s for s in SCHOOLS if s.mainstream]
    schools = {s.name: s for s in School.objects.filter(urn__in=[s.urn for s in mainstream])}
    staff = {u.email: u for u in User.objects.filter(email__endswith=".example")}

    provisions: list[Provision] = []
    for school_spec in mainstream:
        phase = "secondary" if school_spec.grouping == "secondary" else "primary"
        provisions.extend(
            Provision(
                school=schools[school_spec.name],
                name=c.name,
                description=c.description,
                area=c.area,
                one_to_one=c.group == 1,
                staff_role=c.staff_role,
                sessions_per_week=c.sessions_per_week,
                minutes_per_session=c.minutes,
                cost_per_hour=Decimal(c.rate),
                max_group_size=c.group,
            )
            for c in CATALOGUE
            if phase in c.phases
        )
    provisions = _create(Provision, provisions)
    by_school_area: dict[tuple[int, str], list[tuple[Provision, Spec]]] = defaultdict(list)
    specs = {c.name: c for c in CATALOGUE}
    for p in provisions:
        by_school_area[(p.school_id, p.area)].append((p, specs[p.name]))

    budgets = _create(
        NotionalSenBudget,
        [
            NotionalSenBudget(
                school=school,
                year_start=financial_year_start(today),
                amount=BUDGETS.get(name, DEFAULT_BUDGET),
            )
            for name, school in schools.items()
        ],
    )

    primary_area = {
        need.pupil_id: need.area
        for need in PupilNeed.objects.filter(rank=1, pupil__school__in=schools.values())
    }
    on_register = Pupil.objects.filter(
        school__in=schools.values(),
        leaving_date__isnull=True,
        sen_provision__in=[SenProvision.SEN_SUPPORT, SenProvision.EHC_PLAN],
    ).order_by("pk")
    school_by_id = {s.pk: s for s in schools.values()}

    assignments: list[ProvisionAssignment] = []
    groups: dict[tuple[int, int], list[Pupil]] = defaultdict(list)  # (provision, deliverer)
    for pupil in on_register:
        options = by_school_area.get((pupil.school_id, primary_area.get(pupil.pk, "")), [])
        if not options:
            continue
        count = min(len(options), 2 if pupil.sen_provision == SenProvision.EHC_PLAN else 1)
        for provision, spec in rng.sample(options, count):
            entry, exit_ = _measures(rng, provision.area)
            if rng.random() < ENDED_LAST_YEAR_RATE:
                start = ay_start - dt.timedelta(days=rng.randint(150, 300))
                end = ay_start - dt.timedelta(days=rng.randint(40, 60))
                assignments.append(
                    ProvisionAssignment(
                        provision=provision,
                        pupil=pupil,
                        start=start,
                        end=end,
                        entry_measure=entry,
                        exit_measure=exit_,
                    )
                )
                continue
            deliverer = _deliverer(pupil, spec, school_by_id[pupil.school_id], staff)
            group = groups[(provision.pk, deliverer.pk)]
            if len(group) >= 2 * provision.max_group_size:
                continue  # two groups per member of staff is as much as the timetable allows
            group.append(pupil)
            assignments.append(
                ProvisionAssignment(
                    provision=provision,
                    pupil=pupil,
                    start=max(ay_start + dt.timedelta(days=14), pupil.admission_date),
                    entry_measure=entry,
                )
            )
    assignments = _create(ProvisionAssignment, assignments)
    start_of = {(a.provision_id, a.pupil_id): a.start for a in assignments if a.end is None}

    provision_by_id = {p.pk: p for p in provisions}
    logs: list[SessionLog] = []
    attendance: list[tuple[int, Pupil, bool]] = []  # (index into logs, pupil, attended)
    for (provision_id, deliverer_id), pupils in groups.items():
        provision = provision_by_id[provision_id]
        weekdays = set(WEEKDAYS[: provision.sessions_per_week])
        size = provision.max_group_size
        for chunk in (pupils[i : i + size] for i in range(0, len(pupils), size)):
            first = min(start_of[(provision_id, p.pk)] for p in chunk)
            for day in _school_days(first, yesterday, weekdays):
                if rng.random() < MISSED_SESSION_RATE:
                    continue
                present = [p for p in chunk if start_of[(provision_id, p.pk)] <= day]
                if not present:
                    continue
                logs.append(
                    SessionLog(
                        provision=provision,
                        date=day,
                        delivered_by_id=deliverer_id,
                        duration_minutes=provision.minutes_per_session,
                    )
                )
                attendance.extend((len(logs) - 1, p, rng.random() >= ABSENCE_RATE) for p in present)
    logs = _create(SessionLog, logs)
    rows = _create(
        SessionAttendance,
        [SessionAttendance(session=logs[i], pupil=p, attended=came) for i, p, came in attendance],
    )
    return {
        "provisions": len(provisions),
        "notional SEN budgets": len(budgets),
        "pupils on provision": len(assignments),
        "sessions logged": len(logs),
        "attendance marks": len(rows),
    }
