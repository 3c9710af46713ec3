"""Demo clocks for `manage.py seed_demo`: open obligations for every demo role, by the system.

Run after `demo.seed_demo` has created the pupils, classes and logins. Every clock goes through
`clocks.services.clock_open`, so due dates come from the same rules as in production and each
clock has its history row and audit event. Dates are relative to today and the choices come from
a seeded generator, so a run on the same day opens the same clocks.

Who answers for what (each demo role ends up with at least one open clock on "My deadlines"):

- SENCO: SEN support reviews (CoP 6.54-6.56) and, outside Oakfield, annual reviews and the SEN
  Information Report. The report's review clocks are opened by publishing the demo reports
  (demo_offer.py) and the SENCO qualification clocks by designating the demo SENCOs
  (demo_governance.py); the due-in tables for both stay here. Special schools need no SENCO
  (CFA s.67(2) covers mainstream schools), so Brookside has no SENCO qualification clock.
- Teacher: meetings with parents of pupils on SEN support, led by a teacher who knows the pupil
  (CoP 6.65); named where a demo login teaches the pupil's class.
- Designated teacher: the same meetings for the Year 6 class they teach and for looked-after
  pupils on SEN support, whose "parents" include the carers and the corporate parent (CYPA 2008
  s.20; Designated Teacher statutory guidance).
- Headteacher: annual reviews at Oakfield. Reg 20(1) and (12) let the LA require the head teacher
  to arrange and hold the review meeting; Oakfield's SENCO is shared with Riverside, so the head
  keeps them there.
- Governor: the SEN Information Report review. The governing body publishes the report and keeps
  it up to date every year (CFA s.69(2); CoP 6.79).
- SEN link governor: the SENCO's qualification at Oakfield. Reg 49(1) and (4) put the duty on the
  appropriate authority (the governing body), which also monitors the SENCO role (reg 50); the SEN
  link governor carries that for the board. Elsewhere the headteacher role answers for it.
- Senior leader: individual healthcare plan reviews. The school's medical conditions policy names
  who is responsible for the plans (CFA s.100; Supporting pupils with medical conditions, 2015).
- Teaching assistant: the healthcare plans of pupils in the classes they support, as the member of
  staff named in the plan who gives the care day to day. TAs do not run SEN reviews or parents'
  meetings (CoP 6.65 expects a teacher), so this is their only kind.
- School administrator: telling parents that SEN provision is being made (CFA s.68). The duty is
  the governing body's; the office sends the letter.
- LA caseworker: decisions after reviews (reg 20(10)) and amended plans (reg 22(3)). The clocks of
  EHC needs assessments come from real cases made by demo_ehcp.

The review clocks here name the pupil only through their subject: they carry no pupil and no
school, because an LA sees only the pupils of its EHC cases and plans (pupils.rules), and these
reviews have no case behind them until issue 6. They are visible to the caseworker through
responsible_user and to the LA's roles through the LA rule of clocks.rules.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from pupils.codes import SenProvision
from pupils.models import Pupil, TeachingGroupPupil, TeachingGroupStaff
from reviews.deadlines import meeting_deadlines
from sendadmin.accounts.models import LocalAuthority, School, User
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_days
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock
from sendadmin.clocks.services import clock_open

from .demo import EASTBROOK, NORTHMOOR, OAKFIELD, SCHOOLS, SEED, STAFF
from .demo_plans import legacy_plan_create

# Pupils on SEN support whose provision began in the last few weeks, per mainstream school: their
# parents are still to be told (CFA s.68).
NEW_SUPPORT_PER_SCHOOL = 3
# Share of each roll with an individual healthcare plan (an assumption for the demo).
HEALTHCARE_PLAN_RATE = 0.03
# Days from today to each SENCO's qualification deadline (the 3rd anniversary, reg 49(4)): one due
# soon, one comfortably ahead, one already missed.
# fmt: off
SENCO_QUALIFICATION_DUE_IN = {("senco@oakfield.example", OAKFIELD): 10,
                              ("senco@oakfield.example", "Riverside Academy"): 400,
                              ("senco@riverside.example", "Riverside Academy"): 150,
                              ("senco@hillcrest.example", "Hillcrest Primary School"): -20}
# Days from today to each school's next SEN Information Report review.
REPORT_DUE_IN = {OAKFIELD: 30, "Riverside Academy": -5, "Brookside Special School": 10,
                 "Hillcrest Primary School": 200}
# LA clocks as days since their start: fixed, so every LA has some overdue and some due soon.
# Review meetings held (the decision is due 4 weeks later, reg 20(10)).
REVIEW_MEETINGS_DAYS_AGO = {NORTHMOOR: [33, 30, 20, 16, 10, 5, 2], EASTBROOK: [31, 18]}
# (meeting, amendment notice) days ago; the amended plan is due 8 weeks after the notice.
AMENDMENTS_DAYS_AGO = {NORTHMOOR: [(90, 70), (60, 40), (50, 25)], EASTBROOK: [(70, 50)]}
# fmt: on
CASEWORKER = {NORTHMOOR: "caseworker@northmoor.example", EASTBROOK: "caseworker@eastbrook.example"}


class _Opener:
    """Opens clocks as the system and counts them."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.count = 0

    def open(
        self,
        kind: Kind,
        subject: models.Model,
        days_ago: int,
        start_event: str,
        role: Role,
        *,
        school: School | None = None,
        la: LocalAuthority | None = None,
        pupil: Pupil | None = None,
        user: User | None = None,
        due_on: dt.date | None = None,
    ) -> Clock:
        self.count += 1
        return clock_open(
            kind=kind,
            subject=subject,
            started_on=add_days(self.today, -days_ago),
            start_event=start_event,
            responsible_role=role,
            by=None,
            due_on=due_on,
            school=school,
            local_authority=la,
            pupil=pupil,
            responsible_user=user,
        )


