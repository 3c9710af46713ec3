"""App configuration for the costed provision map."""

from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "pupils.provision"
    label = "provision"
    verbose_name = "Costed provision map"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers provision permissions)
