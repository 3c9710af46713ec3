"""The school's SEN offer: its SEN Information Report in versions (CFA 2014 s.69; reg 51 and
Schedule 1; domain.md 4), its SENCO designation (CFA s.67; reg 49; domain.md 6) and the other
records of the governing body's duties.

Every model keeps history with the acting user; `version` rises with every save, so a form opened
before someone else's save is refused rather than overwriting it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sendadmin.accounts.models import School

# CFA 2014 s.67(2) and Sch 1 paras 2 and 4 apply to mainstream schools and maintained nurseries:
# special schools, PRUs and independent special schools are not "mainstream" (CFA s.83(2)).
NOT_MAINSTREAM = frozenset({School.Type.SPECIAL, School.Type.PRU, School.Type.INDEPENDENT_SPECIAL})


def is_mainstream(school: School) -> bool:
    return school.type not in NOT_MAINSTREAM


class InformationReport(models.Model):
    """One version of a school's SEN Information Report.

    A draft is edited by the SENCO, approved by the headteacher and by the governing body, then
    published; publishing supersedes the version published before it. `sections` maps the keys of
    offer.sections to the school's text; `live_data` is frozen at publication from the records the
    report quotes (SENCO, provision, LA contacts), so the public page never changes under a reader.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="information_reports")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    sections = models.JSONField(default=dict, blank=True)
    live_data = models.JSONField(default=dict, blank=True)
    head_approved_on = models.DateField(null=True, blank=True)
    head_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The governing body approves at a meeting (or the proprietor of an academy); the date of that
    # meeting and its minute reference are recorded by someone who was there.
    governors_approved_on = models.DateField(null=True, blank=True)
    governors_minute = models.CharField("Minute reference", max_length=100, blank=True)
    governors_approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_on = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="offer_report_number_unique"),
            models.UniqueConstraint(
                fields=["school"], condition=Q(status="draft"), name="offer_report_one_draft"
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status="published"),
                name="offer_report_one_published",
            ),
            models.CheckConstraint(
                name="offer_report_published_has_date",
                condition=~Q(status="published") | Q(published_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"SEN Information Report {self.number} ({self.get_status_display().lower()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class SencoDesignation(models.Model):
    """The member of staff the school designates as SENCO (CFA s.67(2)) and the facts reg 49 turns on.

    A SENCO must be a qualified teacher working at the school, or the headteacher (reg 49(1)-(3)):
    the check constraint refuses anything else. `ended_on` closes a designation when the SENCO
    changes; a school may have more than one current SENCO (a shared or job-share post).
    """

    class Qualification(models.TextChoices):
        NONE = "none", "Not started"
        NASENCO = "nasenco", "National Award for SEN Co-ordination (NASENCO)"
        NPQ = "npq", "National Professional Qualification for SENCOs (NPQ)"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="senco_designations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField("E-mail for parents", blank=True)
    phone = models.CharField("Telephone for parents", max_length=40, blank=True)
    qualified_teacher = models.BooleanField("Qualified teacher", default=False)
    induction_completed = models.BooleanField("Completed statutory induction", default=False)
    is_headteacher = models.BooleanField("Is the headteacher or acting headteacher", default=False)
    became_senco_on = models.DateField("Date they became SENCO at this school")
    prior_senco_months = models.PositiveSmallIntegerField(
        "Months as a SENCO before, at any school", default=0
    )
    qualification = models.CharField(
        max_length=10, choices=Qualification.choices, default=Qualification.NONE
    )
    qualification_started_on = models.DateField(null=True, blank=True)
    qualification_completed_on = models.DateField(null=True, blank=True)
    # The time the governing body allocates (reg 50; CoP 6.91 asks for sufficient time).
    hours_per_week = models.DecimalField(
        "SENCO time allocated, hours a week", max_digits=4, decimal_places=1, null=True, blank=True
    )
    ended_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["school", "-became_senco_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="offer_senco_teacher_or_head",
                condition=Q(qualified_teacher=True) | Q(is_headteacher=True),
            ),
            models.CheckConstraint(
                name="offer_senco_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("became_senco_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, SENCO from {self.became_senco_on:%d %B %Y}"


class Governance(models.Model):
    """The governing body's other records for one school (domain.md 4 and 6).

    - The SEN link governor: the governor the board asks to oversee SEN (CoP 6.3, 6.84).
    - The accessibility plan, which must be reviewed (Equality Act 2010 Sch 10 para 3: every three
      years at least) and is quoted in the SEN Information Report (CFA s.69(3)(b)).
    - The policy for supporting pupils with medical conditions (CFA s.100; statutory guidance 2015).
    - The designated teacher for looked-after children (CYPA 2008 s.20).
    """

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="governance")
    sen_link_governor = models.CharField("SEN link governor", max_length=200, blank=True)
    accessibility_plan_on = models.DateField("Accessibility plan agreed on", null=True, blank=True)
    accessibility_plan_review_on = models.DateField(
        "Accessibility plan next review", null=True, blank=True
    )
    medical_policy_on = models.DateField(
        "Medical conditions policy agreed on", null=True, blank=True
    )
    medical_policy_review_on = models.DateField(
        "Medical conditions policy next review", null=True, blank=True
    )
    designated_teacher = models.CharField(
        "Designated teacher for looked-after children", max_length=200, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "governance records"

    def __str__(self) -> str:
        return f"Governance of {self.school_id}"
