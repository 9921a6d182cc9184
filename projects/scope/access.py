"""Permission-checked fetchers for scope and quality records (issue 7), one query each.

Outside the user's projects: 404. Visible but the role does not allow the action: 403.
Everyone with a role reads (ProjectAction.VIEW); what each write needs is in tpm/roles.py.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from projects.access import with_my_role
from projects.models import (
    AcceptanceCriterion,
    Deliverable,
    GateCriterion,
    GateReview,
    Objective,
    QualityGate,
    QualityMeasure,
)
from tpm.models import User
from tpm.roles import ProjectAction, project_role_can

M = TypeVar("M", bound=Model)

# How each model reaches its project.
_PROJECT_PATH: dict[type[Model], str] = {
    Objective: "project",
    Deliverable: "project",
    QualityGate: "project",
    QualityMeasure: "project",
    AcceptanceCriterion: "deliverable__project",
    GateCriterion: "gate__project",
    GateReview: "gate__project",
}


def scoped(model: type[M], user: User) -> QuerySet[M]:
    """Rows of `model` in live projects the user has a role in, with `my_role`."""
    path = _PROJECT_PATH[model]
    return with_my_role(
        model._default_manager.filter(**{f"{path}__deleted_at__isnull": True}), user, path
    )


def fetch(model: type[M], user: User, pk: int, *, action: ProjectAction = ProjectAction.VIEW) -> M:
    """One record with its project and organisation loaded; `my_role` set on it and its project."""
    path = _PROJECT_PATH[model]
    obj = scoped(model, user).select_related(f"{path}__organisation").filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No such {model._meta.verbose_name}.")
    role = obj.my_role  # type: ignore[attr-defined]
    if not project_role_can(role, action):
        raise PermissionDenied("Your role in this project does not allow this.")
    project = obj
    for step in path.split("__"):
        project = getattr(project, step)
    project.my_role = role  # type: ignore[attr-defined]
    return obj


def project_of(obj: Model) -> object:
    """The project a scoped record belongs to (loaded by `fetch`)."""
    project = obj
    for step in _PROJECT_PATH[type(obj)].split("__"):
        project = getattr(project, step)
    return project
