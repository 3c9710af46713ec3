"""Benchmark the MIS import and the SEN register page, each as a ratio to a floor timed in the run.

    python -m benchmarks.run [--pupils 2000] [--repeat 5] [--json out.json]

The CLI runs on PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
sendadmin_bench) with the test settings, in a database of its own: Django's test-database machinery
creates `<NAME>_run` (for the default, `sendadmin_bench_run`), migrates it, and drops it at the end.
The database DATABASE_URL names is never written to.

`run_benchmarks()` does the measuring against whatever database Django is connected to, so a
pytest test can call it at a tiny size inside its own transaction (tests/test_benchmarks.py).

Timings are never reported on their own: every operation is reported as median / floor median,
where the floor is a cheap operation on the same data timed in the same run, interleaved with it,
so a slow or busy machine moves both. See benchmarks/README.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from benchmarks import harness
from benchmarks.harness import SMALL_SCHOOL
from pupils.upn import is_valid_upn, upn_check_letter

if TYPE_CHECKING:
    from django.test import Client

    from sendadmin.accounts.models import School, User

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sendadmin_bench"
# The small school of the query-count comparison (the register must not query more for more pupils).
# Floors take milliseconds or less, so each repetition samples them this many times.
FLOOR_SAMPLES = 10
# Pupils per form group; each pupil is also in one teaching set of their year.
FORM_SIZE = 30
REGISTER_URL = "/pupils/register/"
HEALTH_URL = "/health/"

T = TypeVar("T")

# --- The MIS file -------------------------------------------------------------------------------

HEADER = (
    "UPN",
    "Legal Surname",
    "Legal Forename",
    "Preferred Forename",
    "DOB",
    "Year",
    "Admission Date",
    "Leaving Date",
    "SEN Provision",
    "Primary Need",
    "Secondary Need",
    "EAL",
    "FSM",
    "Looked After",
)
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin",
    "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
    "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price",
    "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
    "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
    "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman",
    "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews",
    "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
    "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "O'Brien", "Nowak",
    "Évora", "Okafor", "Kowalski", "Nguyen", "Da Silva", "Ahmed", "Rahman", "Brown-Hughes",
)  # fmt: skip
FORENAMES = (
    "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah", "Mia", "Jack", "Ivy", "Leo",
    "Lily", "Arthur", "Isabella", "Muhammad", "Rosie", "Oscar", "Sophia", "Charlie", "Grace",
    "Jacob", "Freya", "Thomas", "Evie", "Henry", "Florence", "Freddie", "Willow", "Alfie",
    "Poppy", "Theo", "Ella", "William", "Elsie", "Theodore", "Phoebe", "Archie", "Sienna",
    "Joshua", "Daisy", "Alexander", "Evelyn", "James", "Harper", "Isaac", "Ruby", "Edward",
    "Chloé", "Zoë", "Aoife", "Siân", "Mateusz", "Aaliyah", "Yusuf", "Priya", "Kwame",
)  # fmt: skip
NICKNAMES = ("Ollie", "Millie", "Alex", "Izzy", "Charlie", "Sam", "Jo", "Freddie", "Bea")
K_NEEDS = ("SLCN", "SEMH", "SPLD", "MLD", "ASD", "SLCN", "SEMH", "OTH", "NSA", "PD", "HI", "VI")
E_NEEDS = ("ASD", "SLCN", "SEMH", "SLD", "MLD", "PD", "HI", "PMLD", "DS", "VI", "MSI", "ASD")
# Years 7 to 13: a roll of 2,000 is a large secondary school with a sixth form.
YEARS = tuple(range(7, 14))


def bench_upn(n: int) -> str:
    """The n-th valid UPN of LA 993, which neither the demo data nor the test factories use."""
    body = f"993{n // 1000 % 10000:04d}25{n % 1000:03d}"
    return upn_check_letter(body) + body


def provision_of(i: int) -> str:
    """About 3% E and 15% K, spread through the roll rather than in blocks."""
    slot = (i * 37) % 100  # 37 is coprime with 100: every 100 rows hold exactly 3 E and 15 K
    if slot < 3:
        return "E"
    if slot < 18:
        return "K"
    return "N"


def _needs_of(i: int, provision: str) -> list[str]:
    if provision == "N":
        return []
    codes = K_NEEDS if provision == "K" else E_NEEDS
    primary = codes[i % len(codes)]
    if primary == "NSA" or i % 2:
        return [primary]
    secondary = next(c for c in codes[i % len(codes) + 1 :] + codes if c not in (primary, "NSA"))
    return [primary, secondary]


def mis_rows(n: int, start: int = 0) -> list[list[str]]:
    """n rows as a school MIS exports them (docs/import-format.md), header first."""
    rows = [list(HEADER)]
    for i in range(start, start + n):
        year = YEARS[i % len(YEARS)]
        dob = dt.date(2019 - year, 1 + (i * 7) % 12, 1 + (i * 11) % 28)
        admitted = dt.date(dob.year + 12, 9, 1)
        provision = provision_of(i)
        needs = _needs_of(i, provision)
        rows.append(
            [
                bench_upn(i),
                SURNAMES[i % len(SURNAMES)],
                FORENAMES[(i * 7 + i // len(SURNAMES)) % len(FORENAMES)],
                NICKNAMES[i % len(NICKNAMES)] if i % 9 == 0 else "",
                dob.strftime("%d/%m/%Y"),
                str(year),
                admitted.strftime("%d/%m/%Y"),
                "",
                provision,
                needs[0] if needs else "",
                needs[1] if len(needs) > 1 else "",
                "Y" if i % 5 == 1 else "N",
                "Y" if i % 4 == 2 else "N",
                "Y" if i % 97 == 5 else "N",
            ]
        )
    return rows


def mis_csv(n: int, start: int = 0) -> bytes:
    """The rows of mis_rows() as the bytes of an Excel "CSV UTF-8" file (BOM, CRLF)."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(mis_rows(n, start))
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def floor_parse(data: bytes) -> int:
    """The import floor: read the file with the csv module and check every UPN's check letter."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = [h.strip().lower() for h in next(reader)]
    column = header.index("upn")
    valid = 0
    for row in reader:
        valid += is_valid_upn(row[column].strip().upper())
    return valid


# --- Results ------------------------------------------------------------------------------------


def _median(samples: list[float]) -> float | None:
    return statistics.median(samples) if samples else None


@dataclass
class Timing:
    """One operation's samples, and the floor (and for pages a second floor) it is divided by."""

    key: str
    operation: str
    samples: list[float] = field(default_factory=list)
    floor: str = ""
    floor_samples: list[float] = field(default_factory=list)
    alt_floor: str = ""
    alt_floor_samples: list[float] = field(default_factory=list)
    queries: int | None = None
    rows: int | None = None

    @property
    def is_floor(self) -> bool:
        return not self.floor

    @property
    def median(self) -> float:
        value = _median(self.samples)
        assert value is not None, f"{self.key} has no samples"
        return value

    @property
    def floor_median(self) -> float | None:
        return _median(self.floor_samples)

    @property
    def ratio(self) -> float | None:
        floor = self.floor_median
        return self.median / floor if floor else None

    @property
    def alt_ratio(self) -> float | None:
        floor = _median(self.alt_floor_samples)
        return self.median / floor if floor else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "operation": self.operation,
            "median_s": self.median,
            "samples_s": self.samples,
            "floor": self.floor or None,
            "floor_median_s": self.floor_median,
            "ratio": self.ratio,
            "alt_floor": self.alt_floor or None,
            "alt_floor_median_s": _median(self.alt_floor_samples),
            "alt_ratio": self.alt_ratio,
            "queries": self.queries,
            "rows": self.rows,
        }


