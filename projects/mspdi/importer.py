"""Import a Microsoft Project (MSPDI) file as a new project, and export a project as MSPDI.

The import is one transaction: the project, its calendars, tasks, links, constraints and
progress are written in bulk, then the plan is rescheduled once. A file we cannot read, a
duplicate key or a plan the engine refuses (a loop of links) leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from projects import services, signals
from projects.calendars import timeline as engine_calendars
from projects.models import (
    CalendarException,
    ConstraintType,
    Dependency,
    LinkType,
    Project,
    Task,
    TaskStatus,
    WorkCalendar,
)
from projects.mspdi.people import export_extras, import_assignments, import_baselines
from projects.mspdi.read import MspdiCalendar, MspdiError, MspdiPlan, MspdiTask, read_mspdi
from projects.mspdi.write import write_mspdi
from projects.schedule import services as schedule_services
from projects.schedule.input import from_wall_clock, load_plan, project_zone
from tpm import history
from tpm.db_statistics import refresh_statistics
from tpm.models import Organisation, User

NAME_LENGTH = 255


@dataclass
class MspdiImportReport:
    project: Project
    tasks: int = 0
    links: int = 0
    calendars: int = 0
    exceptions: int = 0
    assignments: int = 0
    baselines: int = 0
    skipped: list[str] = field(default_factory=list)
    task_ids: dict[int, int] = field(default_factory=dict)  # the file's UID -> our task id

    def summary(self) -> str:
        counts = (
            f"{self.tasks} tasks, {self.links} links, {self.assignments} assignments, "
            f"{self.baselines} baselines, {self.calendars} calendars "
            f"and {self.exceptions} calendar exceptions"
        )
        return counts + ("; " + " ".join(self.skipped) if self.skipped else ".")

    def as_dict(self) -> dict:
        return {
            "tasks": self.tasks,
            "links": self.links,
            "calendars": self.calendars,
            "exceptions": self.exceptions,
            "assignments": self.assignments,
            "baselines": self.baselines,
            "skipped": self.skipped,
        }


def mspdi_read_upload(data: bytes) -> MspdiPlan:
    """The plan in an uploaded file, or a ValidationError on `file` naming the problem."""
    try:
        return read_mspdi(
            data, max_bytes=settings.MSPDI_MAX_BYTES, max_tasks=settings.MSPDI_MAX_TASKS
        )
    except MspdiError as error:
        raise ValidationError({"file": str(error)}) from error


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _pairs(times: tuple[engine_calendars.WorkingTime, ...]) -> list[list[str]]:
    return [[_clock(t.start), _clock(t.end)] for t in times]


def _work_calendar(
    project: Project, source: MspdiCalendar, name: str, report: MspdiImportReport
) -> WorkCalendar:
    """A stored calendar for one of the file's: each weekday keeps its own hours."""
    calendar = WorkCalendar(
        organisation=project.organisation,
        project=project,
        name=name,
        working_week=[_pairs(times) for times in source.calendar.week],
    )
    calendar.full_clean(validate_unique=False, validate_constraints=False)
    calendar.save()
    labels = source.exception_names
    exceptions = [
        CalendarException(
            calendar=calendar,
            name=(labels[index] if index < len(labels) else "Exception")[:120] or "Exception",
            first_day=exception.first,
            last_day=exception.last,
            working=exception.is_working,
            working_times=_pairs(exception.times),
        )
        for index, exception in enumerate(source.calendar.exceptions)
    ]
    CalendarException.objects.bulk_create(exceptions, batch_size=500)
    report.calendars += 1
    report.exceptions += len(exceptions)
    return calendar


def _calendars(
    project: Project, plan: MspdiPlan, report: MspdiImportReport
) -> dict[str, WorkCalendar]:
    """The project's calendar and every task calendar, named uniquely within the project."""
    names: set[str] = set()

    def unique(name: str) -> str:
        base, candidate, n = name[:110] or "Calendar", name[:110] or "Calendar", 2
        while candidate in names:
            candidate, n = f"{base} ({n})", n + 1
        names.add(candidate)
        return candidate

    main = _work_calendar(project, plan.calendar, unique(plan.calendar.name), report)
    stored = {plan.calendar.key: main}
    for key, source in plan.calendars.items():
        if key not in stored:
            stored[key] = _work_calendar(project, source, unique(source.name), report)
    project.calendar = main
    project.save(update_fields=["calendar"])
    return stored


