"""Pages of EHC plans: the plan list, a plan shown one version at a time with sections A to K, and
the LA's editing of an unissued version (sections, needs, outcomes, provision), issuing it, the
parent's representations on a served draft, and starting the next version (domain.md 1.1, 3).

Thin views: fetch through a selector (not visible: 404), require the permission (403), validate,
call one service in ehcp.plans, redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pupils.provision.models import Provision
from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import School
from sendadmin.forms import errors_to_form, posted

from . import plans
from .deadlines import representations_close
from .forms_plans import (
    SECTION_TITLES,
    IssueForm,
    NeedForm,
    OutcomeForm,
    ProvisionForm,
    RemoveForm,
    RepresentationsForm,
    SectionIForm,
    SectionTextForm,
)
from .models import PlanNeed, PlanOutcome, PlanProvision, PlanVersion
from .selectors import (
    advice_list_for,
    plan_get_for_user_or_404,
    plan_need_get_for_user_or_404,
    plan_outcome_get_for_user_or_404,
    plan_provision_get_for_user_or_404,
    plan_rows_for,
    version_content,
    version_get_for_user_or_404,
    version_list_for,
)
from .services import StaleVersionError

PAGE_SIZE = 50
ORDER = ("a", "b", "c", "d", "e", "f", "g", "h1", "h2", "i", "j", "k")


def _url_or_none(name: str, pk: int) -> str | None:
    """Plan documents live in views_plan_docs; link to them only once their routes exist."""
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return None


def _plan_url(version: PlanVersion) -> str:
    return f"{reverse('ehcp:plan-detail', kwargs={'pk': version.plan_id})}?version={version.number}"


def _keep_typed(request: HttpRequest, current: int) -> dict[str, Any]:
    """After a stale save: what they typed, at the version now saved, so saving again is deliberate."""
    data = request.POST.copy()
    data["version"] = str(current)
    return {"data": data}


def _editable_version(request: HttpRequest, pk: int) -> PlanVersion:
    version = version_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.edit_version", version)
    return version


def _frozen(request: HttpRequest, version: PlanVersion) -> HttpResponse:
    return render(
        request,
        "ehcp/plans/frozen.html",
        {
            "version": version,
            "plan": version.plan,
            "message": plans.PlanFrozenError(version).message,
        },
    )


def _form_page(request: HttpRequest, version: PlanVersion, **context: Any) -> HttpResponse:
    return render(
        request,
        "ehcp/plans/form.html",
        {"version": version, "plan": version.plan, "back": _plan_url(version), **context},
    )


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "ehcp.list_plans")
    page = Paginator(plan_rows_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    show_progress = any(plan.unissued_number for plan in page)  # type: ignore[attr-defined]
    return render(
        request, "ehcp/plans/plan_list.html", {"page": page, "show_progress": show_progress}
    )


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version of the plan, A to K. The LA sees every version; a school only those issued."""
    plan = plan_get_for_user_or_404(request.user, pk)
    versions = list(version_list_for(request.user, plan))
    if not versions:
        raise Http404("No version visible")
    version = versions[-1]
    wanted = request.GET.get("version")
    if wanted is not None:
        version = next((v for v in versions if str(v.number) == wanted), None)  # type: ignore[assignment]
        if version is None:
            raise Http404("No such version")
    audit_record(request.user, "ehcp.plan.viewed", plan, request=request, version=version.number)
    content = version_content(version)
    advice_ids = [a.pk for a in content["advice"]]
    visible_advice = set(
        advice_list_for(request.user).filter(pk__in=advice_ids).values_list("pk", flat=True)
    )
    edits_plan = request.user.has_perm("ehcp.edit_plan", plan)
    can_edit = not version.is_issued and request.user.has_perm("ehcp.edit_version", version)
    unissued = next((v for v in versions if not v.is_issued), None)
    latest_issued = next((v for v in reversed(versions) if v.is_issued), None)
    is_latest_issued = latest_issued is not None and latest_issued.pk == version.pk
    sections = {key: SECTION_TITLES[key] for key in ORDER}
    return render(
        request,
        "ehcp/plans/plan_detail.html",
        {
            "plan": plan,
            "pupil": plan.pupil,
            "version": version,
            "versions": versions,
            "sections": sections,
            "text_sections": [
                (key, *SECTION_TITLES[key], getattr(version, f"section_{key}"))
                for key in ("a", "c", "d", "g", "h1", "h2", "j")
            ],
            "visible_advice": visible_advice,
            "can_edit": can_edit,
            "can_start_final": edits_plan
            and unissued is None
            and is_latest_issued
            and version.kind == PlanVersion.Kind.DRAFT,
            "can_start_amended": edits_plan
            and unissued is None
            and is_latest_issued
            and version.kind != PlanVersion.Kind.DRAFT,
            "can_record_representations": edits_plan
            and plans.representations_served_on(version) is not None
            and not version.representations_on,
            "representations_close": representations_close(version.issued_on)
            if version.issued_on and version.kind == PlanVersion.Kind.DRAFT
            else None,
            "pdf_url": _url_or_none("ehcp:version-pdf", version.pk) if version.is_issued else None,
            "compare_url": _url_or_none("ehcp:plan-compare", plan.pk),
            "delivery_url": _url_or_none("ehcp:plan-delivery", plan.pk),
            **content,
        },
    )


