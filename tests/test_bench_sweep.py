"""The sweep benchmark's code at a tiny national profile: well-formed results, the same due set and
reminders with --double-stored, nothing left behind by its rolled-back sweeps. No timing is judged."""

from __future__ import annotations

import io
import json
import math

import pytest
from django.core.management import call_command

from benchmarks import sweep as bench
from benchmarks.sweep import OPERATIONS, Report, format_table, measure_state
from sendadmin.clocks.models import Reminder

pytestmark = pytest.mark.django_db

FRACTION = 0.0005


def _seed(**options: bool) -> None:
    call_command(
        "seed_scale", profile="national", fraction=FRACTION, stdout=io.StringIO(), **options
    )


def test_the_sweep_benchmark_reports_both_states_as_ratios_to_the_floor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bench, "collect", lambda: 0)
    _seed()
    report = Report(repeat=1)
    report.states.append(measure_state("profile", 1, warmup=False, log=lambda _: None))
    _seed(double_stored=True)
    report.states.append(measure_state("double-stored", 1, warmup=False, log=lambda _: None))

    base, double = report.states
    assert Reminder.objects.count() == 0  # every sweep was rolled back
    assert base.due_set > 0 and base.due_set == double.due_set
    assert base.reminder_rows >= base.due_set  # one or more recipients per clock due
    assert base.inserted_first == base.reminder_rows == double.inserted_first
    assert base.inserted_repeat == 0 == double.inserted_repeat
    assert 0 < base.inserted_next_day < base.inserted_first
    assert double.stored["clocks"] == 2 * base.stored["clocks"]
    assert report.problems == []
    for state in report.states:
        for key in OPERATIONS:
            median = state.median(key)
            assert median is not None and median > 0
            ratio = state.ratio(key)
            assert ratio is not None and math.isfinite(ratio) and ratio > 0
        due, members, insert, made = state.explains
        assert due.query.startswith("due set") and due.rows == state.due_set and due.nodes
        assert members.query.startswith("load_members") and members.rows > 0
        # The INSERT's plan names the foreign-key checks it fired, one per row and key.
        triggers = [node for node in insert.nodes if node.startswith("trigger")]
        assert len(triggers) == 2 and f"{state.inserted_first:,} calls" in triggers[0]
        assert made.rows == state.inserted_first
    for key in OPERATIONS:
        growth = report.growth(key)
        assert growth is not None and math.isfinite(growth)
    table = format_table(report)
    assert "double / profile" in table and "PROBLEM" not in table
    json.dumps(report.as_dict())  # serialisable as --json writes it
