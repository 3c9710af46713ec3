"""App configuration for the shell."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sendadmin.core"
    label = "core"
    verbose_name = "Application shell"
