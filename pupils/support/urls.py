"""URLs of SEN support plans and parents' meetings."""

from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("pupil/<int:pk>/", views.plan_for_pupil, name="plan-for-pupil"),
    path("pupil/<int:pk>/parent-meeting/", views.parent_meeting_add, name="parent-meeting-add"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/cycle/", views.cycle_edit, name="cycle-edit"),
    path("plans/<int:pk>/outcomes/add/", views.outcome_add, name="outcome-add"),
    path("plans/<int:pk>/outcomes/<int:row_pk>/edit/", views.outcome_edit, name="outcome-edit"),
    path(
        "plans/<int:pk>/outcomes/<int:row_pk>/remove/",
        views.outcome_remove,
        name="outcome-remove",
    ),
    path("plans/<int:pk>/provision/add/", views.provision_add, name="provision-add"),
    path(
        "plans/<int:pk>/provision/<int:row_pk>/edit/",
        views.provision_edit,
        name="provision-edit",
    ),
    path(
        "plans/<int:pk>/provision/<int:row_pk>/remove/",
        views.provision_remove,
        name="provision-remove",
    ),
    path("plans/<int:pk>/history/", views.plan_history, name="plan-history"),
    path("plans/<int:pk>/views/add/", views.view_add, name="view-add"),
    path("plans/<int:pk>/delivered/add/", views.delivery_add, name="delivery-add"),
    path("plans/<int:pk>/review/", views.review_complete, name="review-complete"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan-pdf"),
    path("parent-meetings/behind/", views.parent_meetings_behind, name="parent-meetings-behind"),
]
