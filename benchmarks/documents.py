"""Benchmark the two documents issue 8 sets targets for: the PDF of a full EHC plan (under 1 second
median) and the register export of a 2,000-pupil school (under 2 seconds), each also as a ratio to
a floor timed in the same run.

    python -m benchmarks.documents [--pupils 2000] [--repeat 5] [--small 10] [--json out.json]

The method is benchmarks/run.py's, and so is the code that builds the school (imported from it):
the CLI runs on PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
sendadmin_docs) with the test settings, in a database of its own (`<NAME>_run`, created, migrated
and dropped by Django's test-database machinery); the database DATABASE_URL names is never written
to. `run_documents()` measures against whatever database Django is connected to, so
tests/test_bench_documents.py can call it at a tiny size inside pytest's transaction.

Each seconds target is judged on the median; the ratio to the floor is what compares between
machines and commits (benchmarks/README.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import re
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from benchmarks import harness
from benchmarks.harness import SMALL_SCHOOL
from benchmarks.run import (
    FLOOR_SAMPLES,
    HEALTH_URL,
    REGISTER_URL,
    Site,
    Timing,
    _count_queries,
    _environment,
    _get,
    _num,
    _signed_in,
    _today,
    build_site,
)

if TYPE_CHECKING:
    from django.test import Client

    from ehcp.models import PlanVersion
    from sendadmin.accounts.models import School, User

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sendadmin_docs"
EXPORT_URL = "/pupils/register/export/"
# Issue 8's targets, in seconds, on the median.
PDF_TARGET_S = 1.0
EXPORT_TARGET_S = 2.0
# The full plan: what a plan for a pupil with several needs in Year 10 holds.
FULL_OUTCOMES = 10
FULL_PROVISIONS = 24
# Different UPN ranges from benchmarks/run.py's (100,000 and 200,000), so both can share a database.
LARGE_START = 300_000
SMALL_START = 400_000

# --- The plans ----------------------------------------------------------------------------------

SECTION_TEXTS: dict[str, str] = {
    "section_a": (
        "About me: I am fifteen and I live with my mum, my stepdad and my two younger sisters. I "
        "like drawing comics, building things out of card and playing football with my cousin at "
        "weekends. I want to be an animator or to work with computers when I leave school.\n\n"
        "What is important to me: knowing what is going to happen during the day, having a quiet "
        "place to go when the classroom gets too loud, and adults who explain things more than "
        "once without getting cross. I do not like being asked to read out loud in front of the "
        "class.\n\n"
        "My parents' views: we want our son to be happy at school and to leave with the "
        "qualifications he needs for college. He has always found reading and writing hard, and "
        "since moving to secondary school he has become anxious and has sometimes refused to go "
        "in. When adults understand him he does well, and he is very capable with his hands and "
        "with technology. We would like him to have the same speech and language support he had "
        "in primary school, help with organising himself, and a key adult he trusts.\n\n"
        "Aspirations: to study for GCSEs including computer science and art, to go to the local "
        "college for a course in digital media, to travel to college on his own, and to have a "
        "group of friends he sees outside school."
    ),
    "section_c": (
        "Diagnosed with autism spectrum condition by the community paediatric service at the age "
        "of eight. Hypermobility of the hands and wrists, under review by the physiotherapy "
        "service; tires quickly when writing by hand. Mild asthma, managed with an inhaler kept in "
        "school. Sleep has been poor since Year 7 and is being reviewed by the paediatrician. No "
        "medication other than the inhaler."
    ),
    "section_d": (
        "The family has received early help from the local authority since 2024 because of his "
        "school refusal. No child in need or child protection involvement. His mother cares for "
        "him and his sisters and would benefit from short breaks during the school holidays; he "
        "has been assessed as eligible for a place at the Saturday youth club for young people "
        "with additional needs."
    ),
    "section_g": (
        "Speech and language therapy: a block of six sessions a term with the NHS speech and "
        "language therapy service, the therapist setting targets for the school to work on. "
        "Physiotherapy: a review each term and a programme of hand exercises, with a writing slope "
        "and pencil grips supplied by the service. Child and adolescent mental health services: "
        "anxiety management group, eight weekly sessions, referral made in March."
    ),
    "section_h1": (
        "A place at the Saturday youth club for young people with additional needs, 3 hours each "
        "week in term time, with transport provided by the local authority (section 2 of the "
        "Chronically Sick and Disabled Persons Act 1970)."
    ),
    "section_h2": (
        "A key worker from the early help service to support the family with routines at home and "
        "with getting to school in the morning, reviewed at each annual review of the plan."
    ),
    "section_j": (
        "The parents asked for a personal budget for the transport in section H1. A direct "
        "payment of £45 a week in term time is agreed for a family member to take him to the "
        "youth club, under the local authority's direct payments policy."
    ),
}
NEEDS: tuple[tuple[str, str, str], ...] = (
    (
        "communication",
        "ASD",
        "Autism: finds changes of routine, busy rooms and unstructured times hard, and takes "
        "instructions literally. Needs time to process spoken language and visual support to "
        "understand what is expected.",
    ),
    (
        "communication",
        "SLCN",
        "Receptive and expressive language difficulties: understands short instructions, but "
        "loses the thread of longer explanations; word-finding difficulties when speaking in "
        "class; vocabulary below that expected for his age.",
    ),
    (
        "cognition",
        "SPLD",
        "Specific learning difficulty (dyslexia): reading age about four years below his age, "
        "slow and effortful decoding, spelling well below age-related expectations, and slow "
        "handwriting that limits what he can show he knows.",
    ),
    (
        "semh",
        "SEMH",
        "Anxiety about school, with periods of school refusal since Year 7: attendance 81% last "
        "year. Withdraws when overwhelmed and finds it hard to ask for help.",
    ),
    (
        "sensory_physical",
        "PD",
        "Hypermobility of the hands and wrists: tires quickly when writing or using tools and "
        "needs adapted equipment and rest breaks.",
    ),
)
OUTCOMES: tuple[str, ...] = (
    "By the end of Year 11 he will read texts at the level of his GCSE courses with the support "
    "of assistive technology, and answer questions about them in writing.",
    "By the end of Year 11 he will follow multi-step instructions in lessons, checking what he "
    "has understood with an adult or a visual checklist.",
    "By July he will ask for help in class, using his help card or words, in four lessons out of "
    "five.",
    "By the end of Year 11 he will attend school 95% of the time, arriving on time and going to "
    "his first lesson after checking in with his key adult.",
    "By the end of Year 10 he will use a laptop with speech-to-text for extended writing in every "
    "subject, producing pieces of at least 300 words.",
    "By July he will use a strategy from his anxiety plan on his own when he feels overwhelmed, "
    "and return to the lesson within ten minutes.",
    "By the end of Year 11 he will travel to and from school on his own by bus, on a route he has "
    "practised.",
    "By the end of Year 11 he will choose his post-16 course, visit the college and take part in "
    "his transition review, with his views recorded in his own words.",
    "By the end of Year 10 he will take part in a lunchtime club with other students at least "
    "twice a week.",
    "By the end of Year 11 he will spell 80% of the subject vocabulary of his GCSE courses "
    "correctly in his written work.",
    "By the end of Year 10 he will complete homework using his planner and the homework app, "
    "handing in four pieces out of five on time.",
    "By the end of Year 11 he will take his GCSE examinations with the access arrangements he "
    "needs, having practised them in mock examinations.",
)
PROVISIONS: tuple[tuple[str, int, int, int, str], ...] = (
    ("Speech and language therapy programme set by the NHS therapist, delivered in school", 2, 30,
     1, "Speech and language therapy assistant"),
    ("Vocabulary teaching of the key words of each GCSE subject before each topic", 2, 20, 4,
     "Teaching assistant trained in the approach"),
    ("Structured literacy intervention (phonics and reading fluency)", 3, 30, 1,
     "Specialist dyslexia teacher"),
    ("Precision teaching of subject spellings", 5, 10, 1, "Teaching assistant"),
    ("Assistive technology: laptop with speech-to-text and text-to-speech in every lesson", 25,
     50, 1, "Class teachers, with training from the LA's assistive technology service"),
    ("Training in the use of assistive technology", 1, 30, 1,
     "LA assistive technology service"),
    ("Key adult check-in at the start and end of each school day", 5, 10, 1,
     "Named key adult (learning mentor)"),
    ("Access to a quiet base at break and lunchtime and when overwhelmed", 5, 60, 6,
     "Learning support base staff"),
    ("Anxiety management programme based on cognitive behavioural approaches", 1, 45, 1,
     "School counsellor"),
    ("Social skills group", 1, 45, 6, "Speech and language therapy assistant"),
    ("Visual timetable and advance notice of any change of routine", 5, 5, 1,
     "Form tutor and class teachers"),
    ("Task planners and visual checklists for multi-step work in every lesson", 25, 5, 1,
     "Class teachers"),
    ("Pre-teaching of new topics in mathematics and science", 2, 30, 3, "Teaching assistant"),
    ("Reading support in lessons: an adult reads texts and questions aloud when needed", 10, 50,
     1, "Teaching assistant"),
    ("Handwriting and fine motor programme set by the physiotherapist", 2, 15, 1,
     "Teaching assistant trained by the physiotherapy service"),
    ("Writing slope, pencil grips and rest breaks when writing", 25, 5, 1, "Class teachers"),
    ("Homework club with adult support for organisation and planning", 2, 45, 8,
     "Learning support staff"),
    ("Mentoring on attendance, with a reintegration timetable when he has been absent", 1, 30,
     1, "Attendance officer and key adult"),
    ("Independent travel training on the bus route to school", 2, 60, 1,
     "LA independent travel trainer"),
    ("Careers guidance focused on post-16 options, with a college visit", 1, 45, 1,
     "Careers adviser"),
    ("Access arrangements in tests and examinations: 25% extra time, a reader and a laptop", 1,
     60, 1, "Examinations officer and SENCO"),
    ("Lunchtime club with a structured activity", 2, 40, 10, "Learning support staff"),
    ("Termly meeting of the SENCO, the parents and the student to review progress", 1, 60, 1,
     "SENCO"),
    ("Staff training on autism and dyslexia for the teachers of his classes", 1, 90, 20,
     "Specialist teacher from the LA's inclusion service"),
    ("Emotional literacy support sessions", 1, 30, 1, "Emotional literacy support assistant"),
    ("Transition programme to college: visits and a named contact", 1, 60, 1,
     "SENCO and college learning support"),
)  # fmt: skip
ADVICE: tuple[tuple[str, str, str], ...] = (
    (
        "psychological",
        "Benchmark Borough Educational Psychology Service",
        "Cognitive assessment: verbal comprehension well below average, perceptual reasoning "
        "average, processing speed low. Recommends structured literacy teaching, assistive "
        "technology and pre-teaching of vocabulary.",
    ),
    (
        "medical",
        "Community paediatrics, Benchmark Borough NHS Trust",
        "Autism diagnosed at eight; hypermobility under physiotherapy review; asthma. Recommends "
        "rest breaks when writing and an adult aware of his sensory needs.",
    ),
    (
        "social_care",
        "Benchmark Borough children's services",
        "Family receives early help; eligible for short breaks. No statutory social care "
        "involvement.",
    ),
    (
        "adulthood",
        "Benchmark Borough careers and post-16 service",
        "Interested in digital media; recommends college taster days in Year 10 and independent "
        "travel training.",
    ),
    (
        "other",
        "NHS speech and language therapy service",
        "Receptive and expressive language difficulties; recommends a programme of two sessions "
        "a week delivered by a trained assistant.",
    ),
)


@dataclass
class PlanFacts:
    """What a benchmark plan holds, counted from the database, and its PDF."""

    version_id: int
    needs: int
    outcomes: int
    provisions: int
    advice: int
    text_chars: int
    pdf_bytes: int = 0
    pdf_pages: int = 0
    pdf_starts: str = ""


def _new_caseworker(school: School) -> User:
    from sendadmin.accounts.models import Membership, User
    from sendadmin.accounts.roles import Role

    user = User.objects.create_user(
        email=f"caseworker-{school.urn}@bench.example", full_name="Benchmark caseworker"
    )
    # Outside a request, the selectors read the membership the middleware would have set.
    user.active_membership = Membership.objects.create(
        user=user,
        local_authority=school.local_authority,
        role=Role.LA_CASEWORKER,
        start=_today() - dt.timedelta(days=365),
    )
    return user


def _plan_pupil(school: School, skip: int) -> Any:
    """A pupil in Year 10 (preparation for adulthood advice is sought from Year 9), those on SEN
    support first; a tiny school may have none on SEN support in that year."""
    from django.db.models import Case, IntegerField, Value, When

    from pupils.codes import SenProvision
    from pupils.models import Pupil

    support_first = Case(
        When(sen_provision=SenProvision.SEN_SUPPORT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Pupil.objects.filter(school=school, year_group=10)
        .order_by(support_first, "upn")[skip : skip + 1]
        .get()
    )


def build_plan(school: School, senco: User, caseworker: User, *, full: bool, skip: int = 0) -> int:
    """An EHC plan made as a caseworker and the SENCO make one, through ehcp's services: request,
    decision to assess, advice (the school's written and submitted by its SENCO), decision to issue,
    a draft written and served, then the final plan naming the school, issued. Returns the id of
    the issued final version. A full plan has every section filled with realistic text, 5 needs,
    10 outcomes and 24 provision rows; the other has one of each and no text beyond section I."""
    from ehcp import plans as plan_services
    from ehcp import services
    from ehcp.models import AdviceKind, AdviceRequest, PlanVersion
    from sendadmin.calendar import add_days
    from sendadmin.core.demo_ehcp import SCHOOL_ADVICE

    pupil = _plan_pupil(school, skip)
    today = _today()

    def ago(days: int) -> dt.date:
        return add_days(today, -days)

    case = services.case_open(
        pupil=pupil,
        local_authority=school.local_authority,
        requested_by="school",
        received_on=ago(140),
        caseworker=caseworker,
        by=caseworker,
    )
    services.case_decide_assess(case=case, decision="assess", decided_on=ago(100), by=caseworker)
    asked = ago(95)
    school_advice = services.advice_request_create(
        case=case, kind=AdviceKind.EDUCATIONAL, sent_on=asked, received_on=asked, by=caseworker
    )
    AdviceRequest.objects.filter(pk=school_advice.pk).update(**SCHOOL_ADVICE)
    school_advice.refresh_from_db()
    services.advice_submit(advice=school_advice, by=senco)
    for kind, adviser, summary in ADVICE if full else ():
        advice = services.advice_request_create(
            case=case,
            kind=kind,
            adviser_name=adviser,
            sent_on=asked,
            received_on=add_days(asked, 2),
            by=caseworker,
        )
        services.advice_record_received(
            advice=advice, received_on=add_days(asked, 35), summary=summary, by=caseworker
        )
    services.case_decide_issue(case=case, decision="issue", decided_on=ago(45), by=caseworker)
    case.refresh_from_db()
    draft = case.plan.versions.get()
    if full:
        plan_services.version_sections_update(
            version=draft, data=SECTION_TEXTS, expected_version=draft.version, by=caseworker
        )
    # Section B: the draft starts from the register's needs; describe them, add the rest.
    started = list(draft.needs.order_by("position"))
    wanted = NEEDS if full else NEEDS[:1]
    needs = []
    for i, (area, code, description) in enumerate(wanted):
        if i < len(started):
            needs.append(
                plan_services.need_update(
                    need=started[i], area=area, code=code, description=description, by=caseworker
                )
            )
        else:
            needs.append(
                plan_services.need_add(
                    version=draft, area=area, code=code, description=description, by=caseworker
                )
            )
    for extra in started[len(wanted) :]:
        plan_services.need_remove(need=extra, by=caseworker)
    outcomes = [
        plan_services.outcome_add(
            version=draft,
            outcome=text,
            by_when="July 2028" if i % 3 else "July 2027",
            needs=[needs[i % len(needs)], needs[(i + 2) % len(needs)]],
            by=caseworker,
        )
        for i, text in enumerate(OUTCOMES[:FULL_OUTCOMES] if full else OUTCOMES[:1])
    ]
    for i, (what, sessions, minutes, group, who) in enumerate(
        PROVISIONS[:FULL_PROVISIONS] if full else PROVISIONS[:1]
    ):
        plan_services.provision_add(
            version=draft,
            what=what,
            sessions_per_week=sessions,
            minutes_per_session=minutes,
            duration="Until the next annual review" if i % 4 else "Until the end of Year 11",
            delivered_by=who,
            group_size=group,
            needs=[needs[i % len(needs)], needs[(i + 1) % len(needs)]],
            outcomes=[outcomes[i % len(outcomes)], outcomes[(i + 3) % len(outcomes)]],
            by=caseworker,
        )
    draft.refresh_from_db()
    plan_services.version_issue(
        version=draft, issued_on=ago(30), expected_version=draft.version, by=caseworker
    )
    final = plan_services.version_new(plan=case.plan, kind=PlanVersion.Kind.FINAL, by=caseworker)
    plan_services.version_sections_update(
        version=final,
        data={
            "section_i_school": school,
            "section_i_name": "",
            "section_i_type": "Mainstream secondary academy",
        },
        expected_version=final.version,
        by=caseworker,
    )
    final.refresh_from_db()
    # Issued today: the imported roll's SEN status periods start today, and the final plan's
    # status period (E) may not start before the open one (pupils.services).
    plan_services.version_issue(
        version=final, issued_on=today, expected_version=final.version, by=caseworker
    )
    return final.pk


def plan_facts(version_id: int) -> PlanFacts:
    from ehcp.models import PlanVersion

    version = PlanVersion.objects.get(pk=version_id)
    texts = [
        version.section_a,
        version.section_c,
        version.section_d,
        version.section_g,
        version.section_h1,
        version.section_h2,
        version.section_j,
    ]
    return PlanFacts(
        version_id=version_id,
        needs=version.needs.count(),
        outcomes=version.outcomes.count(),
        provisions=version.provisions.count(),
        advice=version.advice.count(),
        text_chars=sum(len(t) for t in texts),
    )


def pdf_pages(pdf: bytes) -> int:
    """Page objects in a PDF (`/Type /Page`, not `/Pages`), also inside the compressed object
    streams WeasyPrint writes them in."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            chunks.append(zlib.decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", chunk)) for chunk in chunks)


