"""The load run: plan the scenarios, start gunicorn, run locust per scenario, report against the floor.

`main()` is the command line (`python -m benchmarks.load`): it sets up Django with the bench
settings and the database of DATABASE_URL (default sendadmin_load, which must hold seeded data).
`run_load()` does the work in a process where Django is already set up, which is how
tests/test_bench_load.py runs it against pytest's database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import report as rp
from . import scenarios as sc
from . import server as srv

if TYPE_CHECKING:
    from .plan import Profile, ScenarioPlan

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass(frozen=True)
class Options:
    users: int = 50
    spawn_rate: float = 10.0
    warmup: float = 10.0
    duration: float = 60.0
    max_requests: int = 0
    records: int = 20
    workers: int = field(default_factory=srv.default_workers)
    scenarios: tuple[str, ...] = sc.SCENARIO_KEYS
    floor_runs: int = 2
    seed: int = 8


QUICK = {"users": 20, "warmup": 3.0, "duration": 10.0}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_facts(options: Options, profile: str, env: dict[str, str]) -> dict[str, Any]:
    import django
    import redis
    from django.db import connection

    from ehcp.models import AssessmentCase, Plan
    from pupils.models import Pupil
    from sendadmin.accounts.models import School

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
        cursor.execute(
            "SELECT max(greatest(last_analyze, last_autoanalyze)) FROM pg_stat_user_tables"
        )
        analysed = cursor.fetchone()
    try:
        redis_version = redis.Redis.from_url(env["REDIS_URL"]).info()["redis_version"]
    except redis.RedisError:
        redis_version = "unreachable"
    on_register = Pupil.objects.exclude(sen_provision="N").count()
    data = (
        f"{School.objects.count()} schools, {Pupil.objects.count()} pupils, {on_register} on "
        f"the SEN register, {Plan.objects.count()} EHC plans, "
        f"{AssessmentCase.objects.count()} assessment cases"
    )
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "load_start": os.getloadavg()[0],
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": row[0] if row else "?",
        "last_analyze": str(analysed[0]) if analysed and analysed[0] else "never",
        "redis": redis_version,
        "gunicorn": version("gunicorn"),
        "locust": version("locust"),
        "workers": options.workers,
        "users": options.users,
        "spawn_rate": options.spawn_rate,
        "warmup_s": options.warmup,
        "duration_s": options.duration,
        "records_per_kind": options.records,
        "settings": env["DJANGO_SETTINGS_MODULE"],
        "database": connection.settings_dict["NAME"],
        "profile": profile,
        "data": data,
        "seed": options.seed,
    }


def page_costs(plan: ScenarioPlan, repeat: int = 3) -> dict[str, tuple[int, float]]:
    """Each page alone, in this process, before the load: (queries, median ms of `repeat` requests).

    The first planned user's first URL of each page, through Django's test client signed in with
    force_login (no HTTP, no concurrency): what the page costs the server by itself. The first
    request warms the page up and has its queries counted; the next `repeat` are timed.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sendadmin.accounts.models import User

    if not plan.users:
        return {}
    person = plan.users[0]
    client = Client(HTTP_HOST=srv.HOST)
    client.force_login(User.objects.get(email=person.email))
    costs: dict[str, tuple[int, float]] = {}
    for page in person.pages:
        url = page.urls[0]
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # Counted now: the next request's request_started signal empties the query log.
        queries = len(captured.captured_queries)
        if response.status_code != 200:
            continue
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        costs[page.label] = (queries, statistics.median(times))
    return costs


