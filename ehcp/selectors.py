"""Reads of assessments, advice and plans, always filtered by what the asking user may see."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, OuterRef, Q, QuerySet, Subquery

from sendadmin.access import get_visible_or_404
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.models import Clock

from .models import (
    AdviceAttachment,
    AdviceKind,
    AdviceRequest,
    AssessmentCase,
    Plan,
    PlanNeed,
    PlanOutcome,
    PlanProvision,
    PlanVersion,
)
from .rules import advice_visible_q, case_visible_q, plan_visible_q, version_visible_q


def case_clock_open(subject: Model, kind: Kind | str) -> Clock | None:
    """The open clock of `kind` on `subject` (a case, an advice request or a plan version)."""
    return Clock.objects.filter(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        state=Clock.State.OPEN,
    ).first()


def _case_clocks_q(case_ref: Any, advice_ref: Any, version_ref: Any) -> Q:
    """Clocks whose subject is the case, one of its advice requests, or one of its plan's versions."""
    return (
        Q(subject_type=ContentType.objects.get_for_model(AssessmentCase), subject_id=case_ref)
        | Q(
            subject_type=ContentType.objects.get_for_model(AdviceRequest), subject_id__in=advice_ref
        )
        | Q(subject_type=ContentType.objects.get_for_model(PlanVersion), subject_id__in=version_ref)
    )


def case_clock_list(case: AssessmentCase) -> QuerySet[Clock]:
    """Every clock of the case, for its timeline: in the order they fall due."""
    # The ids read first (a case has a few): as subqueries under the OR, PostgreSQL read every
    # advice and plan version clock of the county and kept the case's (benchmarks/load).
    advice = list(AdviceRequest.objects.filter(case=case).values_list("pk", flat=True))
    versions = list(PlanVersion.objects.filter(plan__case=case).values_list("pk", flat=True))
    return (
        Clock.objects.filter(_case_clocks_q(case.pk, advice, versions))
        .select_related("school", "met_by")
        .order_by("started_on", "due_on", "pk")
    )


def case_list_for(
    user: Any, *, state: str = "open", search: str = "", school_id: int | None = None
) -> QuerySet[AssessmentCase]:
    """Cases the user may see, each with its next open clock; a fixed number of queries for any size.

    `state` is "open", "closed" or "all". The next clock is the soonest-due open clock of the case,
    its advice requests or its plan's versions, found by one subquery per column.
    """
    qs = AssessmentCase.objects.filter(case_visible_q(user)).select_related(
        "pupil__school", "caseworker", "local_authority"
    )
    if state == "open":
        qs = qs.filter(closed_on__isnull=True)
    elif state == "closed":
        qs = qs.filter(closed_on__isnull=False)
    if school_id is not None:
        qs = qs.filter(pupil__school_id=school_id)
    if search:
        for word in search.split()[:5]:
            qs = qs.filter(
                Q(pupil__legal_last_name__icontains=word)
                | Q(pupil__legal_first_name__icontains=word)
                | Q(pupil__preferred_name__icontains=word)
                | Q(pupil__upn__iexact=word)
            )
    advice = AdviceRequest.objects.filter(case_id=OuterRef(OuterRef("pk"))).values("pk")
    versions = PlanVersion.objects.filter(plan__case_id=OuterRef(OuterRef("pk"))).values("pk")
    # Every clock of a case, its advice and its plan's versions is opened with the case's pupil
    # (services.py, plans.py), so the pupil narrows the search to a few rows by the (pupil, due_on)
    # index; without it PostgreSQL walked every open clock in due order for each case on the page.
    next_clock = Clock.objects.filter(
        _case_clocks_q(OuterRef("pk"), advice, versions),
        pupil_id=OuterRef("pupil_id"),
        state=Clock.State.OPEN,
    ).order_by("due_on", "pk")
    return qs.annotate(
        next_clock_kind=Subquery(next_clock.values("kind")[:1]),
        next_clock_due=Subquery(next_clock.values("due_on")[:1]),
    ).order_by("request_received_on", "pk")


def case_get_for_user_or_404(user: Any, pk: Any) -> AssessmentCase:
    qs = AssessmentCase.objects.filter(case_visible_q(user)).select_related(
        "pupil__school", "caseworker", "local_authority", "requested_school"
    )
    return get_visible_or_404(qs, pk=pk)


def advice_list_for(user: Any, *, case: AssessmentCase | None = None) -> QuerySet[AdviceRequest]:
    qs = AdviceRequest.objects.filter(advice_visible_q(user)).select_related(
        "case__pupil__school", "case__local_authority", "school", "submitted_by"
    )
    if case is not None:
        qs = qs.filter(case=case)
    return qs.order_by("received_on", "pk")