def _fresh_version(user: User, version_id: int) -> PlanVersion:
    """The version as the view reads it (its own select_related), with nothing prefetched yet."""
    from ehcp.selectors import version_get_for_user_or_404

    return version_get_for_user_or_404(user, version_id)


# --- Floors -------------------------------------------------------------------------------------

FLOOR_HTML = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Floor</title></head>'
    "<body><h1>Education, health and care plan</h1><p>One paragraph of text, set in the plan's "
    "stylesheet, rendered by the same WeasyPrint with the same refusing URL fetcher.</p></body>"
    "</html>"
)


def floor_pdf() -> bytes:
    """The PDF floor: a one-paragraph document with the plan's stylesheet, rendered the way the
    plan is (sendadmin.core.pdf, the same refusing fetcher), so it pays the same fixed costs."""
    from ehcp.pdf_plan import CSS_PATH
    from pupils.support.pdf import RefusingURLFetcher
    from sendadmin.core.pdf import pdf_write

    return pdf_write(FLOOR_HTML, CSS_PATH, url_fetcher=RefusingURLFetcher())


def floor_csv_rows(n: int) -> list[list[str]]:
    """n rows of 15 short strings, like the export's, built once outside the timing."""
    return [
        [f"A{i:012d}", "Surname", "Forename", "", "01/09/2010", "10", "01/09/2021", "", "K",
         "SLCN", "", "N", "Y", "N", "10A"]
        for i in range(n)
    ]  # fmt: skip