@dataclass
class QueryCount:
    key: str
    operation: str
    small_pupils: int
    small_queries: int
    large_pupils: int
    large_queries: int

    @property
    def equal(self) -> bool:
        return self.small_queries == self.large_queries


@dataclass
class Reimport:
    """What the re-imports of an unchanged file did, summed over every repetition."""

    runs: int = 0
    created: int = 0
    updated: int = 0
    left: int = 0
    unchanged: int = 0
    history_rows: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.left + self.history_rows


@dataclass
class Report:
    pupils: int
    repeat: int
    small: int
    timings: list[Timing] = field(default_factory=list)
    query_counts: list[QueryCount] = field(default_factory=list)
    reimport: Reimport = field(default_factory=Reimport)
    environment: dict[str, Any] = field(default_factory=dict)

    def timing(self, key: str) -> Timing:
        return next(t for t in self.timings if t.key == key)

    @property
    def problems(self) -> list[str]:
        """Correctness failures seen while measuring (never a timing)."""
        found = [
            f"{q.operation}: {q.small_queries} queries at {q.small_pupils} pupils but "
            f"{q.large_queries} at {q.large_pupils}"
            for q in self.query_counts
            if not q.equal
        ]
        if self.reimport.changed:
            found.append(f"re-importing the same file changed something: {self.reimport}")
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "pupils": self.pupils,
            "repeat": self.repeat,
            "small": self.small,
            "environment": self.environment,
            "timings": [t.as_dict() for t in self.timings],
            "query_counts": [
                {
                    "key": q.key,
                    "operation": q.operation,
                    "small_pupils": q.small_pupils,
                    "small_queries": q.small_queries,
                    "large_pupils": q.large_pupils,
                    "large_queries": q.large_queries,
                    "equal": q.equal,
                }
                for q in self.query_counts
            ],
            "reimport": {
                "runs": self.reimport.runs,
                "created": self.reimport.created,
                "updated": self.reimport.updated,
                "left": self.reimport.left,
                "unchanged": self.reimport.unchanged,
                "history_rows": self.reimport.history_rows,
                "changed": self.reimport.changed,
            },
            "problems": self.problems,
        }


