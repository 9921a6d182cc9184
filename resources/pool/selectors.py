"""Reads of the pool, allocations and assignments, in a fixed number of queries each.

`effective_assignments` is what the workload engine (resources/workload/engine.py) reads: explicit
assignments, plus the people on a task's `assignees` (boards, plans made before resources
existed) who have a resource but no assignment row, counted as 100 % assignments.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from projects.access import with_my_role
from projects.models import Project, Task
from resources.evm.costs import rate_rows
from resources.models import (
    Allocation,
    Assignment,
    CostRate,
    Resource,
    ResourceKind,
    ResourceRole,
    Skill,
)
from resources.pool.rates import RateRow
from tpm.models import Organisation, User

HUNDRED = Decimal(100)
MINUTES_PER_HOUR = Decimal(60)


# --- the pool ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolFilter:
    q: str = ""
    role_id: int | None = None
    skill_id: int | None = None
    kind: str = ""
    include_inactive: bool = False


@dataclass
class PoolRow:
    resource: Resource
    skills: list[Skill]
    current_rate: RateRow | None = None  # only when the viewer may see rates


def _current(rows: Iterable[RateRow], today: date) -> dict[tuple[str, int], RateRow]:
    """The latest rate in force today per resource / role (any currency)."""
    current: dict[tuple[str, int], RateRow] = {}
    for row in rows:
        if row.effective_from > today:
            continue
        key = ("resource", row.resource_id) if row.resource_id else ("role", row.role_id or 0)
        if key not in current or current[key].effective_from < row.effective_from:
            current[key] = row
    return current


def pool_rows(
    organisation: Organisation, filters: PoolFilter, *, with_rates: bool, today: date
) -> list[PoolRow]:
    """The pool's resources with role and skills (and today's rate): three queries."""
    resources = (
        Resource.objects.filter(organisation=organisation)
        .select_related("role", "user", "calendar")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name")))
        .order_by("-is_active", "name", "pk")
    )
    if not filters.include_inactive:
        resources = resources.filter(is_active=True)
    if filters.q:
        resources = resources.filter(Q(name__icontains=filters.q) | Q(email__icontains=filters.q))
    if filters.role_id:
        resources = resources.filter(role_id=filters.role_id)
    if filters.skill_id:
        resources = resources.filter(skills__id=filters.skill_id)
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    rows = [PoolRow(resource=r, skills=list(r.skills.all())) for r in resources]
    if with_rates and rows:
        current = _current(
            rate_rows(
                resource_ids={row.resource.pk for row in rows},
                role_ids={row.resource.role_id for row in rows if row.resource.role_id},
            ),
            today,
        )
        for row in rows:
            own = current.get(("resource", row.resource.pk))
            role = current.get(("role", row.resource.role_id or 0))
            row.current_rate = own or role
    return rows


def roles_of(organisation: Organisation) -> QuerySet[ResourceRole]:
    return ResourceRole.objects.filter(organisation=organisation).order_by("name")


def skills_of(organisation: Organisation) -> QuerySet[Skill]:
    return Skill.objects.filter(organisation=organisation).order_by("name")


def role_rates(organisation: Organisation) -> dict[int, list[CostRate]]:
    """Each role's rate history, oldest first (one query)."""
    rates: dict[int, list[CostRate]] = defaultdict(list)
    for rate in CostRate.objects.filter(organisation=organisation, role__isnull=False).order_by(
        "effective_from"
    ):
        assert rate.role_id is not None
        rates[rate.role_id].append(rate)
    return rates


@dataclass
class ResourceDetail:
    resource: Resource
    skills: list[Skill]
    time_off: list[Any]
    rates: list[CostRate]
    role_rates: list[CostRate]
    allocations: list[Allocation]
    tasks: list[Task] = field(default_factory=list)  # open leaf tasks they work on


def resource_tasks(resource: Resource, visible_projects: QuerySet[Any]) -> list[Task]:
    """Open tasks the resource is on (an assignment, or a person's place among the assignees),
    in projects the viewer sees; each with `units` (None: counted at 100 %). Two queries."""
    base = Task.objects.alive().filter(
        project__in=visible_projects, is_summary=False, status__in=("not_started", "in_progress")
    )
    explicit = {
        a.task_id: a.units
        for a in Assignment.objects.filter(resource=resource, task__in=base).only(
            "task_id", "units"
        )
    }
    on_task = Q(pk__in=list(explicit))
    if resource.user_id:
        on_task |= Q(assignees=resource.user_id)
    tasks = list(
        base.filter(on_task).select_related("project").order_by("start", "pk").distinct()[:200]
    )
    for task in tasks:
        task.units = explicit.get(task.pk)  # type: ignore[attr-defined]
    return tasks