def floor_csv(rows: list[list[str]]) -> bytes:
    """The export floor: write the rows with the csv module and encode them as the export does."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


# --- Results ------------------------------------------------------------------------------------


@dataclass
class DocTiming(Timing):
    """benchmarks.run's Timing, plus this process's CPU time of each sample: on a machine shared
    with other work it shows how much of a median is the work itself and how much is waiting for
    a core. It leaves out the database server's time (another process)."""

    cpu_samples: list[float] = field(default_factory=list)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu_samples) if self.cpu_samples else None

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "cpu_median_s": self.cpu_median,
            "cpu_samples_s": self.cpu_samples,
        }


@dataclass
class SizeCount:
    """One operation's query count at two sizes of what it reads; equal when it has no N+1."""

    key: str
    operation: str
    unit: str
    small_size: int
    small_queries: int
    large_size: int
    large_queries: int

    @property
    def equal(self) -> bool:
        return self.small_queries == self.large_queries


@dataclass
class DocumentsReport:
    pupils: int
    repeat: int
    small: int
    floor_samples: int = FLOOR_SAMPLES  # per repetition
    timings: list[DocTiming] = field(default_factory=list)
    targets: dict[str, float] = field(default_factory=dict)
    query_counts: list[SizeCount] = field(default_factory=list)
    plan: PlanFacts | None = None
    small_plan: PlanFacts | None = None
    export_rows: dict[str, int] = field(default_factory=dict)
    export_bytes: dict[str, int] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    environment: dict[str, Any] = field(default_factory=dict)

    def timing(self, key: str) -> DocTiming:
        return next(t for t in self.timings if t.key == key)

    def met(self, key: str) -> bool | None:
        target = self.targets.get(key)
        return None if target is None else self.timing(key).median < target

    @property
    def problems(self) -> list[str]:
        """Correctness failures seen while measuring (never a timing)."""
        found = [
            f"{q.operation}: {q.small_queries} queries at {q.small_size} {q.unit} but "
            f"{q.large_queries} at {q.large_size}"
            for q in self.query_counts
            if not q.equal
        ]
        return found + self.checks

    def as_dict(self) -> dict[str, Any]:
        def facts(p: PlanFacts | None) -> dict[str, Any] | None:
            return None if p is None else p.__dict__.copy()

        timings = []
        for t in self.timings:
            row = t.as_dict()
            row["target_s"] = self.targets.get(t.key)
            row["met"] = self.met(t.key)
            timings.append(row)
        return {
            "pupils": self.pupils,
            "repeat": self.repeat,
            "small": self.small,
            "floor_samples_per_repetition": self.floor_samples,
            "environment": self.environment,
            "timings": timings,
            "query_counts": [{**q.__dict__, "equal": q.equal} for q in self.query_counts],
            "plan": facts(self.plan),
            "small_plan": facts(self.small_plan),
            "export_rows": self.export_rows,
            "export_bytes": self.export_bytes,
            "problems": self.problems,
        }


