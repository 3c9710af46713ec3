"""`manage.py seed_scale --profile county|national`: realistic data at the sizes of issue 8.

    python manage.py seed_scale --profile county             # 20,000 plans, 450 schools
    python manage.py seed_scale --profile county --fraction 0.05
    python manage.py seed_scale --profile national           # 153 LAs, 1.8M SEN pupils
    python manage.py seed_scale --profile national --double-stored

PostgreSQL only (COPY). It prints how long each step took; benchmarks/RESULTS.md records them.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from sendadmin.core.scale import county, national


class Command(BaseCommand):
    help = "Generate county- or national-scale data for the benchmarks (PostgreSQL only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", choices=("county", "national"), required=True)
        parser.add_argument(
            "--fraction",
            type=float,
            default=1.0,
            help="scale every count by this (0 < f <= 1), for quick runs and tests",
        )
        parser.add_argument(
            "--double-stored",
            action="store_true",
            help="national: add as much stored data again, none of it due (the sweep's control)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL: set DATABASE_URL.")
        fraction = options["fraction"]
        if not 0 < fraction <= 1:
            raise CommandError("--fraction must be more than 0 and at most 1.")
        started = time.perf_counter()
        if options["profile"] == "county":
            county.seed(fraction=fraction, seed=options["seed"], out=self.stdout)
        else:
            national.seed(
                fraction=fraction,
                seed=options["seed"],
                double_stored=options["double_stored"],
                out=self.stdout,
            )
        self.stdout.write(f"seed_scale {options['profile']}: {time.perf_counter() - started:.1f} s")
