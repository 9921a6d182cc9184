"""Permission-checked fetchers for workflow statuses, labels and sprints (as projects/access.py).

Outside the user's projects: 404; visible but the role does not allow the action: 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from projects.access import with_my_role
from projects.models import Label, Sprint, WorkflowStatus
from tpm.models import User
from tpm.roles import ProjectAction, project_role_can


def statuses_for(user: User) -> QuerySet[WorkflowStatus]:
    return with_my_role(
        WorkflowStatus.objects.filter(project__deleted_at__isnull=True), user, "project"
    )


def labels_for(user: User) -> QuerySet[Label]:
    return with_my_role(Label.objects.filter(project__deleted_at__isnull=True), user, "project")


def sprints_for(user: User) -> QuerySet[Sprint]:
    return with_my_role(Sprint.objects.filter(project__deleted_at__isnull=True), user, "project")


def _check(obj: object | None, action: ProjectAction, noun: str) -> None:
    if obj is None:
        raise Http404(f"No such {noun}.")
    if not project_role_can(obj.my_role, action):  # type: ignore[attr-defined]
        raise PermissionDenied("Your role in this project does not allow this.")


def access_status(user: User, status_id: int, *, write: bool = False) -> WorkflowStatus:
    status = statuses_for(user).select_related("project__organisation").filter(pk=status_id).first()
    _check(status, ProjectAction.PLAN if write else ProjectAction.VIEW, "status")
    assert status is not None
    return status


def access_sprint(user: User, sprint_id: int, *, write: bool = False) -> Sprint:
    sprint = sprints_for(user).select_related("project__organisation").filter(pk=sprint_id).first()
    _check(sprint, ProjectAction.PLAN if write else ProjectAction.VIEW, "sprint")
    assert sprint is not None
    return sprint