def resource_detail(resource: Resource, viewer: User, *, with_rates: bool) -> ResourceDetail:
    """One resource with its time off, rate history and the allocations the viewer may see."""
    rates: list[CostRate] = []
    role_history: list[CostRate] = []
    if with_rates:
        rates = list(resource.rates.order_by("effective_from"))
        if resource.role_id:
            role_history = list(
                CostRate.objects.filter(role_id=resource.role_id).order_by("effective_from")
            )
    visible_projects = with_my_role(Project.objects.alive(), viewer).values("pk")
    allocations = list(
        resource.allocations.filter(project__in=visible_projects)
        .select_related("project")
        .order_by("start_date", "pk")
    )
    return ResourceDetail(
        tasks=resource_tasks(resource, visible_projects),
        resource=resource,
        skills=list(resource.skills.order_by("name")),
        time_off=list(resource.time_off.order_by("start_date")),
        rates=rates,
        role_rates=role_history,
        allocations=allocations,
    )


# --- allocations ------------------------------------------------------------------------------


@dataclass
class AllocationRow:
    allocation: Allocation
    peak_total: int  # the highest sum of this person's allocations (all projects) in the range

    @property
    def over_allocated(self) -> bool:
        return self.peak_total > 100


def _peak(spans: list[tuple[date, date, int]], start: date, end: date) -> int:
    """The highest total percent on any day of [start, end] over the spans."""
    events: list[tuple[date, int]] = []
    for first, last, percent in spans:
        lo, hi = max(first, start), min(last, end)
        if lo <= hi:
            events.append((lo, percent))
            events.append((date.fromordinal(hi.toordinal() + 1), -percent))
    events.sort(key=lambda event: (event[0], event[1]))
    total = peak = 0
    for _, change in events:
        total += change
        peak = max(peak, total)
    return peak


def project_allocations(project: Project) -> list[AllocationRow]:
    """The project's allocations with each person's peak total across projects: two queries."""
    allocations = list(
        Allocation.objects.filter(project=project)
        .select_related("resource__role")
        .order_by("resource__name", "start_date", "pk")
    )
    if not allocations:
        return []
    spans: dict[int, list[tuple[date, date, int]]] = defaultdict(list)
    for resource_id, first, last, percent in Allocation.objects.filter(
        resource_id__in={a.resource_id for a in allocations},
        project__deleted_at__isnull=True,
    ).values_list("resource_id", "start_date", "end_date", "percent"):
        spans[resource_id].append((first, last, percent))
    return [
        AllocationRow(
            allocation=a, peak_total=_peak(spans[a.resource_id], a.start_date, a.end_date)
        )
        for a in allocations
    ]


def allocatable_resources(organisation_id: int) -> QuerySet[Resource]:
    return Resource.objects.filter(organisation_id=organisation_id, is_active=True).order_by("name")


# --- assignments ------------------------------------------------------------------------------


@dataclass
class TaskAssignments:
    assignments: list[Assignment]
    implicit: list[Resource]  # on the task's assignees with a resource, without an assignment
    unlinked: list[User]  # on the task's assignees without a resource in the pool


def task_assignments(task: Task) -> TaskAssignments:
    """A task's assignments, and its assignees who have no assignment row: three queries."""
    assignments = list(
        Assignment.objects.filter(task=task)
        .select_related("resource__role", "resource__user")
        .order_by("resource__name", "pk")
    )
    assigned = {a.resource_id for a in assignments}
    users = list(task.assignees.order_by("email"))
    people = {
        r.user_id: r
        for r in Resource.objects.filter(
            organisation_id=task.project.organisation_id, user__in=[u.pk for u in users]
        ).order_by()
    }
    implicit = [people[u.pk] for u in users if u.pk in people and people[u.pk].pk not in assigned]
    unlinked = [u for u in users if u.pk not in people]
    return TaskAssignments(assignments=assignments, implicit=implicit, unlinked=unlinked)


class EffectiveAssignment(NamedTuple):
    """One resource's work on one task, as the workload engine reads it (a named tuple:
    immutable, and cheap to build by the ten thousand)."""

    resource_id: int
    task_id: int
    project_id: int
    project_key: str
    task_name: str
    wbs_code: str
    start: datetime | None
    finish: datetime | None
    duration_minutes: int
    units: Decimal  # percent of the resource's day
    work_hours: Decimal  # explicit, else the task's effort split by units, else duration x units
    implicit: bool  # from Task.assignees without an Assignment row


# (resource id, task row, units, explicit work or None, implicit)
_Draft = tuple[int, dict[str, Any], Decimal, Decimal | None, bool]

