"""Every periodic job, in one place. Celery beat (django-celery-beat's database scheduler)
installs these on start; admins may then pause or re-time them in the Django admin."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "purge-expired-invitations": {
        "task": "tpm.tasks.purge_expired_invitations",
        "schedule": crontab(minute=15),
    },
    "purge-deleted-projects": {
        "task": "projects.tasks.purge_deleted_projects",
        "schedule": crontab(minute=45, hour=3),
    },
}
