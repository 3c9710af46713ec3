"""The benchmark code runs at a tiny size and reports well-formed results; timings are not judged."""

from __future__ import annotations

import json
import math

import pytest

from benchmarks.run import (
    FLOOR_SAMPLES,
    floor_parse,
    format_table,
    mis_csv,
    mis_rows,
    provision_of,
    run_benchmarks,
)
from pupils.importer import parse
from tests.factories.dates import TODAY

OPERATIONS = {
    "floor_csv",
    "import_parse",
    "import",
    "reimport",
    "floor_health",
    "floor_orm",
    "register_page1",
    "register_page2",
    "register_k",
    "register_group",
    "register_page1_small",
}


def test_the_generated_mis_file_is_valid_and_has_the_register_mix() -> None:
    data = mis_csv(200)
    assert floor_parse(data) == 200
    rows = parse(data.decode("utf-8-sig"), TODAY)
    assert len(rows) == 200
    provisions = [r.provision for r in rows]
    assert provisions.count("E") == 6  # 3%
    assert provisions.count("K") == 30  # 15%
    assert all(r.needs for r in rows if r.provision != "N")
    assert any(len(r.needs) == 2 for r in rows)
    assert [provision_of(i) for i in range(200)] == provisions
    assert len({r.upn for r in rows}) == 200
    assert mis_rows(1, start=5)[1][0] != mis_rows(1, start=6)[1][0]


@pytest.mark.django_db
def test_the_benchmark_reports_every_operation_as_a_ratio_to_its_floor() -> None:
    report = run_benchmarks(pupils=20, repeat=1, small=10)

    assert {t.key for t in report.timings} == OPERATIONS
    for timing in report.timings:
        assert len(timing.samples) == (FLOOR_SAMPLES if timing.is_floor else 1)
        assert timing.median > 0
        assert timing.queries is not None and timing.queries >= 0
        if timing.is_floor:
            assert timing.ratio is None
            continue
        assert timing.ratio is not None and math.isfinite(timing.ratio) and timing.ratio > 0
        if timing.key.startswith("register"):
            assert timing.alt_ratio is not None and math.isfinite(timing.alt_ratio)
            assert timing.alt_ratio > 0

    # The register runs the same queries for 10 and for 20 pupils, for every variant timed.
    assert {q.key for q in report.query_counts} == {
        "register_page1",
        "register_page2",
        "register_k",
        "register_group",
    }
    for count in report.query_counts:
        assert (count.small_pupils, count.large_pupils) == (10, 20)
        assert count.small_queries == count.large_queries > 0
    assert report.timing("register_page1").rows == 20
    assert report.timing("register_page1_small").rows == 10
    assert report.timing("register_k").rows == 3  # 15% of 20

    # Re-importing the same file changed nothing and wrote no history.
    assert report.reimport.runs == 1
    assert report.reimport.unchanged == 20
    assert report.reimport.changed == 0
    assert report.problems == []

    table = format_table(report)
    assert "register page 1 (20 pupils)" in table and "PROBLEM" not in table
    assert json.loads(json.dumps(report.as_dict()))["reimport"]["changed"] == 0
