"""Every periodic job, in one place. Celery beat (django-celery-beat's database scheduler)
installs these on start; admins may then pause or re-time them in the Django admin."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "purge-expired-invitations": {
        "task": "tpm.tasks.purge_expired_invitations",
        "schedule": crontab(minute=15),
    },
    # Files of uploads whose transaction rolled back (tpm/storage_sweep.py).
    "sweep-orphan-attachments": {
        "task": "tpm.tasks.sweep_orphan_attachments",
        "schedule": crontab(minute=20, hour=4),
    },
    "purge-deleted-projects": {
        "task": "projects.tasks.purge_deleted_projects",
        "schedule": crontab(minute=45, hour=3),
    },
    # The risk register (risks/tasks.py): each job is idempotent, so the schedule may overlap.
    "escalate-risks": {
        "task": "risks.tasks.escalate_risks",
        "schedule": crontab(minute="*/15"),
    },
    "remind-overdue-risk-reviews": {
        "task": "risks.tasks.remind_overdue_reviews",
        "schedule": crontab(minute=0, hour=7),
    },
    "flag-overdue-assumptions": {
        "task": "risks.tasks.flag_overdue_assumptions",
        "schedule": crontab(minute=5, hour=7),
    },
    # Status reports (reports/tasks.py): send each due schedule's period once (keyed on
    # schedule + period, so overlapping runs send nothing twice).
    "send-due-status-reports": {
        "task": "reports.tasks.send_due_reports",
        "schedule": crontab(minute="*/5"),
    },
    # Cost figures computed ahead for the portfolio and dashboards (reports/sources/cost.py):
    # only projects whose data changed (database triggers) or whose figures are of yesterday.
    "refresh-cost-figures": {
        "task": "reports.tasks.refresh_cost_figures",
        "schedule": crontab(minute="*"),
    },
    # Sprint burndown/burnup (projects/tasks.py): one snapshot per active sprint and day;
    # run twice a day so a missed run still leaves the day's figures (keyed on sprint + day).
    "snapshot-sprints": {
        "task": "projects.tasks.snapshot_sprints",
        "schedule": crontab(minute=55, hour="12,23"),
    },
    # Task notifications (projects/work/events.py, tpm/notifications.py): dedupe keys carry the
    # task and day, so hourly runs tell each person once.
    "notify-due-and-overdue-tasks": {
        "task": "projects.work_events.notify_due_and_overdue",
        "schedule": crontab(minute=30),
    },
    "send-daily-notification-digests": {
        "task": "tpm.notifications.send_daily_digests",
        "schedule": crontab(minute=0, hour=6),
    },
    # Notification emails the mail server refused, again with back-off (each claimed before
    # it is sent, so overlapping runs send nothing twice).
    "resend-due-notification-emails": {
        "task": "tpm.notifications.resend_due_emails",
        "schedule": crontab(minute="*/2"),
    },
    # Jobs a service could not queue while the broker was down (tpm/jobs.py).
    "requeue-pending-jobs": {
        "task": "tpm.tasks.requeue_pending_jobs",
        "schedule": crontab(minute="*/5"),
    },
}
