"""Organisations (local authorities and schools), people, their memberships, grants and audit events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .roles import LA_ROLES, SCHOOL_ROLES, Role


class LocalAuthority(models.Model):
    name = models.CharField(max_length=200)
    # The DfE's three-digit LA number (for example 886 for Kent).
    code = models.CharField("DfE LA code", max_length=3, unique=True)
    local_offer_url = models.URLField("Local Offer URL", blank=True)
    iass_name = models.CharField("IASS name", max_length=200, blank=True)
    iass_phone = models.CharField("IASS telephone", max_length=40, blank=True)
    iass_email = models.EmailField("IASS e-mail", blank=True)
    iass_url = models.URLField("IASS website", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        PRIMARY = "primary", "Primary"
        MIDDLE = "middle", "Middle"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        POST16 = "post16", "16 plus"

    class Type(models.TextChoices):
        MAINTAINED = "maintained", "Maintained"
        ACADEMY = "academy", "Academy"
        FREE = "free", "Free school"
        SPECIAL = "special", "Special school"
        PRU = "pru", "Pupil referral unit"
        INDEPENDENT_SPECIAL = "independent_special", "Independent special school"

    urn = models.CharField("URN", max_length=6, unique=True)
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    type = models.CharField(max_length=30, choices=Type.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="schools"
    )
    website = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    # Set per request by ActiveMembershipMiddleware: the school or LA and role the user acts in.
    active_membership: Membership | None = None

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: dt.date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


class Membership(models.Model):
    """A person's role at one school or one local authority, between two dates."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Last day of the role; blank if open.")
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                name="membership_exactly_one_organisation",
                condition=(
                    Q(school__isnull=False, local_authority__isnull=True)
                    | Q(school__isnull=True, local_authority__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="membership_school_role_at_school",
                condition=Q(school__isnull=True)
                | Q(role__in=sorted(r.value for r in SCHOOL_ROLES)),
            ),
            models.CheckConstraint(
                name="membership_la_role_at_la",
                condition=Q(local_authority__isnull=True)
                | Q(role__in=sorted(r.value for r in LA_ROLES)),
            ),
            models.CheckConstraint(
                name="membership_ends_after_it_starts",
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
            ),
        ]
        indexes = [models.Index(fields=["user", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.organisation}"

    @property
    def organisation(self) -> School | LocalAuthority:
        org = self.school or self.local_authority
        assert org is not None
        return org

    @property
    def la_id(self) -> int:
        """The LA this membership works in: the school's LA, or the LA itself."""
        if self.school_id is not None:
            assert self.school is not None
            return self.school.local_authority_id
        assert self.local_authority_id is not None
        return self.local_authority_id

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start <= on and (self.end is None or self.end >= on)


class AccessGrant(models.Model):
    """An explicit one-off grant of one permission on one record, with a reason and an expiry.

    The permission itself is stored by django-guardian; this row holds why, by whom and until when,
    and only grants that are unexpired and unrevoked count (sendadmin.accounts.rules).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_grants")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_pk = models.CharField(max_length=64)
    permission = models.CharField(max_length=100)
    reason = models.TextField()
    expires_on = models.DateField()
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["user", "content_type", "permission", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.permission} on {self.content_type.model} {self.object_pk} for {self.user}"


class AuditEvent(models.Model):
    """An append-only record of something history cannot see: a sensitive read, an export, a grant."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_role = models.CharField(max_length=30, blank=True)
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"