def advice_inbox_for(user: Any) -> QuerySet[AdviceRequest]:
    """The school's educational advice requests, outstanding first, soonest due first."""
    open_clock = Clock.objects.filter(
        kind=Kind.ADVICE_REQUEST,
        subject_type=ContentType.objects.get_for_model(AdviceRequest),
        subject_id=OuterRef("pk"),
    ).order_by("-pk")
    return (
        advice_list_for(user)
        .filter(kind=AdviceKind.EDUCATIONAL)
        .exclude(status=AdviceRequest.Status.WITHDRAWN)
        .annotate(due_on=Subquery(open_clock.values("due_on")[:1]))
        .order_by("status", "due_on", "pk")
    )


def advice_get_for_user_or_404(user: Any, pk: Any) -> AdviceRequest:
    return get_visible_or_404(advice_list_for(user), pk=pk)


def plan_list_for(user: Any) -> QuerySet[Plan]:
    return Plan.objects.filter(plan_visible_q(user)).select_related(
        "pupil__school", "local_authority", "case"
    )


def plan_get_for_user_or_404(user: Any, pk: Any) -> Plan:
    return get_visible_or_404(plan_list_for(user), pk=pk)


def version_list_for(user: Any, plan: Plan) -> QuerySet[PlanVersion]:
    return (
        PlanVersion.objects.filter(version_visible_q(user), plan=plan)
        .select_related("issued_by", "section_i_school")
        .order_by("number")
    )


def version_get_for_user_or_404(user: Any, pk: Any) -> PlanVersion:
    qs = PlanVersion.objects.filter(version_visible_q(user)).select_related(
        "plan__pupil__school", "plan__local_authority", "plan__case", "section_i_school"
    )
    return get_visible_or_404(qs, pk=pk)


def cases_open_count(local_authority_id: int) -> int:
    return AssessmentCase.objects.filter(
        local_authority_id=local_authority_id, closed_on__isnull=True
    ).count()


# --- The school side of EHC advice (views_advice) ---
def advice_clocks_for(advice: list[AdviceRequest]) -> dict[int, Clock]:
    """The latest advice clock of each request (open, or met when the advice was sent), one query."""
    clocks = Clock.objects.filter(
        kind=Kind.ADVICE_REQUEST,
        subject_type=ContentType.objects.get_for_model(AdviceRequest),
        subject_id__in=[a.pk for a in advice],
    ).order_by("subject_id", "pk")
    return {clock.subject_id: clock for clock in clocks}


def attachment_get_for_user_or_404(user: Any, pk: Any) -> AdviceAttachment:
    """An attachment of advice the user may see (whether they may read it is a permission)."""
    qs = AdviceAttachment.objects.filter(
        advice__in=AdviceRequest.objects.filter(advice_visible_q(user)).values("pk")
    ).select_related("advice__case__local_authority", "advice__school")
    return get_visible_or_404(qs, pk=pk)


# --- EHC plan editing and issuing (views_plans) ---
def plan_rows_for(user: Any) -> QuerySet[Plan]:
    """Visible plans with their latest issued version and, where the user may see it, the version in
    progress: a fixed number of queries for any number of plans."""
    issued = PlanVersion.objects.filter(
        version_visible_q(user), plan_id=OuterRef("pk"), issued_on__isnull=False
    ).order_by("-number")
    unissued = PlanVersion.objects.filter(
        version_visible_q(user), plan_id=OuterRef("pk"), issued_on__isnull=True
    )
    return (
        plan_list_for(user)
        .annotate(
            issued_number=Subquery(issued.values("number")[:1]),
            issued_kind=Subquery(issued.values("kind")[:1]),
            issued_on=Subquery(issued.values("issued_on")[:1]),
            unissued_number=Subquery(unissued.values("number")[:1]),
            unissued_kind=Subquery(unissued.values("kind")[:1]),
        )
        .order_by("pupil__legal_last_name", "pupil__legal_first_name", "pk")
    )


def _rows_of_visible_versions(model: Any, user: Any) -> QuerySet[Any]:
    return model.objects.filter(
        version__in=PlanVersion.objects.filter(version_visible_q(user)).values("pk")
    ).select_related("version__plan__pupil__school", "version__plan__local_authority")


def plan_need_get_for_user_or_404(user: Any, pk: Any) -> PlanNeed:
    return get_visible_or_404(_rows_of_visible_versions(PlanNeed, user), pk=pk)


def plan_outcome_get_for_user_or_404(user: Any, pk: Any) -> PlanOutcome:
    return get_visible_or_404(_rows_of_visible_versions(PlanOutcome, user), pk=pk)


def plan_provision_get_for_user_or_404(user: Any, pk: Any) -> PlanProvision:
    return get_visible_or_404(_rows_of_visible_versions(PlanProvision, user), pk=pk)


def version_content(version: PlanVersion) -> dict[str, Any]:
    """Sections B, E, F and K of one version with their links, in five queries."""
    return {
        "needs": list(version.needs.all()),
        "outcomes": list(version.outcomes.prefetch_related("needs")),
        "provisions": list(
            version.provisions.select_related("map_provision").prefetch_related("needs", "outcomes")
        ),
        "advice": list(version.advice.select_related("school").order_by("received_on", "pk")),
    }
