"""The national profile of seed_scale: what the clock sweep reads for all of England.

    python manage.py seed_scale --profile national [--fraction F]      # the profile
    python manage.py seed_scale --profile national [--fraction F] --double-stored

The profile (domain.md 8): 153 LAs, about 22,000 schools each with a SENCO and a head (and one in
ten a SENCO who has left), SEND caseworkers (one per 250 plans) and a manager per LA; 1.8 million
SEN pupils, 640,000 of them with an EHC plan and the rest on SEN support; and the clocks the
services would have opened, spread over the year as of the day it is seeded:

- an annual-review clock per plan (12% overdue), with the last review's clock met or, for the 15%
  of plans new this year, the closed assessment that made them (decision, notice and 20-week
  clocks met, 46% within 20 weeks);
- a SEN support plan per K pupil with its current cycle's review clock (8% overdue) and, for 60%,
  the last cycle reviewed and its clock met;
- 60,000 open assessments of K pupils: 30% before the decision whether to assess, the rest with
  the five requests for advice and their 6-week clocks, all with the 20-week clock open.

`--double-stored` then adds as much again (the same number of schools with their staff, pupils,
plans, support plans, assessments and clocks in each LA), none of it in the sweep's due set: every
clock met, cancelled or due after the horizon. Run on a database without the profile, it seeds the
profile first. The due set, and so the sweep's work, stays the same while the stored data doubles.

Every count scales with --fraction. The seeding system user's job title records the fraction, the
seed and the day the data is as of (`profile_state`), so the control set matches the profile and
benchmarks/sweep.py sweeps as of that day.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from ehcp.models import AdviceRequest, AssessmentCase, Plan
from pupils.models import Pupil, SenStatus
from pupils.support.models import SupportCycle, SupportPlan
from sendadmin.accounts.models import LocalAuthority, Membership, School, User
from sendadmin.clocks.models import Clock
from sendadmin.clocks.reminders import max_lead_days

from . import national_rows as nr
from .copyutil import (
    analyze,
    copy_history,
    copy_rows,
    foreign_keys_set_aside,
    history_model,
    indexes_set_aside,
    reserve_ids,
)

# England (domain.md 8): LAs, state-funded schools, pupils with an EHC plan (SEN2, Jan 2025) and
# on SEN support (1.8 million SEN pupils in all, Jan 2026), and open assessments at any time
# (154,489 requests a year, most open 6 to 30 weeks).
LAS = 153
SCHOOLS = 22_000
PLANS = 640_000
SUPPORT = 1_160_000
OPEN_CASES = 60_000
# From this many SEN pupils, foreign keys and indexes are set aside for the load (_set_aside).
SET_ASIDE_FROM = 100_000
# LA sizes vary about twentyfold (Kent 20,635 plans; under 1,500 in the smallest).
LA_SIZE_SIGMA = 0.6

SYSTEM_EMAIL = "seed-scale.national@system.example"
# Codes outside the demo's (990, 991), the register benchmark's (993) and the test factories'
# (800-899), so the profile can share a database with them.
LA_CODES = tuple(f"{c:03d}" for c in range(201, 990) if not 800 <= c < 900)
URN_BASE = {False: 500_000, True: 600_000}  # the profile's schools, then the control set's
STATE = re.compile(
    r"seed_scale national: fraction=(?P<fraction>[0-9.e-]+) seed=(?P<seed>-?\d+) "
    r"day=(?P<day>\d{4}-\d{2}-\d{2}) control=(?P<control>yes|no) (?P<status>done|partial)"
)
# Parents before children, so each COPY's foreign keys already resolve.
WRITE_ORDER: tuple[type[Model], ...] = (
    School, User, Membership, Pupil, SenStatus, AssessmentCase, Plan, AdviceRequest,
    SupportPlan, SupportCycle, Clock,
)  # fmt: skip
STEPS = (
    ("schools and staff", (School, User, Membership)),
    ("SEN pupils and status periods", (Pupil, SenStatus)),
    ("EHC plans, annual-review clocks, closed assessments", ()),
    ("SEN support plans, cycles, review clocks", ()),
    ("open assessments, advice, their clocks", ()),
)


@dataclass(frozen=True)
class ProfileState:
    """What the system user's job title records about the profile in this database."""

    fraction: float
    seed: int
    day: dt.date
    control: bool
    done: bool

    def title(self) -> str:
        return (
            f"seed_scale national: fraction={self.fraction!r} seed={self.seed} "
            f"day={self.day.isoformat()} control={'yes' if self.control else 'no'} "
            f"{'done' if self.done else 'partial'}"
        )


