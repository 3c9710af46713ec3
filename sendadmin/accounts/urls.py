"""URLs for signing in and switching role."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", login_not_required(views.LoginView.as_view()), name="login"),
    path("sign-out/", views.LogoutView.as_view(), name="logout"),
    path("switch/", views.switch, name="switch"),
]
