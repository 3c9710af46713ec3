"""App configuration for reviews of EHC plans."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    label = "reviews"
    verbose_name = "Reviews of EHC plans"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers review permissions)
