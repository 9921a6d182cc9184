"""Permission-checked fetchers for the register and the RAID log, in one query each.

Outside the user's projects: 404. Visible but the role does not allow the action: 403.
Everyone with a role reads (ProjectAction.VIEW_RISKS); members and managers write
(ProjectAction.EDIT_RISKS).
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from projects.access import with_my_role
from tpm.models import User
from tpm.roles import ProjectAction, project_role_can

from .models import Risk

M = TypeVar("M", bound=Model)


def scoped(model: type[M], user: User) -> QuerySet[M]:
    """Rows of `model` (anything with a `project`) in live projects the user has a role in."""
    return with_my_role(
        model._default_manager.filter(project__deleted_at__isnull=True), user, "project"
    )


def risks_for(user: User) -> QuerySet[Risk]:
    return scoped(Risk, user)


def access_entry(model: type[M], user: User, entry_id: int, *, write: bool = False) -> M:
    """One risk or RAID entry with its project and organisation; `my_role` annotated."""
    entry = scoped(model, user).select_related("project__organisation").filter(pk=entry_id).first()
    if entry is None:
        raise Http404(f"No such {model._meta.verbose_name}.")
    action = ProjectAction.EDIT_RISKS if write else ProjectAction.VIEW_RISKS
    if not project_role_can(entry.my_role, action):  # type: ignore[attr-defined]
        raise PermissionDenied("Your role in this project does not allow this.")
    entry.project.my_role = entry.my_role  # type: ignore[attr-defined]
    return entry


def access_risk(user: User, risk_id: int, *, write: bool = False) -> Risk:
    return access_entry(Risk, user, risk_id, write=write)
