"""Demo SEN Information Reports: one published version per demo school, written section by section
as a SENCO would, and at Oakfield a second version in draft (CFA 2014 s.69; Sch 1; CoP 6.79).

Each report goes through offer.services_report, so its approvals, frozen facts and yearly review
clock are what a real school's would be. Run after the provision demo (the report quotes the
provision catalogue) and after any SENCO designations, so their contacts are frozen in.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from offer.models import InformationReport
from offer.services_report import (
    report_approve_as_head,
    report_draft_start,
    report_governors_approval_record,
    report_publish,
    report_sections_save,
)
from sendadmin.accounts.models import School, User
from sendadmin.accounts.roles import Role
from sendadmin.calendar import add_days

from .demo import OAKFIELD, SCHOOLS, STAFF, SchoolSpec
from .demo_clocks import REPORT_DUE_IN

SENCO_EMAIL = {
    OAKFIELD: "senco@oakfield.example",
    "Riverside Academy": "senco@riverside.example",
    "Brookside Special School": "senco@brookside.example",
    "Hillcrest Primary School": "senco@hillcrest.example",
}
HEAD_EMAIL = {OAKFIELD: "head@oakfield.example"}
# Days before publication that the headteacher and the governing body approved the version.
HEAD_APPROVED_DAYS_BEFORE, GOVERNORS_APPROVED_DAYS_BEFORE = 14, 6

# Words that differ by kind of school: (the adult parents speak to first, the next step on).
PHASE_WORDS = {
    "primary": ("class teacher", "secondary school"),
    "secondary": ("form tutor", "college, an apprenticeship or sixth form"),
    "special": ("class teacher", "the next school, college or adult provision"),
}

TEXTS: dict[str, str] = {
    "kinds_of_sen": (
        "{school} is an inclusive school. We welcome pupils with needs in each of the four broad "
        "areas of the SEND Code of Practice: communication and interaction; cognition and "
        "learning; social, emotional and mental health; and sensory and/or physical needs. We "
        "plan for each child as an individual rather than by diagnosis."
    ),
    "identification": (
        "Most needs are noticed by the {teacher} through everyday teaching, termly assessments "
        "and conversations with parents. If you are worried about your child, speak to the "
        "{teacher} first; they will involve the SENCO.\n\n"
        "The SENCO observes in class, looks at work and assessment data, and may use "
        "standardised tests of reading, spelling, language or working memory. We talk with you "
        "before deciding whether your child needs SEN support, and we write to you to confirm "
        "it (Children and Families Act 2014 s.68)."
    ),
    "evaluating_provision": (
        "Every intervention has a starting measure and an end measure, so we can see whether it "
        "made a difference. The SENCO reviews the provision map each term with senior leaders "
        "and reports to governors. Interventions that do not help pupils make progress are "
        "changed or stopped."
    ),
    "assessing_progress": (
        "Pupils on SEN support have a support plan that follows the assess, plan, do, review "
        "cycle. Targets are reviewed with you and your child at least three times a year. Pupils "
        "with an education, health and care plan also have an annual review meeting to which "
        "you, the local authority and the professionals who know your child are invited."
    ),
    "teaching_approach": (
        "High-quality teaching, adapted for the class, comes first: clear explanations, modelling, "
        "visual supports, pre-teaching of vocabulary and regular checks for understanding. Where "
        "a pupil needs more, we add targeted support in small groups or one to one, planned by "
        "the teacher with the SENCO."
    ),
    "adapting_curriculum": (
        "Teachers adapt tasks, resources and the pace of lessons. We use visual timetables, "
        "writing frames, coloured overlays, word banks and access to laptops. Classrooms have "
        "quiet areas, and we plan seating, lighting and noise with sensory needs in mind."
    ),
    "additional_support": (
        "Our interventions are run by trained teaching assistants and teachers, usually in short "
        "sessions several times a week. The current list is below. We also buy in specialist "
        "teaching from the local authority's advisory services when a pupil needs it."
    ),
    "activities": (
        "All clubs, trips and sports are open to every pupil. We carry out risk assessments with "
        "parents before trips and residentials, arrange extra adults or transport where needed, "
        "and adapt PE so everyone can take part. No pupil is left out because of their needs."
    ),
    "emotional_support": (
        "Every pupil has a named adult they can talk to. Our trained emotional literacy support "
        "assistant runs individual and group sessions, and our senior mental health lead "
        "coordinates support and referrals to the mental health support team and CAMHS. We take "
        "bullying seriously: incidents are recorded, followed up with families and reviewed by "
        "leaders."
    ),
    "senco": (
        "Our SENCO is {senco}. You can contact them through the school office or by e-mail at "
        "the address below. They are in school every day and happy to arrange a meeting, in "
        "person or by phone, usually within a week."
    ),
    "expertise_training": (
        "All staff have training each year in meeting SEN in the classroom; this year it covered "
        "adaptive teaching, autism awareness and speech and language. Teaching assistants are "
        "trained in the interventions they deliver. We work with the educational psychology "
        "service, speech and language therapy, occupational therapy, the sensory support service "
        "and the school nurse."
    ),
    "equipment": (
        "Most equipment (writing slopes, pencil grips, ear defenders, laptops) is bought from the "
        "school's budget. For specialist equipment we seek advice from therapists and the "
        "local authority's sensory and physical support services, which can lend or fund it."
    ),
    "consulting_parents": (
        "You know your child best. We meet parents of pupils on SEN support at least three times "
        "a year to agree and review targets, and you can ask for a meeting at any time. Your "
        "views are recorded on your child's plan, and we share a copy with you after every "
        "review."
    ),
    "consulting_young_people": (
        "Pupils help write their own one-page profile saying what helps them learn. They give "
        "their views before every review, in words, pictures or with an adult's help, and are "
        "invited to join the meeting for as much of it as they wish."
    ),
    "complaints": (
        "If you are unhappy with the support your child receives, please talk first to the "
        "{teacher}, then to the SENCO. If that does not resolve it, the headteacher will meet "
        "you, and after that you can use the school's complaints procedure, available from the "
        "office and on our website. For decisions about EHC needs assessments and plans you can "
        "use disagreement resolution, mediation and appeal to the First-tier Tribunal (SEND); "
        "the local authority's SENDIASS can advise you."
    ),
    "other_bodies": (
        "We work closely with health visitors and school nurses, the NHS therapy services, "
        "children's social care and early help, the local authority's SEND team and advisory "
        "teachers, and local charities. With your agreement we make referrals and invite these "
        "services to review meetings."
    ),
    "support_services": (
        "The {la} SEND information, advice and support service gives free, impartial advice to "
        "parents and young people; its details are below. The {la} parent carer forum also "
        "offers support and a chance to meet other families."
    ),
    "transitions": (
        "Before your child joins us we visit their current setting, talk to staff and invite you "
        "and your child for extra visits. When pupils move on to {next_phase}, we share "
        "information with the new setting, arrange transition visits and, for pupils with an EHC "
        "plan, review the plan in good time. From Year 9, reviews look ahead to adulthood: "
        "further study, work, independent living and being part of the community."
    ),
    "local_offer": (
        "The local authority's Local Offer describes all the support available for children and "
        "young people with SEND and their families in {la}. The link is below."
    ),
    "admission_disabled": (
        "Disabled pupils are admitted on the same basis as all other pupils, under the admissions "
        "policy agreed with the local authority. Pupils with an EHC plan that names the school "
        "are admitted. We meet families before a place starts to plan any adjustments."
    ),
    "less_favourable_treatment": (
        "We make reasonable adjustments so that disabled pupils are not disadvantaged, and our "
        "equality objectives and behaviour policy are reviewed with this in mind. Staff training "
        "covers the Equality Act 2010, and governors monitor the attendance, exclusion and "
        "progress of disabled pupils."
    ),
    "access_facilities": (
        "The building is step-free on the ground floor with ramps to the main entrances. We have "
        "an accessible toilet with a changing bench, a quiet room and a sensory space. Signage "
        "uses clear symbols, and we provide auxiliary aids such as radio aids and large-print "
        "materials."
    ),
    "accessibility_plan": (
        "Our accessibility plan sets out how we will increase access to the curriculum, improve "
        "the physical environment and make written information available in other formats. It "
        "is agreed by the governing body and is available from the school office."
    ),
}

# The second version Oakfield is writing: the year's training and a new intervention.
OAKFIELD_DRAFT_CHANGES = {
    "expertise_training": (
        "This year all staff are being trained in adaptive teaching and in supporting pupils "
        "with attention difficulties. Two teaching assistants have trained to deliver Talk "
        "Boost, and our SENCO is completing the NPQ for SENCOs. We work with the educational "
        "psychology service, speech and language therapy and occupational therapy."
    ),
    "additional_support": (
        "Our interventions are run by trained teaching assistants and teachers, usually in short "
        "sessions several times a week; from January we add a daily phonics catch-up for Year 2. "
        "The current list is below."
    ),
}


def section_texts(spec: SchoolSpec, senco: str, la: str) -> dict[str, str]:
    """Every section's text for one school, with its name and phase words put in."""
    teacher, next_phase = PHASE_WORDS[spec.grouping]
    words = {"school": spec.name, "senco": senco, "la": la, "teacher": teacher}
    words["next_phase"] = next_phase
    return {key: text.format(**words) for key, text in TEXTS.items()}


