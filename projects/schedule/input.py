"""Reads that turn a project's stored plan into the scheduling engine's input.

Times are wall-clock in the project's time zone (the engine works on naive local datetimes);
`to_wall_clock` and `from_wall_clock` convert at this boundary and nowhere else.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from projects.calendars import timeline as engine_calendars
from projects.calendars.selectors import plan_calendars
from projects.models import Dependency, Project, Task, WorkCalendar
from projects.schedule import network

WORKDAY_START = time(0, 0)


def project_zone(project: Project) -> ZoneInfo:
    """The zone the project's working hours are in (the site's zone until projects get one)."""
    return ZoneInfo(settings.TIME_ZONE)


def to_wall_clock(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    if moment is None:
        return None
    return timezone.localtime(moment, zone).replace(tzinfo=None)


def from_wall_clock(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=zone)


def _day_end(day: date | None) -> datetime | None:
    """The end of a whole day (a deadline or a status date covers the day it names)."""
    return datetime.combine(day + timedelta(days=1), WORKDAY_START) if day else None


def engine_calendar(calendar: WorkCalendar | None) -> engine_calendars.WorkingCalendar:
    """The engine's calendar for a stored one (exceptions must be prefetched); None: standard."""
    if calendar is None:
        return engine_calendars.WorkingCalendar.standard()
    week = tuple(
        tuple(engine_calendars.WorkingTime.of(start, end) for start, end in hours)
        for hours in calendar.working_week
    )
    exceptions = [
        engine_calendars.CalendarException(
            exception.first_day,
            exception.last_day,
            tuple(engine_calendars.WorkingTime.of(s, e) for s, e in exception.working_times)
            if exception.working
            else (),
        )
        for exception in calendar.exceptions.all()
    ]
    return engine_calendars.WorkingCalendar(week, tuple(exceptions), calendar.name)


@dataclass(frozen=True)
class PlanData:
    """What one scheduling run needs, loaded in a fixed number of queries."""

    project: Project
    tasks: list[Task]
    links: list[Dependency]
    outside_tasks: list[Task]  # predecessors in other projects: fixed at their own dates
    calendar: WorkCalendar | None  # the project's (projects.calendars.selectors); None: standard
    task_calendars: dict[int, WorkCalendar]  # the tasks' own, by id


def load_plan(project: Project) -> PlanData:
    tasks = list(Task.objects.alive().filter(project=project).order_by("outline_key", "pk"))
    ids = {task.pk for task in tasks}
    # One join on the successor's project (an IN of thousands of ids is slow on SQLite, an OR
    # across joins is slow on PostgreSQL); dead predecessors are dropped here, in Python.
    candidates = list(
        Dependency.objects.filter(
            successor__project=project, successor__deleted_at__isnull=True
        ).order_by("pk")
    )
    outside_ids = {link.predecessor_id for link in candidates} - ids
    outside = (
        list(
            Task.objects.filter(
                pk__in=outside_ids, deleted_at__isnull=True, project__deleted_at__isnull=True
            )
        )
        if outside_ids
        else []
    )
    alive = ids | {task.pk for task in outside}
    links = [link for link in candidates if link.predecessor_id in alive]
    calendars = plan_calendars(project, (task.calendar_id for task in tasks))
    return PlanData(project, tasks, links, outside, calendars.project, calendars.own)


def _engine_task(task: Task, zone: ZoneInfo) -> network.ScheduleTask:
    return network.ScheduleTask(
        id=task.pk,
        duration=0 if task.is_milestone else task.duration_minutes,
        milestone=task.is_milestone,
        parent_id=task.parent_id,
        calendar_id=str(task.calendar_id) if task.calendar_id else None,
        constraint=network.Constraint(task.constraint_type),
        constraint_date=to_wall_clock(task.constraint_date, zone),
        deadline=_day_end(task.deadline),
        manual=task.is_manual,
        manual_start=to_wall_clock(task.manual_start, zone),
        manual_finish=to_wall_clock(task.manual_finish, zone),
        percent_complete=task.percent_complete,
        actual_start=to_wall_clock(task.actual_start, zone),
        actual_finish=to_wall_clock(task.actual_finish, zone),
    )


def _outside_task(task: Task, zone: ZoneInfo) -> network.ScheduleTask:
    """A predecessor from another project, pinned where its own plan put it."""
    start = to_wall_clock(task.start, zone)
    finish = to_wall_clock(task.finish, zone)
    return network.ScheduleTask(
        id=task.pk,
        duration=0,
        milestone=task.is_milestone,
        manual=start is not None,
        manual_start=start,
        manual_finish=finish,
    )


def schedule_input(plan: PlanData) -> network.ScheduleInput:
    zone = project_zone(plan.project)
    start_day = plan.project.start_date or timezone.localdate()
    tasks = [_engine_task(task, zone) for task in plan.tasks]
    tasks += [_outside_task(task, zone) for task in plan.outside_tasks]
    links = [
        network.ScheduleLink(
            predecessor_id=link.predecessor_id,
            successor_id=link.successor_id,
            type=network.LinkType(link.type),
            lag=link.lag_minutes,
        )
        for link in plan.links
    ]
    status_date = plan.project.status_date
    return network.ScheduleInput(
        tasks=tasks,
        links=links,
        project_start=datetime.combine(start_day, WORKDAY_START),
        calendar=engine_calendar(plan.calendar),
        calendars={str(pk): engine_calendar(c) for pk, c in plan.task_calendars.items()},
        status_date=_day_end(status_date),
    )
