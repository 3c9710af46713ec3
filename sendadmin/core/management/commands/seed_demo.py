"""`manage.py seed_demo`: create the deterministic demo data once and print the demo logins."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ehcp.models import AssessmentCase, Plan
from pupils.models import Pupil, TeachingGroup
from pupils.provision.models import Provision
from reviews.models import Review
from reviews.phase import phase_transfer_clocks_open
from sendadmin.accounts.models import AccessGrant, LocalAuthority, Membership, School, User
from sendadmin.accounts.roles import Role
from sendadmin.clocks.models import Clock
from sendadmin.core.demo import (
    DEMO_LA_CODE,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    FORMER_LOGIN,
    LOCAL_AUTHORITIES,
    SCHOOLS,
    STAFF,
    last_month_end,
    seed_demo,
)
from sendadmin.core.demo_clocks import seed_demo_clocks
from sendadmin.core.demo_ehcp import seed_demo_ehcp
from sendadmin.core.demo_governance import seed_demo_governance
from sendadmin.core.demo_offer import seed_demo_reports
from sendadmin.core.demo_provision import seed_demo_provision
from sendadmin.core.demo_sen2 import seed_demo_sen2


class Command(BaseCommand):
    help = (
        "Create demo data: two local authorities, four schools, about 1,500 pupils, their "
        "statutory clocks and a login for every role. Does nothing if the demo data is already "
        "present, unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo data first, then create it again."
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        if LocalAuthority.objects.filter(code=DEMO_LA_CODE).exists() and not reset:
            self.stdout.write("Demo data already present; nothing changed (--reset recreates it).")
            self._print_logins()
            return
        started = time.monotonic()
        with transaction.atomic():
            if reset:
                delete_demo()
                self.stdout.write("Deleted the existing demo data.")
            counts = seed_demo()
            counts.update(seed_demo_clocks())
            counts.update(seed_demo_provision(timezone.localdate()))
            # The report quotes the provision catalogue and the SENCO's contact details, frozen
            # at publication: the governance records and provision come first.
            counts.update(seed_demo_governance(timezone.localdate()))
            counts.update(seed_demo_reports(timezone.localdate()))
            counts.update(seed_demo_ehcp(timezone.localdate()))
            # Last year's and this year's finished assessments, for the LA's 20-week figures.
            counts.update(seed_demo_sen2(timezone.localdate()))
            # Reg 18: the plans of pupils moving school next September get their 15 February or
            # 31 March clock, as the daily task would open them.
            counts["phase-transfer clocks"] = phase_transfer_clocks_open(today=timezone.localdate())
        summary = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        took = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Created {summary} in {took:.1f} s."))
        self._print_logins()

    def _print_logins(self) -> None:
        header = ("Role", "Organisation", "E-mail", "Password")
        rows = [header, *login_rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        self.stdout.write("\nDemo logins (every account has the same password):\n")
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))


def login_rows(on: dt.date | None = None) -> list[tuple[str, str, str, str]]:
    """Role, organisation, e-mail and password of every demo login, the leaver last."""
    ended = last_month_end(on or timezone.localdate())
    rows = [(Role(role).label, org, email, DEMO_PASSWORD) for role, org, email in DEMO_LOGINS]
    role, org, email = FORMER_LOGIN
    rows.append((f"{Role(role).label} (left {ended.day} {ended:%B %Y})", org, email, DEMO_PASSWORD))
    return rows


@transaction.atomic
def delete_demo() -> None:
    """Delete the demo organisations, people and pupils; history records each deletion."""
    schools = School.objects.filter(urn__in=[s.urn for s in SCHOOLS])
    la_codes = [la["code"] for la in LOCAL_AUTHORITIES]
    users = User.objects.filter(email__in=list(STAFF))
    # Clocks (with their reminders and notifications) would cascade from their pupil, school or
    # LA; deleting them first keeps the order explicit.
    Clock.objects.filter(Q(school__in=schools) | Q(local_authority__code__in=la_codes)).delete()
    # Reviews PROTECT their plan; plans and cases PROTECT their pupil: they (with advice, versions
    # and rows) go first.
    Review.objects.filter(pupil__school__in=schools).delete()
    Plan.objects.filter(pupil__school__in=schools).delete()
    AssessmentCase.objects.filter(pupil__school__in=schools).delete()
    # Pupil.school is PROTECT: pupils (with their needs and group links) go before their schools.
    Pupil.objects.filter(school__in=schools).delete()
    # Provision.school is PROTECT and SessionLog.delivered_by is PROTECT: the catalogue (with its
    # sessions) goes before schools and people.
    Provision.objects.filter(school__in=schools).delete()
    TeachingGroup.objects.filter(school__in=schools).delete()
    AccessGrant.objects.filter(Q(user__in=users) | Q(granted_by__in=users)).delete()
    Membership.objects.filter(
        Q(user__in=users) | Q(school__in=schools) | Q(local_authority__code__in=la_codes)
    ).delete()
    users.delete()
    schools.delete()
    LocalAuthority.objects.filter(code__in=la_codes).delete()
