"""State changes of EHC plans: the draft started from the assessment, section edits, issuing
(which freezes a version), new versions, and what issuing does to the case's clocks (domain.md 1.1
steps 5b-7, 3).

Every function takes the acting user, validates, saves with history and writes an audit event.
An issued version is never changed: every edit function refuses one (PlanFrozenError).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from pupils.codes import NEED_AREA, Area, NeedType, SenProvision
from pupils.provision.models import Provision
from pupils.services import pupil_sen_status_set
from reviews.deadlines import annual_review_due
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import School
from sendadmin.accounts.roles import Role
from sendadmin.clocks.kinds import Kind
from sendadmin.clocks.services import clock_meet, clock_open

from .deadlines import representations_close
from .models import (
    AdviceRequest,
    AssessmentCase,
    Plan,
    PlanNeed,
    PlanOutcome,
    PlanProvision,
    PlanVersion,
)
from .selectors import case_clock_open
from .services import StaleVersionError


class PlanFrozenError(ValidationError):
    def __init__(self, version: PlanVersion) -> None:
        super().__init__(
            f"Version {version.number} was issued on {version.issued_on:%-d %B %Y} and cannot be "
            "changed. Start a new version to change the plan.",
            code="frozen",
        )


def _save(obj: Any, by: Any) -> None:
    obj._history_user = by
    obj.save()


@transaction.atomic
def plan_draft_create(*, case: AssessmentCase, by: Any) -> Plan:
    """Start the plan of a case that decided to issue one: version 1, a draft.

    Section B starts from the needs on the school's register (one row per ranked need, for the
    caseworker to describe), and K from the advice received (reg 12(1); CoP 9.62). Section I stays
    blank (CoP 9.77). Calling it again returns the plan already started.
    """
    if case.issue_decision != AssessmentCase.IssueDecision.ISSUE:
        raise ValidationError("Record the decision to issue a plan before drafting it.")
    existing = Plan.objects.filter(case=case).first()
    if existing is not None:
        return existing
    plan = Plan(pupil=case.pupil, local_authority=case.local_authority, case=case)
    _save(plan, by)
    version = PlanVersion(plan=plan, number=1, kind=PlanVersion.Kind.DRAFT)
    _save(version, by)
    needs = [n for n in case.pupil.needs.order_by("rank") if n.code in NEED_AREA]
    for position, need in enumerate(needs, start=1):
        _save(
            PlanNeed(
                version=version,
                area=NEED_AREA[need.code],
                code=need.code,
                description=NeedType(need.code).label,
                position=position,
            ),
            by,
        )
    version.advice.set(case.advice.filter(status=AdviceRequest.Status.SUBMITTED))
    audit_record(by, "ehcp.plan.drafted", plan, version=version.number)
    return plan


PLAN_CONFLICT = (
    "Someone else changed this version of the plan while you were working on it. Nothing you "
    "entered has been saved: your text is kept below, and the plan as it is now is shown. Check "
    "both, then save again."
)
# CoP 9.77; domain.md 1.1 step 5b and 3: the draft names no school, so the parent may ask for one.
DRAFT_NAMES_NO_SCHOOL = (
    "Section I stays blank in a draft plan: the parent may ask for a school to be named (CoP 9.77)."
)

# Section slug -> the PlanVersion fields it holds (domain.md 3). B, E and F are rows; K the advice.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "a": ("section_a",),
    "c": ("section_c",),
    "d": ("section_d",),
    "g": ("section_g",),
    "h1": ("section_h1",),
    "h2": ("section_h2",),
    "i": ("section_i_school", "section_i_name", "section_i_type"),
    "j": ("section_j",),
}
TEXT_FIELDS = frozenset(f for fields in SECTION_FIELDS.values() for f in fields) - {
    "section_i_school"
}


def _locked_version(version: PlanVersion) -> PlanVersion:
    return (
        PlanVersion.objects.select_for_update(of=("self",))
        .select_related("plan__case", "plan__pupil__school", "plan__local_authority")
        .get(pk=version.pk)
    )


def _editable(version: PlanVersion, expected_version: int | None = None) -> PlanVersion:
    """The version locked for a change: refused once issued (frozen) or when the form is stale."""
    version = _locked_version(version)
    if version.is_issued:
        raise PlanFrozenError(version)
    if expected_version is not None and expected_version != version.version:
        raise StaleVersionError(PLAN_CONFLICT)
    return version


def _bump(version: PlanVersion, by: Any) -> None:
    version.version += 1
    _save(version, by)


def _next_position(rows: Any) -> int:
    return int(rows.aggregate(m=Max("position"))["m"] or 0) + 1


def _listing(rows: Iterable[Any]) -> str:
    return "; ".join(f"'{row}'" for row in rows)


@transaction.atomic
def version_sections_update(
    *, version: PlanVersion, data: Mapping[str, Any], expected_version: int | None, by: Any
) -> PlanVersion:
    """Change the text sections A, C, D, G, H1, H2, J, or section I (reg 12(1); domain.md 3).

    `data` maps PlanVersion field names to new values; fields not given stay as they are. Section I
    names a school (a School, or a name typed in) and its type, or just the type if none is named.
    """
    version = _editable(version, expected_version)
    unknown = set(data) - TEXT_FIELDS - {"section_i_school"}
    if unknown:
        raise ValueError(f"Not a section of the plan: {', '.join(sorted(unknown))}")
    changes: dict[str, Any] = {
        name: (value or "").strip() for name, value in data.items() if name in TEXT_FIELDS
    }
    touches_i = any(name.startswith("section_i_") for name in data)
    if touches_i:
        school = data.get("section_i_school", version.section_i_school)
        if school is not None and not isinstance(school, School):
            raise ValueError("section_i_school must be a School")
        name = changes.get("section_i_name", version.section_i_name)
        kind = changes.get("section_i_type", version.section_i_type)
        if version.kind == PlanVersion.Kind.DRAFT and (school is not None or name or kind):
            raise ValidationError(DRAFT_NAMES_NO_SCHOOL, code="draft_names_no_school")
        if school is not None:
            name = school.name
        if (school is not None or name) and not kind:
            raise ValidationError(
                {"section_i_type": "Enter the type of school or institution named in section I."}
            )
        version.section_i_school = school
        changes["section_i_name"] = name
        changes["section_i_type"] = kind
    for name, value in changes.items():
        setattr(version, name, value)
    _bump(version, by)
    audit_record(by, "ehcp.version.sections_updated", version, fields=sorted(data))
    return version


# --- Section B: needs -------------------------------------------------------------------------


def _check_need(area: str, code: str, description: str) -> None:
    errors: dict[str, str] = {}
    if area not in Area.values:
        errors["area"] = "Select the area of need."
    if code:
        if code not in NeedType.values:
            errors["code"] = f"{code} is not a census type of need."
        elif area in Area.values and NEED_AREA.get(code) != area:
            # CoP 6.28; domain.md 7.1: each census need type belongs to one broad area.
            expected = NEED_AREA.get(code)
            errors["code"] = (
                f"{NeedType(code).label} belongs to {expected.label if expected else 'no area'}, "
                f"not {Area(area).label}. Choose the matching area or another type of need."
            )
    if not description.strip():
        errors["description"] = "Describe the need."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def need_add(*, version: PlanVersion, area: str, code: str, description: str, by: Any) -> PlanNeed:
    """Add a special educational need to section B (domain.md 3: all identified SEN)."""
    version = _editable(version)
    code = (code or "").strip()
    _check_need(area, code, description)
    description = description.strip()
    existing = version.needs.filter(area=area, code=code, description=description).first()
    if existing is not None:
        return existing
    need = PlanNeed(
        version=version,
        area=area,
        code=code,
        description=description,
        position=_next_position(version.needs),
    )
    _save(need, by)
    _bump(version, by)
    audit_record(by, "ehcp.need.added", need, version=version.pk)
    return need


@transaction.atomic
def need_update(
    *,
    need: PlanNeed,
    area: str,
    code: str,
    description: str,
    by: Any,
    expected_version: int | None = None,
) -> PlanNeed:
    version = _editable(need.version, expected_version)
    need = PlanNeed.objects.get(pk=need.pk)
    code = (code or "").strip()
    _check_need(area, code, description)
    need.area, need.code, need.description = area, code, description.strip()
    _save(need, by)
    _bump(version, by)
    audit_record(by, "ehcp.need.updated", need, version=version.pk)
    return need


def need_links(need: PlanNeed) -> tuple[list[PlanOutcome], list[PlanProvision]]:
    """The outcomes in E and provision in F that answer this need."""
    return list(need.outcomes.all()), list(need.provisions.all())


@transaction.atomic
def need_remove(*, need: PlanNeed, by: Any, expected_version: int | None = None) -> None:
    """Remove a need from B; refused while outcomes or provision still link to it."""
    version = _editable(need.version, expected_version)
    outcomes, provisions = need_links(need)
    if outcomes or provisions:
        parts = []
        if outcomes:
            parts.append(f"outcomes in section E ({_listing(outcomes)})")
        if provisions:
            parts.append(f"provision in section F ({_listing(provisions)})")
        raise ValidationError(
            f"This need is linked to {' and '.join(parts)}. Change or remove those first so they "
            "no longer link to it.",
            code="linked",
        )
    audit_record(by, "ehcp.need.removed", need, version=version.pk)
    need._history_user = by  # type: ignore[attr-defined]
    need.delete()
    _bump(version, by)


# --- Section E: outcomes ----------------------------------------------------------------------


def _same_version_rows(rows: Iterable[Any], version: PlanVersion, what: str) -> list[Any]:
    chosen = list(rows)
    if any(row.version_id != version.pk for row in chosen):
        raise ValidationError(f"Choose {what} from this version of the plan.")
    return chosen


def _check_outcome(version: PlanVersion, text: str, needs: Iterable[PlanNeed]) -> list[PlanNeed]:
    errors: dict[str, str] = {}
    if not text.strip():
        errors["outcome"] = "Enter the outcome sought."
    chosen = _same_version_rows(needs, version, "needs")
    if not chosen:
        errors["needs"] = "Select at least one need in section B that this outcome answers."
    if errors:
        raise ValidationError(errors)
    return chosen


@transaction.atomic
def outcome_add(
    *, version: PlanVersion, outcome: str, by_when: str, needs: Iterable[PlanNeed], by: Any
) -> PlanOutcome:
    """Add an outcome sought to section E, linked to the needs in B it answers (CoP 9.64-9.69)."""
    version = _editable(version)
    chosen = _check_outcome(version, outcome, needs)
    outcome = outcome.strip()
    existing = version.outcomes.filter(outcome=outcome).first()
    if existing is not None:
        return existing
    row = PlanOutcome(
        version=version,
        outcome=outcome,
        by_when=(by_when or "").strip(),
        position=_next_position(version.outcomes),
    )
    _save(row, by)
    row.needs.set(chosen)
    _bump(version, by)
    audit_record(by, "ehcp.outcome.added", row, version=version.pk)
    return row


@transaction.atomic
def outcome_update(
    *,
    row: PlanOutcome,
    outcome: str,
    by_when: str,
    needs: Iterable[PlanNeed],
    by: Any,
    expected_version: int | None = None,
) -> PlanOutcome:
    version = _editable(row.version, expected_version)
    row = PlanOutcome.objects.get(pk=row.pk)
    chosen = _check_outcome(version, outcome, needs)
    row.outcome, row.by_when = outcome.strip(), (by_when or "").strip()
    _save(row, by)
    row.needs.set(chosen)
    _bump(version, by)
    audit_record(by, "ehcp.outcome.updated", row, version=version.pk)
    return row


@transaction.atomic
def outcome_remove(*, row: PlanOutcome, by: Any, expected_version: int | None = None) -> None:
    """Remove an outcome from E; refused while provision in F links to it."""
    version = _editable(row.version, expected_version)
    provisions = list(row.provisions.all())
    if provisions:
        raise ValidationError(
            f"This outcome is linked to provision in section F ({_listing(provisions)}). Change "
            "that provision first so it no longer links to it.",
            code="linked",
        )
    audit_record(by, "ehcp.outcome.removed", row, version=version.pk)
    row._history_user = by  # type: ignore[attr-defined]
    row.delete()
    _bump(version, by)


# --- Section F: provision ---------------------------------------------------------------------

PROVISION_TEXT = ("what", "duration", "delivered_by")
PROVISION_NUMBERS = ("sessions_per_week", "minutes_per_session", "group_size")


def _check_provision(
    version: PlanVersion,
    fields: Mapping[str, Any],
    needs: Iterable[PlanNeed],
    outcomes: Iterable[PlanOutcome],
    map_provision: Provision | None,
) -> tuple[list[PlanNeed], list[PlanOutcome]]:
    """CoP 9.69: provision is specific and quantified (what, how often, for how long, by whom)."""
    errors: dict[str, str] = {}
    messages = {
        "what": "Enter what the provision is.",
        "duration": "Enter for how long the provision is made.",
        "delivered_by": "Enter who delivers the provision.",
        "sessions_per_week": "Enter how many sessions a week, 1 or more.",
        "minutes_per_session": "Enter how many minutes a session, 1 or more.",
        "group_size": "Enter the group size, 1 or more.",
    }
    for name in PROVISION_TEXT:
        if not str(fields.get(name) or "").strip():
            errors[name] = messages[name]
    for name in PROVISION_NUMBERS:
        value = fields.get(name)
        if not isinstance(value, int) or value < 1:
            errors[name] = messages[name]
    chosen_needs = _same_version_rows(needs, version, "needs")
    if not chosen_needs:
        errors["needs"] = "Select at least one need in section B that this provision meets."
    chosen_outcomes = _same_version_rows(outcomes, version, "outcomes")
    if map_provision is not None and map_provision.school_id != version.plan.pupil.school_id:
        errors["map_provision"] = (
            "Choose provision from the provision map of the child's own school."
        )
    if errors:
        raise ValidationError(errors)
    return chosen_needs, chosen_outcomes


def _provision_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: str(fields[name]).strip() for name in PROVISION_TEXT}
    values.update({name: fields[name] for name in PROVISION_NUMBERS})
    return values


@transaction.atomic
def provision_add(
    *,
    version: PlanVersion,
    what: str,
    sessions_per_week: int | None,
    minutes_per_session: int | None,
    duration: str,
    delivered_by: str,
    needs: Iterable[PlanNeed],
    by: Any,
    group_size: int | None = 1,
    outcomes: Iterable[PlanOutcome] = (),
    map_provision: Provision | None = None,
) -> PlanProvision:
    """Add special educational provision to section F, for needs in B (CFA s.42(2))."""
    version = _editable(version)
    fields = {
        "what": what,
        "sessions_per_week": sessions_per_week,
        "minutes_per_session": minutes_per_session,
        "duration": duration,
        "delivered_by": delivered_by,
        "group_size": group_size,
    }
    chosen_needs, chosen_outcomes = _check_provision(
        version, fields, needs, outcomes, map_provision
    )
    values = _provision_values(fields)
    existing = version.provisions.filter(what=values["what"]).first()
    if existing is not None:
        return existing
    row = PlanProvision(
        version=version,
        map_provision=map_provision,
        position=_next_position(version.provisions),
        **values,
    )
    _save(row, by)
    row.needs.set(chosen_needs)
    row.outcomes.set(chosen_outcomes)
    _bump(version, by)
    audit_record(by, "ehcp.provision.added", row, version=version.pk)
    return row


@transaction.atomic
def provision_update(
    *,
    row: PlanProvision,
    what: str,
    sessions_per_week: int | None,
    minutes_per_session: int | None,
    duration: str,
    delivered_by: str,
    needs: Iterable[PlanNeed],
    by: Any,
    group_size: int | None = 1,
    outcomes: Iterable[PlanOutcome] = (),
    map_provision: Provision | None = None,
    expected_version: int | None = None,
) -> PlanProvision:
    version = _editable(row.version, expected_version)
    row = PlanProvision.objects.get(pk=row.pk)
    fields = {
        "what": what,
        "sessions_per_week": sessions_per_week,
        "minutes_per_session": minutes_per_session,
        "duration": duration,
        "delivered_by": delivered_by,
        "group_size": group_size,
    }
    chosen_needs, chosen_outcomes = _check_provision(
        version, fields, needs, outcomes, map_provision
    )
    for name, value in _provision_values(fields).items():
        setattr(row, name, value)
    row.map_provision = map_provision
    _save(row, by)
    row.needs.set(chosen_needs)
    row.outcomes.set(chosen_outcomes)
    _bump(version, by)
    audit_record(by, "ehcp.provision.updated", row, version=version.pk)
    return row


@transaction.atomic
def provision_remove(*, row: PlanProvision, by: Any, expected_version: int | None = None) -> None:
    version = _editable(row.version, expected_version)
    audit_record(by, "ehcp.provision.removed", row, version=version.pk)
    row._history_user = by  # type: ignore[attr-defined]
    row.delete()
    _bump(version, by)


# --- Issuing ----------------------------------------------------------------------------------


def _previous_issued(version: PlanVersion) -> PlanVersion | None:
    return (
        PlanVersion.objects.filter(
            plan_id=version.plan_id, number__lt=version.number, issued_on__isnull=False
        )
        .order_by("-number")
        .first()
    )


def _draft_of(version: PlanVersion) -> PlanVersion | None:
    """The issued draft a final plan follows."""
    return (
        PlanVersion.objects.filter(
            plan_id=version.plan_id,
            kind=PlanVersion.Kind.DRAFT,
            number__lt=version.number,
            issued_on__isnull=False,
        )
        .order_by("-number")
        .first()
    )


def representations_served_on(version: PlanVersion) -> dt.date | None:
    """When the 15 days of representations began for this version: a draft's service (reg 13(1)),
    or, for an amended version still being prepared, the amendment notice (reg 22(2)(c))."""
    if version.kind == PlanVersion.Kind.DRAFT:
        return version.issued_on
    if version.kind == PlanVersion.Kind.AMENDED and version.issued_on is None:
        from reviews.models import Review

        notice = (
            Review.objects.filter(amended_version=version)
            .values_list("amendment_notice_on", flat=True)
            .first()
        )
        return notice
    return None


def version_issue_problems(version: PlanVersion, issued_on: dt.date | None) -> list[str]:
    """What stops this version being issued on `issued_on`, as messages a caseworker can act on."""
    problems: list[str] = []
    if issued_on is None:
        problems.append("Enter the date the plan is issued.")
    elif issued_on > timezone.localdate():
        problems.append("The date the plan is issued cannot be in the future.")
    else:
        case = version.plan.case
        if case is not None and issued_on < case.request_received_on:
            problems.append(
                f"The date of issue ({issued_on:%-d %B %Y}) is before the LA received the "
                f"request for the assessment ({case.request_received_on:%-d %B %Y})."
            )
        previous = _previous_issued(version)
        if previous is not None and previous.issued_on and issued_on < previous.issued_on:
            problems.append(
                f"The date of issue ({issued_on:%-d %B %Y}) is before version "
                f"{previous.number} was issued ({previous.issued_on:%-d %B %Y})."
            )
    needs = list(version.needs.all())
    has_provision = version.provisions.exists()
    if not needs:
        problems.append("Section B lists no special educational needs: add at least one.")
    if not has_provision:
        problems.append("Section F lists no special educational provision: add at least one.")
    if version.kind == PlanVersion.Kind.DRAFT:
        return problems
    # CoP 9.69: provision must be specified for every need in section B.
    unmet = [n for n in version.needs.filter(provisions__isnull=True).distinct()]
    if needs and has_provision and unmet:
        problems.append(
            "Every need in section B must have provision in section F (CoP 9.69). No provision "
            f"is linked to: {_listing(unmet)}."
        )
    if not (version.section_i_school_id or version.section_i_name or version.section_i_type):
        problems.append(
            "Section I is empty: name the school or other institution, or give its type "
            "(reg 12(1)(i))."
        )
    if version.kind == PlanVersion.Kind.FINAL:
        draft = _draft_of(version)
        if draft is not None and draft.issued_on is not None and not draft.representations_on:
            closes = representations_close(draft.issued_on)
            if issued_on is not None and issued_on <= closes:
                # Reg 13(1): at least 15 days to make representations on the draft.
                problems.append(
                    f"The parent or young person has until {closes:%-d %B %Y} to make "
                    "representations on the draft (reg 13(1)). Issue the final plan after that "
                    "date, or record their representations first."
                )
    notice = (
        representations_served_on(version) if version.kind == PlanVersion.Kind.AMENDED else None
    )
    if notice is not None and not version.representations_on:
        closes = representations_close(notice)
        if issued_on is not None and issued_on <= closes:
            # Reg 22(2)(c): at least 15 days to make representations on the proposed amendments.
            problems.append(
                f"The parent or young person has until {closes:%-d %B %Y} to make "
                "representations on the proposed amendments (reg 22(2)(c)). Issue the amended "
                "plan after that date, or record their representations first."
            )
    if version.kind == PlanVersion.Kind.AMENDED:
        from reviews.services import amended_sections_not_proposed

        # Reg 22(2)-(3): the amended plan follows the notice of the amendments proposed.
        unproposed = amended_sections_not_proposed(version)
        if unproposed:
            problems.append(
                "The amended plan changes section "
                + ", ".join(unproposed)
                + ", which the review did not propose to change. Undo that change, or propose it "
                "in a new notice first (reg 22)."
            )
    return problems


def _clock_meet_if_open(subject: Any, kind: Kind, met_on: dt.date, by: Any, note: str) -> None:
    clock = case_clock_open(subject, kind)
    if clock is not None:
        clock_meet(clock=clock, met_on=met_on, by=by, note=note)


def _pupil_on_ehc_plan(plan: Plan, version: PlanVersion, issued_on: dt.date, by: Any) -> None:
    pupil = plan.pupil
    if pupil.sen_provision == SenProvision.EHC_PLAN:
        return
    needs: list[str] | None = None
    if not pupil.needs.exists():
        # The register has no needs yet: record those of section B, in order (census rules).
        codes = [n.code for n in version.needs.all() if n.code and n.code != NeedType.NSA]
        needs = list(dict.fromkeys(codes))
    pupil_sen_status_set(
        pupil=pupil,
        provision=SenProvision.EHC_PLAN,
        start=issued_on,
        by=by,
        needs=needs,
        open_parents_told=False,
    )


def _close_case(case: AssessmentCase, issued_on: dt.date, by: Any) -> None:
    case = AssessmentCase.objects.select_for_update().get(pk=case.pk)
    _clock_meet_if_open(case, Kind.FINAL_PLAN, issued_on, by, "Final EHC plan issued")
    if case.closed_on is None:
        case.closed_on = issued_on
        case.closed_reason = "Final plan issued"
        case.version += 1
        _save(case, by)
        audit_record(by, "ehcp.case.closed", case, reason=case.closed_reason)


def _annual_review_clock_open(
    plan: Plan, version: PlanVersion, issued_on: dt.date, by: Any
) -> None:
    """The first review is due within 12 months of the plan being made (CFA s.44(1), reg 18;
    domain.md 2.1). The school named in section I convenes it (reg 20(1), (12)), so the clock is
    its SENCO's; the LA sees it through the pupil."""
    school = version.section_i_school or plan.pupil.school
    clock_open(
        kind=Kind.ANNUAL_REVIEW,
        subject=plan,
        started_on=issued_on,
        start_event="Final EHC plan issued",
        due_on=annual_review_due(issued_on),
        school=school,
        local_authority=plan.local_authority,
        pupil=plan.pupil,
        responsible_role=Role.SENCO,
        by=by,
    )


