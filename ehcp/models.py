"""EHC needs assessments (domain.md 1), the advice gathered for them (reg 6) and EHC plans as linked
data, section by section (reg 12; domain.md 3), in versions that freeze once issued."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pupils.codes import Area, NeedType
from pupils.models import Pupil
from sendadmin.accounts.models import LocalAuthority, School


class AssessmentCase(models.Model):
    """One request for an EHC needs assessment and everything that follows from it, held by the LA.

    Every statutory clock of the assessment starts on `request_received_on` (domain.md 1.1; CFA
    s.36(1)). `version` rises with every save, so a form opened before someone else's save is refused.
    """

    class RequestedBy(models.TextChoices):
        # CFA s.36(1) and CoP 9.8-9.9: a parent, a young person or a school may request; anyone else
        # brings the child to the LA's attention.
        PARENT = "parent", "Parent or carer"
        YOUNG_PERSON = "young_person", "Young person"
        SCHOOL = "school", "School or other institution"
        OTHER = "other", "Someone else (brought to the LA's attention)"

    class AssessDecision(models.TextChoices):
        PENDING = "pending", "Not decided yet"
        ASSESS = "assess", "Assess"
        NOT_ASSESS = "not_assess", "Not to assess"

    class IssueDecision(models.TextChoices):
        PENDING = "pending", "Not decided yet"
        ISSUE = "issue", "Issue a plan"
        NOT_ISSUE = "not_issue", "Not to issue a plan"

    class ConsultationReply(models.TextChoices):
        NONE = "", "No reply yet"
        AGREES = "agrees", "Agrees to be named"
        DECLINES = "declines", "Says it is unsuitable or cannot take the pupil"

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="assessment_cases")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="assessment_cases"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment_cases",
    )
    requested_by = models.CharField(max_length=20, choices=RequestedBy.choices)
    requester_name = models.CharField("Name of the person who asked", max_length=200, blank=True)
    request_received_on = models.DateField("Date the LA received the request")
    request_reason = models.TextField("Why the assessment is asked for", blank=True)
    assess_decision = models.CharField(
        max_length=12, choices=AssessDecision.choices, default=AssessDecision.PENDING
    )
    assess_decision_on = models.DateField(null=True, blank=True)
    assess_decision_reasons = models.TextField(blank=True)
    issue_decision = models.CharField(
        max_length=12, choices=IssueDecision.choices, default=IssueDecision.PENDING
    )
    issue_decision_on = models.DateField(null=True, blank=True)
    issue_decision_reasons = models.TextField(blank=True)
    # Reg 13(1)(b) and CFA s.38(2)(b): the school the parent or young person asks to be named.
    requested_school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_school_name = models.CharField(max_length=200, blank=True)
    consultation_sent_on = models.DateField(null=True, blank=True)
    consultation_reply_on = models.DateField(null=True, blank=True)
    consultation_reply = models.CharField(
        max_length=10, choices=ConsultationReply.choices, blank=True, default=""
    )
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["request_received_on", "pk"]
        constraints = [
            # One open assessment per child: a request sent twice, or by two people, is one case.
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(closed_on__isnull=True),
                name="ehcp_case_one_open_per_pupil",
            ),
            models.CheckConstraint(
                name="ehcp_case_assess_decision_not_before_request",
                condition=Q(assess_decision_on__isnull=True)
                | Q(assess_decision_on__gte=models.F("request_received_on")),
            ),
            models.CheckConstraint(
                name="ehcp_case_issue_decision_not_before_request",
                condition=Q(issue_decision_on__isnull=True)
                | Q(issue_decision_on__gte=models.F("request_received_on")),
            ),
        ]
        indexes = [models.Index(fields=["local_authority", "closed_on", "request_received_on"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"EHC-{self.pk:06d}" if self.pk else "EHC-new"

    def week_number(self, today: dt.date | None = None) -> int:
        """Week 1 is the seven days beginning with the day the request arrived (domain.md 0A)."""
        today = today or timezone.localdate()
        return max((today - self.request_received_on).days // 7 + 1, 1)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class AdviceKind(models.TextChoices):
    """The advice the LA must seek (reg 6(1); domain.md 1.3)."""

    PARENT = "parent", "Parent or young person (reg 6(1)(a))"
    EDUCATIONAL = "educational", "Educational advice (reg 6(1)(b))"
    MEDICAL = "medical", "Medical advice (reg 6(1)(c))"
    PSYCHOLOGICAL = "psychological", "Educational psychology (reg 6(1)(d))"
    SOCIAL_CARE = "social_care", "Social care (reg 6(1)(e))"
    OTHER = "other", "Other advice (reg 6(1)(f) or (h))"
    PREPARATION_FOR_ADULTHOOD = "adulthood", "Preparation for adulthood (reg 6(1)(g), Year 9 on)"


class AdviceRequest(models.Model):
    """The LA's request to one adviser, with its own 6-week clock from the day the adviser received
    it (reg 8(1)). Educational advice goes to the pupil's school, which writes it in sendadmin; other
    advisers' replies are recorded by the caseworker with the document attached."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUBMITTED = "submitted", "Received by the LA"
        WITHDRAWN = "withdrawn", "Withdrawn"

    case = models.ForeignKey(AssessmentCase, on_delete=models.CASCADE, related_name="advice")
    kind = models.CharField(max_length=20, choices=AdviceKind.choices)
    adviser_name = models.CharField("Adviser or service", max_length=200)
    # Set for educational advice: the school whose SENCO and headteacher write it.
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="advice_requests"
    )
    sent_on = models.DateField("Date sent")
    received_on = models.DateField("Date the adviser received it")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The school's educational advice (CoP 9.49; the issue's list of what it covers).
    needs = models.TextField("The pupil's special educational needs", blank=True)
    attainment = models.TextField("Attainment and progress", blank=True)
    attendance = models.TextField("Attendance", blank=True)
    tried = models.TextField("What has been tried, and its cost", blank=True)
    outcomes_sought = models.TextField("Outcomes sought", blank=True)
    pupil_views = models.TextField("The pupil's views", blank=True)
    parent_views = models.TextField("The parents' views", blank=True)
    # Another adviser's reply as the caseworker records it.
    summary = models.TextField("Summary of the advice", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "received_on", "pk"]
        constraints = [
            # The same request sent twice is one request.
            models.UniqueConstraint(
                fields=["case", "kind", "adviser_name"],
                condition=~Q(status="withdrawn"),
                name="ehcp_advice_once_per_adviser",
            ),
            models.CheckConstraint(
                name="ehcp_advice_received_not_before_sent",
                condition=Q(received_on__gte=models.F("sent_on")),
            ),
            models.CheckConstraint(
                name="ehcp_advice_submitted_has_date",
                condition=~Q(status="submitted") | Q(submitted_on__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["school", "status", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.adviser_name}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


def _attachment_path(instance: AdviceAttachment, filename: str) -> str:
    # A random stored name: the uploader's file name is kept only as data, never as a path.
    return f"advice/{instance.advice_id}/{instance.sha256[:16]}-{timezone.now():%Y%m%d%H%M%S%f}"


class AdviceAttachment(models.Model):
    """A document attached to advice. Stored outside any served directory and downloaded only
    through a view that checks visibility, as an attachment, with an audit event."""

    advice = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            # The same file uploaded twice to the same advice is one attachment.
            models.UniqueConstraint(fields=["advice", "sha256"], name="ehcp_attachment_once"),
        ]

    def __str__(self) -> str:
        return self.original_name


class Plan(models.Model):
    """An EHC plan: the versions below hold its content; this row is what stays the same."""

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="ehc_plans")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="ehc_plans"
    )
    case = models.OneToOneField(
        AssessmentCase, on_delete=models.PROTECT, null=True, blank=True, related_name="plan"
    )
    ceased_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=Q(ceased_on__isnull=True),
                name="ehcp_plan_one_live_per_pupil",
            )
        ]

    def __str__(self) -> str:
        return f"EHC plan {self.pk}"


