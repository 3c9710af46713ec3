"""Pupil pages: the list a user may see, a pupil's record and its history."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sendadmin.access import require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.core.history import history_entries

from .models import PupilNeed
from .selectors import pupil_get_for_user_or_404, pupil_list_for

PAGE_SIZE = 50


@require_GET
def pupil_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "pupils.list_pupils")
    search = request.GET.get("q", "").strip()[:100]
    paginator = Paginator(pupil_list_for(request.user, search=search), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "pupils/pupil_list.html", {"page": page, "search": search})


@require_GET
def pupil_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    audit_record(request.user, "pupils.pupil.viewed", pupil, request=request)
    return render(request, "pupils/pupil_detail.html", {"pupil": pupil})


@require_GET
def pupil_history(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_get_for_user_or_404(request.user, pk)
    require_perm(request.user, "pupils.view_pupil_history", pupil)
    audit_record(request.user, "pupils.pupil.history_viewed", pupil, request=request)
    entries = history_entries(
        pupil.history.all(),
        PupilNeed.history.filter(pupil_id=pupil.pk),
    )
    return render(request, "pupils/pupil_history.html", {"pupil": pupil, "entries": entries})
