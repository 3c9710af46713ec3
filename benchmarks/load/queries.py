"""Where a page's time goes in the database: each page's queries, slowest first, with EXPLAIN.

    python -m benchmarks.load.queries [--scenarios senco,head] [--pages "pupil page"] [--top 5]
        [--explain] [--users 3]

The same plan as the load run (same profile, users and records), each page requested once per
user through Django's test client in this process, signed in with force_login, with every query
captured and timed. Not a benchmark: a tool for finding what to fix, run against the same database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable
from typing import Any

from . import scenarios as sc
from .server import server_env


def _explain(sql: str, analyse: bool) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(("EXPLAIN (ANALYZE, BUFFERS) " if analyse else "EXPLAIN ") + sql)
        return [row[0] for row in cursor.fetchall()]


def profile_pages(
    plans: Iterable[Any], *, pages: set[str], users: int, top: int, explain: bool
) -> None:
    from django.db import OperationalError, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sendadmin.accounts.models import User

    from .server import HOST

    for plan in plans:
        for person in plan.users[:users]:
            client = Client(HTTP_HOST=HOST)
            client.force_login(User.objects.get(email=person.email))
            for page in person.pages:
                if pages and page.label not in pages:
                    continue
                url = page.urls[0]
                started = time.perf_counter()
                status: int | str
                with CaptureQueriesContext(connection) as captured:
                    try:
                        status = client.get(url).status_code
                    except OperationalError as exc:  # the statement timeout
                        status = f"timed out ({str(exc).strip()})"
                elapsed = (time.perf_counter() - started) * 1000
                queries = captured.captured_queries
                db_ms = sum(float(q["time"]) for q in queries) * 1000
                print(
                    f"\n## {plan.key} / {page.label}: {url} as {person.email} -> "
                    f"{status}, {elapsed:.0f} ms, {len(queries)} queries, "
                    f"{db_ms:.0f} ms in the database"
                )
                if isinstance(status, str) and queries:
                    # The debug cursor logs a query that raised too: the last one is the culprit.
                    sql = queries[-1]["sql"]
                    print(f"- timed out: {sql[:2000]}")
                    if explain:
                        for line in _explain(sql, analyse=False):
                            print(f"      {line}")
                slowest = sorted(queries, key=lambda q: -float(q["time"]))[:top]
                for q in slowest:
                    print(f"- {float(q['time']) * 1000:.1f} ms: {q['sql'][:2000]}")
                    if explain and q["sql"].lstrip().upper().startswith("SELECT"):
                        for line in _explain(q["sql"], analyse=True):
                            print(f"      {line}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.load.queries", description=__doc__)
    p.add_argument("--scenarios", default=",".join(sc.SCENARIO_KEYS))
    p.add_argument("--pages", default="", help="comma-separated page labels (default: all)")
    p.add_argument("--users", type=int, default=1, help="users per scenario to profile")
    p.add_argument("--top", type=int, default=5, help="slowest queries shown per page")
    p.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest queries")
    p.add_argument("--profile", choices=["auto", "demo", "scale"], default="auto")
    p.add_argument("--records", type=int, default=20)
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for this session, to try a planner setting (repeatable)",
    )
    p.add_argument(
        "--statement-timeout",
        type=int,
        default=60,
        help="seconds; a page whose query takes longer is reported as timed out",
    )
    p.add_argument("--seed", type=int, default=8)
    args = p.parse_args(argv)
    os.environ.update(server_env())
    import django

    django.setup()
    from . import plan as pl

    profile = pl.detect_profile() if args.profile == "auto" else pl.PROFILES[args.profile]
    wanted = args.scenarios.split(",")
    plans = [
        pl.plan_scenario(s, profile, users=args.users, records=args.records, seed=args.seed)
        for s in sc.SCENARIOS
        if s.key in wanted
    ]
    print(f"profile {profile.name}", file=sys.stderr)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(args.statement_timeout * 1000)}")
        for setting in args.set:
            name, _, value = setting.partition("=")
            cursor.execute("SELECT set_config(%s, %s, false)", [name.strip(), value.strip()])
    profile_pages(
        plans,
        pages={x for x in args.pages.split(",") if x},
        users=args.users,
        top=args.top,
        explain=args.explain,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