class PlanVersion(models.Model):
    """One version of a plan. Editable until issued, then frozen: a change makes a new version.

    A draft is issued by serving it on the parent or young person (reg 13(1)); a final or amended
    version by sending it (reg 14). Section I stays blank in a draft (CoP 9.77; domain.md 1.1 5b).
    """

    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"
        AMENDED = "amended", "Amended"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_on = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Representations on a draft (reg 13(1)): when they arrived, and what they said.
    representations_on = models.DateField(null=True, blank=True)
    representations = models.TextField(blank=True)
    # Section A, C, D, G, H1, H2, I, J (domain.md 3). B, E and F are rows below; K is the advice.
    section_a = models.TextField("A: views, interests and aspirations", blank=True)
    section_c = models.TextField("C: health care needs related to the SEN", blank=True)
    section_d = models.TextField("D: social care needs", blank=True)
    section_g = models.TextField("G: health care provision", blank=True)
    section_h1 = models.TextField(
        "H1: social care provision under s.2 of the Chronically Sick and Disabled Persons Act 1970",
        blank=True,
    )
    section_h2 = models.TextField("H2: other social care provision", blank=True)
    section_i_school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    section_i_name = models.CharField(
        "I: name of the school or institution", max_length=200, blank=True
    )
    section_i_type = models.CharField(
        "I: type of school or institution", max_length=200, blank=True
    )
    section_j = models.TextField("J: personal budget and direct payments", blank=True)
    advice = models.ManyToManyField(AdviceRequest, blank=True, related_name="plan_versions")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[advice])

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="ehcp_version_number_unique"),
            # At most one version being edited at a time.
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(issued_on__isnull=True),
                name="ehcp_version_one_unissued_per_plan",
            ),
            # CoP 9.77: a draft must not name a school.
            models.CheckConstraint(
                name="ehcp_draft_names_no_school",
                condition=~Q(kind="draft")
                | (Q(section_i_school__isnull=True) & Q(section_i_name="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} version {self.number}"

    @property
    def is_issued(self) -> bool:
        return self.issued_on is not None


class PlanNeed(models.Model):
    """Section B: one special educational need, in the four broad areas (CoP 6.28)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="needs")
    area = models.CharField("Area of need", max_length=20, choices=Area.choices)
    code = models.CharField("Census need type", max_length=4, choices=NeedType.choices, blank=True)
    description = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class PlanOutcome(models.Model):
    """Section E: an outcome sought, linked to the needs in B it answers."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.TextField()
    by_when = models.CharField("By when", max_length=100, blank=True)
    needs = models.ManyToManyField(PlanNeed, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[needs])

    class Meta:
        ordering = ["version", "position", "pk"]

    def __str__(self) -> str:
        return self.outcome[:80]


class PlanProvision(models.Model):
    """Section F: special educational provision, specific and quantified (CoP 9.69: what, how often,
    for how long, by whom), linked to the needs and outcomes it serves, and optionally to the school's
    provision map entry that delivers it, so delivery can be compared with the plan."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="provisions")
    what = models.TextField("What")
    sessions_per_week = models.PositiveSmallIntegerField("Sessions a week")
    minutes_per_session = models.PositiveSmallIntegerField("Minutes a session")
    duration = models.CharField("For how long", max_length=100)
    delivered_by = models.CharField("By whom", max_length=200)
    group_size = models.PositiveSmallIntegerField("Group size", default=1)
    needs = models.ManyToManyField(PlanNeed, related_name="provisions")
    outcomes = models.ManyToManyField(PlanOutcome, blank=True, related_name="provisions")
    map_provision = models.ForeignKey(
        "provision.Provision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_provisions",
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[needs, outcomes])

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="ehcp_provision_quantified",
                condition=Q(sessions_per_week__gte=1)
                & Q(minutes_per_session__gte=1)
                & Q(group_size__gte=1),
            )
        ]

    def __str__(self) -> str:
        return self.what[:80]