@transaction.atomic
def version_issue(
    *, version: PlanVersion, issued_on: dt.date | None, by: Any, expected_version: int | None
) -> PlanVersion:
    """Issue a version, which freezes it (domain.md 1.1 steps 5b-7).

    A draft is served on the parent or young person: their 15 days of representations begin
    (reg 13(1)). A final plan ends the assessment: the 20-week clock is met (reg 13(2)), the case
    closes and the pupil is recorded as having an EHC plan (census provision E). Issuing again
    returns the version as it is.
    """
    version = _locked_version(version)
    if version.is_issued:
        return version
    if expected_version is not None and expected_version != version.version:
        raise StaleVersionError(PLAN_CONFLICT)
    problems = version_issue_problems(version, issued_on)
    if problems:
        raise ValidationError(problems)
    assert issued_on is not None
    plan = version.plan
    case = plan.case
    version.issued_on = issued_on
    version.issued_by = by
    _bump(version, by)
    if version.kind == PlanVersion.Kind.DRAFT:
        clock_open(
            kind=Kind.REPRESENTATIONS,
            subject=version,
            started_on=issued_on,
            start_event="Draft EHC plan served",
            local_authority=plan.local_authority,
            pupil=plan.pupil,
            responsible_role=Role.LA_CASEWORKER,
            responsible_user=case.caseworker if case is not None else None,
            by=by,
        )
        audit_record(by, "ehcp.version.served", version, issued_on=issued_on.isoformat())
        return version
    if version.kind == PlanVersion.Kind.FINAL:
        draft = _draft_of(version)
        if draft is not None:
            _clock_meet_if_open(draft, Kind.REPRESENTATIONS, issued_on, by, "Final EHC plan issued")
        if case is not None:
            _close_case(case, issued_on, by)
        _pupil_on_ehc_plan(plan, version, issued_on, by)
        _annual_review_clock_open(plan, version, issued_on, by)
    if version.kind == PlanVersion.Kind.AMENDED:
        from reviews.services import amended_plan_issued

        _clock_meet_if_open(version, Kind.REPRESENTATIONS, issued_on, by, "Amended plan issued")

        amended_plan_issued(version=version, by=by)
    audit_record(by, "ehcp.version.issued", version, issued_on=issued_on.isoformat())
    return version


