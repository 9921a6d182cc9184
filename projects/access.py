"""Permission-checked fetchers for projects: load and check the role in one query.

A project in another organisation, or one the user has no role in, is a 404; a project the
user can see but whose role does not allow the action is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, F, OuterRef, QuerySet, Subquery, Value, When
from django.http import Http404

from tpm.models import Membership, User
from tpm.roles import OrgRole, ProjectAction, ProjectRole, project_role_can

from .models import Dependency, Project, ProjectMembership, Task


def with_my_role(queryset: QuerySet, user: User, project_path: str = "") -> QuerySet:
    """Annotate `my_role` (the user's effective project role) and keep rows where it exists.

    `project_path` leads from the queryset's model to its project ("" for Project itself).
    An org admin acts as manager on every project; others need a project role and must still
    belong to the organisation.
    """
    if not user.is_authenticated:
        return queryset.none()
    prefix = f"{project_path}__" if project_path else ""
    project_ref = project_path or "pk"
    return (
        queryset.annotate(
            my_org_role=Subquery(
                Membership.objects.filter(
                    organisation=OuterRef(f"{prefix}organisation"), user=user
                ).values("role")[:1]
            ),
            my_project_role=Subquery(
                ProjectMembership.objects.filter(project=OuterRef(project_ref), user=user).values(
                    "role"
                )[:1]
            ),
        )
        .annotate(
            my_role=Case(
                When(my_org_role=OrgRole.ADMIN, then=Value(ProjectRole.MANAGER.value)),
                When(my_org_role__isnull=False, then=F("my_project_role")),
                default=None,
                output_field=CharField(),
            )
        )
        .filter(my_role__isnull=False)
    )


def projects_for(user: User) -> QuerySet[Project]:
    """Live projects the user has a role in (all of them for an org admin), with `my_role`."""
    return with_my_role(Project.objects.alive(), user)


def _check(obj: object | None, action: ProjectAction) -> None:
    if obj is None:
        raise Http404("No such project.")
    if not project_role_can(obj.my_role, action):  # type: ignore[attr-defined]
        raise PermissionDenied("Your role in this project does not allow this.")


def access_project(
    user: User,
    project_id: int,
    *,
    write: bool = False,
    action: ProjectAction | None = None,
) -> Project:
    project = projects_for(user).select_related("organisation").filter(pk=project_id).first()
    _check(project, action or (ProjectAction.EDIT if write else ProjectAction.VIEW))
    assert project is not None
    return project


def access_project_membership(
    user: User, membership_id: int, *, write: bool = False
) -> ProjectMembership:
    membership = (
        with_my_role(ProjectMembership.objects.all(), user, "project")
        .select_related("project__organisation", "user")
        .filter(pk=membership_id, project__deleted_at__isnull=True)
        .first()
    )
    _check(membership, ProjectAction.MANAGE_MEMBERS if write else ProjectAction.VIEW_MEMBERS)
    assert membership is not None
    return membership


def access_deleted_project(user: User, project_id: int) -> Project:
    """A soft-deleted project, for its organisation's admins to restore."""
    project = (
        with_my_role(Project.objects.deleted(), user)
        .select_related("organisation", "deleted_by")
        .filter(pk=project_id, my_org_role=OrgRole.ADMIN)
        .first()
    )
    if project is None:
        raise Http404("No such deleted project.")
    return project


def access_task(
    user: User, task_id: int, *, write: bool = False, action: ProjectAction | None = None
) -> Task:
    """A live task of a live project; writing the plan needs ProjectAction.PLAN."""
    task = (
        with_my_role(Task.objects.alive(), user, "project")
        .select_related("project__organisation", "parent")
        .filter(pk=task_id, project__deleted_at__isnull=True)
        .first()
    )
    _check(task, action or (ProjectAction.PLAN if write else ProjectAction.VIEW))
    assert task is not None
    return task


def can_report_progress(task: Task, user: User) -> bool:
    """Planners report on any task; team members on the tasks assigned to them."""
    role = task.my_role  # type: ignore[attr-defined]
    if project_role_can(role, ProjectAction.PLAN):
        return True
    return project_role_can(role, ProjectAction.UPDATE_OWN_WORK) and (
        task.assignees.filter(pk=user.pk).exists()
    )


def access_task_progress(user: User, task_id: int) -> Task:
    task = access_task(user, task_id)
    if not can_report_progress(task, user):
        raise PermissionDenied(
            "Only the people assigned to this task, or its planners, report on it."
        )
    return task


def access_dependency(user: User, link_id: int, *, write: bool = False) -> Dependency:
    """A link, seen through its successor's project (the plan the link belongs to)."""
    link = (
        with_my_role(Dependency.objects.all(), user, "successor__project")
        .select_related("predecessor", "successor__project__organisation")
        .filter(
            pk=link_id,
            successor__deleted_at__isnull=True,
            predecessor__deleted_at__isnull=True,
            successor__project__deleted_at__isnull=True,
        )
        .first()
    )
    _check(link, ProjectAction.PLAN if write else ProjectAction.VIEW)
    assert link is not None
    return link
