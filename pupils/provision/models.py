"""The costed provision map: catalogue, assignments, delivered sessions and the notional budget."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from pupils.codes import Area
from pupils.models import Pupil
from sendadmin.accounts.models import School


class StaffRole(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    TA = "ta", "Teaching assistant"
    SPECIALIST = "specialist", "Specialist"


class Provision(models.Model):
    """One intervention in a school's catalogue, with what it costs to run."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="provisions")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    area = models.CharField("Area of need", max_length=20, choices=Area.choices)
    one_to_one = models.BooleanField("1:1", default=False)
    staff_role = models.CharField(max_length=12, choices=StaffRole.choices)
    sessions_per_week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    minutes_per_session = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    cost_per_hour = models.DecimalField(
        "Staff cost per hour",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_group_size = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    active = models.BooleanField(default=True)
    # Bumped on every edit: a form opened at an older version is refused, not silently applied.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="provision_unique_name"),
            models.CheckConstraint(
                condition=Q(max_group_size__gte=1), name="provision_group_size_positive"
            ),
            models.CheckConstraint(
                condition=Q(cost_per_hour__gte=0), name="provision_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProvisionAssignment(models.Model):
    """A pupil receiving a provision from a start date, with entry and exit measures of impact."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="assignments")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="provision_assignments")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    entry_measure = models.CharField(max_length=200, blank=True)
    exit_measure = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="provision_assignment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provision} for pupil {self.pupil_id}"


class SessionLog(models.Model):
    """One session of a provision as delivered. A member of staff may run several a day (1:1
    sessions with different pupils); each "Log a session" form carries a submission key, so the same
    form sent twice lands on the first log rather than a second one."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="provision_sessions"
    )
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    notes = models.TextField(blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.provision} on {self.date:%d %B %Y}"


class SessionAttendance(models.Model):
    """Whether one assigned pupil attended one logged session."""

    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="attendance")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="provision_attendance")
    attended = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "pupil"], name="session_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"pupil {self.pupil_id} at {self.session}"


class NotionalSenBudget(models.Model):
    """A school's notional SEN budget for the financial year starting on year_start (1 April)."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="notional_sen_budgets"
    )
    year_start = models.DateField()
    amount = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year_start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year_start"], name="notional_budget_once"),
        ]

    def __str__(self) -> str:
        return f"{self.school} notional SEN budget from {self.year_start}"
