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
        queries = [e.query for e in state.explains]
        assert queries == [
            "due set (sweep.due_clocks_query)",
            "load_members (reminders.members_query)",
        ]
        due, members = state.explains
        assert due.rows == state.due_set and due.nodes
        assert members.rows > 0
    for key in OPERATIONS:
        growth = report.growth(key)
        assert growth is not None and math.isfinite(growth)
    table = format_table(report)
    assert "double / profile" in table and "PROBLEM" not in table
    json.dumps(report.as_dict())  # serialisable as --json writes it
