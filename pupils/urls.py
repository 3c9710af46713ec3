"""URLs for pupils."""

from django.urls import path

from . import views

app_name = "pupils"

urlpatterns = [
    path("", views.pupil_list, name="pupil-list"),
    path("<int:pk>/", views.pupil_detail, name="pupil-detail"),
    path("<int:pk>/history/", views.pupil_history, name="pupil-history"),
]
