"""Background work for reviews: opening the phase-transfer clocks of the current academic year."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .phase import phase_transfer_clocks_open


@shared_task(
    name="reviews.open_phase_transfer_clocks",
    acks_late=True,
    # Safe to redeliver: a plan that already has its clock is skipped, so nothing opens twice.
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=240,
    time_limit=300,
)
def open_phase_transfer_clocks() -> int:
    """Idempotent: a second run on the same day, or any later day, opens nothing new."""
    return phase_transfer_clocks_open(today=timezone.localdate())
