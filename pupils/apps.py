"""App configuration for pupils."""

from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"
    verbose_name = "Pupils and the SEN register"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers pupil permissions)
