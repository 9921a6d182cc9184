from celery import shared_task

from . import services


@shared_task
def purge_deleted_projects() -> int:
    return services.projects_purge_deleted()