def _published_on(today: dt.date, school_name: str) -> dt.date:
    """So the next review falls due about REPORT_DUE_IN days from today."""
    return add_days(today, -(365 - REPORT_DUE_IN[school_name]))


@transaction.atomic
def seed_demo_reports(today: dt.date) -> dict[str, int]:
    """Publish a report for each demo school (skipping a school that has one) and start Oakfield's
    version 2. Returns how many versions were made."""
    schools = {
        s.name: s
        for s in School.objects.filter(urn__in=[spec.urn for spec in SCHOOLS]).select_related(
            "local_authority"
        )
    }
    emails = [*SENCO_EMAIL.values(), *HEAD_EMAIL.values(), "governor@oakfield.example"]
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    made = 0
    for spec in SCHOOLS:
        school = schools[spec.name]
        if InformationReport.objects.filter(school=school).exists():
            continue
        senco = users.get(SENCO_EMAIL[spec.name])
        head = users.get(HEAD_EMAIL.get(spec.name, ""))
        governor = users.get("governor@oakfield.example") if spec.name == OAKFIELD else None
        published_on = _published_on(today, spec.name)
        senco_name = STAFF[SENCO_EMAIL[spec.name]][0]
        texts = section_texts(spec, senco_name, school.local_authority.name)
        report = report_draft_start(school=school, by=senco)
        report = report_sections_save(
            report=report, sections=texts, expected_version=report.version, by=senco
        )
        report = report_approve_as_head(
            report=report, by=head, on=add_days(published_on, -HEAD_APPROVED_DAYS_BEFORE)
        )
        report = report_governors_approval_record(
            report=report,
            on=add_days(published_on, -GOVERNORS_APPROVED_DAYS_BEFORE),
            minute=f"FGB {published_on.year}/{published_on.month:02d}-7",
            by=governor or head or senco,
        )
        oakfield = spec.name == OAKFIELD
        report_publish(
            report=report,
            by=senco,
            today=published_on,
            # demo_clocks' choice: at Oakfield the governors keep the review in hand.
            review_responsible_role=Role.GOVERNOR if oakfield else Role.SENCO,
        )
        made += 1
        if oakfield:
            draft = report_draft_start(school=school, by=senco)
            report_sections_save(
                report=draft,
                sections=OAKFIELD_DRAFT_CHANGES,
                expected_version=draft.version,
                by=senco,
            )
            made += 1
    return {"information reports": made}
