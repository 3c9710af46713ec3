"""App configuration for the shell."""

from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class CoreConfig(AppConfig):
    name = "sendadmin.core"
    label = "core"
    verbose_name = "Application shell"


class StaticFilesConfig(BaseStaticFilesConfig):
    """collectstatic skips the asset build folder (npm packages), which is only an input."""

    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "build"]
