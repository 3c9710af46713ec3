"""The documents benchmark runs at a tiny size and reports well-formed results; timings are not
judged (benchmarks/documents.py)."""

from __future__ import annotations

import json
import math

import pytest

from benchmarks.documents import (
    EXPORT_TARGET_S,
    FULL_OUTCOMES,
    FULL_PROVISIONS,
    NEEDS,
    PDF_TARGET_S,
    format_table,
    pdf_pages,
    run_documents,
)

FLOORS = {"floor_pdf", "floor_health", "floor_register_page", "floor_csv_write"}
TARGETED = {
    "pdf_render": PDF_TARGET_S,
    "pdf_view_caseworker": PDF_TARGET_S,
    "pdf_view_senco": PDF_TARGET_S,
    "export_csv": EXPORT_TARGET_S,
    "export_xlsx": EXPORT_TARGET_S,
    "export_csv_function": EXPORT_TARGET_S,
}
WITH_SECOND_FLOOR = {
    "pdf_view_caseworker",
    "pdf_view_senco",
    "export_csv",
    "export_xlsx",
    "export_csv_small",
}


@pytest.mark.django_db
def test_the_documents_benchmark_reports_every_operation_against_its_floor_and_target() -> None:
    report = run_documents(pupils=20, repeat=1, small=10, floor_samples=2)

    assert {t.key for t in report.timings} == FLOORS | set(TARGETED) | {"export_csv_small"}
    assert report.targets == TARGETED
    for timing in report.timings:
        assert len(timing.samples) == (2 if timing.is_floor else 1)
        assert len(timing.cpu_samples) == len(timing.samples)
        assert timing.median > 0
        assert timing.queries is not None and timing.queries >= 0
        if timing.is_floor:
            assert timing.key in FLOORS and timing.ratio is None
            continue
        assert timing.ratio is not None and math.isfinite(timing.ratio) and timing.ratio > 0
        if timing.key in WITH_SECOND_FLOOR:
            assert timing.alt_ratio is not None and math.isfinite(timing.alt_ratio)
            assert timing.alt_ratio > 0
        met = report.met(timing.key)
        assert met is (None if timing.key not in TARGETED else timing.median < TARGETED[timing.key])

    # The full plan holds what the benchmark promises, and its PDF is a PDF of several pages.
    plan = report.plan
    assert plan is not None and report.small_plan is not None
    assert (plan.needs, plan.outcomes, plan.provisions) == (
        len(NEEDS),
        FULL_OUTCOMES,
        FULL_PROVISIONS,
    )
    assert plan.advice == 6 and plan.text_chars > 2000
    assert plan.pdf_starts == "%PDF-" and plan.pdf_pages >= 3
    assert report.small_plan.provisions == 1

    # No query count grows with what is read: plan rows for the PDF, pupils for the export.
    assert {q.key for q in report.query_counts} == {
        "pdf_view_caseworker",
        "export_csv",
        "export_xlsx",
    }
    for count in report.query_counts:
        assert count.small_queries == count.large_queries > 0
        assert count.small_size < count.large_size
    assert report.export_rows == {"export_csv": 20, "export_xlsx": 20}
    assert report.timing("export_csv_function").rows == 20
    assert report.timing("export_csv_small").rows == 10
    assert report.problems == []

    table = format_table(report)
    assert "GET plan.pdf of the full plan, SENCO" in table and "PROBLEM" not in table
    assert ("MET" in table) or ("MISSED" in table)
    as_json = json.loads(json.dumps(report.as_dict()))
    assert as_json["plan"]["provisions"] == FULL_PROVISIONS
    assert {t["key"]: t["target_s"] for t in as_json["timings"] if t["target_s"]} == TARGETED


def test_pages_are_counted_inside_compressed_object_streams() -> None:
    from ehcp.pdf_plan import CSS_PATH
    from pupils.support.pdf import RefusingURLFetcher
    from sendadmin.core.pdf import pdf_write

    html = "<html><body>" + "<p style='page-break-after: always'>x</p>" * 3 + "</body></html>"
    pdf = pdf_write(html, CSS_PATH, url_fetcher=RefusingURLFetcher())
    assert pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf) == 3