@transaction.atomic
def representations_record(
    *, version: PlanVersion, received_on: dt.date | None, text: str, by: Any
) -> PlanVersion:
    """Record the parent's or young person's representations on a served draft (reg 13(1)), or on
    the amendments proposed after a review (reg 22(2)(c)), which the amended version holds."""
    version = _locked_version(version)
    served = representations_served_on(version)
    if served is None:
        raise ValidationError(
            "Representations are made on a draft plan once it has been served, or on the "
            "amendments proposed after a review."
        )
    if version.representations_on is not None:
        if version.representations_on == received_on and version.representations == text.strip():
            return version
        raise ValidationError(
            f"Representations were already recorded, received on "
            f"{version.representations_on:%-d %B %Y}."
        )
    errors: dict[str, str] = {}
    if received_on is None:
        errors["received_on"] = "Enter the date the representations were received."
    elif received_on > timezone.localdate():
        errors["received_on"] = (
            "The date the representations were received cannot be in the future."
        )
    elif received_on < served:
        what = (
            "the draft was served"
            if version.kind == PlanVersion.Kind.DRAFT
            else "the notice of the proposed amendments was sent"
        )
        errors["received_on"] = (
            f"The representations cannot have been received before {what} ({served:%-d %B %Y})."
        )
    if not text.strip():
        errors["text"] = "Enter what the representations said."
    if errors:
        raise ValidationError(errors)
    assert received_on is not None
    version.representations_on = received_on
    version.representations = text.strip()
    _bump(version, by)
    _clock_meet_if_open(version, Kind.REPRESENTATIONS, received_on, by, "Representations received")
    audit_record(by, "ehcp.version.representations_recorded", version)
    return version