def profile_state() -> ProfileState | None:
    """The national profile in this database, or None if it has not been seeded."""
    user = User.objects.filter(email=SYSTEM_EMAIL).first()
    if user is None:
        return None
    found = STATE.fullmatch(user.job_title)
    if found is None:
        raise CommandError(f"{SYSTEM_EMAIL} exists but its job title is not seed_scale's.")
    return ProfileState(
        fraction=float(found["fraction"]),
        seed=int(found["seed"]),
        day=dt.date.fromisoformat(found["day"]),
        control=found["control"] == "yes",
        done=found["status"] == "done",
    )


def plan_las(fraction: float, seed: int) -> list[nr.LaSpec]:
    """Each LA's size: lognormal weights from the seed, totals split by largest remainder."""
    n = max(1, round(LAS * fraction))
    rng = random.Random(f"{seed}:national:las")
    weights = [rng.lognormvariate(0, LA_SIZE_SIGMA) for _ in range(n)]
    codes = rng.sample(LA_CODES, n)

    def split(total: int) -> list[int]:
        return nr.allocate(max(n, round(total * fraction)), weights)

    rows = zip(codes, split(SCHOOLS), split(PLANS), split(SUPPORT), split(OPEN_CASES), strict=True)
    return [
        nr.LaSpec(i, code, f"{nr.place_name(rng)} Council", max(1, s), e, k, min(c, k))
        for i, (code, s, e, k, c) in enumerate(rows)
    ]


@dataclass
class Steps:
    """Rows written and seconds taken per step, summed over the LAs."""

    out: Any
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, rows: int, seconds: float) -> None:
        self.rows[name] = self.rows.get(name, 0) + rows
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def print(self, title: str) -> None:
        self.out.write(f"{title}:")
        for name, rows in self.rows.items():
            written = f"{rows:,} rows and {rows:,} history rows, " if rows else ""
            self.out.write(f"  {name}: {written}{self.seconds[name]:.1f} s")


def write(rows: nr.Rows, by_id: int, at: dt.datetime) -> int:
    """COPY the rows and each one's creation history ('+', by the seeding user)."""
    written = 0
    for model in WRITE_ORDER:
        table = rows.tables.get(model)
        if not table:
            continue
        columns = nr.COLUMNS[model]
        written += copy_rows(model, columns, table)
        drop = nr.HISTORY_DROP.get(model, 0)
        kept = columns[: len(columns) - drop]
        history = (row[: len(kept)] for row in table) if drop else table
        copy_history(model, kept, history, by_id=by_id, at=at)
    return written


