"""Reads for the workload heat map, its drill-down and the levelling preview.

Everything is loaded in a fixed number of queries whatever the number of people or assignments
(the assignments through `pool_selectors.effective_assignments`, which resolves work hours),
then the pure engines (resources/workload/engine.py, resources/workload/levelling.py) do
the arithmetic.

What a viewer sees
* People: the organisation's active people (every member reads the pool), filtered by role,
  skill, or project (people with work on that project in the window).
* Load: *all* of a person's assigned work counts, in every project of the organisation, so an
  over-allocation is never hidden; the drill-down names the tasks of projects the viewer can
  see, and sums the rest as "other projects".
* Capacity: the person's calendar (else the organisation's default, else the standard one):
  each weekday's hours, capped by their hours per day; less their time off and the calendar's
  holidays (non-working exceptions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from projects.access import projects_for
from projects.models import CalendarException, Task, WorkCalendar
from projects.models.calendar import day_minutes
from projects.models.workflow import TaskPriority
from resources.models import Resource, ResourceKind, TimeOff
from resources.pool.selectors import EffectiveAssignment, effective_assignments
from resources.workload import engine as workload
from resources.workload import levelling
from tpm.models import Organisation, User
from tpm.roles import ProjectAction, project_role_can

MAX_WEEKS = 52
DEFAULT_WEEKS = 12
PEOPLE_PER_PAGE = 50  # the heat map's rows per page (issue 14: 300 people made 1.7 MB)
STANDARD_WEEK_HOURS = (8.0, 8.0, 8.0, 8.0, 8.0, 0.0, 0.0)


@dataclass(frozen=True)
class WorkloadFilters:
    start: date  # any day of the first week
    weeks: int = DEFAULT_WEEKS
    role_id: int | None = None
    skill_id: int | None = None
    project_id: int | None = None
    search: str = ""  # part of a person's name (any case)


@dataclass(frozen=True)
class PersonRow:
    resource_id: int
    name: str
    role: str
    load: workload.PersonLoad


@dataclass
class WorkloadPage:
    weeks: tuple[date, ...]
    rows: list[PersonRow]  # one page of the matching people
    projects: list[dict[str, Any]]  # the projects the viewer sees: id, key, name
    over_allocated: int = 0  # among every matching person, not only this page's
    people: int = 0  # every matching person
    page: int = 1
    pages: int = 1
    first: int = 0  # position of rows[0] among the matching people

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    @property
    def last(self) -> int:
        """Position (from 1) of the page's last row."""
        return self.first + len(self.rows)


@dataclass(frozen=True)
class CellTask:
    task_id: int | None  # None: the sum of tasks in projects the viewer cannot see
    project_key: str
    name: str
    wbs_code: str
    hours: float
    start: date | None = None
    finish: date | None = None


@dataclass
class CellDetail:
    resource: Resource
    week: workload.WeekLoad
    tasks: list[CellTask] = field(default_factory=list)


# -- capacity -------------------------------------------------------------------------------


def _week_hours(calendar: WorkCalendar | None, hours_per_day: Decimal) -> tuple[float, ...]:
    cap = float(hours_per_day)
    if calendar is None:
        return tuple(min(h, cap) for h in STANDARD_WEEK_HOURS)
    return tuple(min(day_minutes(day) / 60, cap) if day else 0.0 for day in calendar.working_week)


def _holidays(calendar: WorkCalendar | None, first: date, last: date) -> list[workload.TimeOff]:
    if calendar is None:
        return []
    return [
        workload.TimeOff(max(e.first_day, first), min(e.last_day, last))
        for e in calendar.exceptions.all()
        if not e.working and e.last_day >= first and e.first_day <= last
    ]


def _calendars(organisation: Organisation, ids: set[int]) -> tuple[dict[int, WorkCalendar], Any]:
    """The people's calendars and the organisation's default (two queries)."""
    found = WorkCalendar.objects.filter(
        Q(pk__in=ids) | Q(organisation=organisation, is_organisation_default=True)
    ).prefetch_related(
        Prefetch("exceptions", queryset=CalendarException.objects.order_by("first_day", "pk"))
    )
    calendars = {c.pk: c for c in found}
    default = next((c for c in calendars.values() if c.is_organisation_default), None)
    return calendars, default


def engine_people(
    organisation: Organisation, resources: list[dict[str, Any]], first: date, last: date
) -> list[workload.Person]:
    """The workload engine's people, with capacity and time off between first and last."""
    calendars, default = _calendars(
        organisation, {r["calendar_id"] for r in resources if r["calendar_id"]}
    )
    off: dict[int, list[workload.TimeOff]] = defaultdict(list)
    off_rows: Any = TimeOff.objects.filter(
        resource_id__in=[r["id"] for r in resources], end_date__gte=first, start_date__lte=last
    ).values("resource_id", "start_date", "end_date", "hours_per_day")
    for off_row in off_rows:
        taken = off_row["hours_per_day"]
        hours = None if taken is None else float(taken)
        off[off_row["resource_id"]].append(
            workload.TimeOff(off_row["start_date"], off_row["end_date"], hours)
        )
    people = []
    for row in resources:
        calendar = calendars.get(row["calendar_id"]) or default
        holidays = _holidays(calendar, first, last)
        people.append(
            workload.Person(
                id=row["id"],
                hours_per_weekday=_week_hours(calendar, row["hours_per_day"]),
                time_off=tuple(off.get(row["id"], ())) + tuple(holidays),
                name=row["name"],
            )
        )
    return people


