"""App configuration for EHC needs assessments and plans."""

from django.apps import AppConfig


class EhcpConfig(AppConfig):
    name = "ehcp"
    label = "ehcp"
    verbose_name = "EHC needs assessments and plans"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers EHC permissions)
