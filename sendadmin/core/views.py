"""Home pages per role, health, and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sendadmin.accounts.roles import Cap, role_has
from sendadmin.clocks.views import attention_rows

from .aggregates import school_ehcp_counts, school_review_counts, school_sen_counts


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """'What needs your attention', per role: the user's overdue and due-soon clocks."""
    membership = getattr(request, "membership", None)
    context: dict[str, object] = {"attention": attention_rows(request.user)}
    if (
        membership is not None
        and membership.school_id is not None
        and role_has(membership.role, Cap.VIEW_SCHOOL_AGGREGATES)
    ):
        context["sen_counts"] = school_sen_counts(membership.school_id)
        context["ehcp_counts"] = school_ehcp_counts(membership.school_id)
        context["review_counts"] = school_review_counts(membership.school_id)
    return render(request, "core/home.html", context)


@login_not_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "csrf_failure.html", status=403)
