"""App configuration for SEN support plans and parents' meetings."""

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "pupils.support"
    label = "support"
    verbose_name = "SEN support plans and parents' meetings"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers support permissions)