# --- New versions -----------------------------------------------------------------------------

COPIED_FIELDS = (
    "section_a",
    "section_c",
    "section_d",
    "section_g",
    "section_h1",
    "section_h2",
    "section_j",
)


def _copy_rows(source: PlanVersion, target: PlanVersion, by: Any) -> None:
    """Copy B, E and F into `target`, with every link pointing at the copies, not the originals."""
    need_map: dict[int, PlanNeed] = {}
    for need in source.needs.all():
        copy = PlanNeed(
            version=target,
            area=need.area,
            code=need.code,
            description=need.description,
            position=need.position,
        )
        _save(copy, by)
        need_map[need.pk] = copy
    outcome_map: dict[int, PlanOutcome] = {}
    for outcome in source.outcomes.prefetch_related("needs"):
        outcome_copy = PlanOutcome(
            version=target,
            outcome=outcome.outcome,
            by_when=outcome.by_when,
            position=outcome.position,
        )
        _save(outcome_copy, by)
        outcome_copy.needs.set([need_map[n.pk] for n in outcome.needs.all()])
        outcome_map[outcome.pk] = outcome_copy
    for provision in source.provisions.prefetch_related("needs", "outcomes"):
        provision_copy = PlanProvision(
            version=target,
            what=provision.what,
            sessions_per_week=provision.sessions_per_week,
            minutes_per_session=provision.minutes_per_session,
            duration=provision.duration,
            delivered_by=provision.delivered_by,
            group_size=provision.group_size,
            map_provision_id=provision.map_provision_id,
            position=provision.position,
        )
        _save(provision_copy, by)
        provision_copy.needs.set([need_map[n.pk] for n in provision.needs.all()])
        provision_copy.outcomes.set([outcome_map[o.pk] for o in provision.outcomes.all()])


