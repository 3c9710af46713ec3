"""The URL configuration. No Django admin: every page goes through sendadmin's own access rules."""

from django.urls import include, path

urlpatterns = [
    path("", include("sendadmin.core.urls")),
    path("account/", include("sendadmin.accounts.urls")),
    path("pupils/", include("pupils.urls")),
    path("support/", include("pupils.support.urls")),
    path("provision/", include("pupils.provision.urls")),
    path("ehcp/", include("ehcp.urls")),
    path("reviews/", include("reviews.urls")),
    path("deadlines/", include("sendadmin.clocks.urls")),
    path("offer/", include("offer.urls")),
    path("schools/", include("offer.urls_public")),
    path("dashboard/", include("sendadmin.dashboards.urls")),
]

handler403 = "sendadmin.core.views.error_403"
handler404 = "sendadmin.core.views.error_404"
handler500 = "sendadmin.core.views.error_500"
