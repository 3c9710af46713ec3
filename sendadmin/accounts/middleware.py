"""Chooses the membership (school or LA, and role) a signed-in user is acting in for this request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .selectors import membership_current_for

SESSION_KEY = "active_membership_id"


class ActiveMembershipMiddleware:
    """Sets `request.membership` and `request.user.active_membership`.

    The session remembers the user's choice; a choice that has ended (or was tampered with) falls
    back to the user's first current membership, so an ended role never keeps its access.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        user = request.user
        if user.is_authenticated:
            membership = membership_current_for(user, request.session.get(SESSION_KEY))
            if membership is None:
                request.session.pop(SESSION_KEY, None)
            elif request.session.get(SESSION_KEY) != membership.pk:
                request.session[SESSION_KEY] = membership.pk
            user.active_membership = membership
        request.membership = membership  # type: ignore[attr-defined]
        return self.get_response(request)
