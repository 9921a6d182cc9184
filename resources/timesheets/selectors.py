"""Reads for time worked: a person's week as a grid, and a project's time waiting for approval
(or approved, to reopen) grouped by person and week. Each costs a fixed number of queries
whatever the number of tasks and entries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When, Window
from django.utils import timezone

from projects.models import Project, Task, TaskStatus
from resources.models import TimeEntry, TimeEntryStatus, Timesheet
from resources.timesheets import grid
from resources.timesheets.services import loggable_tasks
from tpm.models import Organisation, User

# A person may hold hundreds of open tasks: the grid shows at most ROW_LIMIT of them (those
# scheduled in the week first), the tasks with time that week and at most ADD_LIMIT added by
# hand; the picker finds the others, PICKER_LIMIT answers at a time.
ROW_LIMIT = 25
ADD_LIMIT = 50
PICKER_LIMIT = 100


def task_label(task: Task) -> str:
    return f"{task.wbs_code} {task.name}".strip()


@dataclass
class PickerGroup:
    project: str
    tasks: list[tuple[int, str]]


@dataclass
class TimesheetWeek:
    monday: date
    grid: grid.Grid
    timesheet: Timesheet | None
    picker: list[PickerGroup]
    picker_truncated: bool
    rejected: list[tuple[str, str]]  # (task label, manager's reason)
    find: str = ""  # what the picker was asked to find
    assigned_left_out: int = 0  # open tasks of the person not in the grid (over ROW_LIMIT)

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def _project_label(project: Project) -> str:
    return f"{project.key} · {project.name}"


def _assigned(open_tasks: QuerySet[Task], person: User, monday: date) -> tuple[list[Task], int]:
    """The person's open tasks, those scheduled in the week first, enough for the grid and the
    picker; and how many there are in all (one query: a window count)."""
    zone = timezone.get_current_timezone()
    starts = datetime.combine(monday, time.min, tzinfo=zone)
    in_week = Q(start__lt=starts + timedelta(days=7), finish__gte=starts)
    tasks: list[Task] = list(
        open_tasks.filter(assignees=person)
        .annotate(
            later=Case(When(in_week, then=Value(0)), default=Value(1), output_field=IntegerField()),
            assigned=Window(Count("pk")),
        )
        .order_by("later", "project__key", "outline_key", "pk")[: ROW_LIMIT + PICKER_LIMIT + 1]
    )
    return tasks, (getattr(tasks[0], "assigned", 0) if tasks else 0)


def _picker(
    open_tasks: QuerySet[Task], shown: set[int], spare: list[Task], find: str
) -> tuple[list[PickerGroup], bool]:
    """Tasks to add a row for: without a search, the person's other open tasks (`spare`) topped
    up with the rest of what they may log on; with one, open tasks whose label or project holds
    every word of `find`. At most PICKER_LIMIT, in one query (none when `spare` is enough)."""
    found = [] if find else spare[: PICKER_LIMIT + 1]
    if len(found) <= PICKER_LIMIT:
        choices = open_tasks.exclude(pk__in=shown | {t.pk for t in found})
        for word in find.split()[:5]:
            choices = choices.filter(
                Q(name__icontains=word)
                | Q(wbs_code__istartswith=word)
                | Q(project__key__iexact=word)
                | Q(project__name__icontains=word)
            )
        order = ("project__key", "outline_key", "pk")
        found += list(choices.order_by(*order)[: PICKER_LIMIT + 1 - len(found)])
    picker: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for task in found[:PICKER_LIMIT]:
        picker[_project_label(task.project)].append((task.pk, task_label(task)))
    return [PickerGroup(name, items) for name, items in picker.items()], len(found) > PICKER_LIMIT


def timesheet_week(
    *,
    person: User,
    organisation: Organisation,
    monday: date,
    extra_task_ids: set[int] | None = None,
    typed: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    find: str = "",
) -> TimesheetWeek:
    """The person's week in the organisation: rows for tasks with time that week, tasks they
    added with the picker and their open assigned tasks (at most ROW_LIMIT). At most six
    queries, each bounded by the rows shown, whatever the size of the plans."""
    sunday = monday + timedelta(days=6)
    entries = list(
        TimeEntry.objects.filter(
            user=person, date__range=(monday, sunday), task__project__organisation=organisation
        ).select_related("task__project")
    )
    logged = {e.task_id for e in entries}
    loggable = loggable_tasks(person, organisation)
    open_tasks = loggable.exclude(status=TaskStatus.COMPLETED)
    wanted = logged | set(sorted(extra_task_ids or ())[:ADD_LIMIT])
    assigned, assigned_count = _assigned(open_tasks.exclude(pk__in=wanted), person, monday)
    mine = assigned[:ROW_LIMIT] + list(loggable.filter(pk__in=wanted))
    can_log = {t.pk for t in mine}
    tasks = {t.pk: t for t in mine}
    for entry in entries:  # time on a task the person can no longer log on still shows
        tasks.setdefault(entry.task_id, entry.task)
    picker, truncated = _picker(open_tasks, set(tasks), assigned[ROW_LIMIT:], find)
    rows = [
        grid.RowSpec(
            task.pk, task_label(task), _project_label(task.project), can_log=task.pk in can_log
        )
        for task in sorted(
            tasks.values(),
            key=lambda t: (t.project.key, t.outline_key, t.pk),
        )
    ]
    stored = [
        grid.StoredEntry(e.task_id, e.date, e.hours, e.note, e.status, e.pk, e.review_note)
        for e in entries
    ]
    rejected = [
        (task_label(e.task), e.review_note)
        for e in entries
        if e.status == TimeEntryStatus.REJECTED and e.review_note
    ]
    return TimesheetWeek(
        monday=monday,
        grid=grid.build_grid(monday, rows, stored, typed=typed, errors=errors),
        timesheet=Timesheet.objects.filter(user=person, week_start=monday).first(),
        picker=picker,
        picker_truncated=truncated,
        rejected=list(dict.fromkeys(rejected)),
        find=find,
        assigned_left_out=assigned_count - len(assigned[:ROW_LIMIT]),
    )


# Approvals ---------------------------------------------------------------------------------


@dataclass
class ApprovalLine:
    task_label: str
    hours: list[Decimal]  # Monday..Sunday
    notes: list[str]

    @property
    def total(self) -> Decimal:
        return sum(self.hours, Decimal(0))


@dataclass
class ApprovalGroup:
    """One person's time on the project in one week, with one status."""

    person: User
    monday: date
    status: str
    entry_ids: list[int] = field(default_factory=list)
    lines: list[ApprovalLine] = field(default_factory=list)
    review_note: str = ""
    approved_by: str = ""

    @property
    def days(self) -> list[date]:
        return grid.week_days(self.monday)

    @property
    def day_totals(self) -> list[Decimal]:
        return [sum((line.hours[n] for line in self.lines), Decimal(0)) for n in range(7)]

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def notes(self) -> list[tuple[str, date, str]]:
        """(task, day, note) for every entry with a note."""
        return [
            (line.task_label, self.days[n], note)
            for line in self.lines
            for n, note in enumerate(line.notes)
            if note
        ]

    @property
    def ids(self) -> str:
        return ",".join(map(str, self.entry_ids))

    @property
    def key(self) -> str:
        return f"{self.person.pk}-{self.monday.isoformat()}"


