"""From the samples of each scenario to p50, p95, ratios to the floor, the target, a table and JSON."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

# Issue 8: every role's pages at p95 within 3 times the floor's p95 at 50 users, and 0 errors.
TARGET_RATIO = 3.0


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the closest ranks (numpy's default)."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class PageResult:
    scenario: str
    label: str
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    ratio: float = math.nan
    queries: int | None = None
    # The page by itself: one request at a time in the harness's process, before the load.
    alone_ms: float = math.nan
    alone_ratio: float = math.nan
    error_examples: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.errors == 0 and self.requests > 0 and self.ratio <= TARGET_RATIO


@dataclass
class ScenarioResult:
    key: str
    title: str
    users: int
    people: int
    signed_in: int
    sign_in_failed: int
    sign_in_p50_ms: float
    measured_seconds: float
    load_before: float
    load_after: float
    pages: list[PageResult]
    skipped: dict[str, int] = field(default_factory=dict)
    # Pages in the scenario that no chosen user could request (no record of that kind).
    unmeasured: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(p.requests for p in self.pages)

    @property
    def errors(self) -> int:
        return sum(p.errors for p in self.pages) + self.sign_in_failed

    @property
    def throughput(self) -> float:
        return self.requests / self.measured_seconds if self.measured_seconds else math.nan


def scenario_result(
    raw: dict[str, Any],
    *,
    title: str,
    people: int,
    labels: list[str],
    all_labels: list[str],
    load_before: float,
    load_after: float,
    skipped: dict[str, int],
    costs: dict[str, tuple[int, float]],
) -> ScenarioResult:
    """`raw` is what the locustfile wrote; `labels` the pages planned, in order."""
    pages = []
    for label in labels:
        samples = raw["samples"].get(label, [])
        queries, alone_ms = costs.get(label, (None, math.nan))
        pages.append(
            PageResult(
                scenario=raw["scenario"],
                label=label,
                requests=len(samples),
                errors=raw["errors"].get(label, 0),
                p50_ms=percentile(samples, 50),
                p95_ms=percentile(samples, 95),
                queries=queries,
                alone_ms=alone_ms,
                error_examples=raw["error_examples"].get(label, []),
            )
        )
    return ScenarioResult(
        key=raw["scenario"],
        title=title,
        users=raw["users"],
        people=people,
        signed_in=raw["signed_in"],
        sign_in_failed=raw["sign_in_failed"],
        sign_in_p50_ms=percentile(raw["sign_in_ms"], 50),
        measured_seconds=raw["measured_seconds"],
        load_before=load_before,
        load_after=load_after,
        pages=pages,
        skipped=skipped,
        unmeasured=[label for label in all_labels if label not in labels],
    )


@dataclass
class Report:
    facts: dict[str, Any]
    floor_runs: list[ScenarioResult]
    scenarios: list[ScenarioResult]
    samples: dict[str, dict[str, list[float]]] = field(default_factory=dict)

    def finish(self, floor_samples: list[float]) -> None:
        """Ratios against the floor's p95 over all its runs, and against the floor alone."""
        self.facts["floor_p50_ms"] = percentile(floor_samples, 50)
        self.facts["floor_p95_ms"] = percentile(floor_samples, 95)
        alone = self.floor_runs[0].pages[0].alone_ms if self.floor_runs else math.nan
        self.facts["floor_alone_ms"] = alone
        for result in self.scenarios:
            for page in result.pages:
                page.ratio = page.p95_ms / self.facts["floor_p95_ms"]
                page.alone_ratio = page.alone_ms / alone

    @property
    def errors(self) -> int:
        return sum(r.errors for r in (*self.floor_runs, *self.scenarios))

    @property
    def all_met(self) -> bool:
        return (
            self.errors == 0
            and all(p.met for r in self.scenarios for p in r.pages)
            and not any(r.unmeasured for r in self.scenarios)
        )

    @property
    def broken(self) -> bool:
        """Errors, a page nobody could request, or no floor: the run cannot be judged."""
        return (
            self.errors > 0
            or any(r.unmeasured for r in self.scenarios)
            or not self.floor_runs
            or math.isnan(self.facts.get("floor_p95_ms", math.nan))
        )

    def as_json(self) -> dict[str, Any]:
        def result(r: ScenarioResult) -> dict[str, Any]:
            data = asdict(r)
            data.update(requests=r.requests, errors=r.errors, throughput=r.throughput)
            for page, row in zip(r.pages, data["pages"], strict=True):
                row["met"] = page.met
            return data

        return {
            "facts": self.facts,
            "target_ratio": TARGET_RATIO,
            "all_met": self.all_met,
            "broken": self.broken,
            "floor_runs": [result(r) for r in self.floor_runs],
            "scenarios": [result(r) for r in self.scenarios],
            "samples": self.samples,
        }


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


