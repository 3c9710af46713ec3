"""Reviews of EHC plans (domain.md 2): the meeting the school convenes, who was invited and what
advice came in, the progress towards each outcome in section E, the changes proposed section by
section, the report, and the LA's decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ehcp.models import Plan, PlanOutcome, PlanVersion
from pupils.models import Pupil
from sendadmin.accounts.models import LocalAuthority, School


class Recommendation(models.TextChoices):
    """What a review may conclude, and what the LA may decide (reg 20(10))."""

    MAINTAIN = "maintain", "Keep the plan as it is"
    AMEND = "amend", "Amend the plan"
    CEASE = "cease", "Cease the plan"


class Review(models.Model):
    """One review of a plan. `version` rises with every save: a stale form is refused."""

    class Kind(models.TextChoices):
        # CFA s.44(1), reg 18: within 12 months of the plan or the last review.
        ANNUAL = "annual", "Annual review"
        # CoP 9.166: as soon as possible when needs change or a placement is breaking down.
        EARLY = "early", "Early review"
        # CoP 9.178: the LA should consider reviewing an under-five's plan every 3 to 6 months.
        INTERIM = "interim", "Interim review (under five)"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="plan_reviews")
    # The school that convenes the meeting (reg 20(1), (12)): the one named in section I.
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="plan_reviews")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="plan_reviews"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    # The date the review must be completed by (annual reviews); blank for early and interim ones.
    due_on = models.DateField(null=True, blank=True)
    # The issued version the review looks at: its section E outcomes are reviewed.
    reviewed_version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="reviews"
    )
    meeting_on = models.DateField("Meeting date", null=True, blank=True)
    invitations_sent_on = models.DateField(null=True, blank=True)
    papers_circulated_on = models.DateField(null=True, blank=True)
    held_on = models.DateField("Date the meeting was held", null=True, blank=True)
    child_views = models.TextField("The child's or young person's views", blank=True)
    parent_views = models.TextField("The parents' views", blank=True)
    # Reg 20(6): from Year 9, the review considers preparation for adulthood.
    preparing_for_adulthood = models.TextField("Preparing for adulthood", blank=True)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    disagreements = models.TextField("Disagreements", blank=True)
    report_sent_on = models.DateField(null=True, blank=True)
    la_decision = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    la_decision_on = models.DateField(null=True, blank=True)
    la_decision_reasons = models.TextField(blank=True)
    la_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Reg 22(2): the notice of the proposed amendments, sent with the decision (Devon CC [2022]).
    amendment_notice_on = models.DateField(null=True, blank=True)
    amended_version = models.OneToOneField(
        PlanVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="amending_review",
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(closed_on__isnull=True),
                name="review_one_open_per_plan",
            ),
            models.CheckConstraint(
                name="review_report_not_before_meeting",
                condition=Q(report_sent_on__isnull=True)
                | Q(report_sent_on__gte=models.F("held_on")),
            ),
            models.CheckConstraint(
                name="review_decision_not_before_meeting",
                condition=Q(la_decision_on__isnull=True)
                | Q(la_decision_on__gte=models.F("held_on")),
            ),
        ]
        indexes = [models.Index(fields=["school", "closed_on", "meeting_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of plan {self.plan_id}"


class Invitee(models.Model):
    """Someone invited to the meeting and asked for advice (reg 20(2)-(4))."""

    class Role(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        YOUNG_PERSON = "young_person", "Child or young person"
        SCHOOL = "school", "Headteacher or SENCO"
        LA_OFFICER = "la_officer", "LA SEN officer"
        HEALTH = "health", "Health care professional"
        SOCIAL_CARE = "social_care", "Social care officer"
        OTHER = "other", "Someone else"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="invitees")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=200)
    advice_received_on = models.DateField(null=True, blank=True)
    advice = models.TextField(blank=True)
    attended = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "role", "name"], name="review_invitee_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class OutcomeProgress(models.Model):
    """Progress towards one outcome in section E of the reviewed version (reg 20(5))."""

    class Rating(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        ON_TRACK = "on_track", "On track"
        NOT_ON_TRACK = "not_on_track", "Not on track"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(PlanOutcome, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=15, choices=Rating.choices)
    evidence = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "outcome__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "outcome"], name="review_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()}: {self.outcome}"


# The sections of a plan a review may propose to change (domain.md 3).
SECTIONS = [
    ("A", "A: views, interests and aspirations"),
    ("B", "B: special educational needs"),
    ("C", "C: health care needs"),
    ("D", "D: social care needs"),
    ("E", "E: outcomes"),
    ("F", "F: special educational provision"),
    ("G", "G: health care provision"),
    ("H1", "H1: social care provision (CSDPA 1970 s.2)"),
    ("H2", "H2: other social care provision"),
    ("I", "I: placement"),
    ("J", "J: personal budget"),
]


class ProposedChange(models.Model):
    """A change the review proposes to one section, so the LA can act section by section."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="proposed_changes")
    section = models.CharField(max_length=2, choices=SECTIONS)
    change = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "section"]
        constraints = [
            models.UniqueConstraint(fields=["review", "section"], name="review_change_once")
        ]

    def __str__(self) -> str:
        return f"{self.section}: {self.change[:60]}"