# --- Measuring ----------------------------------------------------------------------------------


def _timed(fn: Callable[[], T]) -> tuple[float, T]:
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _sample(fn: Callable[[], object]) -> float:
    return _timed(fn)[0]


def _count_queries(fn: Callable[[], T]) -> tuple[int, T]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        value = fn()
    return len(ctx.captured_queries), value


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _new_school(label: str) -> School:
    from sendadmin.accounts.models import LocalAuthority, School

    la, _ = LocalAuthority.objects.get_or_create(code="993", defaults={"name": "Benchmark Borough"})
    n = School.objects.count()
    while School.objects.filter(urn=f"{930000 + n}").exists():
        n += 1
    return School.objects.create(
        urn=f"{930000 + n}",
        name=f"Benchmark {label} Academy",
        phase=School.Phase.SECONDARY,
        type=School.Type.ACADEMY,
        local_authority=la,
    )


def _new_senco(school: School) -> User:
    from sendadmin.accounts.models import Membership, User
    from sendadmin.accounts.roles import Role

    user = User.objects.create_user(
        email=f"senco-{school.urn}@bench.example", full_name=f"SENCO of {school.name}"
    )
    Membership.objects.create(
        user=user, school=school, role=Role.SENCO, start=_today() - dt.timedelta(days=365)
    )
    return user


def _history_rows() -> int:
    from pupils.models import Pupil, PupilNeed, SenStatus

    return sum(m.history.count() for m in (Pupil, PupilNeed, SenStatus))


def measure_import(report: Report, by: User, log: Callable[[str], None]) -> None:
    """Import the file into a fresh school, then import it again, `repeat` times."""
    from pupils import importer

    n = report.pupils
    data = mis_csv(n)
    if floor_parse(data) != n:
        raise RuntimeError("the generated MIS file has invalid UPNs")
    today = _today()
    floor = "csv module + UPN check letters, no DB"
    parse = Timing("import_parse", "importer.parse (validation only, no DB)", floor=floor)
    create = Timing("import", f"import {n} rows into an empty school", floor=floor)
    again = Timing("reimport", f"re-import the same {n} rows (no change)", floor=floor)
    floor_row = Timing("floor_csv", f"floor: {floor}")

    def run(school: School) -> importer.ImportResult:
        return importer.pupils_import(school=school, data=data, complete_roll=False, by=by)

    # Warm-up, untimed: counts the queries of an import and of a re-import.
    school = _new_school("import warm-up")
    create.queries, first = _count_queries(lambda: run(school))
    if first.created != n:
        raise RuntimeError(f"the import created {first.created} of {n} pupils")
    again.queries, _ = _count_queries(lambda: run(school))
    parse.queries, _ = _count_queries(lambda: importer.parse(importer.decode(data), today))
    floor_row.queries, _ = _count_queries(lambda: floor_parse(data))
    create.rows = again.rows = parse.rows = n

    for rep in range(report.repeat):
        log(f"import: repetition {rep + 1} of {report.repeat}")
        floor_samples = [_sample(lambda: floor_parse(data)) for _ in range(FLOOR_SAMPLES)]
        floor_row.samples += floor_samples
        parse.samples.append(_sample(lambda: importer.parse(importer.decode(data), today)))
        school = _new_school(f"import {rep + 1}")
        elapsed, result = _timed(lambda: run(school))  # noqa: B023 - called at once
        if result.created != n:
            raise RuntimeError(f"the import created {result.created} of {n} pupils")
        create.samples.append(elapsed)
        history_before = _history_rows()
        elapsed, result = _timed(lambda: run(school))  # noqa: B023 - called at once
        again.samples.append(elapsed)
        report.reimport.runs += 1
        report.reimport.created += result.created
        report.reimport.updated += result.updated
        report.reimport.left += result.left
        report.reimport.unchanged += result.unchanged
        report.reimport.history_rows += _history_rows() - history_before
        for timing in (parse, create, again):
            timing.floor_samples += floor_samples
    report.timings += [floor_row, parse, create, again]


