"""Permission-checked fetchers for the register and the RAID log, in one query each.

Outside the user's projects: 404. Visible but the role does not allow the action: 403.
Everyone with a role reads (ProjectAction.VIEW_RISKS); members and managers write
(ProjectAction.EDIT_RISKS).
"""

from typing import TypeVar

from django.db.models import Model, QuerySet

from projects.access import checked, with_my_role
from tpm.access import Access
from tpm.models import User
from tpm.roles import ProjectAction

from .models import Risk

M = TypeVar("M", bound=Model)


def scoped(model: type[M], user: User) -> QuerySet[M]:
    """Rows of `model` (anything with a `project`) in live projects the user has a role in."""
    return with_my_role(
        model._default_manager.filter(project__deleted_at__isnull=True), user, "project"
    )


def risks_for(user: User) -> QuerySet[Risk]:
    return scoped(Risk, user)


def access_entry(model: type[M], user: User, entry_id: int, *, write: bool = False) -> Access[M]:
    """One risk or RAID entry with its project and organisation, and the user's role."""
    entry = scoped(model, user).select_related("project__organisation").filter(pk=entry_id).first()
    action = ProjectAction.EDIT_RISKS if write else ProjectAction.VIEW_RISKS
    return checked(entry, action, str(model._meta.verbose_name))


def access_risk(user: User, risk_id: int, *, write: bool = False) -> Access[Risk]:
    return access_entry(Risk, user, risk_id, write=write)
