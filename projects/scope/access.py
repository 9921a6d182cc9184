"""Permission-checked fetchers for scope and quality records (issue 7), one query each.

Outside the user's projects: 404. Visible but the role does not allow the action: 403.
Everyone with a role reads (ProjectAction.VIEW); what each write needs is in tpm/roles.py.
"""

from typing import TypeVar

from django.db.models import Model, QuerySet

from projects.access import checked, with_my_role
from projects.models import (
    AcceptanceCriterion,
    Deliverable,
    GateCriterion,
    GateReview,
    Objective,
    Project,
    QualityGate,
    QualityMeasure,
)
from tpm.access import Access
from tpm.models import User
from tpm.roles import ProjectAction

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


def fetch(
    model: type[M], user: User, pk: int, *, action: ProjectAction = ProjectAction.VIEW
) -> Access[M]:
    """One record with its project and organisation loaded, and the user's role on it."""
    path = _PROJECT_PATH[model]
    obj = scoped(model, user).select_related(f"{path}__organisation").filter(pk=pk).first()
    return checked(obj, action, str(model._meta.verbose_name))


def project_of(obj: Model) -> Project:
    """The project a scoped record belongs to (loaded by `fetch`)."""
    project: object = obj
    for step in _PROJECT_PATH[type(obj)].split("__"):
        project = getattr(project, step)
    assert isinstance(project, Project)
    return project


def project_access(access: Access[Model]) -> Access[Project]:
    """The caller's access to the project of a fetched record (the same role)."""
    return access.on(project_of(access.obj))
