"""Differences between two EHC plan versions: words in text sections, rows in B, E and F matched by
what they say, advice in K (domain.md 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from ehcp.diff import (
    DIFF_PREFETCH,
    SECTION_TITLES,
    AdviceRow,
    NeedRow,
    OutcomeRow,
    ProvisionRow,
    SectionDiff,
    Snapshot,
    snapshot_diff,
    version_diff,
    word_diff,
)
from ehcp.models import AdviceKind, PlanVersion
from tests.conftest import World
from tests.factories.ehcp import (
    AdviceRequestFactory,
    PlanFactory,
    PlanNeedFactory,
    PlanOutcomeFactory,
    PlanProvisionFactory,
    PlanVersionFactory,
)

LETTERS = ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
DYSLEXIA = ("cognition", "SPLD", "Difficulties with reading")
SPEECH = ("communication", "SLCN", "Understands short instructions only")


def need(number: int, key: tuple[str, str, str] = DYSLEXIA) -> NeedRow:
    area, code, description = key
    return NeedRow(number, area, area.title(), code, code, description)


def outcome(
    text: str = "Reads fluently", by_when: str = "July 2028", needs: Any = None
) -> OutcomeRow:
    needs = needs if needs is not None else {1: DYSLEXIA}
    return OutcomeRow(1, text, by_when, tuple(needs), frozenset(needs.values()))


def provision(what: str = "Phonics 1:1", **changes: Any) -> ProvisionRow:
    values: dict[str, Any] = {
        "number": 1,
        "what": what,
        "sessions_per_week": 3,
        "minutes_per_session": 30,
        "duration": "A year",
        "delivered_by": "A trained TA",
        "group_size": 1,
        "needs": (1,),
        "outcomes": (1,),
        "need_keys": frozenset({DYSLEXIA}),
        "outcome_keys": frozenset({"Reads fluently"}),
    }
    values.update(changes)
    return ProvisionRow(**values)


def snap(**parts: Any) -> Snapshot:
    texts = dict.fromkeys(["A", "C", "D", "G", "H1", "H2", "I", "J"], "")
    texts.update(parts.pop("texts", {}))
    return Snapshot(
        texts=texts,
        needs=parts.get("needs", []),
        outcomes=parts.get("outcomes", []),
        provisions=parts.get("provisions", []),
        advice=parts.get("advice", []),
    )


def section(diffs: list[SectionDiff], letter: str) -> SectionDiff:
    return next(d for d in diffs if d.letter == letter)


def test_one_section_diff_per_section_a_to_k_in_order_with_titles() -> None:
    diffs = snapshot_diff(snap(), snap())
    assert [d.letter for d in diffs] == LETTERS
    assert [d.title for d in diffs] == [SECTION_TITLES[x] for x in LETTERS]
    assert not any(d.changed for d in diffs)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Loves trains", "Loves trains", [("same", "Loves trains")]),
        ("", "Loves trains", [("added", "Loves trains")]),
        ("Loves trains", "", [("removed", "Loves trains")]),
        (
            "Loves red trains and buses",
            "Loves blue trains and buses",
            [
                ("same", "Loves"),
                ("removed", "red"),
                ("added", "blue"),
                ("same", "trains and buses"),
            ],
        ),
        (
            "Wants to be a vet",
            "Wants to be a vet or a nurse",
            [("same", "Wants to be a vet"), ("added", "or a nurse")],
        ),
    ],
)
def test_word_diff_marks_words_added_and_removed(
    old: str, new: str, expected: list[tuple[str, str]]
) -> None:
    assert word_diff(old, new) == expected


@pytest.mark.parametrize("letter", ["A", "C", "D", "G", "H1", "H2", "I", "J"])
def test_each_text_section_shows_its_own_word_changes(letter: str) -> None:
    diffs = snapshot_diff(
        snap(texts={letter: "Old words here"}), snap(texts={letter: "New words here"})
    )
    changed = [d.letter for d in diffs if d.changed]
    assert changed == [letter]
    assert section(diffs, letter).words == [
        ("removed", "Old"),
        ("added", "New"),
        ("same", "words here"),
    ]


def test_a_text_section_with_only_spacing_changed_shows_no_change() -> None:
    diffs = snapshot_diff(snap(texts={"A": "Likes  music\n"}), snap(texts={"A": "Likes music"}))
    assert not section(diffs, "A").changed


@pytest.mark.parametrize(
    ("old", "new", "added", "removed"),
    [
        ([need(1)], [need(1)], [], []),
        ([], [need(1)], ["Difficulties with reading (Cognition, SPLD)"], []),
        ([need(1)], [], [], ["Difficulties with reading (Cognition, SPLD)"]),
        # Renumbered but the same need: no change.
        ([need(1), need(2, SPEECH)], [need(1, SPEECH), need(2)], [], []),
        # The same description in another area is another need.
        (
            [need(1)],
            [need(1, ("communication", "SPLD", "Difficulties with reading"))],
            ["Difficulties with reading (Communication, SPLD)"],
            ["Difficulties with reading (Cognition, SPLD)"],
        ),
    ],
)
def test_section_b_rows_match_by_area_code_and_description(
    old: list[NeedRow], new: list[NeedRow], added: list[str], removed: list[str]
) -> None:
    b = section(snapshot_diff(snap(needs=old), snap(needs=new)), "B")
    assert (b.added, b.removed, b.row_changes) == (added, removed, [])
    assert b.changed == bool(added or removed)


@pytest.mark.parametrize(
    ("old", "new", "added", "removed", "changes"),
    [
        ([outcome()], [outcome()], [], [], []),
        (
            [outcome()],
            [outcome("Writes a paragraph")],
            ["Writes a paragraph"],
            ["Reads fluently"],
            [],
        ),
        ([outcome()], [outcome(by_when="July 2029")], [], [], ["By when: July 2028 -> July 2029"]),
        (
            [outcome()],
            [outcome(needs={1: DYSLEXIA, 2: SPEECH})],
            [],
            [],
            ["Meets needs: 1 -> 1, 2"],
        ),
    ],
)
def test_section_e_rows_match_by_outcome_text_and_list_changed_details(
    old: list[OutcomeRow],
    new: list[OutcomeRow],
    added: list[str],
    removed: list[str],
    changes: list[str],
) -> None:
    e = section(snapshot_diff(snap(outcomes=old), snap(outcomes=new)), "E")
    assert (e.added, e.removed) == (added, removed)
    assert [c for rc in e.row_changes for c in rc.changes] == changes
    assert e.changed == bool(added or removed or changes)


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ({"sessions_per_week": 5}, ["3 sessions a week -> 5 sessions a week"]),
        ({"minutes_per_session": 45}, ["30 minutes a session -> 45 minutes a session"]),
        ({"duration": "Two years"}, ["For how long: A year -> Two years"]),
        ({"delivered_by": "A teacher"}, ["By whom: A trained TA -> A teacher"]),
        ({"group_size": 4}, ["Group size 1 -> 4"]),
        (
            {"needs": (1, 2), "need_keys": frozenset({DYSLEXIA, SPEECH})},
            ["Needs: 1 -> 1, 2"],
        ),
        ({"outcomes": (), "outcome_keys": frozenset()}, ["Outcomes: 1 -> none"]),
        (
            {"sessions_per_week": 1, "minutes_per_session": 60},
            [
                "3 sessions a week -> 1 session a week",
                "30 minutes a session -> 60 minutes a session",
            ],
        ),
    ],
)
def test_section_f_rows_with_the_same_what_list_each_changed_detail(
    changed: dict[str, Any], expected: list[str]
) -> None:
    f = section(
        snapshot_diff(snap(provisions=[provision()]), snap(provisions=[provision(**changed)])), "F"
    )
    assert f.changed and (f.added, f.removed) == ([], [])
    assert len(f.row_changes) == 1
    assert f.row_changes[0].label == "Phonics 1:1"
    assert f.row_changes[0].changes == expected


def test_section_f_rows_added_and_removed_by_what() -> None:
    f = section(
        snapshot_diff(
            snap(provisions=[provision("Phonics 1:1"), provision("Speech therapy")]),
            snap(provisions=[provision("Speech therapy"), provision("Social skills group")]),
        ),
        "F",
    )
    assert f.added == ["Social skills group"]
    assert f.removed == ["Phonics 1:1"]
    assert f.row_changes == []


def test_section_k_lists_advice_added_and_removed() -> None:
    ep = AdviceRow(1, "Educational psychology", "EP service", "1 October 2026")
    school = AdviceRow(2, "Educational advice", "Oakfield", "2 October 2026")
    health = AdviceRow(3, "Medical advice", "Community paediatrics", "")
    k = section(snapshot_diff(snap(advice=[ep, school]), snap(advice=[school, health])), "K")
    assert k.added == ["Medical advice from Community paediatrics"]
    assert k.removed == ["Educational psychology from EP service"]
    assert k.changed


def _version_with_rows(world: World, rows: int, number: int, sessions: int = 3) -> PlanVersion:
    plan = PlanFactory(pupil=world.pupil)
    version = PlanVersionFactory(
        plan=plan, number=number, issued_final=True, section_a="Likes trains"
    )
    for i in range(rows):
        n = PlanNeedFactory(version=version, description=f"Need {i}", position=i)
        o = PlanOutcomeFactory(version=version, outcome=f"Outcome {i}", position=i)
        o.needs.add(n)
        p = PlanProvisionFactory(
            version=version, what=f"Provision {i}", sessions_per_week=sessions, position=i
        )
        p.needs.add(n)
        p.outcomes.add(o)
    version.advice.add(AdviceRequestFactory(case__pupil=world.pupil, kind=AdviceKind.EDUCATIONAL))
    return version


def _diff_queries(a: PlanVersion, b: PlanVersion) -> tuple[int, list[SectionDiff]]:
    a = PlanVersion.objects.get(pk=a.pk)
    b = PlanVersion.objects.get(pk=b.pk)
    with CaptureQueriesContext(connection) as ctx:
        prefetch_related_objects([a, b], *DIFF_PREFETCH)
        diffs = version_diff(a, b)
    return len(ctx.captured_queries), diffs


@pytest.mark.django_db
def test_version_diff_reads_saved_versions_in_the_same_queries_for_few_and_many_rows(
    world: World,
) -> None:
    few_a, few_b = _version_with_rows(world, 2, 1), _version_with_rows(world, 2, 2, sessions=5)
    few_b.section_a = "Likes trains and buses"
    few_b.save()
    few_queries, diffs = _diff_queries(few_a, few_b)
    assert section(diffs, "A").words == [("same", "Likes trains"), ("added", "and buses")]
    f = section(diffs, "F")
    assert [c.changes for c in f.row_changes] == [["3 sessions a week -> 5 sessions a week"]] * 2
    assert not section(diffs, "B").changed and not section(diffs, "E").changed
    assert not section(diffs, "K").changed  # the same advice is appended to both
    assert not section(diffs, "I").changed

    many_a, many_b = _version_with_rows(world, 10, 3), _version_with_rows(world, 10, 4)
    many_queries, diffs = _diff_queries(many_a, many_b)
    assert many_queries == few_queries
    assert not any(d.changed for d in diffs)