@dataclass
class Site:
    """A school with its roll imported from a MIS file, groups and conditions, and its SENCO."""

    school: School
    senco: User
    pupils: int
    group_id: int


def build_site(n: int, start: int, label: str) -> Site:
    """A school of n pupils: imported through the importer, in form groups and teaching sets."""
    from simple_history.utils import bulk_create_with_history

    from pupils.importer import pupils_import
    from pupils.models import MedicalCondition, Pupil, TeachingGroup, TeachingGroupPupil

    school = _new_school(label)
    senco = _new_senco(school)
    pupils_import(school=school, data=mis_csv(n, start), complete_roll=False, by=senco)
    roll = list(Pupil.objects.filter(school=school).order_by("upn").values_list("pk", "year_group"))
    by_year: dict[int, list[int]] = {}
    for pk, year in roll:
        by_year.setdefault(year, []).append(pk)
    groups: list[TeachingGroup] = []
    members: list[list[int]] = []
    for year, pks in sorted(by_year.items()):
        forms = max(1, math.ceil(len(pks) / FORM_SIZE))
        for f in range(forms):
            groups.append(
                TeachingGroup(school=school, name=f"{year}{'ABCDEFGHJK'[f]}", year_group=year)
            )
            members.append(pks[f::forms])
            groups.append(
                TeachingGroup(school=school, name=f"Y{year} Maths set {f + 1}", year_group=year)
            )
            members.append(pks[f * len(pks) // forms : (f + 1) * len(pks) // forms])
    bulk_create_with_history(groups, TeachingGroup)
    created = {g.name: g.pk for g in TeachingGroup.objects.filter(school=school)}
    year_start = dt.date(_today().year - (_today().month < 9), 9, 1)
    links = [
        TeachingGroupPupil(group_id=created[group.name], pupil_id=pk, start=year_start)
        for group, pks in zip(groups, members, strict=True)
        for pk in pks
    ]
    bulk_create_with_history(links, TeachingGroupPupil, batch_size=1000)
    conditions = ("Asthma", "Epilepsy", "Type 1 diabetes", "Anaphylaxis (nut allergy)")
    bulk_create_with_history(
        [
            MedicalCondition(pupil_id=pk, condition=conditions[i % len(conditions)])
            for i, (pk, _) in enumerate(roll)
            if i % 25 == 3
        ],
        MedicalCondition,
    )
    return Site(school=school, senco=senco, pupils=n, group_id=created[groups[0].name])


def _register_variants(site: Site) -> list[tuple[str, str, dict[str, str]]]:
    return [
        ("register_page1", "register page 1", {}),
        ("register_page2", "register page 2", {"page": "2"}),
        ("register_k", "register filtered: provision=K", {"provision": "K"}),
        ("register_group", "register filtered: one form group", {"group": str(site.group_id)}),
    ]


def _signed_in(user: User) -> Client:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, url: str, query: dict[str, str]) -> bytes:
    response = client.get(url, query)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} {query} answered {response.status_code}")
    return bytes(response.content)


def _table_rows(content: bytes) -> int:
    """Pupil rows on a register page: the table's rows less its header row."""
    return max(0, content.count(b'<tr class="govuk-table__row">') - 1)


