"""The sections of the SEN Information Report: each Schedule 1 item of the SEND Regulations 2014
(reg 51) and each disability item of CFA 2014 s.69(3)(b), with guidance on what good looks like
(domain.md 4). The keys are stored in `InformationReport.sections`, so never rename one.

`live` names the facts sendadmin fills in from the school's own records when the report is shown
or published (offer.selectors.report_live_data): a section with live facts is complete without
typed text, because the facts are its content.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    citation: str
    guidance: str
    # Sch 1 paras 2 and 4 apply to mainstream schools and maintained nursery schools only.
    mainstream_only: bool = False
    live: str = ""


SECTIONS: tuple[Section, ...] = (
    Section(
        "kinds_of_sen",
        "The kinds of special educational needs the school provides for",
        "SEND Regs 2014 Sch 1 para 1",
        "Name the four broad areas of need (CoP 6.28) and say plainly that the school welcomes "
        "pupils with each. Parents read this first: avoid lists of diagnoses.",
        live="kinds_of_sen",
    ),
    Section(
        "identification",
        "How the school identifies and assesses pupils with SEN",
        "SEND Regs 2014 Sch 1 para 2",
        "Describe what happens when a parent or teacher raises a concern, who assesses, with what, "
        "and how parents are told (CoP 6.14-6.24, CFA s.68).",
        mainstream_only=True,
    ),
    Section(
        "evaluating_provision",
        "How the school evaluates the effectiveness of its provision",
        "SEND Regs 2014 Sch 1 para 3(a)",
        "Say how interventions are measured (entry and exit measures, reviews each term) and "
        "what happens when something is not working.",
    ),
    Section(
        "assessing_progress",
        "Assessing and reviewing pupils' progress towards outcomes",
        "SEND Regs 2014 Sch 1 para 3(b)",
        "Explain the assess, plan, do, review cycle (CoP 6.44-6.56), how often plans are reviewed "
        "with parents, and how annual reviews of EHC plans are held.",
    ),
    Section(
        "teaching_approach",
        "The school's approach to teaching pupils with SEN",
        "SEND Regs 2014 Sch 1 para 3(c)",
        "Start with high-quality teaching adapted for the class (CoP 6.37) before additional "
        "support. Give concrete examples.",
    ),
    Section(
        "adapting_curriculum",
        "How the curriculum and learning environment are adapted",
        "SEND Regs 2014 Sch 1 para 3(d)",
        "Describe adaptations to the curriculum, the classroom and the building, with examples.",
    ),
    Section(
        "additional_support",
        "Additional support for learning",
        "SEND Regs 2014 Sch 1 para 3(e)",
        "Describe the interventions and support available beyond the classroom; the school's "
        "current provision catalogue is listed below from the provision map.",
        live="provision_catalogue",
    ),
    Section(
        "activities",
        "Taking part in activities with pupils who do not have SEN, including physical activities",
        "SEND Regs 2014 Sch 1 para 3(f)",
        "Cover clubs, trips and sport, and the reasonable adjustments made so every pupil can join "
        "in (Equality Act 2010 s.20).",
    ),
    Section(
        "emotional_support",
        "Support for emotional, mental and social development",
        "SEND Regs 2014 Sch 1 para 3(g)",
        "Name the pastoral support, mental health lead and any external services, and how pupils "
        "can ask for help. Include measures against bullying.",
    ),
    Section(
        "senco",
        "The SENCO: name and contact details",
        "SEND Regs 2014 Sch 1 para 4",
        "The SENCO's name, e-mail and telephone are taken from the school's SENCO designation; add "
        "when and how parents can reach them.",
        mainstream_only=True,
        live="senco",
    ),
    Section(
        "expertise_training",
        "Staff expertise and training, and how specialist expertise is secured",
        "SEND Regs 2014 Sch 1 para 5",
        "List training in the last year and planned, the SENCO's qualification, and the specialists "
        "the school works with (educational psychology, speech and language therapy).",
    ),
    Section(
        "equipment",
        "How equipment and facilities are secured",
        "SEND Regs 2014 Sch 1 para 6",
        "Explain how specialist equipment is obtained and funded, including from the LA.",
    ),
    Section(
        "consulting_parents",
        "Consulting parents and involving them in their child's education",
        "SEND Regs 2014 Sch 1 para 7",
        "How often parents meet staff (CoP 6.65 expects three times a year), and how their views "
        "shape plans.",
    ),
    Section(
        "consulting_young_people",
        "Consulting pupils and involving them in their education",
        "SEND Regs 2014 Sch 1 para 8",
        "How pupils' views are gathered and recorded (one-page profiles, pupil voice at reviews).",
    ),
    Section(
        "complaints",
        "Complaints about SEN provision",
        "SEND Regs 2014 Sch 1 para 9",
        "Set out the steps, who to contact first, timescales, and the route to the SEND Tribunal "
        "and mediation for EHC matters.",
    ),
    Section(
        "other_bodies",
        "How the governing body involves other bodies",
        "SEND Regs 2014 Sch 1 para 10",
        "Name the health, social care, LA support and voluntary services the school works with and "
        "how families are referred.",
    ),
    Section(
        "support_services",
        "Support services for parents, including the information, advice and support service",
        "SEND Regs 2014 Sch 1 para 11; CFA 2014 s.32",
        "The LA's SEND information, advice and support service (IASS) is shown below from the "
        "LA's details; add local parent carer forums and charities.",
        live="iass",
    ),
    Section(
        "transitions",
        "Moving between phases and preparing for adulthood",
        "SEND Regs 2014 Sch 1 para 12",
        "Describe transition visits, information shared with the next school, and preparing for "
        "adulthood from Year 9 (CoP 8).",
    ),
    Section(
        "local_offer",
        "Where the LA's Local Offer is published",
        "SEND Regs 2014 Sch 1 para 13; CoP 6.79",
        "The link to the LA's Local Offer is shown below from the LA's details.",
        live="local_offer",
    ),
    Section(
        "admission_disabled",
        "Admission of disabled pupils",
        "CFA 2014 s.69(3)(b); Equality Act 2010",
        "State the admission arrangements for disabled pupils and that they are not treated less "
        "favourably when applying.",
    ),
    Section(
        "less_favourable_treatment",
        "Steps to prevent disabled pupils being treated less favourably",
        "CFA 2014 s.69(3)(b); Equality Act 2010 s.85",
        "Describe the reasonable adjustments and the policies that prevent discrimination.",
    ),
    Section(
        "access_facilities",
        "Facilities that help disabled pupils to access the school",
        "CFA 2014 s.69(3)(b)",
        "Describe physical access, toilets, lifts, quiet spaces and auxiliary aids.",
    ),
    Section(
        "accessibility_plan",
        "The school's accessibility plan",
        "CFA 2014 s.69(3)(b); Equality Act 2010 Sch 10 para 3",
        "Summarise the plan's aims for the curriculum, the building and information. The plan's "
        "date and next review are shown below from the school's governance record.",
        live="accessibility_plan",
    ),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}


def sections_for(mainstream: bool) -> tuple[Section, ...]:
    """The sections a school's report must have (Sch 1 paras 2 and 4 only for mainstream)."""
    return tuple(s for s in SECTIONS if mainstream or not s.mainstream_only)
