"""Reads for time worked: a person's week as a grid, and a project's time waiting for approval
(or approved, to reopen) grouped by person and week. Each costs a fixed number of queries
whatever the number of tasks and entries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from projects.models import Project, Task, TaskStatus
from resources.models import TimeEntry, TimeEntryStatus, Timesheet
from resources.timesheets import grid
from resources.timesheets.services import loggable_tasks
from tpm.models import Organisation, User

PICKER_LIMIT = 300


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


def timesheet_week(
    *,
    person: User,
    organisation: Organisation,
    monday: date,
    extra_task_ids: set[int] | None = None,
    typed: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> TimesheetWeek:
    """The person's week in the organisation: rows for their open assigned tasks, tasks with
    time that week and tasks they added with the picker. Five queries, each bounded by the rows
    shown (the picker lists at most PICKER_LIMIT tasks), whatever the size of the plans."""
    sunday = monday + timedelta(days=6)
    entries = list(
        TimeEntry.objects.filter(
            user=person, date__range=(monday, sunday), task__project__organisation=organisation
        ).select_related("task__project")
    )
    logged = {e.task_id for e in entries}
    loggable = loggable_tasks(person, organisation)
    open_tasks = loggable.exclude(status=TaskStatus.COMPLETED)
    mine = list(
        loggable.filter(
            Q(pk__in=open_tasks.filter(assignees=person).values("pk"))
            | Q(pk__in=logged | (extra_task_ids or set()))
        )
    )
    can_log = {t.pk for t in mine}
    tasks = {t.pk: t for t in mine}
    for entry in entries:  # time on a task the person can no longer log on still shows
        tasks.setdefault(entry.task_id, entry.task)
    shown = set(tasks)
    choices = list(
        open_tasks.exclude(pk__in=shown).order_by("project__key", "outline_key", "pk")[
            : PICKER_LIMIT + 1
        ]
    )
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
    picker: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for task in choices[:PICKER_LIMIT]:
        picker[_project_label(task.project)].append((task.pk, task_label(task)))
    rejected = [
        (task_label(e.task), e.review_note)
        for e in entries
        if e.status == TimeEntryStatus.REJECTED and e.review_note
    ]
    return TimesheetWeek(
        monday=monday,
        grid=grid.build_grid(monday, rows, stored, typed=typed, errors=errors),
        timesheet=Timesheet.objects.filter(user=person, week_start=monday).first(),
        picker=[PickerGroup(name, items) for name, items in picker.items()],
        picker_truncated=len(choices) > PICKER_LIMIT,
        rejected=list(dict.fromkeys(rejected)),
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