# --- Measuring ----------------------------------------------------------------------------------


def _take(timing: DocTiming, fn: Callable[[], object]) -> float:
    """One sample of fn into timing (wall and CPU time, after a gc.collect()); returns the wall."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    timing.samples.append(wall)
    timing.cpu_samples.append(cpu)
    return wall


def _get_response(client: Client, url: str, query: dict[str, str]) -> tuple[bytes, str]:
    response = client.get(url, query)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} {query} answered {response.status_code}")
    return bytes(response.content), str(response["Content-Type"])


def measure_pdf(
    report: DocumentsReport,
    caseworker: User,
    senco: User,
    full_id: int,
    small_id: int,
    log: Callable[[str], None],
) -> None:
    """The full plan's PDF through the view (as the caseworker and as the SENCO) and bare."""
    from django.urls import reverse

    from ehcp.pdf_plan import version_pdf_render

    la_client = _signed_in(caseworker)
    school_client = _signed_in(senco)
    url = reverse("ehcp:version-pdf", args=[full_id])
    small_url = reverse("ehcp:version-pdf", args=[small_id])
    pdf_floor = "WeasyPrint: one paragraph, the plan's stylesheet"
    health = "GET /health/, same signed-in caseworker"
    floor_row = DocTiming("floor_pdf", f"floor: {pdf_floor}")
    health_row = DocTiming("floor_health", f"floor: {health}")
    render = DocTiming("pdf_render", "version_pdf_render() of the full plan", floor=pdf_floor)
    la_view = DocTiming(
        "pdf_view_caseworker",
        "GET plan.pdf of the full plan, LA caseworker",
        floor=pdf_floor,
        alt_floor=health,
    )
    school_view = DocTiming(
        "pdf_view_senco", "GET plan.pdf of the full plan, SENCO", floor=pdf_floor, alt_floor=health
    )
    for key in ("pdf_render", "pdf_view_caseworker", "pdf_view_senco"):
        report.targets[key] = PDF_TARGET_S

    # Warm-up, untimed: fonts, stylesheets, templates, sessions; the query counts are taken here.
    floor_pdf()
    _get(la_client, HEALTH_URL, {})
    _get(school_client, HEALTH_URL, {})
    floor_row.queries, _ = _count_queries(floor_pdf)
    health_row.queries, _ = _count_queries(lambda: _get(la_client, HEALTH_URL, {}))
    fresh = _fresh_version(caseworker, full_id)
    render.queries, pdf = _count_queries(lambda: version_pdf_render(fresh))
    la_view.queries, (body, content_type) = _count_queries(
        lambda: _get_response(la_client, url, {})
    )
    school_view.queries, (school_body, _) = _count_queries(
        lambda: _get_response(school_client, url, {})
    )
    for name, content in (("render", pdf), ("caseworker", body), ("SENCO", school_body)):
        if not content.startswith(b"%PDF-"):
            report.checks.append(f"the PDF ({name}) does not start with %PDF-")
    if content_type != "application/pdf":
        report.checks.append(f"plan.pdf answered {content_type}")
    small_queries, _ = _count_queries(lambda: _get_response(la_client, small_url, {}))
    assert report.plan is not None and report.small_plan is not None
    report.plan.pdf_bytes, report.plan.pdf_pages = len(body), pdf_pages(body)
    report.plan.pdf_starts = body[:5].decode("latin-1")
    report.query_counts.append(
        SizeCount(
            "pdf_view_caseworker",
            "GET plan.pdf, LA caseworker",
            "plan rows (B+E+F+K)",
            _plan_rows(report.small_plan),
            small_queries,
            _plan_rows(report.plan),
            la_view.queries,
        )
    )
    render.rows = la_view.rows = school_view.rows = _plan_rows(report.plan)

    for rep in range(report.repeat):
        log(f"plan PDF: repetition {rep + 1} of {report.repeat}")
        floor_samples = [_take(floor_row, floor_pdf) for _ in range(report.floor_samples)]
        health_samples = [
            _take(health_row, lambda: _get(la_client, HEALTH_URL, {}))
            for _ in range(report.floor_samples)
        ]
        fresh = _fresh_version(caseworker, full_id)
        _take(render, lambda: version_pdf_render(fresh))  # noqa: B023
        _take(la_view, lambda: _get(la_client, url, {}))
        _take(school_view, lambda: _get(school_client, url, {}))
        for timing in (render, la_view, school_view):
            timing.floor_samples += floor_samples
        for timing in (la_view, school_view):
            timing.alt_floor_samples += health_samples
    report.timings += [floor_row, health_row, render, la_view, school_view]


