"""Permission-checked fetchers for workflow statuses, labels and sprints (as projects/access.py).

Outside the user's projects: 404; visible but the role does not allow the action: 403.
"""

from django.db.models import QuerySet

from projects.access import checked, with_my_role
from projects.models import Label, Sprint, WorkflowStatus
from tpm.access import Access
from tpm.models import User
from tpm.roles import ProjectAction


def statuses_for(user: User) -> QuerySet[WorkflowStatus]:
    return with_my_role(
        WorkflowStatus.objects.filter(project__deleted_at__isnull=True), user, "project"
    )


def labels_for(user: User) -> QuerySet[Label]:
    return with_my_role(Label.objects.filter(project__deleted_at__isnull=True), user, "project")


def sprints_for(user: User) -> QuerySet[Sprint]:
    return with_my_role(Sprint.objects.filter(project__deleted_at__isnull=True), user, "project")


def access_status(user: User, status_id: int, *, write: bool = False) -> Access[WorkflowStatus]:
    status = statuses_for(user).select_related("project__organisation").filter(pk=status_id).first()
    return checked(status, ProjectAction.PLAN if write else ProjectAction.VIEW, "status")


def access_sprint(user: User, sprint_id: int, *, write: bool = False) -> Access[Sprint]:
    sprint = sprints_for(user).select_related("project__organisation").filter(pk=sprint_id).first()
    return checked(sprint, ProjectAction.PLAN if write else ProjectAction.VIEW, "sprint")
