"""Permission-checked fetchers for projects: load and check the role in one query.

A project in another organisation, or one the user has no role in, is a 404; a project the
user can see but whose role does not allow the action is a 403.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    F,
    FilteredRelation,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from projects.models import (
    Baseline,
    CalendarException,
    Dependency,
    Project,
    ProjectMembership,
    Task,
    WorkCalendar,
)
from tpm.access import Access, annotated_role, org_access, with_org_role
from tpm.models import User
from tpm.roles import (
    OrgAction,
    OrgRole,
    ProjectAction,
    ProjectRole,
    effective_project_role,
    org_role_can,
    project_role_can,
)

M = TypeVar("M", bound=Model)


def with_my_role(queryset: QuerySet, user: User, project_path: str = "") -> QuerySet:
    """Annotate `my_role` (the user's effective project role) and keep rows where it exists.

    `project_path` leads from the queryset's model to its project ("" for Project itself).
    An org admin acts as manager on every project; others need a project role and must still
    belong to the organisation.

    The caller's two roles come from LEFT JOINs to their own membership rows (one per
    organisation and per project, by the unique constraints), so each row costs an index
    lookup, never a subquery run once per row (issue 14: five correlated subqueries per row
    made the last page of a 5,000-task list take ten seconds). tests/projects/test_query_plans.py
    holds the plan's shape.
    """
    if not user.is_authenticated:
        return queryset.none()
    prefix = f"{project_path}__" if project_path else ""
    project_members = f"{prefix}memberships"
    return (
        with_org_role(queryset, user, f"{prefix}organisation", "my_org_role")
        .annotate(
            my_project_membership=FilteredRelation(
                project_members, condition=Q(**{f"{project_members}__user": user})
            ),
        )
        .annotate(
            my_role=Case(
                When(my_org_role=OrgRole.ADMIN, then=Value(ProjectRole.MANAGER.value)),
                When(my_org_role__isnull=False, then=F("my_project_membership__role")),
                default=None,
                output_field=CharField(),
            ),
        )
        .filter(my_role__isnull=False)
    )


def projects_for(user: User) -> QuerySet[Project]:
    """Live projects the user has a role in (all of them for an org admin), with `my_role`."""
    return with_my_role(Project.objects.alive(), user)


def row_access(row: M) -> Access[M]:
    """The Access for one row of a `with_my_role` queryset (list pages that act per row)."""
    return Access(row, annotated_role(row))


def checked(row: M | None, action: ProjectAction, noun: str = "project") -> Access[M]:
    """The Access for a row loaded through `with_my_role`: 404 when the query found nothing (not
    the user's, or no such row), 403 when the role does not allow `action`.

    The one place a fetched row's annotated role is read; callers get it typed, as `.role`.
    """
    if row is None:
        raise Http404(f"No such {noun}.")
    access = row_access(row)
    if not access.can(action):
        raise PermissionDenied("Your role in this project does not allow this.")
    return access


def access_project(
    user: User,
    project_id: int,
    *,
    write: bool = False,
    action: ProjectAction | None = None,
) -> Access[Project]:
    project = projects_for(user).select_related("organisation").filter(pk=project_id).first()
    return checked(project, action or (ProjectAction.EDIT if write else ProjectAction.VIEW))


def access_project_membership(
    user: User, membership_id: int, *, write: bool = False
) -> Access[ProjectMembership]:
    membership = (
        with_my_role(ProjectMembership.objects.all(), user, "project")
        .select_related("project__organisation", "user")
        .filter(pk=membership_id, project__deleted_at__isnull=True)
        .first()
    )
    return checked(
        membership, ProjectAction.MANAGE_MEMBERS if write else ProjectAction.VIEW_MEMBERS
    )


def access_deleted_project(user: User, project_id: int) -> Access[Project]:
    """A soft-deleted project, for its organisation's admins to restore."""
    project = (
        with_my_role(Project.objects.deleted(), user)
        .select_related("organisation", "deleted_by")
        .filter(pk=project_id, my_org_role=OrgRole.ADMIN)
        .first()
    )
    return checked(project, ProjectAction.VIEW, "deleted project")


def access_task(
    user: User, task_id: int, *, write: bool = False, action: ProjectAction | None = None
) -> Access[Task]:
    """A live task of a live project; writing the plan needs ProjectAction.PLAN."""
    task = (
        with_my_role(Task.objects.alive(), user, "project")
        .select_related("project__organisation", "parent")
        .filter(pk=task_id, project__deleted_at__isnull=True)
        .first()
    )
    return checked(task, action or (ProjectAction.PLAN if write else ProjectAction.VIEW))


def can_report_progress(task: Access[Task], user: User) -> bool:
    """Planners report on any task; team members on the tasks assigned to them."""
    if task.can(ProjectAction.PLAN):
        return True
    return task.can(ProjectAction.UPDATE_OWN_WORK) and (
        task.obj.assignees.filter(pk=user.pk).exists()
    )


def access_task_progress(user: User, task_id: int) -> Access[Task]:
    task = access_task(user, task_id)
    if not can_report_progress(task, user):
        raise PermissionDenied(
            "Only the people assigned to this task, or its planners, report on it."
        )
    return task


def access_dependency(user: User, link_id: int, *, write: bool = False) -> Access[Dependency]:
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
    return checked(link, ProjectAction.PLAN if write else ProjectAction.VIEW)


def tasks_for(user: User) -> QuerySet[Task]:
    """Live tasks of live projects the user has a role in, with `my_role` (API lists, ids)."""
    return with_my_role(
        Task.objects.alive().filter(project__deleted_at__isnull=True), user, "project"
    )


def dependencies_for(user: User) -> QuerySet[Dependency]:
    """Links between live tasks, seen through the successor's project (whose plan they are)."""
    return with_my_role(
        Dependency.objects.filter(
            successor__deleted_at__isnull=True,
            predecessor__deleted_at__isnull=True,
            successor__project__deleted_at__isnull=True,
        ),
        user,
        "successor__project",
    )


# --- calendars: everyone in the organisation reads them; admins and project managers edit ---


def calendars_for(user: User) -> QuerySet[WorkCalendar]:
    """The calendars of the user's organisations (not those of trashed projects).

    Annotated with `my_org_role` and `my_project_role` (the latter for a project's own calendar)
    so `can_manage_calendar` answers without another query.
    """
    if not user.is_authenticated:
        return WorkCalendar.objects.none()
    return (
        with_org_role(
            WorkCalendar.objects.filter(
                Q(project__isnull=True) | Q(project__deleted_at__isnull=True)
            ),
            user,
            "organisation",
            "my_org_role",
        )
        .annotate(
            my_project_membership=FilteredRelation(
                "project__memberships", condition=Q(project__memberships__user=user)
            ),
        )
        .annotate(my_project_role=F("my_project_membership__role"))
        .filter(my_org_role__isnull=False)
    )


def may_manage_calendars(
    *, org_role: str | None, project_role: str | None, for_project: bool
) -> bool:
    """Organisation calendars: its admins. A project's own calendar: also its planners."""
    if org_role_can(org_role, OrgAction.EDIT):
        return True
    role = effective_project_role(org_role=org_role, project_role=project_role)
    return for_project and project_role_can(role, ProjectAction.PLAN)


def can_manage_calendar(calendar: WorkCalendar) -> bool:
    """For a calendar from `calendars_for` (it carries the user's roles)."""
    return may_manage_calendars(
        org_role=annotated_role(calendar, "my_org_role"),
        project_role=getattr(calendar, "my_project_role", None),
        for_project=calendar.project_id is not None,
    )


def access_calendar(user: User, calendar_id: int, *, write: bool = False) -> Access[WorkCalendar]:
    """A calendar with the caller's organisation role (`can_manage_calendar` adds the project's)."""
    calendar = (
        calendars_for(user)
        .select_related("organisation", "project")
        .prefetch_related("exceptions")
        .filter(pk=calendar_id)
        .first()
    )
    if calendar is None:
        raise Http404("No such calendar.")
    if write and not can_manage_calendar(calendar):
        raise PermissionDenied("Only organisation admins and the project's managers edit this.")
    return org_access(calendar, annotated_role(calendar, "my_org_role"))


def calendar_exceptions_for(user: User) -> QuerySet[CalendarException]:
    return CalendarException.objects.filter(calendar__in=calendars_for(user).values("pk"))


def access_calendar_exception(
    user: User, exception_id: int, *, write: bool = False
) -> Access[CalendarException]:
    exception = calendar_exceptions_for(user).filter(pk=exception_id).first()
    if exception is None:
        raise Http404("No such calendar exception.")
    calendar = access_calendar(user, exception.calendar_id, write=write)
    exception.calendar = calendar.obj
    return org_access(exception, calendar.role)


# --- baselines: every project role reads them; planners save and delete ---


def baselines_for(user: User) -> QuerySet[Baseline]:
    """Baselines of live projects the user has a role in, with `my_role`."""
    return with_my_role(Baseline.objects.filter(project__deleted_at__isnull=True), user, "project")


def access_baseline(user: User, baseline_id: int, *, write: bool = False) -> Access[Baseline]:
    """A baseline with its project; deleting one needs ProjectAction.PLAN."""
    baseline = (
        baselines_for(user).select_related("project__organisation").filter(pk=baseline_id).first()
    )
    return checked(baseline, ProjectAction.PLAN if write else ProjectAction.VIEW)