def _plan_rows(facts: PlanFacts) -> int:
    return facts.needs + facts.outcomes + facts.provisions + facts.advice


def _csv_lines(content: bytes) -> int:
    """Data rows of an exported CSV: its records less the header (cells may hold new lines)."""
    return sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8-sig")))) - 1


def measure_export(
    report: DocumentsReport, large: Site, small: Site, log: Callable[[str], None]
) -> None:
    """The register export (CSV and XLSX) for the SENCO of each site, against two floors."""
    from pupils import export
    from pupils.selectors import register_list_for

    client = _signed_in(large.senco)
    small_client = _signed_in(small.senco)
    page = "GET /pupils/register/ page 1, same signed-in SENCO"
    writer = f"csv module writing {large.pupils} rows of 15 cells, no DB"
    page_row = DocTiming("floor_register_page", f"floor: {page} ({large.pupils} pupils)")
    writer_row = DocTiming("floor_csv_write", f"floor: {writer}")
    variants = [
        ("export_csv", "GET register export, CSV", {"format": "csv"}),
        ("export_xlsx", "GET register export, XLSX", {"format": "xlsx"}),
    ]
    views = [
        DocTiming(key, f"{label} ({large.pupils} pupils)", floor=page, alt_floor=writer)
        for key, label, _ in variants
    ]
    bare = DocTiming(
        "export_csv_function",
        f"export.as_csv(register_list_for(senco)) ({large.pupils} pupils)",
        floor=writer,
    )
    small_view = DocTiming(
        "export_csv_small",
        f"GET register export, CSV ({small.pupils} pupils)",
        floor=page,
        alt_floor=writer,
    )
    for timing in views:
        report.targets[timing.key] = EXPORT_TARGET_S
    report.targets[bare.key] = EXPORT_TARGET_S
    rows = floor_csv_rows(large.pupils)

    def as_csv() -> bytes:
        return export.as_csv(register_list_for(large.senco))

    # Warm-up, untimed; the query counts are taken here.
    for c in (client, small_client):
        _get(c, REGISTER_URL, {})
        _get(c, EXPORT_URL, {"format": "csv"})
    page_row.queries, _ = _count_queries(lambda: _get(client, REGISTER_URL, {}))
    writer_row.queries, _ = _count_queries(lambda: floor_csv(rows))
    writer_row.rows = large.pupils
    for timing, (key, label, query) in zip(views, variants, strict=True):
        timing.queries, (content, content_type) = _count_queries(
            lambda: _get_response(client, EXPORT_URL, query)  # noqa: B023
        )
        small_queries, (small_content, _) = _count_queries(
            lambda: _get_response(small_client, EXPORT_URL, query)  # noqa: B023
        )
        report.query_counts.append(
            SizeCount(
                key, label, "pupils", small.pupils, small_queries, large.pupils, timing.queries
            )
        )
        report.export_bytes[key] = len(content)
        if query["format"] == "csv":
            timing.rows = _csv_lines(content)
            small_view.rows = _csv_lines(small_content)
            if not content_type.startswith("text/csv"):
                report.checks.append(f"the CSV export answered {content_type}")
        else:
            timing.rows = _xlsx_rows(content)
            if not content.startswith(b"PK"):
                report.checks.append("the XLSX export is not a zip (an Office Open XML file)")
        report.export_rows[key] = timing.rows
        if timing.rows != large.pupils:
            report.checks.append(f"{label}: {timing.rows} rows for {large.pupils} pupils")
    bare.queries, content = _count_queries(as_csv)
    bare.rows = _csv_lines(content)
    small_view.queries, _ = _count_queries(
        lambda: _get_response(small_client, EXPORT_URL, {"format": "csv"})
    )

    for rep in range(report.repeat):
        log(f"register export: repetition {rep + 1} of {report.repeat}")
        page_samples = [
            _take(page_row, lambda: _get(client, REGISTER_URL, {}))
            for _ in range(report.floor_samples)
        ]
        writer_samples = [
            _take(writer_row, lambda: floor_csv(rows)) for _ in range(report.floor_samples)
        ]
        for timing, (_, _, query) in zip(views, variants, strict=True):
            _take(timing, lambda: _get(client, EXPORT_URL, query))  # noqa: B023
        _take(bare, as_csv)
        _take(small_view, lambda: _get(small_client, EXPORT_URL, {"format": "csv"}))
        for timing in (*views, small_view):
            timing.floor_samples += page_samples
            timing.alt_floor_samples += writer_samples
        bare.floor_samples += writer_samples
    report.timings += [page_row, writer_row, *views, bare, small_view]


