"""sendadmin: SEND administration for schools and local authorities in England."""

from .celery import app as celery_app

__all__ = ("celery_app",)
