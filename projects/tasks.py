from celery import shared_task
from django.utils import timezone

from projects import services
from projects.agile.services.sprints import snapshot_active_sprints


@shared_task
def purge_deleted_projects() -> int:
    return services.projects_purge_deleted()


@shared_task
def snapshot_sprints() -> int:
    """Daily burndown/burnup figures of every active sprint; safe to run twice a day."""
    return snapshot_active_sprints(timezone.localdate())


# Task notifications (issue 4): imported so the worker registers the jobs tpm/periodic.py names.
from projects.work.events import notify_due_and_overdue  # noqa: E402, F401
