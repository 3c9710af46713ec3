"""URLs for pupils."""

from django.urls import path

from . import groups, views, views_contacts_medical

app_name = "pupils"

urlpatterns = [
    path("groups/", groups.group_list, name="group-list"),
    path("groups/<int:pk>/", groups.group_detail, name="group-detail"),
    path("", views.pupil_list, name="pupil-list"),
    path("<int:pk>/", views.pupil_detail, name="pupil-detail"),
    path("<int:pk>/history/", views.pupil_history, name="pupil-history"),
    path("<int:pk>/sen-status/", views.sen_status_set, name="sen-status-set"),
    path("<int:pk>/parents-told/", views.parents_told_record, name="parents-told-record"),
    path(
        "<int:pk>/parents/add/",
        views_contacts_medical.parent_carer_add,
        name="parent-carer-add",
    ),
    path(
        "parents/<int:pk>/edit/",
        views_contacts_medical.parent_carer_edit,
        name="parent-carer-edit",
    ),
    path(
        "parents/<int:pk>/remove/",
        views_contacts_medical.parent_carer_remove,
        name="parent-carer-remove",
    ),
    path(
        "<int:pk>/medical/add/",
        views_contacts_medical.medical_condition_add,
        name="medical-condition-add",
    ),
    path(
        "medical/<int:pk>/edit/",
        views_contacts_medical.medical_condition_edit,
        name="medical-condition-edit",
    ),
    path(
        "medical/<int:pk>/remove/",
        views_contacts_medical.medical_condition_remove,
        name="medical-condition-remove",
    ),
    path("register/", views.register_list, name="register-list"),
    path("register/export/", views.register_export, name="register-export"),
    path("register/import/", views.register_import, name="register-import"),
    path("register/census/", views.register_census, name="register-census"),
    path("register/census-check/", views.register_census_check, name="register-census-check"),
]