@transaction.atomic
def version_new(*, plan: Plan, kind: str, by: Any) -> PlanVersion:
    """Start the next version from the latest issued one, to be edited and issued in turn.

    "final" follows a served draft (domain.md 1.1 step 7); "amended" follows an issued final or
    amended plan (after a review, reg 22). A version already in progress is returned as it is.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if kind not in (PlanVersion.Kind.FINAL, PlanVersion.Kind.AMENDED):
        raise ValidationError("Choose a final or an amended version.")
    unissued = plan.versions.filter(issued_on__isnull=True).first()
    if unissued is not None:
        return unissued
    if plan.ceased_on is not None:
        raise ValidationError(f"This plan ceased on {plan.ceased_on:%-d %B %Y}.")
    latest = plan.versions.filter(issued_on__isnull=False).order_by("-number").first()
    if latest is None:
        raise ValidationError("Serve the draft plan before starting the next version.")
    if kind == PlanVersion.Kind.FINAL and latest.kind != PlanVersion.Kind.DRAFT:
        raise ValidationError(
            f"The final plan was already issued (version {latest.number}). To change the plan, "
            "start an amended version."
        )
    if kind == PlanVersion.Kind.AMENDED and latest.kind == PlanVersion.Kind.DRAFT:
        raise ValidationError(
            "A draft plan is followed by the final plan, not an amended one: start the final plan."
        )
    number = int(plan.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    new = PlanVersion(plan=plan, number=number, kind=kind, based_on=latest)
    for name in COPIED_FIELDS:
        setattr(new, name, getattr(latest, name))
    if latest.kind != PlanVersion.Kind.DRAFT:
        # A draft names no school (CoP 9.77); a final after it has section I filled in afresh.
        new.section_i_school_id = latest.section_i_school_id
        new.section_i_name = latest.section_i_name
        new.section_i_type = latest.section_i_type
    try:
        with transaction.atomic():
            _save(new, by)
    except IntegrityError:
        # Two submissions at once: the other one started the version.
        return plan.versions.get(issued_on__isnull=True)
    _copy_rows(latest, new, by)
    new.advice.set(latest.advice.all())
    audit_record(by, "ehcp.version.started", new, kind=kind, based_on=latest.number)
    return new
