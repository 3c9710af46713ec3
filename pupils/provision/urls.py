"""URLs of the costed provision map."""

from django.urls import path

from . import views

app_name = "provision"

urlpatterns = [
    path("", views.provision_map, name="map"),
    path("new/", views.provision_create, name="create"),
    path("budget/", views.budget_set, name="budget-set"),
    path("log/", views.log_start, name="log-start"),
    path("<int:pk>/", views.provision_detail, name="detail"),
    path("<int:pk>/edit/", views.provision_edit, name="edit"),
    path("<int:pk>/log/", views.session_log, name="session-log"),
    path("pupil/<int:pk>/", views.pupil_summary, name="pupil-summary"),
    path("pupil/<int:pk>/assign/", views.assign, name="assign"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment-end"),
]
