"""The person-level items of the LA's SEN2 return that sendadmin holds (domain.md 7.2), as CSV rows.

SEN2 is collected on the January census day (the 3rd Thursday of January, domain.md 7.1): its
activity items (requests, assessments, new plans) cover the previous calendar year, and its active
plans are a snapshot on the census day. So the export for `year` lists the requests received in
`year` and the plans active on the census day of January `year + 1`.

Columns SEN2 needs that sendadmin does not hold (sex, ethnicity, postcode, ULN, mediation, tribunal,
the request's outcome and assessment outcome as DfE codes) are present and blank, or given as
sendadmin's own values, for the LA's case management system to complete. Every cell goes through
`pupils.export.safe_cell` (OWASP CSV injection). Only the LA's own cases and plans are read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import Min, OuterRef, Q, QuerySet, Subquery

from ehcp.models import AssessmentCase, Plan, PlanVersion
from pupils.export import safe_cell
from pupils.models import PupilNeed
from reviews.models import Review

from .la import final_plan_exception_recorded, latest_issued_versions

# domain.md 7.1: spring census day = the 3rd Thursday in January.
THURSDAY = 3
CENSUS_WEEK = 3

# domain.md 7.2, RequestSource (new in 2026): 1 YP/parent, 2 school or education setting, 3 health,
# 4 social care, 5 other. sendadmin records who asked, not whether another person was from health or
# social care, so everyone else is 5.
REQUEST_SOURCE = {
    AssessmentCase.RequestedBy.PARENT: "1",
    AssessmentCase.RequestedBy.YOUNG_PERSON: "1",
    AssessmentCase.RequestedBy.SCHOOL: "2",
    AssessmentCase.RequestedBy.OTHER: "5",
}
# The DfE code lists of RequestOutcome and AssessmentOutcome are not in domain.md (UNVERIFIED): the
# decisions go out as sendadmin's values, with their dates, for the LA's SEN2 tooling to map.
REQUEST_OUTCOME = {
    AssessmentCase.AssessDecision.ASSESS: "assess",
    AssessmentCase.AssessDecision.NOT_ASSESS: "not_assess",
}
ASSESSMENT_OUTCOME = {
    AssessmentCase.IssueDecision.ISSUE: "issue",
    AssessmentCase.IssueDecision.NOT_ISSUE: "not_issue",
}

PERSON = ["Surname", "Forename", "PersonBirthDate", "Sex", "Ethnicity", "PostCode", "UPN", "ULN"]
REQUEST = [
    "ReceivedDate",
    "RequestSource",
    "RequestOutcome",
    "RequestOutcomeDate",
    "RequestMediation",
    "RequestTribunal",
]
ASSESSMENT = [
    "AssessmentOutcome",
    "AssessmentOutcomeDate",
    "AssessmentMediation",
    "AssessmentTribunal",
    "Week20",
]
PLAN = [
    "StartDate",
    "URN",
    "SENSetting",
    "PlacementDescription",
    "SENtype1",
    "SENtypeRank1",
    "SENtype2",
    "SENtypeRank2",
    "ReviewMeeting",
    "LastReview",
]
HEADER = ["Item", *PERSON, *REQUEST, *ASSESSMENT, *PLAN]
# Held elsewhere (the LA's case management system, the tribunal's and mediators' records).
NOT_HELD = (
    "Sex",
    "Ethnicity",
    "PostCode",
    "ULN",
    "RequestMediation",
    "RequestTribunal",
    "AssessmentMediation",
    "AssessmentTribunal",
)
# domain.md 7.2: placements without a URN are coded by SENSetting; sendadmin keeps section I's
# text, not the DfE setting code, so such a placement is "other" with its text beside it.
OTHER_SETTING = "OTH"


def census_day(year: int) -> dt.date:
    """The spring census day of January `year + 1` that reports on `year` (domain.md 7.1)."""
    january = dt.date(year + 1, 1, 1)
    first_thursday = january + dt.timedelta(days=(THURSDAY - january.weekday()) % 7)
    return first_thursday + dt.timedelta(weeks=CENSUS_WEEK - 1)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _first_final() -> Subquery:
    return Subquery(
        PlanVersion.objects.filter(plan__case_id=OuterRef("pk"), kind=PlanVersion.Kind.FINAL)
        .exclude(issued_on__isnull=True)
        .order_by("issued_on", "number")
        .values("section_i_school__urn")[:1]
    )


def request_rows(la_id: int, year: int) -> QuerySet[AssessmentCase]:
    """Requests the LA received in `year`, with the first final plan they led to (one query)."""
    return (
        AssessmentCase.objects.filter(local_authority_id=la_id, request_received_on__year=year)
        .select_related("pupil")
        .annotate(
            first_final_on=Min(
                "plan__versions__issued_on",
                filter=Q(plan__versions__kind=PlanVersion.Kind.FINAL),
            ),
            first_final_urn=_first_final(),
            has_exception=final_plan_exception_recorded(),
        )
        .order_by("request_received_on", "pk")
    )


def _need(rank: int) -> Subquery:
    return Subquery(
        PupilNeed.objects.filter(pupil_id=OuterRef("pupil_id"), rank=rank).values("code")[:1]
    )


def active_plan_rows(la_id: int, on: dt.date) -> QuerySet[Plan]:
    """The LA's plans in force on `on`: a final issued by then and not ceased by then (one query).

    The placement is section I of the latest version issued by then; the review dates are those of
    the latest review held, and the latest the LA completed by deciding (ADR 0012), by then."""
    latest = latest_issued_versions(on)
    reviews = Review.objects.filter(plan_id=OuterRef("pk"))
    return (
        Plan.objects.filter(local_authority_id=la_id)
        .filter(Q(ceased_on__isnull=True) | Q(ceased_on__gt=on))
        .annotate(
            start_on=Min("versions__issued_on", filter=Q(versions__kind=PlanVersion.Kind.FINAL)),
            urn=Subquery(latest.values("section_i_school__urn")[:1]),
            setting_text=Subquery(latest.values("section_i_type")[:1]),
            setting_name=Subquery(latest.values("section_i_name")[:1]),
            need_1=_need(1),
            need_2=_need(2),
            meeting_on=Subquery(
                reviews.filter(held_on__lte=on).order_by("-held_on").values("held_on")[:1]
            ),
            completed_on=Subquery(
                reviews.filter(la_decision_on__lte=on)
                .order_by("-la_decision_on")
                .values("la_decision_on")[:1]
            ),
        )
        .filter(start_on__lte=on)
        .select_related("pupil")
        .order_by("pupil__legal_last_name", "pupil__legal_first_name", "pk")
    )


def _person(pupil: Any) -> list[Any]:
    return [
        pupil.legal_last_name,
        pupil.legal_first_name,
        _date(pupil.date_of_birth),
        "",
        "",
        "",
        pupil.upn,
        "",
    ]


def _request_cells(case: Any) -> list[Any]:
    assessed = case.assess_decision == AssessmentCase.AssessDecision.ASSESS
    cells = [
        "Request",
        *_person(case.pupil),
        _date(case.request_received_on),
        REQUEST_SOURCE.get(case.requested_by, "5"),
        REQUEST_OUTCOME.get(case.assess_decision, ""),
        _date(case.assess_decision_on),
        "",
        "",
        ASSESSMENT_OUTCOME.get(case.issue_decision, "") if assessed else "",
        _date(case.issue_decision_on) if assessed else "",
        "",
        "",
        # Week20: a permitted exception to the 20-week limit applied (reg 13(3); domain.md 7.2).
        ("1" if case.has_exception else "0") if assessed else "",
        _date(case.first_final_on),
        case.first_final_urn or "",
    ]
    return cells + [""] * (len(HEADER) - len(cells))


def _plan_cells(plan: Any) -> list[Any]:
    placed_at_school = bool(plan.urn)
    description = "" if placed_at_school else (plan.setting_text or plan.setting_name or "")
    cells = [
        "Active plan",
        *_person(plan.pupil),
        *[""] * (len(REQUEST) + len(ASSESSMENT)),
        _date(plan.start_on),
        plan.urn or "",
        "" if placed_at_school else OTHER_SETTING,
        description,
        plan.need_1 or "",
        "1" if plan.need_1 else "",
        plan.need_2 or "",
        "2" if plan.need_2 else "",
        _date(plan.meeting_on),
        _date(plan.completed_on),
    ]
    return cells


def sen2_rows(la_id: int, year: int) -> Iterator[list[Any]]:
    """The header, then one row per request received in `year`, then one per plan active on the
    census day after it; every cell made inert for spreadsheets."""
    yield [safe_cell(h) for h in HEADER]
    for case in request_rows(la_id, year):
        yield [safe_cell(v) for v in _request_cells(case)]
    for plan in active_plan_rows(la_id, census_day(year)):
        yield [safe_cell(v) for v in _plan_cells(plan)]


def sen2_csv(la_id: int, year: int) -> tuple[str, int]:
    """The CSV text and the number of person-level rows in it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = -1
    for row in sen2_rows(la_id, year):
        writer.writerow(row)
        count += 1
    return buffer.getvalue(), count


__all__ = ["HEADER", "NOT_HELD", "census_day", "sen2_csv", "sen2_rows"]
