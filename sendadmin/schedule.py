"""Periodic work, declared in code. django-celery-beat's DatabaseScheduler merges this into its
tables on start, so the schedule is versioned here and editable in one place. Beat runs in UTC."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "accounts.expire_access_grants": {
        "task": "accounts.expire_access_grants",
        # Just after midnight UK time in both winter and summer: grants end with their expiry day.
        "schedule": crontab(minute=15, hour="0,1"),
        "options": {"expires": 3600},
    },
    "clocks.sweep": {
        "task": "clocks.sweep",
        # Every quarter of an hour in UTC; the sweep is idempotent and single-flight, and a run
        # that could not start within 10 minutes is dropped because the next one is 5 minutes away.
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
    "reviews.open_phase_transfer_clocks": {
        "task": "reviews.open_phase_transfer_clocks",
        # Daily before the working day in both winter and summer (05:30 or 06:30 UK time); the run
        # is idempotent, so a missed day is caught up by the next one.
        "schedule": crontab(minute=30, hour=5),
        "options": {"expires": 3600},
    },
}