_TASK_FIELDS = (
    "project_id",
    "project__key",
    "name",
    "wbs_code",
    "start",
    "finish",
    "duration_minutes",
    "effort_hours",
)


def _resolve(drafts: list[_Draft]) -> list[EffectiveAssignment]:
    units_on_task: dict[int, Decimal] = defaultdict(Decimal)
    for _, task, units, _, _ in drafts:
        units_on_task[task["id"]] += units
    result = []
    for resource_id, task, units, work, implicit in drafts:
        if work is None and task["effort_hours"] is not None:
            work = task["effort_hours"] * units / units_on_task[task["id"]]
        if work is None:
            work = Decimal(task["duration_minutes"]) / MINUTES_PER_HOUR * units / HUNDRED
        result.append(
            EffectiveAssignment(
                resource_id,
                task["id"],
                task["project_id"],
                task["project__key"],
                task["name"],
                task["wbs_code"],
                task["start"],
                task["finish"],
                task["duration_minutes"],
                units,
                work,
                implicit,
            )
        )
    return result


def _window_start(day: date) -> datetime:
    """Midnight at the start of `day` in the site's zone, as an aware instant."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _leaf_tasks(
    organisation_id: int, project_ids: Iterable[int] | None, window: tuple[date, date] | None
) -> QuerySet[Task]:
    tasks = Task.objects.filter(
        project__organisation_id=organisation_id,
        project__deleted_at__isnull=True,
        deleted_at__isnull=True,
        is_summary=False,
        is_milestone=False,
    )
    if project_ids is not None:
        tasks = tasks.filter(project_id__in=list(project_ids))
    if window is not None:
        # On instants (an index can serve it): starts before the day after the last, finishes
        # on or after the first day's midnight.
        tasks = tasks.filter(
            start__lt=_window_start(window[1] + timedelta(days=1)),
            finish__gte=_window_start(window[0]),
        )
    return tasks


def effective_assignments(
    *,
    organisation_id: int,
    project_ids: Iterable[int] | None = None,
    resource_ids: Iterable[int] | None = None,
    window: tuple[date, date] | None = None,
) -> list[EffectiveAssignment]:
    """Every resource's work on leaf tasks of live projects of the organisation: four queries
    (assignments, people with an account, task assignees, and each task involved once).

    `window` keeps tasks whose dates overlap [first, last] (tasks without dates are left out
    then). A filter on `resource_ids` applies after the effort split, so a task's effort is
    still shared among all its people.
    """
    tasks = _leaf_tasks(organisation_id, project_ids, window)
    explicit = list(
        Assignment.objects.filter(task__in=tasks)
        .order_by()
        .values_list("task_id", "resource_id", "units", "work_hours")
    )
    assigned = {(task_id, resource_id) for task_id, resource_id, _, _ in explicit}
    people = dict(
        Resource.objects.filter(
            organisation_id=organisation_id, user__isnull=False, kind=ResourceKind.PERSON
        )
        .order_by()
        .values_list("user_id", "id")
    )
    implicit = []
    if people:
        through = Task.assignees.through.objects.filter(task__in=tasks, user_id__in=list(people))
        for task_id, user_id in through.order_by().values_list("task_id", "user_id"):
            if (task_id, people[user_id]) not in assigned:
                implicit.append((task_id, people[user_id]))
    if not explicit and not implicit:
        return []
    # Each task once (its dates converted once, however many people work on it).
    wanted_tasks = {row[0] for row in explicit} | {task_id for task_id, _ in implicit}
    by_id = {
        row["id"]: row
        for row in tasks.filter(
            Q(pk__in=Assignment.objects.filter(task__in=tasks).values("task_id"))
            | Q(pk__in=through.values("task_id") if people else [])
        )
        .order_by()
        .values("id", *_TASK_FIELDS)
        if row["id"] in wanted_tasks
    }
    drafts: list[_Draft] = [
        (resource_id, by_id[task_id], units, work, False)
        for task_id, resource_id, units, work in explicit
    ]
    drafts += [
        (resource_id, by_id[task_id], HUNDRED, None, True) for task_id, resource_id in implicit
    ]
    resolved = _resolve(drafts)
    if resource_ids is not None:
        wanted = set(resource_ids)
        resolved = [item for item in resolved if item.resource_id in wanted]
    return resolved


@dataclass
class ResourceWork:
    """Per resource: their effective assignments (for drill-down pages)."""

    by_resource: dict[int, list[EffectiveAssignment]] = field(default_factory=dict)


def work_by_resource(assignments: Iterable[EffectiveAssignment]) -> ResourceWork:
    grouped: dict[int, list[EffectiveAssignment]] = defaultdict(list)
    for item in assignments:
        grouped[item.resource_id].append(item)
    return ResourceWork(by_resource=dict(grouped))
