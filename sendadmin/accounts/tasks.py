"""Background work for accounts: ending one-off grants on their expiry day."""

from celery import shared_task

from .services import access_grant_expire_due


@shared_task(name="accounts.expire_access_grants", acks_late=True, ignore_result=True)
def expire_access_grants() -> int:
    """Idempotent: a grant already ended is skipped, so a second run changes nothing."""
    return access_grant_expire_due()