def _xlsx_rows(content: bytes) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return rows - 1


def _registration_groups(site: Site) -> None:
    """benchmarks/run.py's form groups ("7A", not the maths sets) as registration groups, as a MIS
    import marks them, so the export's Reg Group column is filled."""
    from pupils.models import TeachingGroup

    TeachingGroup.objects.filter(school=site.school).exclude(name__contains="Maths").update(
        registration=True
    )


def _with_membership(user: User) -> None:
    """Outside a request, the selectors read the membership the middleware would have set."""
    from sendadmin.accounts.models import Membership

    user.active_membership = Membership.objects.get(user=user)


def run_documents(
    pupils: int = 2000,
    repeat: int = 5,
    small: int = SMALL_SCHOOL,
    log: Callable[[str], None] = lambda message: None,
    floor_samples: int = FLOOR_SAMPLES,
) -> DocumentsReport:
    """Every measurement, on the database Django is connected to (it adds schools; deletes none).
    `floor_samples` is per repetition; the tiny test takes fewer to stay fast."""
    if pupils < 1 or repeat < 1 or small < 1 or floor_samples < 1:
        raise ValueError("pupils, repeat, small and floor_samples must be at least 1")
    report = DocumentsReport(pupils=pupils, repeat=repeat, small=small, floor_samples=floor_samples)
    report.environment = _environment()
    log(f"building a school of {pupils} pupils and one of {small}")
    large = build_site(pupils, start=LARGE_START, label="documents")
    small_site = build_site(small, start=SMALL_START, label="small documents")
    for site in (large, small_site):
        _registration_groups(site)
        _with_membership(site.senco)
    log("writing a full EHC plan and a one-row plan through ehcp's services")
    caseworker = _new_caseworker(large.school)
    full_id = build_plan(large.school, large.senco, caseworker, full=True, skip=0)
    small_id = build_plan(large.school, large.senco, caseworker, full=False, skip=1)
    report.plan, report.small_plan = plan_facts(full_id), plan_facts(small_id)
    measure_pdf(report, caseworker, large.senco, full_id, small_id, log=log)
    measure_export(report, large, small_site, log=log)
    return report