@require_http_methods(["GET", "POST"])
def version_section_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in plans.SECTION_FIELDS:
        raise Http404("Not a text section")
    version = _editable_version(request, pk)
    if version.is_issued:
        return _frozen(request, version)
    title, hint = SECTION_TITLES[section]
    if section == "i":
        return _section_i(request, version, title, hint)
    field = plans.SECTION_FIELDS[section][0]
    initial = {"version": version.version, "text": getattr(version, field)}
    form = SectionTextForm(**posted(request), section=section, initial=initial)
    now: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            plans.version_sections_update(
                version=version,
                data={field: form.cleaned_data["text"]},
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except StaleVersionError as exc:
            version.refresh_from_db()
            form = SectionTextForm(**_keep_typed(request, version.version), section=section)
            form.is_valid()
            form.add_error(None, exc.message)
            now = [(title, getattr(version, field) or "Blank")]
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Section {section.upper()} saved")
            return redirect(_plan_url(version) + f"#section-{section}")
    return _form_page(request, version, title=f"Change section {title}", form=form, now=now)


def _section_i(request: HttpRequest, version: PlanVersion, title: str, hint: str) -> HttpResponse:
    if version.kind == PlanVersion.Kind.DRAFT:
        return _form_page(
            request,
            version,
            title=f"Section {title}",
            form=None,
            notice=plans.DRAFT_NAMES_NO_SCHOOL,
        )
    case = version.plan.case
    school = version.section_i_school
    if school is None and not version.section_i_name and case and case.requested_school:
        school = case.requested_school  # the school the parent asked for, as a starting point
    initial = {
        "version": version.version,
        "school_urn": school.urn if school else "",
        "name": "" if school else version.section_i_name,
        "type": version.section_i_type,
    }
    form = SectionIForm(**posted(request), initial=initial)
    now: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = None
        urn = data["school_urn"].strip()
        if urn:
            chosen = School.objects.filter(urn=urn).first()
            if chosen is None:
                form.add_error("school_urn", "No school has that URN")
        if not form.errors:
            try:
                plans.version_sections_update(
                    version=version,
                    data={
                        "section_i_school": chosen,
                        "section_i_name": "" if chosen else data["name"],
                        "section_i_type": data["type"],
                    },
                    expected_version=data["version"],
                    by=request.user,
                )
            except StaleVersionError as exc:
                version.refresh_from_db()
                form = SectionIForm(**_keep_typed(request, version.version))
                form.is_valid()
                form.add_error(None, exc.message)
                now = [("Name", version.section_i_name), ("Type", version.section_i_type)]
            except ValidationError as exc:
                errors_to_form(form, exc)
                if hasattr(exc, "error_dict") and "section_i_type" in exc.error_dict:
                    form.add_error("type", exc.message_dict["section_i_type"][0])
            else:
                messages.success(request, "Section I saved")
                return redirect(_plan_url(version) + "#section-i")
    return _form_page(
        request, version, title=f"Change section {title}", form=form, now=now, intro=hint
    )


# --- Rows of B, E and F -----------------------------------------------------------------------


def _row_form(
    request: HttpRequest,
    version: PlanVersion,
    *,
    row: Any,
    make_form: Callable[..., Form],
    initial: dict[str, Any],
    save: Callable[[Form], Any],
    now: Callable[[Any], list[tuple[str, str]]],
    noun: str,
    anchor: str,
) -> HttpResponse:
    if version.is_issued:
        return _frozen(request, version)
    form = make_form(**posted(request), initial={"version": version.version, **initial})
    shown: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except StaleVersionError as exc:
            version.refresh_from_db()
            form = make_form(**_keep_typed(request, version.version))
            form.is_valid()
            form.add_error(None, exc.message)
            if row is not None:
                row.refresh_from_db()
                shown = now(row)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"{noun.capitalize()} {'changed' if row else 'added'}")
            return redirect(_plan_url(version) + f"#section-{anchor}")
    title = f"Change this {noun}" if row else f"Add {'an' if noun[0] in 'aeiou' else 'a'} {noun}"
    return _form_page(request, version, title=title, form=form, now=shown)