def seed(
    *,
    fraction: float,
    seed: int,
    out: Any,
    double_stored: bool = False,
    today: dt.date | None = None,
    **options: Any,
) -> None:
    state = profile_state()
    if state is not None and not state.done:
        raise CommandError(
            "A previous seed_scale --profile national stopped part-way: recreate the database."
        )
    if state is not None and not math.isclose(state.fraction, fraction):
        raise CommandError(
            f"The national profile here was seeded with --fraction {state.fraction}: pass the same."
        )
    if state is not None and not double_stored:
        raise CommandError("The national profile is already in this database.")
    if state is not None and state.control:
        raise CommandError("The national profile here already has its --double-stored data.")
    started = time.perf_counter()
    # One transaction: a failure leaves the database as it was.
    with transaction.atomic():
        if state is None:
            state = ProfileState(fraction, seed, today or timezone.localdate(), False, False)
            _seed_profile(state, out, control=False)
            state = ProfileState(fraction, state.seed, state.day, False, True)
            _set_state(state)
        if double_stored:
            _seed_profile(state, out, control=True)
            _set_state(ProfileState(state.fraction, state.seed, state.day, True, True))
        began = time.perf_counter()
    out.write(f"commit: {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    analyze(LocalAuthority, *WRITE_ORDER, *(history_model(m) for m in WRITE_ORDER))
    out.write(f"ANALYZE: {time.perf_counter() - began:.1f} s")
    out.write(f"national profile as of {state.day}: {time.perf_counter() - started:.1f} s in all")


def _set_state(state: ProfileState) -> None:
    user = User.objects.get(email=SYSTEM_EMAIL)
    user.job_title = state.title()
    user._history_user = user  # type: ignore[attr-defined]
    user.save(update_fields=["job_title"])


def _system_user(state: ProfileState, at: dt.datetime) -> int:
    """The seeding system user, author of every history row; it cannot sign in."""
    user_id = reserve_ids(User, 1)[0]
    row = (user_id, SYSTEM_EMAIL, "seed_scale (system)", state.title(), False, False, False, at)
    columns = nr.COLUMNS[User]
    copy_rows(User, columns, [(*row, make_password(None), None)])
    copy_history(User, columns[:-2], [row], by_id=user_id, at=at)
    return user_id


def _seed_profile(state: ProfileState, out: Any, *, control: bool) -> None:
    at = timezone.now()
    specs = plan_las(state.fraction, state.seed)
    what = "--double-stored (none of it due)" if control else "national profile"
    out.write(
        f"{what}: {len(specs)} LAs, {sum(s.schools for s in specs):,} schools, "
        f"{sum(s.plans for s in specs):,} EHC plans, {sum(s.support for s in specs):,} on SEN "
        f"support, {sum(s.open_cases for s in specs):,} open assessments, as of {state.day}"
    )
    if control:
        by_id = User.objects.only("pk").get(email=SYSTEM_EMAIL).pk
        la_ids = dict(LocalAuthority.objects.values_list("code", "pk"))
    else:
        _refuse_taken(specs)
        by_id = _system_user(state, at)
        la_ids = _local_authorities(specs, by_id, at)
    ctx = nr.Context(
        today=state.day,
        horizon=state.day + dt.timedelta(days=max_lead_days()),
        by_id=by_id,
        content_types={
            m: ContentType.objects.get_for_model(m).pk
            for m in (Plan, AssessmentCase, AdviceRequest, SupportCycle)
        },
    )
    steps = Steps(out)
    first_urn = URN_BASE[control]
    tables = [*WRITE_ORDER, *(history_model(m) for m in WRITE_ORDER)]
    began = time.perf_counter()
    with _set_aside(tables, steps, bulk=sum(s.plans + s.support for s in specs) >= SET_ASIDE_FROM):
        for done, spec in enumerate(specs, 1):
            _seed_la(ctx, spec, la_ids[spec.code], first_urn, state, control, steps, at)
            first_urn += spec.schools
            if done % 10 == 0 or done == len(specs):
                total = sum(steps.rows.values())
                seconds = time.perf_counter() - began
                out.write(f"  {done}/{len(specs)} LAs: {total:,} rows, {seconds:.1f} s")
    steps.print(what)


def _since(began: float) -> float:
    return time.perf_counter() - began


@contextmanager
def _set_aside(tables: list[type[Model]], steps: Steps, *, bulk: bool) -> Iterator[None]:
    """For a large load, as pg_restore does (copyutil): one check per foreign key and one sorted
    build per index after the load, instead of a check and an index insert per row. A small load
    (the tests') keeps them: rebuilding 114 indexes costs more than it saves."""
    if not bulk:
        yield
        return
    with connection.cursor() as cursor:
        # Check the rows written so far (the seeding user, the LAs) now: a table with pending
        # deferred checks cannot have its constraints dropped.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with foreign_keys_set_aside(tables) as keys:
        with indexes_set_aside(tables) as indexes:
            yield
            rebuilt = time.perf_counter()
        steps.add(f"{indexes} indexes and unique constraints rebuilt", 0, _since(rebuilt))
        checked = time.perf_counter()
    steps.add(f"{keys} foreign keys added back, each checking every row", 0, _since(checked))


def _refuse_taken(specs: list[nr.LaSpec]) -> None:
    codes = [s.code for s in specs]
    taken = sorted(LocalAuthority.objects.filter(code__in=codes).values_list("code", flat=True))
    if taken:
        raise CommandError(f"LA codes {', '.join(taken)} are already in this database.")
    last = URN_BASE[True] + 2 * sum(s.schools for s in specs)
    urns = [f"{u:06d}" for u in (URN_BASE[False], last)]
    if School.objects.filter(urn__gte=urns[0], urn__lt=urns[1]).exists():
        raise CommandError(f"Schools with URNs from {urns[0]} are already in this database.")


def _local_authorities(specs: list[nr.LaSpec], by_id: int, at: dt.datetime) -> dict[str, int]:
    ids = reserve_ids(LocalAuthority, len(specs))
    rows = [
        (la_id, s.name, s.code, "", "", "", "", "") for la_id, s in zip(ids, specs, strict=True)
    ]
    columns = ["id", "name", "code", "local_offer_url", "iass_name", "iass_phone"]
    columns += ["iass_email", "iass_url"]
    copy_rows(LocalAuthority, columns, rows)
    copy_history(LocalAuthority, columns, rows, by_id=by_id, at=at)
    return {s.code: la_id for la_id, s in zip(ids, specs, strict=True)}


def _seed_la(
    ctx: nr.Context, spec: nr.LaSpec, la_id: int, first_urn: int, state: ProfileState,
    control: bool, steps: Steps, at: dt.datetime,
) -> None:  # fmt: skip
    mode = "control" if control else "profile"
    rng = random.Random(f"{state.seed}:{spec.code}:{mode}")
    names = iter(name for name, _ in STEPS)

    def step(rows: nr.Rows, began: float) -> None:
        steps.add(next(names), write(rows, ctx.by_id, at), time.perf_counter() - began)

    began, rows = time.perf_counter(), nr.Rows()
    if control:
        staff = _existing_staff(la_id, ctx.today)
    else:
        staff = nr.la_staff(ctx, rows, spec, la_id, rng)
    made = nr.schools(ctx, rows, spec, la_id, first_urn, staff, rng)
    step(rows, began)
    began, rows = time.perf_counter(), nr.Rows()
    on_plan, on_support = nr.pupils(ctx, rows, spec, spec.code, made, rng)
    later = nr.Rows()  # status periods start when the plan or support began: written with them
    status: dict[int, tuple[str, dt.date]] = {}
    step(rows, began)
    began, rows = time.perf_counter(), nr.Rows()
    nr.plans(ctx, rows, la_id, staff, on_plan, rng, control, status)
    step(rows, began)
    began, rows = time.perf_counter(), nr.Rows()
    nr.support(ctx, rows, la_id, staff, on_support, rng, control, status)
    step(rows, began)
    began = time.perf_counter()
    nr.status_periods(ctx, later, status)
    steps.add(STEPS[1][0], write(later, ctx.by_id, at), time.perf_counter() - began)
    began, rows = time.perf_counter(), nr.Rows()
    nr.open_cases(ctx, rows, spec, la_id, staff, on_support, rng, control)
    step(rows, began)


def _existing_staff(la_id: int, today: dt.date) -> nr.Staff:
    """The control set's schools are new, but its cases go to the LA's own caseworkers."""
    by_role: dict[str, list[int]] = {}
    current = Membership.objects.current(today).filter(
        local_authority_id=la_id, school__isnull=True
    )
    for role, user_id in current.values_list("role", "user_id").order_by("user_id"):
        by_role.setdefault(role, []).append(user_id)
    return nr.Staff(caseworkers=by_role["la_caseworker"], manager=by_role["la_manager"][0])
