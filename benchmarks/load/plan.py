"""Who signs in for each scenario, and which URLs each of them requests (needs Django set up).

The users come from a profile: the demo data (`seed_demo`) or the scale data (`seed_scale`), told
apart by their e-mail domain and signing in with that profile's one password. For each scenario the
plan takes up to `users` people whose current role is one of the scenario's roles and who act in it
by default (their first current membership, the one the server picks at sign-in), chosen at random
with a fixed seed so that a run spreads over many schools.

Record pages get their ids from the app's own selectors, called as that user, so a user only ever
requests records the server will show them; each user gets up to `records` of each kind, sampled at
random, and visits them in turn, so a run reads many different records, not one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from sendadmin.accounts.models import Membership, User
from sendadmin.accounts.selectors import membership_current_for

from . import scenarios as sc


@dataclass(frozen=True)
class Profile:
    name: str
    password: str
    email_suffix: str
    exclude_suffix: str = ""

    def users(self) -> QuerySet[User]:
        qs = User.objects.filter(is_active=True, email__endswith=self.email_suffix)
        if self.exclude_suffix:
            qs = qs.exclude(email__endswith=self.exclude_suffix)
        return qs


SCALE = Profile("scale", "sendadmin-scale-2026", "@scale.example")
# The demo's logins are in README.md ("Demo logins").
DEMO = Profile("demo", "sendadmin-demo-2026", ".example", exclude_suffix="@scale.example")
PROFILES = {p.name: p for p in (SCALE, DEMO)}


def detect_profile() -> Profile:
    """The scale profile if seed_scale has run in this database, else the demo."""
    return SCALE if SCALE.users().exists() else DEMO


@dataclass
class PagePlan:
    label: str
    urls: list[str]


@dataclass
class UserPlan:
    email: str
    role: str
    organisation: str
    pages: list[PagePlan]


@dataclass
class ScenarioPlan:
    key: str
    title: str
    password: str
    order: list[str] = field(default_factory=list)
    users: list[UserPlan] = field(default_factory=list)
    # Pages some chosen user had no record for (they skip it); label -> how many users skipped it.
    skipped: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "password": self.password,
            "users": [
                {
                    "email": u.email,
                    "pages": [{"label": p.label, "urls": p.urls} for p in u.pages],
                }
                for u in self.users
            ],
        }

    @property
    def labels(self) -> list[str]:
        """Every page label of the scenario, in its order, that at least one user requests."""
        requested = {p.label for u in self.users for p in u.pages}
        return [label for label in self.order if label in requested]


def _pks(qs: QuerySet[Any]) -> list[int]:
    return list(qs.order_by().values_list("pk", flat=True).distinct())


def record_ids(user: User, kind: str) -> list[int]:
    """Every id of `kind` that `user` (with `active_membership` set) may open, through the selectors."""
    from ehcp.models import PlanVersion
    from ehcp.rules import version_visible_q
    from ehcp.selectors import case_list_for, plan_list_for
    from pupils.codes import SenProvision
    from pupils.provision.selectors import provisions_to_log_for
    from pupils.selectors import pupil_list_for, register_list_for
    from pupils.support.selectors import support_plan_list_for

    if kind == sc.PUPIL_ON_REGISTER:
        qs: QuerySet[Any] = register_list_for(user).filter(
            sen_provision__in=[SenProvision.EHC_PLAN, SenProvision.SEN_SUPPORT]
        )
        return _pks(qs.prefetch_related(None))
    if kind == sc.TAUGHT_PUPIL:
        return _pks(pupil_list_for(user).prefetch_related(None))
    if kind == sc.SUPPORT_PLAN:
        return _pks(support_plan_list_for(user))
    if kind == sc.EHC_PLAN:
        # The plan page needs a version this user sees (at a school: an issued one), else 404.
        versions = PlanVersion.objects.filter(version_visible_q(user)).values("plan_id")
        return _pks(plan_list_for(user).filter(pk__in=versions))
    if kind == sc.CASE:
        return _pks(case_list_for(user))
    if kind == sc.PROVISION_TO_LOG:
        return _pks(provisions_to_log_for(user, timezone.localdate()))
    raise ValueError(f"unknown record kind {kind!r}")


def _candidates(profile: Profile, roles: frozenset[str]) -> list[int]:
    return sorted(
        Membership.objects.current()
        .filter(role__in=sorted(roles), user__in=profile.users())
        .values_list("user_id", flat=True)
        .distinct()
    )


def plan_scenario(
    scenario: sc.Scenario, profile: Profile, *, users: int, records: int, seed: int
) -> ScenarioPlan:
    rng = random.Random(f"{seed}:{scenario.key}")
    plan = ScenarioPlan(
        scenario.key, scenario.title, profile.password, [p.label for p in scenario.pages]
    )
    candidates = _candidates(profile, scenario.roles)
    rng.shuffle(candidates)
    for user in User.objects.filter(pk__in=candidates[: users * 3]).order_by("pk"):
        if len(plan.users) >= users:
            break
        membership = membership_current_for(user)
        if membership is None or membership.role not in scenario.roles:
            continue
        user.active_membership = membership  # as the middleware sets it for the selectors
        pages: list[PagePlan] = []
        for page in scenario.pages:
            if page.ids is None:
                pages.append(PagePlan(page.label, [reverse(page.url_name)]))
                continue
            ids = record_ids(user, page.ids)
            if not ids:
                plan.skipped[page.label] = plan.skipped.get(page.label, 0) + 1
                continue
            chosen = rng.sample(ids, min(records, len(ids)))
            pages.append(PagePlan(page.label, [reverse(page.url_name, args=[pk]) for pk in chosen]))
        plan.users.append(
            UserPlan(user.email, membership.role, str(membership.organisation), pages)
        )
    rng.shuffle(plan.users)
    return plan


def plan_floor(role_plans: list[ScenarioPlan], *, users: int, password: str) -> ScenarioPlan:
    """The floor's users: the role scenarios' users taken in turn, so every role is in it."""
    plan = ScenarioPlan(sc.FLOOR.key, sc.FLOOR.title, password, [sc.FLOOR.pages[0].label])
    url = reverse(sc.FLOOR.pages[0].url_name)
    queues = [list(p.users) for p in role_plans if p.users]
    seen: set[str] = set()
    while len(plan.users) < users and any(queues):
        for queue in queues:
            if queue and len(plan.users) < users:
                u = queue.pop(0)
                if u.email not in seen:
                    seen.add(u.email)
                    plan.users.append(
                        UserPlan(
                            u.email,
                            u.role,
                            u.organisation,
                            [PagePlan(sc.FLOOR.pages[0].label, [url])],
                        )
                    )
    return plan
