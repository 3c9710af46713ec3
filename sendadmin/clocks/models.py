"""The clock table, reminders, notifications and calendar-feed tokens."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sendadmin.accounts.models import LocalAuthority, School
from sendadmin.accounts.roles import Role

from .kinds import Kind

# A clock is "due soon" from this many days before its due date (and the first reminder goes then).
DUE_SOON_DAYS = 14


class Status(models.TextChoices):
    """What a person sees; derived from the stored state and dates, never stored itself."""

    ON_TRACK = "on_track", "On track"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    MET_ON_TIME = "met_on_time", "Met on time"
    MET_LATE = "met_late", "Met late"
    EXCEPTION_APPLIES = "exception_applies", "Exception applies"
    CANCELLED = "cancelled", "Cancelled"


class Clock(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    # The record the obligation belongs to (an advice request, a review, a pupil, a report...).
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, null=True, blank=True, related_name="clocks"
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="clocks"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, null=True, blank=True, related_name="clocks"
    )
    responsible_role = models.CharField(max_length=30, choices=Role.choices)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_clocks",
    )
    start_event = models.CharField(max_length=200)
    started_on = models.DateField()
    due_on = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    met_on = models.DateField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    met_note = models.TextField(blank=True)
    cancelled_reason = models.TextField(blank=True)
    # An exception never moves due_on (domain.md 0A): it is recorded beside it.
    exception_regulation = models.CharField(max_length=20, blank=True)
    exception_limb = models.CharField(max_length=5, blank=True)
    exception_from = models.DateField(null=True, blank=True)
    exception_to = models.DateField(null=True, blank=True)
    exception_evidence = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            # One open obligation of a kind per record: a double submission cannot open two.
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=Q(state="open"),
                name="clock_one_open_per_kind_and_subject",
            ),
            models.CheckConstraint(
                name="clock_met_has_date",
                condition=~Q(state="met") | Q(met_on__isnull=False),
            ),
            models.CheckConstraint(
                name="clock_met_not_before_start",
                condition=Q(met_on__isnull=True) | Q(met_on__gte=models.F("started_on")),
            ),
        ]
        indexes = [
            # The sweep reads open clocks by due date: its cost follows what is due, not the table.
            models.Index(fields=["due_on"], condition=Q(state="open"), name="clock_open_due_idx"),
            models.Index(fields=["school", "state", "due_on"]),
            models.Index(fields=["local_authority", "state", "due_on"]),
            models.Index(fields=["responsible_user", "state", "due_on"]),
            models.Index(fields=["pupil", "due_on"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on:%d %b %Y}"

    @property
    def has_exception(self) -> bool:
        return bool(self.exception_regulation)

    def status(self, today: dt.date | None = None) -> Status:
        today = today or timezone.localdate()
        if self.state == self.State.CANCELLED:
            return Status.CANCELLED
        if self.state == self.State.MET:
            assert self.met_on is not None
            if self.met_on <= self.due_on:
                return Status.MET_ON_TIME
            return Status.EXCEPTION_APPLIES if self.has_exception else Status.MET_LATE
        if today > self.due_on:
            return Status.EXCEPTION_APPLIES if self.has_exception else Status.OVERDUE
        if (self.due_on - today).days <= DUE_SOON_DAYS:
            return Status.DUE_SOON
        return Status.ON_TRACK

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days


class Reminder(models.Model):
    """One reminder of one clock at one stage to one person. The unique constraint is what makes
    the sweep exactly-once: a second sweep's insert of the same row does nothing."""

    # No index of its own: the unique constraint's index (clock, stage, recipient) leads with the
    # clock and serves every lookup by clock, and one index fewer is cheaper for the sweep's inserts.
    clock = models.ForeignKey(
        Clock, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    stage = models.CharField(max_length=30)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    escalated = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "stage", "recipient"], name="reminder_once_per_stage_and_person"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="reminder_unsent_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} of clock {self.clock_id} to {self.recipient_id}"


class Notification(models.Model):
    """An in-app notification. Written in the same transaction that marks its reminder sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    clock = models.ForeignKey(
        Clock, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    reminder = models.OneToOneField(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notification"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]

    def __str__(self) -> str:
        return self.title


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a personal iCalendar feed URL. Revoking it breaks every copy of the URL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_token_one_live_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
