"""Reads of the plan shaped for the outline, the task page, the Gantt and the API.

Whole-plan reads (the outline page, the schedule endpoint) fetch tasks, links and assignees in
one query each, filtered by project through a join. Not prefetches: a prefetch sends every task
id in an IN list, which SQLite answers slowly for thousands of tasks, and builds a model instance
per link and per predecessor that a read-only table does not need.
"""

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.db.models import Prefetch, QuerySet

from projects.models import CalendarException, Dependency, Project, Task, WorkCalendar

# The stored columns of a task, as `Task.objects.values()` names them (the API's task fields
# less the computed lists of assignees and predecessors).
TASK_COLUMNS = (
    "id",
    "project_id",
    "parent_id",
    "position",
    "wbs_code",
    "outline_key",
    "name",
    "notes",
    "is_milestone",
    "is_summary",
    "duration_minutes",
    "effort_hours",
    "remaining_hours",
    "cost",
    "actual_cost",
    "deadline",
    "constraint_type",
    "constraint_date",
    "is_manual",
    "manual_start",
    "manual_finish",
    "calendar_id",
    "status",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float_minutes",
    "free_float_minutes",
    "is_critical",
    "version",
    "created_at",
    "updated_at",
)

# A link into a task, seen from the predecessor's side (which may be in another project).
LINK_COLUMNS = (
    "id",
    "successor_id",
    "predecessor_id",
    "predecessor__name",
    "predecessor__wbs_code",
    "predecessor__project_id",
    "predecessor__project__key",
    "type",
    "lag_minutes",
    "version",
)

ASSIGNEE_COLUMNS = ("id", "email", "full_name")


def _links() -> QuerySet[Dependency]:
    return Dependency.objects.filter(predecessor__deleted_at__isnull=True).select_related(
        "predecessor__project"
    )


def project_outline(*, project: Project) -> QuerySet[Task]:
    """Every live task of the project in outline order, with its calendar (one query).

    Their links and assignees: `outline_links` and `outline_assignees`, one query each.
    """
    return (
        Task.objects.alive()
        .filter(project=project)
        .select_related("calendar")
        .order_by("outline_key", "pk")
    )


def outline_index(*, project: Project) -> QuerySet[Task]:
    """Every live task in outline order with only what places and names it (one query).

    For choosing a page of a long outline and listing parents; other fields are not loaded.
    """
    return (
        Task.objects.alive()
        .filter(project=project)
        .only("pk", "project_id", "outline_key", "wbs_code", "name", "is_milestone")
        .order_by("outline_key", "pk")
    )


def outline_values(*, project: Project) -> list[dict[str, Any]]:
    """Every live task of the project as a dict of `TASK_COLUMNS`, in outline order (one query)."""
    rows = (
        Task.objects.alive()
        .filter(project=project)
        .order_by("outline_key", "pk")
        .values(*TASK_COLUMNS)
    )
    return list(rows)


def outline_links(
    *, project: Project, task_ids: Collection[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Task id -> its links from live predecessors (any project), in link order (one query).

    Each link is a dict of `LINK_COLUMNS`. `task_ids`: only the links into those tasks (a page
    of the outline); None: into every task of the project.
    """
    links_in = Dependency.objects.filter(
        successor__project=project,
        successor__deleted_at__isnull=True,
        predecessor__deleted_at__isnull=True,
    )
    if task_ids is not None:
        links_in = links_in.filter(successor_id__in=task_ids)
    rows = links_in.order_by("pk").values(*LINK_COLUMNS)
    links: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        links[row["successor_id"]].append(row)
    return links


def outline_assignees(
    *, project: Project, task_ids: Collection[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Task id -> the people assigned to it, each a dict of `ASSIGNEE_COLUMNS` (one query).

    `task_ids` as for `outline_links`.
    """
    through = Task.assignees.through
    assigned = through.objects.filter(task__project=project, task__deleted_at__isnull=True)
    if task_ids is not None:
        assigned = assigned.filter(task_id__in=task_ids)
    rows = assigned.order_by("user__email", "user_id").values_list(  # User.Meta.ordering
        "task_id", "user_id", "user__email", "user__full_name"
    )
    people: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for task_id, user_id, email, full_name in rows:
        people[task_id].append({"id": user_id, "email": email, "full_name": full_name})
    return people


def display_name(person: dict[str, Any]) -> str:
    """`User.display_name` for an assignee dict."""
    return person["full_name"] or person["email"]


def task_detail(*, task_id: int) -> Task:
    """One task with what its page shows: links both ways, assignees, children."""
    return (
        Task.objects.select_related("project__organisation", "parent", "calendar")
        .prefetch_related(
            "assignees",
            Prefetch("predecessor_links", queryset=_links().order_by("pk")),
            Prefetch(
                "successor_links",
                queryset=Dependency.objects.filter(successor__deleted_at__isnull=True)
                .select_related("successor__project")
                .order_by("pk"),
            ),
            Prefetch("children", queryset=Task.objects.alive().order_by("outline_key")),
        )
        .get(pk=task_id)
    )


def organisation_calendars(*, organisation_id: int) -> QuerySet[WorkCalendar]:
    return (
        WorkCalendar.objects.filter(organisation_id=organisation_id)
        .prefetch_related(
            Prefetch("exceptions", queryset=CalendarException.objects.order_by("first_day"))
        )
        .order_by("-is_organisation_default", "name")
    )