def run_locust(
    plan: ScenarioPlan, options: Options, server: srv.Server, workdir: Path, env: dict[str, str]
) -> dict[str, Any]:
    """One scenario: locust headless in its own process; returns what the locustfile wrote."""
    plan_path = workdir / f"{plan.key}-plan.json"
    out = workdir / f"{plan.key}-{time.monotonic_ns()}.json"
    plan_path.write_text(json.dumps(plan.as_json()))
    sign_in_timeout = 60 + 2 * options.users
    budget = sign_in_timeout + options.warmup + options.duration + 30
    locust_env = {
        **env,
        "LOAD_PLAN": str(plan_path),
        "LOAD_OUT": str(out),
        "LOAD_WARMUP": str(options.warmup),
        "LOAD_DURATION": str(options.duration),
        "LOAD_MAX_REQUESTS": str(options.max_requests),
        "LOAD_SIGN_IN_TIMEOUT": str(sign_in_timeout),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(options.users),
        "--spawn-rate",
        str(options.spawn_rate),
        "--host",
        server.url,
        "--run-time",
        f"{int(budget)}s",
        "--stop-timeout",
        "10",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    locust_log = workdir / f"{plan.key}-locust.log"
    with locust_log.open("ab") as f:
        subprocess.run(
            command,
            cwd=srv.ROOT,
            env=locust_env,
            stdout=f,
            stderr=subprocess.STDOUT,
            timeout=budget + 60,
            check=False,
        )
    if not out.exists():
        raise RuntimeError(
            f"locust wrote no results for {plan.key}:\n{locust_log.read_text()[-3000:]}"
        )
    raw: dict[str, Any] = json.loads(out.read_text())
    return raw


def run_load(options: Options, profile: Profile, env: dict[str, str]) -> rp.Report:
    """Plan, serve, load, report. Django must be set up, on the database `env` gives gunicorn."""
    from django.db import connection

    from . import plan as pl

    log(f"profile {profile.name}: planning {', '.join(options.scenarios)}")
    plans = [
        pl.plan_scenario(
            s, profile, users=options.users, records=options.records, seed=options.seed
        )
        for s in sc.SCENARIOS
        if s.key in options.scenarios
    ]
    floor = pl.plan_floor(plans, users=options.users, password=profile.password)
    facts = machine_facts(options, profile.name, env)
    facts["floor_url"] = floor.users[0].pages[0].urls[0] if floor.users else "-"
    log("timing each page alone")
    costs = {p.key: page_costs(p) for p in (floor, *plans)}
    connection.close()

    samples: dict[str, dict[str, list[float]]] = {}
    floor_runs: list[rp.ScenarioResult] = []
    results: list[rp.ScenarioResult] = []
    sequence = [floor, *plans] + ([floor] if options.floor_runs > 1 else [])
    with tempfile.TemporaryDirectory(prefix="sendadmin-load-") as tmp:
        workdir = Path(tmp)
        log(f"starting gunicorn with {options.workers} workers")
        server = srv.start(workers=options.workers, env=env, log=workdir / "gunicorn.log")
        try:
            for i, plan in enumerate(sequence):
                if not plan.users:
                    log(f"{plan.key}: nobody in the {profile.name} profile has this role")
                    continue
                log(f"[{i + 1}/{len(sequence)}] {plan.key}: {len(plan.users)} people")
                load_before = os.getloadavg()[0]
                raw = run_locust(plan, options, server, workdir, env)
                result = rp.scenario_result(
                    raw,
                    title=plan.title,
                    people=len(plan.users),
                    labels=plan.labels,
                    all_labels=[p.label for p in sc.scenario(plan.key).pages],
                    load_before=load_before,
                    load_after=os.getloadavg()[0],
                    skipped=plan.skipped,
                    costs=costs.get(plan.key, {}),
                )
                if plan is floor:
                    floor_runs.append(result)
                    samples[f"floor-{len(floor_runs)}"] = raw["samples"]
                else:
                    results.append(result)
                    samples[plan.key] = raw["samples"]
                log(
                    f"    {result.requests} requests, {result.errors} errors, "
                    f"{result.throughput:.1f}/s"
                )
        finally:
            server.stop()
            gunicorn_log = (workdir / "gunicorn.log").read_text(errors="replace")
            if "Traceback" in gunicorn_log:
                log("gunicorn logged errors:\n" + gunicorn_log[-4000:])
    facts["load_end"] = os.getloadavg()[0]
    report = rp.Report(facts=facts, floor_runs=floor_runs, scenarios=results, samples=samples)
    label = sc.FLOOR.pages[0].label
    report.finish(
        [s for key, run in samples.items() if key.startswith("floor-") for s in run[label]]
    )
    return report


def parse_args(argv: list[str] | None) -> tuple[Options, argparse.Namespace]:
    p = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    d = Options()
    p.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK['users']} users, {QUICK['warmup']:g} s warm-up, {QUICK['duration']:g} s measured",
    )
    p.add_argument("--users", type=int, help=f"simulated users per scenario (default {d.users})")
    p.add_argument(
        "--spawn-rate", type=float, default=d.spawn_rate, help="users started per second"
    )
    p.add_argument("--warmup", type=float, help=f"seconds not recorded (default {d.warmup:g})")
    p.add_argument("--duration", type=float, help=f"seconds measured (default {d.duration:g})")
    p.add_argument("--max-requests", type=int, default=0, help="end a scenario's window sooner")
    p.add_argument("--records", type=int, default=d.records, help="records of each kind per user")
    p.add_argument("--workers", type=int, default=d.workers, help="gunicorn sync workers")
    p.add_argument("--profile", choices=["auto", "demo", "scale"], default="auto")
    p.add_argument(
        "--scenarios",
        default=",".join(sc.SCENARIO_KEYS),
        help="comma-separated, from: " + ", ".join(sc.SCENARIO_KEYS),
    )
    p.add_argument("--floor-runs", type=int, default=2, choices=[1, 2], help="first (and last)")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--json", type=Path, help="also write the results and every sample here")
    args = p.parse_args(argv)
    quick: dict[str, Any] = QUICK if args.quick else {}
    scenarios = tuple(args.scenarios.split(","))
    unknown = set(scenarios) - set(sc.SCENARIO_KEYS)
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    options = Options(
        users=args.users or quick.get("users", d.users),
        spawn_rate=args.spawn_rate,
        warmup=args.warmup if args.warmup is not None else quick.get("warmup", d.warmup),
        duration=args.duration or quick.get("duration", d.duration),
        max_requests=args.max_requests,
        records=args.records,
        workers=args.workers,
        scenarios=scenarios,
        floor_runs=args.floor_runs,
        seed=args.seed,
    )
    return options, args


def main(argv: list[str] | None = None) -> int:
    options, args = parse_args(argv)
    env = srv.server_env()
    os.environ.update(env)
    import django

    django.setup()
    from . import plan as pl

    profile = pl.detect_profile() if args.profile == "auto" else pl.PROFILES[args.profile]
    report = run_load(options, profile, env)
    print(rp.format_markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report.as_json(), indent=1))
    # As in benchmarks.run, the exit status reports a broken run, never a timing.
    return 1 if report.broken else 0
