"""Who may take part in a task's discussion: comment, attach and flag it blocked."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from projects.access import access_task
from projects.models import Task
from tpm.access import Access
from tpm.models import User
from tpm.roles import ProjectAction, project_role_can


def can_collaborate(role: str | None) -> bool:
    """Managers and members comment and attach; stakeholders and viewers read."""
    return project_role_can(role, ProjectAction.UPDATE_OWN_WORK) or project_role_can(
        role, ProjectAction.PLAN
    )


def access_task_collab(user: User, task_id: int, project_id: int | None = None) -> Access[Task]:
    task = access_task(user, task_id)
    if project_id is not None and task.obj.project_id != project_id:
        raise Http404("No such task in this project.")
    if not can_collaborate(task.role):
        raise PermissionDenied("Your role in this project lets you read, not comment.")
    return task