def _remove(
    request: HttpRequest,
    version: PlanVersion,
    *,
    row: Any,
    shown: list[tuple[str, str]],
    remove: Callable[..., None],
    noun: str,
    anchor: str,
) -> HttpResponse:
    if version.is_issued:
        return _frozen(request, version)
    form = RemoveForm(**posted(request), initial={"version": version.version})
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            remove(row=row, by=request.user, expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            errors = list(exc.messages)
            version.refresh_from_db()
            form = RemoveForm(initial={"version": version.version})
        else:
            messages.success(request, f"{noun.capitalize()} removed")
            return redirect(_plan_url(version) + f"#section-{anchor}")
    return render(
        request,
        "ehcp/plans/remove.html",
        {
            "version": version,
            "plan": version.plan,
            "noun": noun,
            "shown": shown,
            "form": form,
            "errors": errors,
            "back": _plan_url(version),
        },
    )


def _need_shown(need: PlanNeed) -> list[tuple[str, str]]:
    return [
        ("Area", need.get_area_display()),
        ("Census type", need.get_code_display() if need.code else "None"),
        ("Description", need.description),
    ]


def _outcome_shown(row: PlanOutcome) -> list[tuple[str, str]]:
    return [
        ("Outcome", row.outcome),
        ("By when", row.by_when),
        ("Needs", "; ".join(str(n) for n in row.needs.all())),
    ]


def _provision_shown(row: PlanProvision) -> list[tuple[str, str]]:
    return [
        ("What", row.what),
        ("How often", f"{row.sessions_per_week} a week, {row.minutes_per_session} minutes"),
        ("For how long", row.duration),
        ("By whom", row.delivered_by),
        ("Needs", "; ".join(str(n) for n in row.needs.all())),
    ]


def _need_page(request: HttpRequest, version: PlanVersion, need: PlanNeed | None) -> HttpResponse:
    def save(form: Form) -> Any:
        data = form.cleaned_data
        if need is None:
            return plans.need_add(
                version=version,
                area=data["area"],
                code=data["code"],
                description=data["description"],
                by=request.user,
            )
        return plans.need_update(
            need=need,
            area=data["area"],
            code=data["code"],
            description=data["description"],
            by=request.user,
            expected_version=data["version"],
        )

    initial = (
        {"area": need.area, "code": need.code, "description": need.description} if need else {}
    )
    return _row_form(
        request,
        version,
        row=need,
        make_form=NeedForm,
        initial=initial,
        save=save,
        now=_need_shown,
        noun="need",
        anchor="b",
    )


@require_http_methods(["GET", "POST"])
def need_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _need_page(request, _editable_version(request, pk), None)


@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = plan_need_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.edit_version", need.version)
    return _need_page(request, need.version, need)


@require_http_methods(["GET", "POST"])
def need_remove(request: HttpRequest, pk: int) -> HttpResponse:
    need = plan_need_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.edit_version", need.version)

    def remove(*, row: PlanNeed, by: Any, expected_version: int | None) -> None:
        plans.need_remove(need=row, by=by, expected_version=expected_version)

    return _remove(
        request,
        need.version,
        row=need,
        shown=_need_shown(need),
        remove=remove,
        noun="need",
        anchor="b",
    )


def _outcome_page(
    request: HttpRequest, version: PlanVersion, row: PlanOutcome | None
) -> HttpResponse:
    def make_form(**kw: Any) -> OutcomeForm:
        return OutcomeForm(version=version, **kw)

    def save(form: Form) -> Any:
        assert isinstance(form, OutcomeForm)
        data = form.cleaned_data
        if row is None:
            return plans.outcome_add(
                version=version,
                outcome=data["outcome"],
                by_when=data["by_when"],
                needs=form.chosen_needs(),
                by=request.user,
            )
        return plans.outcome_update(
            row=row,
            outcome=data["outcome"],
            by_when=data["by_when"],
            needs=form.chosen_needs(),
            by=request.user,
            expected_version=data["version"],
        )

    initial = (
        {
            "outcome": row.outcome,
            "by_when": row.by_when,
            "needs": [n.pk for n in row.needs.all()],
        }
        if row
        else {}
    )
    return _row_form(
        request,
        version,
        row=row,
        make_form=make_form,
        initial=initial,
        save=save,
        now=_outcome_shown,
        noun="outcome",
        anchor="e",
    )


@require_http_methods(["GET", "POST"])
def outcome_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _outcome_page(request, _editable_version(request, pk), None)


@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = plan_outcome_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.edit_version", row.version)
    return _outcome_page(request, row.version, row)


@require_http_methods(["GET", "POST"])
def outcome_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = plan_outcome_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.edit_version", row.version)
    return _remove(
        request,
        row.version,
        row=row,
        shown=_outcome_shown(row),
        remove=plans.outcome_remove,
        noun="outcome",
        anchor="e",
    )


def _provision_page(
    request: HttpRequest, version: PlanVersion, row: PlanProvision | None
) -> HttpResponse:
    school_id = version.plan.pupil.school_id
    map_choices = list(Provision.objects.filter(school_id=school_id, active=True).order_by("name"))
    if row is not None and row.map_provision and row.map_provision not in map_choices:
        map_choices.append(row.map_provision)

    def make_form(**kw: Any) -> ProvisionForm:
        return ProvisionForm(version=version, map_choices=map_choices, **kw)

    def save(form: Form) -> Any:
        assert isinstance(form, ProvisionForm)
        data = form.cleaned_data
        values = {
            name: data[name]
            for name in (
                "what",
                "sessions_per_week",
                "minutes_per_session",
                "duration",
                "delivered_by",
                "group_size",
            )
        }
        links = {
            "needs": form.chosen_needs(),
            "outcomes": form.chosen_outcomes(),
            "map_provision": form.chosen_map_provision(),
        }
        if row is None:
            return plans.provision_add(version=version, by=request.user, **values, **links)
        return plans.provision_update(
            row=row, by=request.user, expected_version=data["version"], **values, **links
        )

    initial: dict[str, Any] = {"group_size": 1}
    if row is not None:
        initial = {
            "what": row.what,
            "sessions_per_week": row.sessions_per_week,
            "minutes_per_session": row.minutes_per_session,
            "group_size": row.group_size,
            "duration": row.duration,
            "delivered_by": row.delivered_by,
            "needs": [n.pk for n in row.needs.all()],
            "outcomes": [o.pk for o in row.outcomes.all()],
            "map_provision": row.map_provision_id or "",
        }
    return _row_form(
        request,
        version,
        row=row,
        make_form=make_form,
        initial=initial,
        save=save,
        now=_provision_shown,
        noun="provision",
        anchor="f",
    )


@require_http_methods(["GET", "POST"])
def provision_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _provision_page(request, _editable_version(request, pk), None)


@require_http_methods(["GET", "POST"])
def provision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    row = plan_provision_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.edit_version", row.version)
    return _provision_page(request, row.version, row)


@require_http_methods(["GET", "POST"])
def provision_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = plan_provision_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.edit_version", row.version)
    return _remove(
        request,
        row.version,
        row=row,
        shown=_provision_shown(row),
        remove=plans.provision_remove,
        noun="provision",
        anchor="f",
    )


# --- Issuing, representations, new versions ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def version_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the date of issue, with what issuing does and what stops it now."""
    version = _editable_version(request, pk)
    if version.is_issued:
        return _frozen(request, version)
    today = timezone.localdate()
    form = IssueForm(**posted(request), initial={"version": version.version, "issued_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            plans.version_issue(
                version=version,
                issued_on=form.cleaned_data["issued_on"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except StaleVersionError as exc:
            version.refresh_from_db()
            form = IssueForm(**_keep_typed(request, version.version))
            form.is_valid()
            form.add_error(None, exc.message)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            served = version.kind == PlanVersion.Kind.DRAFT
            messages.success(request, "Draft plan served" if served else "Plan issued")
            return redirect(_plan_url(version))
    problems = [] if form.errors else plans.version_issue_problems(version, today)
    return render(
        request,
        "ehcp/plans/issue.html",
        {
            "version": version,
            "plan": version.plan,
            "form": form,
            "problems": problems,
            "closes": representations_close(today),
            "back": _plan_url(version),
        },
    )


@require_http_methods(["GET", "POST"])
def representations_record(request: HttpRequest, pk: int) -> HttpResponse:
    version = _editable_version(request, pk)
    served = plans.representations_served_on(version)
    if served is None:
        raise Http404("Representations are recorded on a served draft or proposed amendments")
    form = RepresentationsForm(
        **posted(request),
        initial={
            "received_on": version.representations_on or timezone.localdate(),
            "text": version.representations,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            plans.representations_record(
                version=version,
                received_on=form.cleaned_data["received_on"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Representations recorded")
            return redirect(_plan_url(version))
    draft = version.kind == PlanVersion.Kind.DRAFT
    return _form_page(
        request,
        version,
        title="Record representations on the " + ("draft" if draft else "proposed amendments"),
        form=form,
        intro=(
            f"The {'draft was' if draft else 'notice of the proposed amendments was'} served on "
            f"{served:%-d %B %Y}. The parent or young person has until "
            f"{representations_close(served):%-d %B %Y} to make representations and ask for a "
            f"school to be named ({'reg 13(1)' if draft else 'reg 22(2)(c)'})."
        ),
    )


@require_POST
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.edit_plan", plan)
    try:
        version = plans.version_new(plan=plan, kind=request.POST.get("kind", ""), by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("ehcp:plan-detail", pk=plan.pk)
    messages.success(request, f"{version.get_kind_display()} version {version.number} started")
    return redirect(_plan_url(version))


urlpatterns = [
    path("plans/", plan_list, name="plan-list"),
    path("plans/<int:pk>/", plan_detail, name="plan-detail"),
    path("plans/<int:pk>/new-version/", version_new, name="version-new"),
    path(
        "versions/<int:pk>/section/<slug:section>/",
        version_section_edit,
        name="version-section-edit",
    ),
    path("versions/<int:pk>/needs/add/", need_add, name="need-add"),
    path("versions/<int:pk>/outcomes/add/", outcome_add, name="outcome-add"),
    path("versions/<int:pk>/provision/add/", provision_add, name="provision-add"),
    path("versions/<int:pk>/issue/", version_issue, name="version-issue"),
    path(
        "versions/<int:pk>/representations/",
        representations_record,
        name="representations-record",
    ),
    path("needs/<int:pk>/", need_edit, name="need-edit"),
    path("needs/<int:pk>/remove/", need_remove, name="need-remove"),
    path("outcomes/<int:pk>/", outcome_edit, name="outcome-edit"),
    path("outcomes/<int:pk>/remove/", outcome_remove, name="outcome-remove"),
    path("provision/<int:pk>/", provision_edit, name="provision-edit"),
    path("provision/<int:pk>/remove/", provision_remove, name="provision-remove"),
]
