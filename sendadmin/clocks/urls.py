"""URLs for deadlines, notifications and the personal calendar feed (mounted at /deadlines/)."""

from django.urls import path

from . import views

app_name = "clocks"

urlpatterns = [
    path("", views.my_deadlines, name="my-deadlines"),
    path("school/", views.school_deadlines, name="school-deadlines"),
    path("la/", views.la_deadlines, name="la-deadlines"),
    path("pupil/<int:pk>/", views.pupil_timeline, name="pupil-timeline"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("notifications/read-all/", views.notification_read_all, name="notification-read-all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("calendar/", views.calendar_settings, name="calendar-settings"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar-revoke"),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar-feed"),
]
