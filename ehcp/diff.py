"""What changed between two versions of an EHC plan, section by section (domain.md 3; reg 12(1))."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from django.utils.dateformat import format as date_format

from .models import PlanVersion

# What a caller prefetches on both versions so the diff (and the PDF) touch the database no further.
DIFF_PREFETCH = ("needs", "outcomes__needs", "provisions__needs", "provisions__outcomes", "advice")

# Reg 12(1) requires each section to be separately identified; titles follow domain.md 3 (CoP 9.62).
SECTION_TITLES: dict[str, str] = {
    "A": "Views, interests and aspirations of the child and their parents, or of the young person",
    "B": "Special educational needs",
    "C": "Health care needs related to the special educational needs",
    "D": "Social care needs related to the special educational needs or to a disability",
    "E": "Outcomes sought",
    "F": "Special educational provision",
    "G": "Health care provision reasonably required",
    "H1": "Social care provision under section 2 of the Chronically Sick and Disabled Persons "
    "Act 1970",
    "H2": "Other social care provision reasonably required",
    "I": "Name and type of school or other institution",
    "J": "Personal budget, including direct payments",
    "K": "Advice and information gathered during the EHC needs assessment",
}
TEXT_FIELDS = {
    "A": "section_a",
    "C": "section_c",
    "D": "section_d",
    "G": "section_g",
    "H1": "section_h1",
    "H2": "section_h2",
    "J": "section_j",
}

Op = Literal["same", "added", "removed"]
Segment = tuple[Op, str]
Key = TypeVar("Key", bound=Hashable)
Row = TypeVar("Row")


@dataclass(frozen=True)
class NeedRow:
    """Section B: identified by area, census code and description together."""

    number: int
    area: str
    area_label: str
    code: str
    code_label: str
    description: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.area, self.code, self.description)

    @property
    def label(self) -> str:
        code = f", {self.code_label}" if self.code else ""
        return f"{self.description} ({self.area_label}{code})"


@dataclass(frozen=True)
class OutcomeRow:
    """Section E: identified by the outcome's text; `needs` are section B numbers."""

    number: int
    outcome: str
    by_when: str
    needs: tuple[int, ...]
    need_keys: frozenset[tuple[str, str, str]]

    @property
    def key(self) -> str:
        return self.outcome

    @property
    def label(self) -> str:
        return self.outcome


@dataclass(frozen=True)
class ProvisionRow:
    """Section F: identified by what is provided; quantified as CoP 9.69 asks."""

    number: int
    what: str
    sessions_per_week: int
    minutes_per_session: int
    duration: str
    delivered_by: str
    group_size: int
    needs: tuple[int, ...]
    outcomes: tuple[int, ...]
    need_keys: frozenset[tuple[str, str, str]]
    outcome_keys: frozenset[str]

    @property
    def key(self) -> str:
        return self.what

    @property
    def label(self) -> str:
        return self.what

    @property
    def how_often(self) -> str:
        return _sessions(self.sessions_per_week)


@dataclass(frozen=True)
class AdviceRow:
    """Section K: one piece of advice appended to the plan."""

    pk: int
    kind: str
    adviser: str
    received: str

    @property
    def key(self) -> int:
        return self.pk

    @property
    def label(self) -> str:
        return f"{self.kind} from {self.adviser}"


@dataclass(frozen=True)
class Snapshot:
    """A version's content as plain values: what the diff compares and the PDF prints."""

    texts: dict[str, str]
    needs: list[NeedRow]
    outcomes: list[OutcomeRow]
    provisions: list[ProvisionRow]
    advice: list[AdviceRow]


@dataclass(frozen=True)
class RowChange:
    """A row found in both versions (same identity) whose details differ."""

    label: str
    changes: list[str]


@dataclass(frozen=True)
class SectionDiff:
    letter: str
    title: str
    changed: bool
    words: list[Segment] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    row_changes: list[RowChange] = field(default_factory=list)

    @property
    def is_text(self) -> bool:
        return self.letter not in ("B", "E", "F", "K")