def _aware(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return from_wall_clock(moment, zone) if moment else None


def _status(task: MspdiTask) -> str:
    if task.percent_complete >= 100 or task.actual_finish:
        return TaskStatus.COMPLETED
    if task.percent_complete or task.actual_start:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def _task(project: Project, source: MspdiTask, zone: ZoneInfo, calendar: WorkCalendar | None):
    dated = source.constraint not in (ConstraintType.ASAP, ConstraintType.ALAP)
    return Task(
        project=project,
        name=(source.name or f"Task {source.uid}")[:NAME_LENGTH],
        notes=source.notes,
        is_milestone=source.milestone,
        duration_minutes=0 if source.milestone else source.duration,
        status=_status(source),
        percent_complete=source.percent_complete,
        actual_start=_aware(source.actual_start, zone),
        actual_finish=_aware(source.actual_finish, zone),
        deadline=source.deadline.date() if source.deadline else None,
        constraint_type=ConstraintType(source.constraint.value),
        constraint_date=_aware(source.constraint_date, zone) if dated else None,
        is_manual=source.manual,
        manual_start=_aware(source.manual_start, zone),
        manual_finish=_aware(source.manual_finish, zone),
        calendar=calendar,
        cost=None if source.summary else source.cost,  # summaries add theirs up
        actual_cost=None if source.summary else source.actual_cost,
    )


def _tasks(
    project: Project, plan: MspdiPlan, calendars: dict[str, WorkCalendar]
) -> dict[int, Task]:
    """Tasks level by level (parents get their ids before their children), in file order."""
    zone = project_zone(project)
    rows = [task for task in plan.tasks if not task.is_project_summary]
    by_uid = {task.uid: task for task in rows}
    created: dict[int, Task] = {}
    positions: dict[int | None, int] = {}
    for level in sorted({task.outline_level for task in rows}):
        batch = []
        for source in (task for task in rows if task.outline_level == level):
            parent_uid = source.parent_uid if source.parent_uid in by_uid else None
            task = _task(project, source, zone, calendars.get(source.calendar_key or ""))
            task.parent = created[parent_uid] if parent_uid is not None else None
            task.position = positions.get(parent_uid, 0)
            positions[parent_uid] = task.position + 1
            batch.append((source.uid, task))
        Task.objects.bulk_create([task for _, task in batch], batch_size=500)
        created.update(batch)
    return created


@transaction.atomic
def project_import_mspdi(
    *, organisation: Organisation, actor: User, key: str, data: bytes, name: str = ""
) -> MspdiImportReport:
    """Create a project with key `key` from an MSPDI file; errors name the field they concern."""
    plan = mspdi_read_upload(data)
    project = services.project_create(
        organisation=organisation,
        actor=actor,
        key=key,
        name=(name or plan.name or key)[:160],
        start_date=plan.start.date(),
    )
    report = MspdiImportReport(project=project, skipped=list(plan.notes))
    project.status_date = plan.status_date.date() if plan.status_date else None
    project.save(update_fields=["status_date"])
    calendars = _calendars(project, plan, report)
    tasks = _tasks(project, plan, calendars)
    links = Dependency.objects.bulk_create(
        [
            Dependency(
                predecessor=tasks[link.predecessor_uid],
                successor=tasks[link.successor_uid],
                type=LinkType(link.type.value),
                lag_minutes=link.lag,
            )
            for link in plan.links
            if link.predecessor_uid in tasks and link.successor_uid in tasks
        ],
        batch_size=500,
    )
    report.tasks, report.links = len(tasks), len(links)
    report.task_ids = {uid: task.pk for uid, task in tasks.items()}
    if len(links) < len(plan.links):
        report.skipped.append(
            f"Skipped {len(plan.links) - len(links)} links to the project summary row."
        )
    refresh_statistics(Task, Dependency)  # thousands of rows may just have arrived
    schedule_services.renumber(project)
    try:
        schedule_services.project_reschedule(project=project)
    except ValidationError as error:
        message = f"The plan cannot be scheduled: {error.messages[0]}"
        raise ValidationError({"file": message}) from error
    report.assignments, unknown = import_assignments(project, actor, plan, tasks)
    if unknown:
        report.skipped.append(
            f"Not assigned: {len(unknown)} resources who are not people of this organisation "
            f"({', '.join(unknown)}); invite them, then assign their tasks."
        )
    report.baselines = import_baselines(project, actor, plan, tasks)
    for _receiver, said in signals.mspdi_imported.send(  # resources, rates, costs (resources/)
        sender=Project, project=project, actor=actor, data=data, task_ids=report.task_ids
    ):
        if said:
            report.skipped.append(str(said))
    history.record(
        actor=actor,
        organisation=organisation,
        target=project,
        action="updated",
        scope=f"project:{project.pk}",
        changes={"plan": [None, f"Imported from Microsoft Project: {report.summary()}"]},
    )
    return report


def project_export_mspdi(*, project: Project, with_money: bool = True) -> bytes:
    """The project's plan, calendars, computed schedule, assignees and latest eleven baselines
    (Microsoft Project keeps Baseline and Baseline 1..10) as an MSPDI document; costs only
    `with_money` (the reader may see money: tpm/money.py)."""
    plan = load_plan(project)
    return write_mspdi(plan, export_extras(plan), with_money=with_money)