@transaction.atomic
def seed_demo_clocks(today: dt.date | None = None) -> dict[str, int]:
    """Open the demo clocks; expects the rows of `demo.seed_demo` made on the same day."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    opener = _Opener(today)
    schools = {
        s.name: s
        for s in School.objects.filter(urn__in=[spec.urn for spec in SCHOOLS]).select_related(
            "local_authority"
        )
    }
    users = {u.email: u for u in User.objects.filter(email__in=list(STAFF))}
    pupils = list(Pupil.objects.filter(school__in=schools.values()).order_by("school__urn", "upn"))
    by_school: dict[int, list[Pupil]] = defaultdict(list)
    for pupil in pupils:
        by_school[pupil.school_id].append(pupil)
    teacher_of, supported_by = _demo_staff_of_pupils(today, schools[OAKFIELD])
    designated = users["designated@oakfield.example"]

    for spec in SCHOOLS:
        school = schools[spec.name]
        roll = by_school[school.pk]
        oakfield = spec.name == OAKFIELD
        support = [p for p in roll if p.sen_provision == SenProvision.SEN_SUPPORT]
        new = set(rng.sample(support, min(NEW_SUPPORT_PER_SCHOOL, len(support))))
        for pupil in support:
            started = rng.randint(0, 18) if pupil in new else rng.randint(1, 130)
            opener.open(
                Kind.SEN_SUPPORT_REVIEW,
                pupil,
                started,
                "SEN support plan agreed",
                Role.SENCO,
                school=school,
                pupil=pupil,
            )
            if pupil in new:
                opener.open(
                    Kind.PARENTS_TOLD,
                    pupil,
                    started,
                    "SEN support began",
                    Role.SCHOOL_ADMIN,
                    school=school,
                    pupil=pupil,
                )
            lead = teacher_of.get(pupil.pk)
            if pupil.looked_after and oakfield:
                lead = designated
            opener.open(
                Kind.PARENT_MEETING,
                pupil,
                rng.randint(1, 135),
                "Last meeting with parents",
                Role.TEACHER,
                school=school,
                pupil=pupil,
                user=lead,
            )
        reviewer = Role.HEADTEACHER if oakfield else Role.SENCO
        for pupil in (p for p in roll if p.sen_provision == SenProvision.EHC_PLAN):
            days_ago = rng.randint(0, 380)
            # The plan itself (made before sendadmin: no assessment case behind it), issued on the
            # day its annual review clock starts, so the plan's page and its review agree.
            plan = legacy_plan_create(pupil, add_days(today, -days_ago))
            opener.open(
                Kind.ANNUAL_REVIEW,
                plan,
                days_ago,
                "Plan issued or last reviewed",
                reviewer,
                school=school,
                pupil=pupil,
            )
        for pupil in _healthcare_plan_pupils(rng, roll, supported_by if oakfield else {}):
            ta = supported_by.get(pupil.pk) if oakfield else None
            opener.open(
                Kind.HEALTHCARE_PLAN_REVIEW,
                pupil,
                rng.randint(0, 380),
                "Healthcare plan agreed",
                Role.TEACHING_ASSISTANT if ta else Role.SENIOR_LEADER,
                school=school,
                pupil=pupil,
                user=ta,
            )

    la_of_school = {s.pk: s.local_authority_id for s in schools.values()}
    las = LocalAuthority.objects.filter(name__in=list(CASEWORKER)).order_by("code")
    for la in las:
        la_pupils = [p for p in pupils if la_of_school[p.school_id] == la.pk]
        _la_clocks(opener, rng, la, la_pupils, users[CASEWORKER[la.name]])
    return {"clocks": opener.count}


def _demo_staff_of_pupils(
    today: dt.date, school: School
) -> tuple[dict[int, User], dict[int, User]]:
    """(pupil id -> the demo login teaching their class, pupil id -> the demo TA supporting it)."""
    current = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))
    teacher: dict[int, User] = {}
    ta: dict[int, User] = {}
    staff = TeachingGroupStaff.objects.filter(current, group__school=school).select_related("user")
    for link in staff.order_by("group__name", "user__email"):
        pupil_ids = TeachingGroupPupil.objects.filter(current, group=link.group_id).values_list(
            "pupil_id", flat=True
        )
        target = teacher if link.role == TeachingGroupStaff.StaffRole.TEACHER else ta
        for pupil_id in pupil_ids:
            target.setdefault(pupil_id, link.user)
    return teacher, ta


def _healthcare_plan_pupils(
    rng: random.Random, roll: list[Pupil], supported: dict[int, Any]
) -> list[Pupil]:
    chosen = set(rng.sample(roll, round(len(roll) * HEALTHCARE_PLAN_RATE)))
    if supported:
        # At least one plan each for the TA and the senior leader, whatever the sample gave.
        chosen.add(rng.choice([p for p in roll if p.pk in supported]))
        chosen.add(rng.choice([p for p in roll if p.pk not in supported]))
    return sorted(chosen, key=lambda p: p.upn)


def _la_clocks(
    opener: _Opener, rng: random.Random, la: LocalAuthority, pupils: list[Pupil], caseworker: User
) -> None:
    ehc = [p for p in pupils if p.sen_provision == SenProvision.EHC_PLAN]
    meetings = REVIEW_MEETINGS_DAYS_AGO.get(la.name, [])
    amendments = AMENDMENTS_DAYS_AGO.get(la.name, [])
    reviewed = rng.sample(ehc, len(meetings) + len(amendments))
    mine: dict[str, Any] = {"la": la, "user": caseworker}
    for pupil, days_ago in zip(reviewed[: len(meetings)], meetings, strict=True):
        due = meeting_deadlines(add_days(opener.today, -days_ago)).la_decision_by
        opener.open(
            Kind.LA_REVIEW_DECISION,
            pupil,
            days_ago,
            "Review meeting held",
            Role.LA_CASEWORKER,
            due_on=due,
            **mine,
        )
    for pupil, (meeting_ago, notice_ago) in zip(reviewed[len(meetings) :], amendments, strict=True):
        meeting, notice = (add_days(opener.today, -d) for d in (meeting_ago, notice_ago))
        due = meeting_deadlines(meeting, amendment_notice_sent=notice).amended_plan_by
        opener.open(
            Kind.AMENDED_PLAN,
            pupil,
            notice_ago,
            "Amendment notice sent",
            Role.LA_CASEWORKER,
            due_on=due,
            **mine,
        )
