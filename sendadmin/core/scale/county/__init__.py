"""The county profile of seed_scale: Shirebrook (LA 870) at the size of a large county, and a small
second LA, Westmere (871), so tenancy is real.

At --fraction 1: 450 schools (370 primary, 70 secondary, 10 special), about 20,000 EHC plans and
60,000 pupils on SEN support among some 420,000 pupils on roll. School counts scale with the
fraction (at least one of each kind); rolls do not, and school 001 is always a secondary of
exactly 2,000 pupils (the register-export target). Logins, all with the password
`sendadmin-scale-2026` (org.PASSWORD):

- per Shirebrook school i: senco.{i:03d}, head.{i:03d}, teacher.{i:03d} (teaches groups holding
  pupils on the register), ta.{i:03d} and governor.{i:03d} @scale.example;
- Shirebrook: caseworker.{k:02d} (40 at fraction 1, each with about 500 plans and the cases of
  their share) and lamanager @scale.example;
- Westmere: caseworker.westmere, and senco.westmere{j} and head.westmere{j} for its schools.

Every row is written by COPY with its '+' history record by the non-login user
seed_scale@scale.example; the steps print their row counts and seconds, and the tables are
ANALYZEd at the end.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from sendadmin.accounts.models import LocalAuthority

from ..copyutil import analyze, history_model
from .base import Clocks, Run
from .org import seed_org, seed_user
from .plans import PlanStep
from .provision import seed_assignments_and_sessions, seed_catalogue
from .roll import seed_groups, seed_parents, seed_pupils, seed_statuses_and_needs


class AlreadySeeded(Exception):
    pass


def seed(
    *, fraction: float, seed: int, out: Any, today: dt.date | None = None, **options: Any
) -> dict[str, int]:
    """Write the county profile into an empty, migrated PostgreSQL database; returns rows per table."""
    if LocalAuthority.objects.filter(code__in=["870", "871"]).exists():
        raise AlreadySeeded(
            "The county profile is already in this database: start from an empty one."
        )
    run = Run(
        rng=random.Random(seed),
        fraction=fraction,
        today=today or timezone.localdate(),
        now=timezone.now(),
        out=out,
    )
    out.write(f"seed_scale county at fraction {fraction} (seed {seed}), today {run.today}:")
    with transaction.atomic():
        run.step("1. LAs, schools and logins")
        seed_user(run)
        org = seed_org(run)
        run.step("1. pupils (the whole roll)")
        roll = seed_pupils(run, org)
        run.step("1. SEN status periods and needs")
        seed_statuses_and_needs(run, roll)
        run.step("1. teaching groups, pupils and staff in them")
        seed_groups(run, org, roll)
        run.step("1. parents and carers")
        seed_parents(run, roll)
        run.step("4a. provision catalogue and notional budgets")
        catalogue = seed_catalogue(run, org)
        clocks = Clocks(run)
        run.step("2. EHC plans, versions, reviews and their clocks")
        plans = PlanStep(run, org, roll, clocks, catalogue)
        plans.seed()
        run.step("4b. provision assignments and session logs")
        seed_assignments_and_sessions(run, org, roll, catalogue)
        run.step("commit (deferred foreign-key checks)")
    run.step("ANALYZE")
    models = list(run.touched)
    started = time.perf_counter()
    analyze(*models)
    run.end_step()
    out.write(f"  ANALYZE of {len(models)} tables: {time.perf_counter() - started:.1f} s")
    total = sum(run.counts.values())
    out.write(f"county: {total:,} rows in {len(run.counts)} tables")
    for table, n in sorted(run.counts.items()):
        out.write(f"  {table:<52} {n:>10,}")
    return dict(run.counts)


__all__ = ["AlreadySeeded", "history_model", "seed"]
