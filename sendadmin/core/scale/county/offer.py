"""Step 6: the school's SEN offer (domain.md 4 and 6) as offer/services_*.py leave it.

- A governance record for every school (link governor, accessibility plan, medical policy).
- A SENCO designation for every mainstream school (CFA s.67(2); special schools need none): the
  SENCO login, a qualified teacher (reg 49(1)-(3)), with the reg 49(4) qualification clock open where
  the duty applies and the qualification is not yet held, the headteacher answering for it.
- A published SEN Information Report for every school (CFA s.69; reg 51 and Sch 1): approved by
  the head and the governing body, its live facts frozen at publication by the same selector the
  service uses, and its yearly review clock (CoP 6.79).
"""

from __future__ import annotations

from decimal import Decimal

from psycopg.types.json import Jsonb

from offer.deadlines import information_report_review_due, senco_qualification_due
from offer.models import Governance, InformationReport, SencoDesignation
from offer.sections import sections_for
from offer.selectors import report_live_data
from offer.services_governance import START_EVENT
from sendadmin.accounts.models import School
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_days, add_years
from sendadmin.clocks.kinds import Kind

from .base import Clocks, Ids, Run
from .org import DOMAIN, Org

Q = SencoDesignation.Qualification
SECTION_TEXT = (
    "We follow the SEND Code of Practice: concerns are discussed with parents within two weeks, "
    "assessed by the class teacher and the SENCO, and reviewed each term."
)


def seed_offer(run: Run, org: Org, clocks: Clocks) -> None:
    rng, today = run.rng, run.today
    governance, designations = [], []
    designation_ids = Ids(SencoDesignation)
    designation_ct = run.ct(SencoDesignation)
    gov_ids = run.ids(Governance, len(org.schools))
    for pk, s in zip(gov_ids, org.schools, strict=True):
        plan_on = add_days(today, -rng.randint(100, 1000))
        policy_on = add_days(today, -rng.randint(30, 420))
        governance.append(
            (pk, s.id, s.names.get("governor", "To be appointed"), plan_on, add_years(plan_on, 3),
             policy_on, add_years(policy_on, 1), s.names.get("head", ""), 1)
        )  # fmt: skip
        if not s.mainstream:
            continue
        became = add_days(today, -rng.randint(200, 3600))
        qualification = rng.choice((Q.NONE, Q.NPQ, Q.NPQ, Q.NASENCO))
        started = completed = None
        if qualification == Q.NASENCO:
            started = add_days(became, 60)
            completed = add_days(started, 400)
            if completed >= today:
                qualification, started, completed = Q.NPQ, None, None
        if qualification == Q.NPQ:
            started = min(add_days(became, rng.randint(30, 300)), add_days(today, -10))
            completed = add_days(started, 540)
            if completed >= today:
                completed = None
        pk = designation_ids()
        designations.append(
            (pk, s.id, s.staff["senco"], s.names["senco"], f"senco.{s.login}@{DOMAIN}",
             "0113 496 0999", True, True, False, became, 0, qualification, started, completed,
             Decimal(rng.choice(("7.5", "15.0", "22.5"))), None, 1)
        )  # fmt: skip
        due = senco_qualification_due(became, 0)
        if due is not None and completed is None:
            clocks.add(
                Kind.SENCO_QUALIFICATION, designation_ct, pk, started_on=became, due_on=due,
                start_event=START_EVENT, role=Role.HEADTEACHER, la_id=s.la_id,
                school_id=s.id,
            )  # fmt: skip
    run.put(
        Governance,
        ("id", "school_id", "sen_link_governor", "accessibility_plan_on",
         "accessibility_plan_review_on", "medical_policy_on", "medical_policy_review_on",
         "designated_teacher", "version"),
        governance,
    )  # fmt: skip
    run.put(
        SencoDesignation,
        ("id", "school_id", "user_id", "name", "email", "phone", "qualified_teacher",
         "induction_completed", "is_headteacher", "became_senco_on", "prior_senco_months",
         "qualification", "qualification_started_on", "qualification_completed_on",
         "hours_per_week", "ended_on", "version"),
        designations,
    )  # fmt: skip


def seed_reports(run: Run, org: Org, clocks: Clocks) -> None:
    """The published reports: their facts read by offer.selectors.report_live_data, as publishing
    freezes them, from the rows already written (so after the indexes are back: it queries)."""
    rng, today = run.rng, run.today
    reports = []
    report_ids = Ids(InformationReport)
    report_ct = run.ct(InformationReport)
    # The facts the report quotes, frozen at publication from the rows written above.
    schools = School.objects.select_related("local_authority").in_bulk([s.id for s in org.schools])
    for s in org.schools:
        published = add_days(today, -rng.randint(20, 360))
        pk = report_ids()
        sections = {
            section.key: SECTION_TEXT for section in sections_for(s.mainstream) if not section.live
        }
        staff = s.staff
        reports.append(
            (pk, s.id, 1, InformationReport.Status.PUBLISHED, Jsonb(sections),
             Jsonb(report_live_data(schools[s.id], published)), add_days(published, -14), staff["head"],
             add_days(published, -7), f"GB/{published:%y}/{rng.randint(1, 40):02d}",
             staff.get("governor", staff["head"]), published, staff["senco"],
             run.at(add_days(published, -40)), staff["senco"], 4)
        )  # fmt: skip
        clocks.add(
            Kind.INFORMATION_REPORT_REVIEW, report_ct, pk, started_on=published,
            due_on=information_report_review_due(published),
            start_event="SEN Information Report published", role=Role.SENCO, la_id=s.la_id,
            school_id=s.id,
        )  # fmt: skip
    run.put(
        InformationReport,
        ("id", "school_id", "number", "status", "sections", "live_data", "head_approved_on",
         "head_approved_by_id", "governors_approved_on", "governors_minute",
         "governors_approval_recorded_by_id", "published_on", "published_by_id", "created_at",
         "created_by_id", "version"),
        reports,
    )  # fmt: skip
