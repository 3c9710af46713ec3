"""Sign in, sign out and switching between a person's schools, LAs and roles."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from .forms import LoginForm, SwitchForm
from .selectors import membership_list_current_for
from .services import membership_switch


@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
def switch(request: HttpRequest) -> HttpResponse:
    """Choose which school or LA, and which role, to act in. Works without JavaScript."""
    errors: list[str] = []
    if request.method == "POST":
        form = SwitchForm(request.POST)
        if form.is_valid():
            try:
                membership = membership_switch(
                    user=request.user,  # type: ignore[arg-type]
                    membership_id=form.cleaned_data["membership"],
                    session=request.session,
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, f"You are now working as {membership}.")
                return redirect("core:home")
        else:
            errors = [str(e) for errs in form.errors.values() for e in errs]
    memberships = membership_list_current_for(request.user)
    return render(
        request,
        "accounts/switch.html",
        {"memberships": memberships, "errors": errors},
        status=400 if errors else 200,
    )
