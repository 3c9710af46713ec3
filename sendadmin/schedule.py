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
}
