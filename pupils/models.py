"""Pupils, their needs, and the teaching groups that tie them to the staff who teach them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sendadmin.accounts.models import School

from .codes import NEED_AREA, Area, NeedType, SenProvision, YearGroup
from .upn import is_valid_upn


def current_q(prefix: str = "", on: dt.date | None = None) -> Q:
    """Rows with start and end dates that are current on `on` (today by default)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


class Pupil(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField("UPN", max_length=13)
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    year_group = models.SmallIntegerField(choices=YearGroup.choices)
    admission_date = models.DateField()
    leaving_date = models.DateField(null=True, blank=True)
    sen_provision = models.CharField(
        "SEN provision", max_length=1, choices=SenProvision.choices, default=SenProvision.NO_SEN
    )
    looked_after = models.BooleanField(default=False)
    eal = models.BooleanField("English as an additional language", default=False)
    free_school_meals = models.BooleanField("Eligible for free school meals", default=False)
    pupil_premium = models.BooleanField("Pupil premium", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], name="pupil_upn_unique_per_school")
        ]
        indexes = [
            models.Index(fields=["school", "sen_provision"]),
            models.Index(fields=["school", "legal_last_name", "legal_first_name"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.upn and not is_valid_upn(self.upn):
            errors["upn"] = f"{self.upn} is not a valid UPN: check the 13 characters and the letter"
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = "Date of birth must be in the past"
        if errors:
            raise ValidationError(errors)


class PupilNeed(models.Model):
    """A ranked type of SEN (rank 1 is the primary need), as the spring census records it."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="needs")
    rank = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=4, choices=NeedType.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "rank"], name="pupil_need_rank_unique"),
            models.UniqueConstraint(fields=["pupil", "code"], name="pupil_need_code_unique"),
            models.CheckConstraint(
                name="pupil_need_rank_1_to_99", condition=Q(rank__gte=1, rank__lte=99)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}: {self.code}"

    @property
    def area(self) -> Area:
        return NEED_AREA[self.code]


class TeachingGroup(models.Model):
    """A class, set or tutor group: a teacher teaches a pupil when both are in a current group."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teaching_groups")
    name = models.CharField(max_length=100)
    year_group = models.SmallIntegerField(choices=YearGroup.choices, null=True, blank=True)
    # A pupil has one registration group (form, tutor group) at a time: the MIS import moves them
    # out of the old one, and must never end their links to sets or intervention groups.
    registration = models.BooleanField("Registration group", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="teaching_group_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TeachingGroupPupil(models.Model):
    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE, related_name="pupil_links")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="group_links")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["group", "pupil"])]

    def __str__(self) -> str:
        return f"{self.pupil_id} in {self.group_id}"


class TeachingGroupStaff(models.Model):
    class StaffRole(models.TextChoices):
        TEACHER = "teacher", "Teacher"
        TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"

    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE, related_name="staff_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teaching_links"
    )
    role = models.CharField(max_length=30, choices=StaffRole.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["user", "group"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} {self.group_id}"


class SenStatus(models.Model):
    """One dated period of census SEN provision; Pupil.sen_provision mirrors the open one.

    `end` is the last day of the period (inclusive); the open period has no end. A census as at a
    date reads this table, not Pupil.sen_provision (domain.md 7.1).
    """

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="sen_statuses")
    provision = models.CharField(max_length=1, choices=SenProvision.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(end__isnull=True), name="sen_status_one_open"
            ),
            models.CheckConstraint(
                name="sen_status_end_after_start",
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
            ),
        ]
        indexes = [models.Index(fields=["pupil", "start"])]

    def __str__(self) -> str:
        return f"{self.provision} from {self.start}"


class ParentsToldRecord(models.Model):
    """That the parents were told SEN provision is being made (CFA 2014 s.68; domain.md 5)."""

    class Method(models.TextChoices):
        MEETING = "meeting", "In a meeting"
        LETTER = "letter", "By letter"
        EMAIL = "email", "By e-mail"
        PHONE = "phone", "By phone"
        OTHER = "other", "Another way"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="parents_told")
    told_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    told_by = models.CharField("Told by", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "-told_on"]

    def __str__(self) -> str:
        return f"Parents told on {self.told_on}"


class ParentCarer(models.Model):
    class ContactPreference(models.TextChoices):
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Phone"
        LETTER = "letter", "Letter"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="parent_carers")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField("E-mail address", blank=True)
    address = models.TextField(blank=True)
    contact_preference = models.CharField(
        max_length=10, choices=ContactPreference.choices, default=ContactPreference.EMAIL
    )
    has_parental_responsibility = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"


class MedicalCondition(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="medical_conditions")
    condition = models.CharField(max_length=200)
    has_healthcare_plan = models.BooleanField("Has an individual healthcare plan", default=False)
    healthcare_plan_review_on = models.DateField(
        "Individual healthcare plan review date", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pupil", "condition", "pk"]

    def __str__(self) -> str:
        return self.condition