def _ratio(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.2f}"


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def format_markdown(report: Report) -> str:
    f = report.facts
    lines = [
        f"Load benchmark, {f['date']}: {f['users']} users per scenario, closed loop (no think "
        f"time), {f['warmup_s']:.0f} s warm-up, {f['duration_s']:.0f} s measured per scenario.",
        "",
        f"Machine: {f['cpus']} cores ({f['cpu_model']}), load average {f['load_start']:.2f} at the "
        f"start and {f['load_end']:.2f} at the end; Python {f['python']}, Django {f['django']}, "
        f"PostgreSQL {f['postgresql']}, gunicorn {f['gunicorn']} with {f['workers']} sync workers, "
        f"locust {f['locust']}; Redis {f['redis']}.",
        f"Data: profile {f['profile']} in {f['database']} ({f['data']}).",
        "",
        f"Floor: GET {f['floor_url']} by the same number of signed-in users, run "
        f"{len(report.floor_runs)} times (first and last); p50 {_ms(f['floor_p50_ms'])} ms, "
        f"p95 {_ms(f['floor_p95_ms'])} ms over all runs "
        + "("
        + ", ".join(
            f"run {i + 1}: p95 {_ms(run.pages[0].p95_ms)} ms, {run.requests} requests"
            for i, run in enumerate(report.floor_runs)
        )
        + ").",
        "",
        f"| scenario | page | requests | errors | p50 ms | p95 ms | p95 / floor p95 | "
        f"within {TARGET_RATIO:g}x, 0 errors | queries | alone ms | alone / floor alone |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for i, run in enumerate(report.floor_runs):
        page = run.pages[0]
        lines.append(
            f"| floor, run {i + 1} | {page.label} | {page.requests} | {page.errors} | "
            f"{_ms(page.p50_ms)} | {_ms(page.p95_ms)} | "
            f"{_ratio(page.p95_ms / f['floor_p95_ms'])} | (floor) | {_count(page.queries)} | "
            f"{_ms(page.alone_ms)} | (floor) |"
        )
    for r in report.scenarios:
        for page in r.pages:
            lines.append(
                f"| {r.title} | {page.label} | {page.requests} | {page.errors} | "
                f"{_ms(page.p50_ms)} | {_ms(page.p95_ms)} | {_ratio(page.ratio)} | "
                f"{'MET' if page.met else 'MISSED'} | {_count(page.queries)} | "
                f"{_ms(page.alone_ms)} | {_ratio(page.alone_ratio)} |"
            )
        for label in r.unmeasured:
            lines.append(
                f"| {r.title} | {label} | 0 | - | - | - | - | MISSED (no record) | - | - | - |"
            )
    lines += [
        "",
        "| scenario | users (people) | signed in | sign-in failures | sign-in p50 ms | requests/s | "
        "load avg before, after |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in (*report.floor_runs, *report.scenarios):
        lines.append(
            f"| {r.title} | {r.users} ({r.people}) | {r.signed_in} | {r.sign_in_failed} | "
            f"{_ms(r.sign_in_p50_ms)} | {r.throughput:.1f} | {r.load_before:.2f}, "
            f"{r.load_after:.2f} |"
        )
    skipped = [
        f"{r.title}: {label} ({n} users)"
        for r in report.scenarios
        for label, n in r.skipped.items()
    ]
    if skipped:
        lines += [
            "",
            "Users who had no record for a page and skipped it: " + "; ".join(skipped) + ".",
        ]
    examples = [
        f"{r.title} / {p.label}: {e}"
        for r in (*report.floor_runs, *report.scenarios)
        for p in r.pages
        for e in p.error_examples[:2]
    ]
    if examples:
        lines += ["", "Errors (first of each page):", *[f"- {e}" for e in examples]]
    met = sum(p.met for r in report.scenarios for p in r.pages)
    total = sum(len(r.pages) + len(r.unmeasured) for r in report.scenarios)
    lines += [
        "",
        f"Target (p95 within {TARGET_RATIO:g}x the floor's p95, 0 errors): {met} of {total} pages "
        f"met; {report.errors} errors in all.",
    ]
    return "\n".join(lines)
