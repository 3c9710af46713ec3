"""Teaching groups and their staff: who teaches a class decides which pupils a teacher or TA sees
(pupils.rules.teaches_q), so attaching and ending staff are audited services with dates.

The MIS import fills the pupils of registration groups (Reg Group); the SENCO or the office attaches
the teachers and teaching assistants here. Ending a link takes effect the same day: from the day
after its end date the member of staff no longer sees the group's pupils.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sendadmin.access import get_visible_or_404, require_membership, require_perm
from sendadmin.accounts.audit import audit_record
from sendadmin.accounts.models import Membership, User
from sendadmin.accounts.roles import Role
from sendadmin.accounts.selectors import active_membership

from .models import TeachingGroup, TeachingGroupStaff, current_q
from .selectors import teaching_group_list_for

# Roles whose access comes through teaching groups (pupils.rules.teaches_q).
TEACHING_ROLES = (Role.TEACHER, Role.TEACHING_ASSISTANT, Role.DESIGNATED_TEACHER, Role.SENCO)


def staff_choices_for(school_id: int, day: dt.date) -> QuerySet[User]:
    """People with a current teaching role at the school."""
    members = Membership.objects.filter(
        current_q(on=day), school_id=school_id, role__in=TEACHING_ROLES
    ).values("user_id")
    return User.objects.filter(pk__in=members).order_by("full_name", "email")


def _check(by: Any, group: TeachingGroup) -> None:
    membership = active_membership(by)
    if membership is None or membership.school_id != group.school_id:
        raise PermissionDenied
    if not by.has_perm("pupils.manage_groups"):
        raise PermissionDenied


@transaction.atomic
def group_staff_add(
    *, group: TeachingGroup, user: User, role: str, start: dt.date, by: Any
) -> TeachingGroupStaff:
    """Attach a member of staff; attaching someone already current in the group changes nothing."""
    _check(by, group)
    if not staff_choices_for(group.school_id, start).filter(pk=user.pk).exists():
        raise ValidationError(
            {"user": "Choose someone with a teaching role at this school on the start date"}
        )
    existing = group.staff_links.filter(Q(end__isnull=True) | Q(end__gte=start), user=user).first()
    if existing is not None:
        return existing
    link = TeachingGroupStaff(group=group, user=user, role=role, start=start)
    link._history_user = by  # type: ignore[attr-defined]
    link.full_clean()
    link.save()
    audit_record(by, "pupils.group_staff.added", group, user=user.pk, role=role)
    return link


@transaction.atomic
def group_staff_end(*, link: TeachingGroupStaff, end: dt.date, by: Any) -> TeachingGroupStaff:
    """End a member of staff's place in a group; they stop seeing its pupils after `end`."""
    _check(by, link.group)
    if end < link.start:
        raise ValidationError("The end date must be on or after the start date")
    link.end = end
    link._history_user = by  # type: ignore[attr-defined]
    link.save()
    audit_record(by, "pupils.group_staff.ended", link.group, user=link.user_id)
    return link


class StaffAddForm(forms.Form):
    user = forms.TypedChoiceField(
        label="Member of staff",
        coerce=int,
        error_messages={
            "required": "Select a member of staff",
            "invalid_choice": "Select a member of staff",
        },
    )
    role = forms.ChoiceField(
        label="Role in this group",
        choices=TeachingGroupStaff.StaffRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role in this group"},
    )

    def __init__(self, *args: Any, staff: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose someone")] + [(u.pk, u.full_name or u.email) for u in staff]


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    require_membership(request)
    require_perm(request.user, "pupils.manage_groups")
    today = timezone.localdate()
    groups = teaching_group_list_for(request.user).annotate(
        pupils=Count("pupil_links", filter=current_q("pupil_links__", today), distinct=True),
        staff=Count("staff_links", filter=current_q("staff_links__", today), distinct=True),
    )
    return render(request, "pupils/group_list.html", {"groups": groups})


@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's staff, with forms to attach someone from today and to end a place today."""
    group = get_visible_or_404(teaching_group_list_for(request.user), pk=pk)
    require_perm(request.user, "pupils.manage_groups")
    today = timezone.localdate()
    staff = list(staff_choices_for(group.school_id, today))
    form = StaffAddForm(request.POST if request.POST.get("action") == "add" else None, staff=staff)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "end":
                link = get_visible_or_404(group.staff_links.all(), pk=request.POST.get("link"))
                if link.end is None or link.end >= today:
                    group_staff_end(link=link, end=today, by=request.user)
                messages.success(request, f"{link.user} no longer in {group.name} after today")
                return redirect("pupils:group-detail", pk=group.pk)
            if form.is_valid():
                user = next(u for u in staff if u.pk == form.cleaned_data["user"])
                group_staff_add(
                    group=group,
                    user=user,
                    role=form.cleaned_data["role"],
                    start=today,
                    by=request.user,
                )
                messages.success(request, f"{user} added to {group.name}")
                return redirect("pupils:group-detail", pk=group.pk)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
    links = (
        group.staff_links.filter(current_q(on=today))
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    pupils = (
        group.pupil_links.filter(current_q(on=today))
        .select_related("pupil")
        .order_by("pupil__legal_last_name", "pupil__legal_first_name")
    )
    return render(
        request,
        "pupils/group_detail.html",
        {"group": group, "links": links, "pupil_links": pupils, "form": form},
    )
