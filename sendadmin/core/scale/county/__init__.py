"""The county profile of seed_scale: Shirebrook (LA 870) at the size of a large county, and a small
second LA, Westmere (871), so tenancy is real.

At --fraction 1: 450 schools (370 primary, 70 secondary, 10 special), about 20,000 EHC plans and
60,000 pupils on SEN support among some 420,000 pupils on roll. School counts scale with the
fraction (at least one of each kind); rolls do not, and school 001 is always a secondary of
exactly 2,000 pupils (the register-export target). Logins, all with the password
`sendadmin-scale-2026` (org.PASSWORD):

- per Shirebrook school i: senco.{i:03d}, head.{i:03d}, teacher.{i:03d} (teaches groups holding
  pupils on the register), ta.{i:03d} and governor.{i:03d} @scale.example;
- Shirebrook: caseworker.{k:02d} (40 at fraction 1, each with about 500 plans and a share of the
  open cases) and lamanager @scale.example;
- Westmere: caseworker.westmere, and senco.westmere{j} and head.westmere{j} for its three schools.

Every row is written by COPY with its '+' history record by the non-login user
seed_scale@scale.example (copyutil). As pg_restore does, the seeded tables' foreign keys, unique
constraints and secondary indexes (from --fraction 0.2) are set aside during the load and built
again at the end, in the same transaction: each rebuild checks every row in one pass (a duplicate or a dangling reference
fails the whole seeding). Each step prints its row counts and seconds; the tables are ANALYZEd at
the end.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from contextlib import nullcontext
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from sendadmin.accounts.models import LocalAuthority

from ..copyutil import analyze, foreign_keys_set_aside, indexes_set_aside
from .base import Clocks, Run
from .cases import seed_open_cases
from .offer import seed_offer, seed_reports
from .org import seed_org, seed_user
from .plans import PlanStep
from .provision import seed_assignments_and_sessions, seed_catalogue
from .roll import seed_groups, seed_parents, seed_pupils, seed_statuses_and_needs
from .support import seed_medical, seed_parent_meetings, seed_parents_told, seed_support_plans

# Below this fraction rebuilding the 400-odd indexes costs more than keeping them during the load.
SET_ASIDE_INDEXES_FROM = 0.2
SEEDED_APPS = ("accounts", "clocks", "pupils", "support", "provision", "ehcp", "reviews", "offer")


class AlreadySeeded(Exception):
    pass


def seeded_models() -> Iterator[type[Model]]:
    """Every table of the apps the profile writes: models, their histories, through tables."""
    for label in SEEDED_APPS:
        yield from apps.get_app_config(label).get_models(include_auto_created=True)


def seed(
    *,
    fraction: float,
    seed: int,
    out: Any,
    today: dt.date | None = None,
    set_aside_indexes: bool | None = None,
    **options: Any,
) -> dict[str, int]:
    """Write the county profile into an empty, migrated PostgreSQL database; returns rows per
    table."""
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
    models = list(seeded_models())
    with transaction.atomic():
        with foreign_keys_set_aside(models) as keys:
            if set_aside_indexes is None:
                set_aside_indexes = fraction >= SET_ASIDE_INDEXES_FROM
            aside = indexes_set_aside(models) if set_aside_indexes else nullcontext(0)
            with aside as indexes:
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
                run.step("4. provision catalogue and notional budgets")
                catalogue = seed_catalogue(run, org)
                clocks = Clocks(run)
                run.step("2+5. EHC plans, versions, reviews, assessments and their clocks")
                plans = PlanStep(run, org, roll, clocks, catalogue)
                plans.generate()
                seed_open_cases(run, org, roll, plans.cases, plans.writer, plans.plan_of)
                plans.write()
                clocks.flush()
                run.step(
                    "3. parents told, SEN support plans, parents' meetings, medical conditions"
                )
                seed_parents_told(run, roll, clocks)
                seed_support_plans(run, roll, clocks)
                seed_parent_meetings(run, roll, clocks)
                seed_medical(run, roll, clocks)
                clocks.flush()
                run.step("4. provision assignments and session logs")
                seed_assignments_and_sessions(run, org, roll, catalogue)
                run.step("6. governance and SENCO designations")
                seed_offer(run, org, clocks)
                clocks.flush()
                run.step(f"{indexes} indexes and unique constraints rebuilt")
            run.step("6. published SEN Information Reports (their facts read by the selector)")
            seed_reports(run, org, clocks)
            clocks.flush()
            run.step(f"{keys} foreign keys added back, each checking every row")
        run.step("commit")
    run.end_step()
    started = time.perf_counter()
    analyze(*run.touched)
    out.write(f"  ANALYZE of {len(run.touched)} tables: {time.perf_counter() - started:.1f} s")
    total = sum(run.counts.values())
    out.write(f"county: {total:,} rows in {len(run.counts)} tables")
    for table, n in sorted(run.counts.items()):
        out.write(f"  {table:<52} {n:>10,}")
    return dict(run.counts)


__all__ = ["AlreadySeeded", "seed", "seeded_models"]
