"""App configuration for the school's SEN offer: the SEN Information Report and governance duties."""

from django.apps import AppConfig


class OfferConfig(AppConfig):
    name = "offer"
    label = "offer"
    verbose_name = "The school's SEN offer and governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers offer permissions)
