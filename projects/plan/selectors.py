"""Reads of the plan shaped for the outline, the task page, the Gantt and the API.

Whole-plan reads (the outline page, the schedule endpoint) fetch tasks, links and assignees in
one query each, filtered by project through a join. Not prefetches: a prefetch sends every task
id in an IN list, which SQLite answers slowly for thousands of tasks, and builds a model instance
per link and per predecessor that a read-only table does not need.
"""

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When

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
    """Every live task in outline order with only what places and names it (lazy).

    The outline pages it (a count and one LIMIT/OFFSET slice); other fields are not loaded.
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
    """One task with what its page shows: links both ways, assignees (its subtasks:
    `task_children`)."""
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
        )
        .get(pk=task_id)
    )


def task_children(*, task: Task, limit: int) -> list[Task]:
    """The first `limit` live subtasks of `task` in outline order (one query)."""
    children = Task.objects.alive().filter(parent=task).only("pk", "wbs_code", "name")
    return list(children.order_by("outline_key", "pk")[:limit])


def organisation_calendars(*, organisation_id: int) -> QuerySet[WorkCalendar]:
    return (
        WorkCalendar.objects.filter(organisation_id=organisation_id)
        .prefetch_related(
            Prefetch("exceptions", queryset=CalendarException.objects.order_by("first_day"))
        )
        .order_by("-is_organisation_default", "name")
    )


# --- the task pickers (a predecessor on the task page, a parent on the outline) --------------

PICKER_LIMIT = 20  # the most tasks one search answers with


def _by_code_or_name(tasks: QuerySet[Task], query: str, *, keyed: bool) -> QuerySet[Task]:
    """Tasks whose name holds `query` or whose WBS code starts with it; with `keyed`, also
    "KEY 1.2" (another project's code, as the labels write it)."""
    match = Q(name__icontains=query) | Q(wbs_code__startswith=query)
    key, _, code = query.partition(" ")
    if keyed and code.strip():
        match |= Q(project__key__iexact=key, wbs_code__startswith=code.strip())
    return tasks.filter(match)


def predecessor_choices(
    *, task: Task, project_ids: QuerySet[Any], query: str, limit: int = PICKER_LIMIT
) -> list[Task]:
    """At most `limit` tasks that may come before `task`, for the picker (one query).

    From the projects `project_ids` (those of the organisation the user can see), matching
    `query` by name or WBS code, this task's project first. Left out where it is cheap to know:
    the task itself, its summaries and subtasks (a link with them is a loop), and the tasks
    already linked to it either way. An empty query offers the tasks just before it in its
    outline under the same summary (the likeliest predecessors). The service still checks
    loops on save.
    """
    parts = task.outline_key.split(".")
    summaries = [".".join(parts[:n]) for n in range(1, len(parts))]  # its summaries' keys
    linked = Dependency.objects.filter(Q(successor=task) | Q(predecessor=task))
    candidates = (
        Task.objects.alive()
        .filter(project__in=project_ids)
        .exclude(pk=task.pk)
        .exclude(project=task.project_id, outline_key__in=summaries)
        .exclude(project=task.project_id, outline_key__startswith=f"{task.outline_key}.")
        .exclude(pk__in=linked.values("predecessor_id"))
        .exclude(pk__in=linked.values("successor_id"))
        .select_related("project")
        .only("pk", "name", "wbs_code", "project__key")
    )
    if not query:  # its siblings before it: the index on (project, parent, position) finds them
        before = candidates.filter(
            project=task.project_id, parent=task.parent_id, position__lt=task.position
        )
        return list(before.order_by("-position", "-pk")[:limit])[::-1]
    home = Case(When(project=task.project_id, then=Value(0)), default=Value(1))
    found = _by_code_or_name(candidates, query, keyed=True)
    return list(found.order_by(home, "project__key", "outline_key", "pk")[:limit])


def parent_choices(*, project: Project, query: str, limit: int = PICKER_LIMIT) -> list[Task]:
    """At most `limit` live tasks of `project` a new task may go under (not milestones)."""
    tasks: QuerySet[Task] = (
        Task.objects.alive()
        .filter(project=project, is_milestone=False)
        .only("pk", "name", "wbs_code", "project_id")
    )
    if query:
        tasks = _by_code_or_name(tasks, query, keyed=False)
    return list(tasks.order_by("outline_key", "pk")[:limit])


def task_by_code(tasks: QuerySet[Task], code: str, *, home_project_id: int) -> Task | None:
    """The one task of `tasks` a typed code names: "1.2" in the home project, or "KEY 1.2"
    (how a form without JavaScript names a predecessor or a parent); None if not exactly one."""
    code = " ".join(code.split())
    key, _, wbs = code.rpartition(" ")
    named = (
        tasks.filter(project__key__iexact=key, wbs_code=wbs)
        if key
        else tasks.filter(project_id=home_project_id, wbs_code=wbs)
    )
    found = list(named.select_related("project")[:2])
    return found[0] if len(found) == 1 else None


def outline_page_of(*, project: Project, task_id: int, rows: int) -> int | None:
    """The page (of `rows` rows) of the outline that holds task `task_id`, or where it was if
    it was just deleted; None for a task not in the project (two small queries, no rows read)."""
    task = Task.objects.filter(pk=task_id, project=project).only("outline_key").first()
    if task is None:
        return None
    before = (
        Task.objects.alive()
        .filter(project=project)
        .filter(
            Q(outline_key__lt=task.outline_key) | Q(outline_key=task.outline_key, pk__lt=task.pk)
        )
        .count()
    )
    return before // rows + 1