# --- Reporting ----------------------------------------------------------------------------------


def format_table(report: DocumentsReport) -> str:
    """The results as Markdown: the timings with targets, the query counts, what was measured."""
    lines = [
        f"{report.repeat} repetitions (floors: {report.repeat * report.floor_samples} samples); medians "
        "in seconds; a target is met when the median is under it.",
        "",
        "| operation | median s | target s | met | floor | floor median s | ratio "
        "| second floor ratio | CPU median s | queries |",
        "|---|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for t in report.timings:
        ratio = "(floor)" if t.is_floor else _num(t.ratio, 1)
        alt = _num(t.alt_ratio, 1) if t.alt_floor else ""
        target = report.targets.get(t.key)
        met = report.met(t.key)
        lines.append(
            f"| {t.operation} | {_num(t.median)} | {'' if target is None else f'{target:g}'} "
            f"| {'' if met is None else ('MET' if met else 'MISSED')} | {t.floor or '-'} "
            f"| {_num(t.floor_median)} | {ratio} | {alt} | {_num(t.cpu_median)} "
            f"| {'-' if t.queries is None else t.queries} |"
        )
    second = sorted({(t.floor, t.alt_floor) for t in report.timings if t.alt_floor})
    lines += [
        "",
        "Second floors: " + "; ".join(f"{alt} (beside {f})" for f, alt in second) + ". CPU: "
        "this process's CPU time, without the database server's; a median far above it was "
        "waiting for a core.",
    ]
    lines += [
        "",
        "| queries | smaller | queries | larger | queries | equal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines += [
        f"| {q.operation} | {q.small_size} {q.unit} | {q.small_queries} | {q.large_size} {q.unit} "
        f"| {q.large_queries} | {'yes' if q.equal else 'NO'} |"
        for q in report.query_counts
    ]
    p = report.plan
    if p is not None:
        lines += [
            "",
            f"The full plan (version {p.version_id}, an issued final): {p.needs} needs (B), "
            f"{p.outcomes} outcomes (E), {p.provisions} provision rows (F), {p.advice} pieces of "
            f"advice (K), {p.text_chars} characters in sections A, C, D, G, H1, H2 and J; its PDF "
            f"is {p.pdf_bytes} bytes, {p.pdf_pages} pages.",
        ]
    if report.export_rows:
        lines.append(
            "Export rows: "
            + ", ".join(
                f"{key} {rows} rows, {report.export_bytes.get(key, 0)} bytes"
                for key, rows in report.export_rows.items()
            )
            + "."
        )
    lines += [f"PROBLEM: {p}" for p in report.problems]
    return "\n".join(lines)


# --- Command line -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = harness.parse_args(
        "python -m benchmarks.documents",
        "Benchmark the EHC plan PDF and the register export against in-run floors.",
        argv,
    )
    return harness.main_in_scratch_database(
        args,
        DEFAULT_DATABASE_URL,
        lambda a, log: run_documents(a.pupils, a.repeat, a.small, log=log),
        format_table,
    )


if __name__ == "__main__":
    sys.exit(main())