APPROVAL_STATUSES = {
    "submitted": TimeEntryStatus.SUBMITTED,
    "approved": TimeEntryStatus.APPROVED,
}


def approval_groups(
    *, project: Project, status: str, since: date | None = None, limit: int = 200
) -> list[ApprovalGroup]:
    """The project's entries with `status`, by person and week (oldest week first for time
    waiting, newest first for approved time); one query."""
    entries = TimeEntry.objects.filter(task__project=project, status=status).select_related(
        "user", "task", "approved_by"
    )
    if since is not None:
        entries = entries.filter(date__gte=since)
    ordering = ("date", "user_id") if status == TimeEntryStatus.SUBMITTED else ("-date",)
    groups: dict[tuple[int, date], ApprovalGroup] = {}
    lines: dict[tuple[int, date, int], ApprovalLine] = {}
    for entry in entries.order_by(*ordering):
        monday = grid.week_start(entry.date)
        key = (entry.user_id, monday)
        group = groups.get(key)
        if group is None:
            if len(groups) >= limit:
                continue
            group = groups[key] = ApprovalGroup(entry.user, monday, status)
        group.entry_ids.append(entry.pk)
        group.review_note = group.review_note or entry.review_note
        if entry.approved_by is not None:
            group.approved_by = entry.approved_by.display_name
        line = lines.get((*key, entry.task_id))
        if line is None:
            line = lines[(*key, entry.task_id)] = ApprovalLine(
                task_label(entry.task), [Decimal(0)] * 7, [""] * 7
            )
            group.lines.append(line)
        day = entry.date.weekday()
        line.hours[day] += entry.hours
        line.notes[day] = entry.note
    for group in groups.values():
        group.entry_ids.sort()
        group.lines.sort(key=lambda line: line.task_label)
    return list(groups.values())


def pending_by_project(projects: list[Project]) -> dict[int, int]:
    """How many people-weeks wait for approval in each project (one query)."""
    counts: dict[int, set[tuple[int, date]]] = defaultdict(set)
    rows = TimeEntry.objects.filter(
        task__project__in=projects, status=TimeEntryStatus.SUBMITTED
    ).values_list("task__project_id", "user_id", "date")
    for project_id, user_id, day in rows:
        counts[project_id].add((user_id, grid.week_start(day)))
    return {project_id: len(weeks) for project_id, weeks in counts.items()}
