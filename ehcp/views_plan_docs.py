"""Pages of EHC plan documents: two versions compared, a version's PDF, and section F against the
provision map (domain.md 3)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record

from .delivery import plan_delivery
from .diff import DIFF_PREFETCH, version_diff
from .pdf_plan import version_pdf_filename, version_pdf_render
from .selectors import plan_get_for_user_or_404, version_get_for_user_or_404, version_list_for


def _number(value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise Http404("No such version") from exc


@require_GET
def plan_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two visible versions side by side, section by section; the latest two unless asked."""
    plan = plan_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.view_plan", plan)
    versions = list(version_list_for(request.user, plan))
    context: dict[str, object] = {"plan": plan, "pupil": plan.pupil, "versions": versions}
    if len(versions) < 2:
        return render(request, "ehcp/plan_docs/compare.html", context)
    a_number = _number(request.GET.get("a"), versions[-2].number)
    b_number = _number(request.GET.get("b"), versions[-1].number)
    chosen = {
        v.number: v
        for v in version_list_for(request.user, plan)
        .filter(number__in=[a_number, b_number])
        .prefetch_related(*DIFF_PREFETCH)
    }
    if a_number not in chosen or b_number not in chosen:
        raise Http404("No such version")
    a, b = chosen[a_number], chosen[b_number]
    context.update({"a": a, "b": b, "sections": version_diff(a, b)})
    return render(request, "ehcp/plan_docs/compare.html", context)


@require_GET
def version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.view_version", version)
    body = version_pdf_render(version)
    audit_record(request.user, "ehcp.plan.downloaded", version, request=request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{version_pdf_filename(version)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def plan_delivery_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Section F of the latest issued version against the school's provision map."""
    plan = plan_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "ehcp.view_plan", plan)
    today = timezone.localdate()
    delivery = plan_delivery(request.user, plan, today)
    return render(
        request,
        "ehcp/plan_docs/delivery.html",
        {"plan": plan, "pupil": plan.pupil, "delivery": delivery, "today": today},
    )


urlpatterns: list[URLPattern] = [
    path("plans/<int:pk>/compare/", plan_compare, name="plan-compare"),
    path("versions/<int:pk>/plan.pdf", version_pdf, name="version-pdf"),
    path("plans/<int:pk>/delivery/", plan_delivery_page, name="plan-delivery"),
]
