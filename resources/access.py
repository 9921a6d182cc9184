"""Permission-checked fetchers for the resource pool, allocations and assignments, in one
query each. Outside the user's organisations (or projects): 404. Visible but the role does not
allow the action: 403.

The pool belongs to the organisation: every member reads it (OrgAction.VIEW); admins change it
(OrgAction.MANAGE_RESOURCES) and alone see and set rates (OrgAction.VIEW_RATES). Allocations and
assignments belong to a project: everyone with a role reads them, planners (ProjectAction.PLAN)
change them.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from projects.access import checked, with_my_role
from resources.models import (
    Allocation,
    Assignment,
    CostRate,
    Resource,
    ResourceRole,
    Skill,
    TimeOff,
)
from tpm.access import Access, annotated_role, org_access, with_org_role
from tpm.models import User
from tpm.roles import OrgAction, ProjectAction

M = TypeVar("M", bound=Model)


def with_my_org_role(queryset: QuerySet[M], user: User, organisation_path: str) -> QuerySet[M]:
    """Annotate `my_org_role` (the user's role in the row's organisation); drop other rows."""
    if not user.is_authenticated:
        return queryset.none()
    annotated = with_org_role(queryset, user, organisation_path, "my_org_role")
    return annotated.filter(my_org_role__isnull=False)


def _org_check(obj: M | None, action: OrgAction, what: str) -> Access[M]:
    """The Access for a row of `with_my_org_role`: 404 when missing, 403 when not allowed."""
    if obj is None:
        raise Http404(f"No such {what}.")
    access = org_access(obj, annotated_role(obj, "my_org_role"))
    if not access.can(action):
        raise PermissionDenied("Your role in this organisation does not allow this.")
    return access


def _pool_action(write: bool) -> OrgAction:
    return OrgAction.MANAGE_RESOURCES if write else OrgAction.VIEW


def access_resource(user: User, resource_id: int, *, write: bool = False) -> Access[Resource]:
    """A resource of one of the user's organisations, with its role and organisation."""
    resource = (
        with_my_org_role(Resource.objects.all(), user, "organisation")
        .select_related("organisation", "role", "user", "calendar")
        .filter(pk=resource_id)
        .first()
    )
    return _org_check(resource, _pool_action(write), "resource")


def access_resource_role(user: User, role_id: int, *, write: bool = False) -> Access[ResourceRole]:
    role = (
        with_my_org_role(ResourceRole.objects.all(), user, "organisation")
        .select_related("organisation")
        .filter(pk=role_id)
        .first()
    )
    return _org_check(role, _pool_action(write), "role")


def access_skill(user: User, skill_id: int, *, write: bool = False) -> Access[Skill]:
    skill = with_my_org_role(Skill.objects.all(), user, "organisation").filter(pk=skill_id).first()
    return _org_check(skill, _pool_action(write), "skill")


def access_time_off(user: User, time_off_id: int, *, write: bool = False) -> Access[TimeOff]:
    time_off = (
        with_my_org_role(TimeOff.objects.all(), user, "resource__organisation")
        .select_related("resource__organisation")
        .filter(pk=time_off_id)
        .first()
    )
    return _org_check(time_off, _pool_action(write), "time off")


def access_rate(user: User, rate_id: int, *, write: bool = False) -> Access[CostRate]:
    """Rates are the organisation admins' (OrgAction.VIEW_RATES to read, and to change)."""
    rate = (
        with_my_org_role(CostRate.objects.all(), user, "organisation")
        .select_related("organisation", "resource", "role")
        .filter(pk=rate_id)
        .first()
    )
    access = _org_check(rate, OrgAction.VIEW_RATES, "rate")
    if write:
        _org_check(rate, OrgAction.MANAGE_RESOURCES, "rate")
    return access


def scoped(model: type[M], user: User, project_path: str = "project") -> QuerySet[M]:
    """Rows of `model` in live projects the user has a role in, with `my_role` annotated."""
    return with_my_role(
        model._default_manager.filter(**{f"{project_path}__deleted_at__isnull": True}),
        user,
        project_path,
    )


def access_allocation(user: User, allocation_id: int, *, write: bool = False) -> Access[Allocation]:
    allocation = (
        scoped(Allocation, user)
        .select_related("project__organisation", "resource__role")
        .filter(pk=allocation_id)
        .first()
    )
    return checked(allocation, ProjectAction.PLAN if write else ProjectAction.VIEW, "allocation")


def access_assignment(user: User, assignment_id: int, *, write: bool = False) -> Access[Assignment]:
    assignment = (
        scoped(Assignment, user, "task__project")
        .select_related("task__project__organisation", "resource__user")
        .filter(pk=assignment_id, task__deleted_at__isnull=True)
        .first()
    )
    return checked(assignment, ProjectAction.PLAN if write else ProjectAction.VIEW, "assignment")
