"""Background work for clocks: the reminder sweep and the delivery of one reminder."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from .delivery import reminder_deliver
from .sweep import sweep


@shared_task(
    name="clocks.sweep",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=240,
    time_limit=300,
)
def sweep_clocks() -> dict[str, int | bool]:
    """Idempotent and single-flight: a second run, or one that overlaps, inserts nothing twice."""
    result = sweep()
    return {"ran": result.ran, "inserted": result.inserted, "retried": result.retried}


@shared_task(
    name="clocks.deliver_reminder",
    acks_late=True,
    # Safe to redeliver when a worker dies mid-task: delivery locks the row and checks sent_at.
    reject_on_worker_lost=True,
    # Transient only: the mail server or the network. SMTPException and ConnectionError are
    # OSErrors too; they are named for the reader.
    autoretry_for=(SMTPException, ConnectionError, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    ignore_result=True,
    soft_time_limit=60,
    time_limit=90,
)
def deliver_reminder(reminder_id: int) -> str:
    return reminder_deliver(reminder_id)
