"""SEN support plans: a plan per pupil, one assess-plan-do-review cycle after another (CoP 6.44-6.56),
and the meetings with parents CoP 6.65 expects at least three times a year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pupils.models import Pupil
from sendadmin.accounts.models import School


class SupportPlan(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="support_plans")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil"], name="support_plan_one_per_pupil"),
        ]

    def __str__(self) -> str:
        return f"SEN support plan of {self.pupil}"


class SupportCycle(models.Model):
    """One assess-plan-do-review cycle. `version` rises with every edit, so a form opened before
    someone else's save is refused instead of overwriting it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        REVIEWED = "reviewed", "Reviewed"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    assessment = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    review_date = models.DateField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="support_cycle_number_unique"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=~Q(status="reviewed"),
                name="support_cycle_one_current_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"Cycle {self.number} ({self.get_status_display()})"


class CycleOutcome(models.Model):
    """`version` rises with every edit, as the cycle's does, but per row: two people editing
    different outcomes of the same cycle do not refuse each other."""

    cycle = models.ForeignKey(SupportCycle, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.TextField("Outcome sought")
    success_criteria = models.TextField("Success criteria")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "pk"]

    def __str__(self) -> str:
        return self.outcome[:80]


class CycleProvision(models.Model):
    cycle = models.ForeignKey(SupportCycle, on_delete=models.CASCADE, related_name="provisions")
    provision = models.TextField("Strategy or provision")
    who = models.CharField("Who delivers it", max_length=200)
    how_often = models.CharField("How often", max_length=200)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "pk"]

    def __str__(self) -> str:
        return self.provision[:80]


class CycleView(models.Model):
    """The pupil's or the parents' views for this cycle (CoP 6.45, 6.48: they take part)."""

    class Whose(models.TextChoices):
        PUPIL = "pupil", "The pupil's views"
        PARENT = "parent", "The parents' views"

    cycle = models.ForeignKey(SupportCycle, on_delete=models.CASCADE, related_name="views")
    whose = models.CharField(max_length=10, choices=Whose.choices)
    text = models.TextField("Views")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "whose", "pk"]

    def __str__(self) -> str:
        return f"{self.get_whose_display()}: {self.text[:60]}"


class DeliveryNote(models.Model):
    """The "do" step: what was delivered, by a teacher or the SENCO (CoP 6.52)."""

    cycle = models.ForeignKey(SupportCycle, on_delete=models.CASCADE, related_name="delivery_notes")
    delivered_on = models.DateField()
    note = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "-delivered_on", "-pk"]

    def __str__(self) -> str:
        return f"Delivered {self.delivered_on}"


class OutcomeReview(models.Model):
    class Progress(models.TextChoices):
        NOT_YET = "not_yet", "Not yet making progress"
        SOME = "some", "Some progress"
        GOOD = "good", "Good progress"
        ACHIEVED = "achieved", "Outcome achieved"

    outcome = models.OneToOneField(CycleOutcome, on_delete=models.CASCADE, related_name="review")
    progress = models.CharField(max_length=10, choices=Progress.choices)
    notes = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.get_progress_display()


class ParentMeeting(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="parent_meetings")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    attendees = models.TextField()
    agreed = models.TextField("What was agreed")
    next_date = models.DateField("Date of the next meeting", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "-date", "-pk"]
        indexes = [models.Index(fields=["pupil", "date"])]

    def __str__(self) -> str:
        return f"Meeting with parents on {self.date}"
