"""App configuration for clocks."""

from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "sendadmin.clocks"
    label = "clocks"
    verbose_name = "Statutory clocks"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers clock permissions)
