"""What the in-process benchmarks share: the command line, Django's setup and a scratch database.

`benchmarks.run` (MIS import and register) and `benchmarks.documents` (plan PDF and register
export) take the same options and run the same way: Django set up with the test settings, a
database of their own (`<NAME>_run`, never the one DATABASE_URL names nor pytest's `test_<NAME>`)
created by Django's test machinery and dropped afterwards, the table on standard output and, with
--json, the results as JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any, Protocol

SETTINGS_MODULE = "sendadmin.settings.test"
SMALL_SCHOOL = 10

Log = Callable[[str], None]


class Report(Protocol):
    problems: list[str]

    def as_dict(self) -> dict[str, Any]: ...


def parse_args(prog: str, description: str, argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--pupils", type=int, default=2000, help="pupils on the roll (2000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions (5)")
    parser.add_argument("--small", type=int, default=SMALL_SCHOOL, help="small school (10)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    return parser.parse_args(argv)


def setup_django(default_database_url: str) -> None:
    """Django with the test settings on DATABASE_URL (or the benchmark's default)."""
    os.environ.setdefault("DATABASE_URL", default_database_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    import django

    django.setup()
    # Quiet what the project's own runs print: WeasyPrint's import-time progress log, and the
    # missing collectstatic directory (pytest filters the same warning in pyproject.toml).
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", "No directory at", UserWarning)


def write_json(path: str, data: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2)
        out.write("\n")


def main_in_scratch_database(
    args: argparse.Namespace,
    default_database_url: str,
    work: Callable[[argparse.Namespace, Log], Report],
    table: Callable[[Any], str],
) -> int:
    """Set Django up, run `work` in a scratch database, print its table; 1 if it found problems."""
    setup_django(default_database_url)
    from django.conf import settings
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    db = connections["default"].settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        print(f"benchmarks need PostgreSQL; DATABASE_URL gives {db['ENGINE']}", file=sys.stderr)
        return 2
    db["TEST"]["NAME"] = f"{db['NAME']}_run"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    started = time.perf_counter()

    def log(message: str) -> None:
        elapsed = time.perf_counter() - started
        print(f"bench: {elapsed:6.1f} s {message}", file=sys.stderr, flush=True)

    log(f"creating database {db['TEST']['NAME']} on {db.get('HOST') or 'localhost'}")
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        report = work(args, log)
    finally:
        log("dropping the benchmark database")
        teardown_databases(old_config, verbosity=0)
    print(table(report))
    if args.json:
        write_json(args.json, report.as_dict())
    return 1 if report.problems else 0