def measure_register(report: Report, large: Site, small: Site, log: Callable[[str], None]) -> None:
    """The register page for the SENCO of each site, against a signed-in /health/ and an ORM read."""
    from pupils.models import Pupil

    client = _signed_in(large.senco)
    small_client = _signed_in(small.senco)
    health = "GET /health/, same signed-in SENCO"
    orm = "list(Pupil.objects.filter(school=...)[:50])"
    health_row = Timing("floor_health", f"floor: {health}")
    orm_row = Timing("floor_orm", f"floor: {orm}")

    def orm_read() -> list[Pupil]:
        return list(Pupil.objects.filter(school=large.school)[:50])

    variants = _register_variants(large)
    small_variants = {key: query for key, _, query in _register_variants(small)}
    pages = [
        Timing(key, f"{label} ({large.pupils} pupils)", floor=health, alt_floor=orm)
        for key, label, _ in variants
    ]
    small_page = Timing(
        "register_page1_small",
        f"register page 1 ({small.pupils} pupils)",
        floor=health,
        alt_floor=orm,
    )

    # Warm-up, untimed: sessions, memberships, templates; then count queries as the test does.
    for c in (client, small_client):
        _get(c, HEALTH_URL, {})
        _get(c, REGISTER_URL, {})
    health_row.queries, _ = _count_queries(lambda: _get(client, HEALTH_URL, {}))
    orm_row.queries, _ = _count_queries(orm_read)
    for timing, (key, label, query) in zip(pages, variants, strict=True):
        timing.queries, content = _count_queries(lambda: _get(client, REGISTER_URL, query))  # noqa: B023
        timing.rows = _table_rows(content)
        small_queries, _ = _count_queries(
            lambda: _get(small_client, REGISTER_URL, small_variants[key])  # noqa: B023
        )
        report.query_counts.append(
            QueryCount(key, label, small.pupils, small_queries, large.pupils, timing.queries)
        )
    small_page.queries, content = _count_queries(lambda: _get(small_client, REGISTER_URL, {}))
    small_page.rows = _table_rows(content)

    for rep in range(report.repeat):
        log(f"register: repetition {rep + 1} of {report.repeat}")
        health_samples = [
            _sample(lambda: _get(client, HEALTH_URL, {})) for _ in range(FLOOR_SAMPLES)
        ]
        orm_samples = [_sample(orm_read) for _ in range(FLOOR_SAMPLES)]
        health_row.samples += health_samples
        orm_row.samples += orm_samples
        for timing, (_, _, query) in zip(pages, variants, strict=True):
            timing.samples.append(_sample(lambda: _get(client, REGISTER_URL, query)))  # noqa: B023
        small_page.samples.append(_sample(lambda: _get(small_client, REGISTER_URL, {})))
        for timing in (*pages, small_page):
            timing.floor_samples += health_samples
            timing.alt_floor_samples += orm_samples
    report.timings += [health_row, orm_row, *pages, small_page]


def _environment() -> dict[str, Any]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT 1")
        server = cursor.fetchone()
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} {server[0] if server else ''}".strip(),
        "database_name": connection.settings_dict["NAME"],
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def run_benchmarks(
    pupils: int = 2000,
    repeat: int = 5,
    small: int = SMALL_SCHOOL,
    log: Callable[[str], None] = lambda message: None,
) -> Report:
    """Every measurement, on the database Django is connected to (it adds schools; deletes none)."""
    if pupils < 1 or repeat < 1 or small < 1:
        raise ValueError("pupils, repeat and small must be at least 1")
    report = Report(pupils=pupils, repeat=repeat, small=small, environment=_environment())
    log(f"building a school of {pupils} pupils and one of {small}")
    large = build_site(pupils, start=100_000, label="register")
    small_site = build_site(small, start=200_000, label="small register")
    measure_import(report, by=large.senco, log=log)
    measure_register(report, large, small_site, log=log)
    return report


# --- Reporting ----------------------------------------------------------------------------------


def _num(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_table(report: Report) -> str:
    """The results as a Markdown table, then the query counts at both sizes."""
    lines = [
        f"{report.pupils} pupils, {report.repeat} repetitions (floors: "
        f"{report.repeat * FLOOR_SAMPLES} samples); medians in seconds.",
        "",
        "| operation | median s | floor | floor median s | ratio | ratio to ORM floor | queries |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for t in report.timings:
        ratio = "(floor)" if t.is_floor else _num(t.ratio, 1)
        alt = _num(t.alt_ratio, 1) if t.alt_floor else ""
        lines.append(
            f"| {t.operation} | {_num(t.median)} | {t.floor or '-'} | {_num(t.floor_median)} "
            f"| {ratio} | {alt} | {'-' if t.queries is None else t.queries} |"
        )
    lines += [
        "",
        f"| register queries | at {report.small} pupils | at {report.pupils} pupils | equal |",
        "|---|---:|---:|---|",
    ]
    lines += [
        f"| {q.operation} | {q.small_queries} | {q.large_queries} | {'yes' if q.equal else 'NO'} |"
        for q in report.query_counts
    ]
    r = report.reimport
    lines += [
        "",
        f"Re-import of the same file, {r.runs} runs: {r.created} created, {r.updated} updated, "
        f"{r.left} left, {r.unchanged} unchanged, {r.history_rows} history rows written.",
    ]
    lines += [f"PROBLEM: {p}" for p in report.problems]
    return "\n".join(lines)


# --- Command line -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = harness.parse_args(
        "python -m benchmarks.run",
        "Benchmark the MIS import and the SEN register page against in-run floors.",
        argv,
    )
    return harness.main_in_scratch_database(
        args,
        DEFAULT_DATABASE_URL,
        lambda a, log: run_benchmarks(a.pupils, a.repeat, a.small, log=log),
        format_table,
    )


if __name__ == "__main__":
    sys.exit(main())