# -- assignments ----------------------------------------------------------------------------


def _local_day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    # Projects work in the site's zone (projects.schedule.input.project_zone).
    return moment.astimezone(_zone()).date()


@lru_cache(maxsize=4)
def _zone_named(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _zone() -> ZoneInfo:
    return _zone_named(settings.TIME_ZONE)


def engine_assignments(items: Iterable[EffectiveAssignment]) -> list[workload.WorkAssignment]:
    zone = _zone()
    days: dict[datetime, date] = {}  # many tasks share their instants: convert each once

    def local_day(moment: datetime) -> date:
        day = days.get(moment)
        if day is None:
            day = days[moment] = moment.astimezone(zone).date()
        return day

    result = []
    for item in items:
        if item.start is None or item.finish is None:
            continue
        start, finish = local_day(item.start), local_day(item.finish)
        result.append(
            workload.WorkAssignment(
                person_id=item.resource_id,
                task_id=item.task_id,
                start=start,
                finish=max(finish, start),
                work_hours=float(item.work_hours),
                units=float(item.units),
                project_id=item.project_id,
            )
        )
    return result


def _window(filters: WorkloadFilters) -> tuple[date, date, int]:
    weeks = min(max(filters.weeks, 1), MAX_WEEKS)
    first = workload.monday(filters.start)
    return first, first + timedelta(days=7 * weeks - 1), weeks


def _people(organisation: Organisation, filters: WorkloadFilters) -> list[dict[str, Any]]:
    people = Resource.objects.filter(
        organisation=organisation, kind=ResourceKind.PERSON, is_active=True
    )
    if filters.role_id:
        people = people.filter(role_id=filters.role_id)
    if filters.skill_id:
        people = people.filter(skills=filters.skill_id)
    if filters.search:
        people = people.filter(name__icontains=filters.search)
    rows: Any = people.order_by("name", "pk").values(
        "id", "name", "hours_per_day", "calendar_id", "user_id", role_name=F("role__name")
    )
    return list(rows)


def visible_projects(organisation: Organisation, user: User) -> list[dict[str, Any]]:
    projects: Any = projects_for(user)
    rows: Any = (
        projects.filter(organisation=organisation)
        .order_by("key")
        .values("id", "key", "name", "my_role")
    )
    return list(rows)


def workload_page(
    organisation: Organisation,
    user: User,
    filters: WorkloadFilters,
    *,
    page: int = 1,
    per_page: int | None = None,
) -> WorkloadPage:
    """The heat map: one page of `per_page` matching people's load per week of the window
    (every matching person by default), with how many match and are over-allocated.

    The engine runs over every matching person (the over-allocated count is the whole
    organisation's); only the page's rows are returned, so what is rendered stays bounded."""
    first, last, weeks = _window(filters)
    projects = visible_projects(organisation, user)
    resources = _people(organisation, filters)
    items = effective_assignments(organisation_id=organisation.pk, window=(first, last))
    if filters.project_id:
        on_project = {i.resource_id for i in items if i.project_id == filters.project_id}
        resources = [r for r in resources if r["id"] in on_project]
    people = engine_people(organisation, resources, first, last)
    result = workload.workload(people, engine_assignments(items), first, weeks, with_tasks=False)
    over = sum(1 for load in result.people if load.over_allocated)
    size = per_page or max(len(resources), 1)
    pages = max((len(resources) + size - 1) // size, 1)
    page = min(max(page, 1), pages)
    start = (page - 1) * size
    rows = [
        PersonRow(r["id"], r["name"], r["role_name"] or "", load)
        for r, load in zip(
            resources[start : start + size], result.people[start : start + size], strict=True
        )
    ]
    return WorkloadPage(result.weeks, rows, projects, over, len(resources), page, pages, start)


def workload_cell(
    organisation: Organisation, user: User, resource: Resource, week: date
) -> CellDetail:
    """One person's week: the tasks that make up its load (the heat map's drill-down)."""
    first = workload.monday(week)
    last = first + timedelta(days=6)
    row = {
        "id": resource.pk,
        "name": resource.name,
        "hours_per_day": resource.hours_per_day,
        "calendar_id": resource.calendar_id,
    }
    (person,) = engine_people(organisation, [row], first, last)
    items = effective_assignments(
        organisation_id=organisation.pk, resource_ids=[resource.pk], window=(first, last)
    )
    result = workload.workload([person], engine_assignments(items), first, 1)
    loaded = result.people[0].weeks[0]
    visible = {p["id"] for p in visible_projects(organisation, user)}
    by_task = {item.task_id: item for item in items}
    tasks, hidden = [], 0.0
    for share in sorted(loaded.tasks, key=lambda s: -s.hours):
        item = by_task[share.task_id]
        if item.project_id not in visible:
            hidden += share.hours
            continue
        tasks.append(
            CellTask(
                item.task_id,
                item.project_key,
                item.task_name,
                item.wbs_code,
                share.hours,
                _local_day(item.start),
                _local_day(item.finish),
            )
        )
    if hidden:
        tasks.append(CellTask(None, "", "Tasks in projects you cannot see", "", hidden))
    return CellDetail(resource, loaded, tasks)


# -- levelling ------------------------------------------------------------------------------

PRIORITY_RANK = {
    TaskPriority.URGENT: 3,
    TaskPriority.HIGH: 2,
    TaskPriority.MEDIUM: 1,
    TaskPriority.LOW: 0,
}
LEVELLING_DAYS = 365
_TASK_FIELDS = (
    "id",
    "project_id",
    "total_float_minutes",
    "priority",
    "deadline",
    "constraint_type",
    "constraint_date",
    "actual_start",
    "percent_complete",
    "is_manual",
    "version",
    "project__calendar__working_times",
)


@dataclass
class LevellingPreview:
    resource: Resource
    result: levelling.LevellingResult
    names: dict[int, tuple[str, str, str]]  # task id -> (project key, wbs code, name)
    fixed: dict[int, str]  # task id -> why it keeps its dates
    plannable: set[int]  # project ids where the viewer may plan
    versions: dict[int, int] = field(default_factory=dict)  # task id -> version (for apply)


def _fixed_reason(row: dict[str, Any], may_plan: bool) -> str:
    if not may_plan:
        return "not in a project you plan"
    if row["actual_start"] is not None or row["percent_complete"]:
        return "already started"
    if row["is_manual"]:
        return "manually scheduled"
    if row["constraint_type"] in ("MSO", "MFO"):
        return "pinned by a must-start/finish-on constraint"
    return ""


def _level_task(row: dict[str, Any], item: EffectiveAssignment, may_plan: bool) -> Any:
    minutes_a_day = day_minutes(row["project__calendar__working_times"] or []) or 480
    reason = _fixed_reason(row, may_plan)
    constraint_day = _local_day(row["constraint_date"])
    start, finish = _local_day(item.start), _local_day(item.finish)
    assert start is not None and finish is not None
    return levelling.LevelTask(
        task_id=item.task_id,
        start=start,
        finish=max(finish, start),
        work_hours=float(item.work_hours),
        units=float(item.units),
        total_float_days=max((row["total_float_minutes"] or 0) // minutes_a_day, 0),
        priority=PRIORITY_RANK.get(row["priority"], 1),
        movable=not reason,
        fixed_reason=reason,
        deadline=row["deadline"],
        latest_start=constraint_day if row["constraint_type"] == "SNLT" else None,
        latest_finish=constraint_day if row["constraint_type"] == "FNLT" else None,
        project_id=item.project_id,
        name=item.task_name,
    )


def levelling_preview(
    organisation: Organisation,
    user: User,
    resource: Resource,
    *,
    today: date | None = None,
    granularity: levelling.Granularity = "week",
) -> LevellingPreview:
    """Proposed delays for one person's work from this week on (tasks the viewer may plan)."""
    first = workload.monday(today or timezone.localdate())
    last = first + timedelta(days=LEVELLING_DAYS)
    row = {
        "id": resource.pk,
        "name": resource.name,
        "hours_per_day": resource.hours_per_day,
        "calendar_id": resource.calendar_id,
    }
    (person,) = engine_people(organisation, [row], first, last + timedelta(days=LEVELLING_DAYS))
    items = [
        item
        for item in effective_assignments(
            organisation_id=organisation.pk, resource_ids=[resource.pk], window=(first, last)
        )
        if item.start is not None and item.finish is not None
    ]
    plannable = {p["id"] for p in visible_projects(organisation, user) if may_plan(p["my_role"])}
    rows: Any = Task.objects.filter(pk__in=[i.task_id for i in items]).values(*_TASK_FIELDS)
    by_id = {r["id"]: r for r in rows}
    tasks = [
        _level_task(by_id[item.task_id], item, item.project_id in plannable)
        for item in items
        if item.task_id in by_id
    ]
    result = levelling.level(person, tasks, granularity=granularity)
    names = {i.task_id: (i.project_key, i.wbs_code, i.task_name) for i in items}
    fixed = {t.task_id: t.fixed_reason for t in tasks if not t.movable}
    versions = {r["id"]: r["version"] for r in by_id.values()}
    return LevellingPreview(resource, result, names, fixed, plannable, versions)


def may_plan(role: str | None) -> bool:
    return project_role_can(role, ProjectAction.PLAN)