def _sessions(n: int) -> str:
    return f"{n} session a week" if n == 1 else f"{n} sessions a week"


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers) or "none"


def section_i_text(version: PlanVersion) -> str:
    """Section I as one line: "name (type)", or the type alone where no school is named."""
    name, kind = version.section_i_name.strip(), version.section_i_type.strip()
    if name and kind:
        return f"{name} ({kind})"
    return name or kind


def snapshot(version: PlanVersion) -> Snapshot:
    """Read a version whose DIFF_PREFETCH rows are loaded; B and E rows are numbered from 1."""
    needs = list(version.needs.all())
    need_rows = {
        need.pk: NeedRow(
            number=i,
            area=need.area,
            area_label=need.get_area_display(),
            code=need.code,
            code_label=need.get_code_display() if need.code else "",
            description=need.description,
        )
        for i, need in enumerate(needs, start=1)
    }
    outcome_rows = {}
    for i, outcome in enumerate(version.outcomes.all(), start=1):
        linked = sorted((need_rows[n.pk] for n in outcome.needs.all()), key=lambda r: r.number)
        outcome_rows[outcome.pk] = OutcomeRow(
            number=i,
            outcome=outcome.outcome,
            by_when=outcome.by_when,
            needs=tuple(r.number for r in linked),
            need_keys=frozenset(r.key for r in linked),
        )
    provisions = []
    for i, provision in enumerate(version.provisions.all(), start=1):
        p_needs = sorted((need_rows[n.pk] for n in provision.needs.all()), key=lambda r: r.number)
        p_outcomes = sorted(
            (outcome_rows[o.pk] for o in provision.outcomes.all()), key=lambda r: r.number
        )
        provisions.append(
            ProvisionRow(
                number=i,
                what=provision.what,
                sessions_per_week=provision.sessions_per_week,
                minutes_per_session=provision.minutes_per_session,
                duration=provision.duration,
                delivered_by=provision.delivered_by,
                group_size=provision.group_size,
                needs=tuple(r.number for r in p_needs),
                outcomes=tuple(r.number for r in p_outcomes),
                need_keys=frozenset(r.key for r in p_needs),
                outcome_keys=frozenset(r.key for r in p_outcomes),
            )
        )
    advice = sorted(version.advice.all(), key=lambda a: (a.received_on, a.pk))
    texts = {letter: getattr(version, name) for letter, name in TEXT_FIELDS.items()}
    texts["I"] = section_i_text(version)
    return Snapshot(
        texts=texts,
        needs=list(need_rows.values()),
        outcomes=list(outcome_rows.values()),
        provisions=provisions,
        advice=[
            AdviceRow(
                pk=a.pk,
                kind=a.get_kind_display(),
                adviser=a.adviser_name,
                received=date_format(a.submitted_on, "j F Y") if a.submitted_on else "",
            )
            for a in advice
        ],
    )


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level difference; runs of the same operation are joined into one segment."""
    a, b = old.split(), new.split()
    segments: list[Segment] = []

    def emit(op: Op, words: list[str]) -> None:
        if not words:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, f"{segments[-1][1]} {' '.join(words)}")
        else:
            segments.append((op, " ".join(words)))

    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("same", a[i1:i2])
        else:
            emit("removed", a[i1:i2])
            emit("added", b[j1:j2])
    return segments


def _pair_rows(
    old: Sequence[Row], new: Sequence[Row], key: Callable[[Row], Hashable]
) -> tuple[list[Row], list[Row], list[tuple[Row, Row]]]:
    """Match rows by identity, in order; a repeated identity pairs first with first."""
    waiting: dict[Hashable, list[Row]] = {}
    for row in old:
        waiting.setdefault(key(row), []).append(row)
    added, pairs = [], []
    for row in new:
        candidates = waiting.get(key(row))
        if candidates:
            pairs.append((candidates.pop(0), row))
        else:
            added.append(row)
    matched = {id(a) for a, _ in pairs}
    removed = [row for row in old if id(row) not in matched]
    return removed, added, pairs


def _outcome_changes(a: OutcomeRow, b: OutcomeRow) -> list[str]:
    changes = []
    if a.by_when != b.by_when:
        changes.append(f"By when: {a.by_when or 'not set'} -> {b.by_when or 'not set'}")
    if a.need_keys != b.need_keys:
        changes.append(f"Meets needs: {_numbers(a.needs)} -> {_numbers(b.needs)}")
    return changes


def _provision_changes(a: ProvisionRow, b: ProvisionRow) -> list[str]:
    changes = []
    if a.sessions_per_week != b.sessions_per_week:
        changes.append(f"{_sessions(a.sessions_per_week)} -> {_sessions(b.sessions_per_week)}")
    if a.minutes_per_session != b.minutes_per_session:
        changes.append(
            f"{a.minutes_per_session} minutes a session -> {b.minutes_per_session} minutes a session"
        )
    if a.group_size != b.group_size:
        changes.append(f"Group size {a.group_size} -> {b.group_size}")
    if a.duration != b.duration:
        changes.append(f"For how long: {a.duration} -> {b.duration}")
    if a.delivered_by != b.delivered_by:
        changes.append(f"By whom: {a.delivered_by} -> {b.delivered_by}")
    if a.need_keys != b.need_keys:
        changes.append(f"Needs: {_numbers(a.needs)} -> {_numbers(b.needs)}")
    if a.outcome_keys != b.outcome_keys:
        changes.append(f"Outcomes: {_numbers(a.outcomes)} -> {_numbers(b.outcomes)}")
    return changes


def _rows_section(
    letter: str,
    old: Sequence[Row],
    new: Sequence[Row],
    key: Callable[[Row], Hashable],
    label: Callable[[Row], str],
    details: Callable[[Row, Row], list[str]] | None = None,
) -> SectionDiff:
    removed, added, pairs = _pair_rows(old, new, key)
    row_changes = []
    if details is not None:
        for a, b in pairs:
            changes = details(a, b)
            if changes:
                row_changes.append(RowChange(label=label(b), changes=changes))
    return SectionDiff(
        letter=letter,
        title=SECTION_TITLES[letter],
        changed=bool(removed or added or row_changes),
        added=[label(r) for r in added],
        removed=[label(r) for r in removed],
        row_changes=row_changes,
    )


def _text_section(letter: str, old: str, new: str) -> SectionDiff:
    changed = old.split() != new.split()
    return SectionDiff(
        letter=letter,
        title=SECTION_TITLES[letter],
        changed=changed,
        words=word_diff(old, new) if changed else [],
    )


def snapshot_diff(a: Snapshot, b: Snapshot) -> list[SectionDiff]:
    """One SectionDiff per section, A to K in order (pure: plain values in, plain values out)."""
    result = []
    for letter in SECTION_TITLES:
        if letter == "B":
            result.append(_rows_section("B", a.needs, b.needs, lambda r: r.key, lambda r: r.label))
        elif letter == "E":
            result.append(
                _rows_section(
                    "E",
                    a.outcomes,
                    b.outcomes,
                    lambda r: r.key,
                    lambda r: r.label,
                    _outcome_changes,
                )
            )
        elif letter == "F":
            result.append(
                _rows_section(
                    "F",
                    a.provisions,
                    b.provisions,
                    lambda r: r.key,
                    lambda r: r.label,
                    _provision_changes,
                )
            )
        elif letter == "K":
            result.append(
                _rows_section("K", a.advice, b.advice, lambda r: r.key, lambda r: r.label)
            )
        else:
            result.append(_text_section(letter, a.texts[letter], b.texts[letter]))
    return result


def version_diff(a: PlanVersion, b: PlanVersion) -> list[SectionDiff]:
    """What changed from version `a` to version `b`; both loaded with DIFF_PREFETCH."""
    return snapshot_diff(snapshot(a), snapshot(b))
