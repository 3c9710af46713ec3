"""App configuration for the compliance dashboards of schools and local authorities."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "sendadmin.dashboards"
    label = "dashboards"
    verbose_name = "Compliance dashboards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers dashboard permissions)
