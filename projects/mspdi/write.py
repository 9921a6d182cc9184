"""Write a project's plan as Microsoft Project XML (MSPDI), computed schedule included.

Elements follow the order Microsoft Project itself writes (its schema is a sequence), in MSPDI's
own units: durations as ISO 8601 working time (`PT16H0M0S`), lags and slack in tenths of a minute,
link types 0 = FF, 1 = FS, 2 = SF, 3 = SS, constraint types 0..7, dates as local wall-clock time.
Task UIDs are a stable sequence in outline order (1, 2, ...); UID 0 is the project summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from xml.etree.ElementTree import Element, SubElement, tostring
from zoneinfo import ZoneInfo

from projects.calendars import selectors as calendar_selectors
from projects.models import Task, WorkCalendar
from projects.models.calendar import week_of
from projects.mspdi.assignments import MspdiResource, write_resources
from projects.mspdi.baselines import MspdiBaselineTask, write_task_baseline
from projects.mspdi.document import NAMESPACE, money_text
from projects.mspdi.read import CONSTRAINTS
from projects.schedule.durations import format_iso_duration, minutes_to_tenths
from projects.schedule.input import PlanData, project_zone, to_wall_clock

LINK_CODES = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
CONSTRAINT_CODES = {constraint.value: code for code, constraint in enumerate(CONSTRAINTS)}
DAYS_FORMAT = 7  # durations and lags shown in days
PROJECT_CALENDAR_UID = 1


def _add(parent: Element, tag: str, value: object) -> Element:
    element = SubElement(parent, tag)
    element.text = str(value)
    return element


def _stamp(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%S") if moment else None


def _clock(text: str) -> str:
    return "00:00:00" if text == "24:00" else f"{text}:00"


def _working_times(parent: Element, pairs: list[list[str]]) -> None:
    if not pairs:
        return
    times = SubElement(parent, "WorkingTimes")
    for start, end in pairs:
        working = SubElement(times, "WorkingTime")
        _add(working, "FromTime", _clock(start))
        _add(working, "ToTime", _clock(end))


def _calendar(parent: Element, uid: int, calendar: WorkCalendar | None) -> None:
    element = SubElement(parent, "Calendar")
    _add(element, "UID", uid)
    _add(element, "Name", calendar.name if calendar else "Standard")
    _add(element, "IsBaseCalendar", 1)
    _add(element, "IsBaselineCalendar", 0)
    _add(element, "BaseCalendarUID", -1)
    week = calendar.working_week if calendar else week_of()
    days = SubElement(element, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday .. 7 = Saturday
        hours = week[(day_type + 5) % 7]  # our week starts on Monday
        day = SubElement(days, "WeekDay")
        _add(day, "DayType", day_type)
        _add(day, "DayWorking", int(bool(hours)))
        _working_times(day, hours)
    exceptions = list(calendar.exceptions.all()) if calendar else []
    if not exceptions:
        return
    holder = SubElement(element, "Exceptions")
    for exception in exceptions:
        item = SubElement(holder, "Exception")
        _add(item, "EnteredByOccurrences", 0)
        period = SubElement(item, "TimePeriod")
        _add(period, "FromDate", _stamp(datetime.combine(exception.first_day, time(0, 0))))
        _add(period, "ToDate", _stamp(datetime.combine(exception.last_day, time(23, 59))))
        _add(item, "Occurrences", 1)
        _add(item, "Name", exception.name)
        _add(item, "Type", 1)
        _add(item, "Period", 1)
        _add(item, "DayWorking", int(exception.working))
        if exception.working:
            _working_times(item, exception.working_times)


def _levels(tasks: list[Task]) -> dict[int, int]:
    levels: dict[int, int] = {}
    for task in tasks:  # outline order: parents come first
        levels[task.pk] = levels.get(task.parent_id or 0, 0) + 1
    return levels


def _dates(element: Element, zone: ZoneInfo, **moments: datetime | None) -> None:
    for tag, moment in moments.items():
        text = _stamp(to_wall_clock(moment, zone))
        if text:
            _add(element, tag, text)


def _task(
    parent: Element,
    task: Task,
    *,
    uid: int,
    level: int,
    zone: ZoneInfo,
    calendar_uid: int,
    predecessors: list[tuple[int, str, int]],
    baselines: list[MspdiBaselineTask],
    with_money: bool = True,
) -> None:
    element = SubElement(parent, "Task")
    _add(element, "UID", uid)
    _add(element, "ID", uid)
    _add(element, "Name", task.name)
    _add(element, "Active", 1)
    _add(element, "Manual", int(task.is_manual))
    _add(element, "Type", 1)  # fixed duration
    _add(element, "IsNull", 0)
    _add(element, "WBS", task.wbs_code)
    _add(element, "OutlineNumber", task.wbs_code)
    _add(element, "OutlineLevel", level)
    _dates(element, zone, Start=task.start, Finish=task.finish)
    duration = 0 if task.is_milestone else task.duration_minutes
    _add(element, "Duration", format_iso_duration(duration))
    if task.is_manual:
        _dates(element, zone, ManualStart=task.manual_start, ManualFinish=task.manual_finish)
    _add(element, "DurationFormat", DAYS_FORMAT)
    _add(element, "Milestone", int(task.is_milestone))
    _add(element, "Summary", int(task.is_summary))
    _add(element, "Critical", int(task.is_critical))
    _dates(
        element,
        zone,
        EarlyStart=task.early_start,
        EarlyFinish=task.early_finish,
        LateStart=task.late_start,
        LateFinish=task.late_finish,
    )
    _add(element, "FreeSlack", minutes_to_tenths(task.free_float_minutes or 0))
    _add(element, "TotalSlack", minutes_to_tenths(task.total_float_minutes or 0))
    _add(element, "PercentComplete", task.percent_complete)
    if with_money and task.cost is not None:
        _add(element, "Cost", money_text(task.cost))
    _dates(element, zone, ActualStart=task.actual_start, ActualFinish=task.actual_finish)
    if with_money and task.actual_cost is not None:
        _add(element, "ActualCost", money_text(task.actual_cost))
    _add(element, "ConstraintType", CONSTRAINT_CODES[task.constraint_type])
    _add(element, "CalendarUID", calendar_uid)
    _dates(element, zone, ConstraintDate=task.constraint_date)
    if task.deadline:
        _add(element, "Deadline", _stamp(datetime.combine(task.deadline, time(17, 0))))
    if task.notes:
        _add(element, "Notes", task.notes)
    for predecessor_uid, link_type, lag in predecessors:
        link = SubElement(element, "PredecessorLink")
        _add(link, "PredecessorUID", predecessor_uid)
        _add(link, "Type", LINK_CODES[link_type])
        _add(link, "CrossProject", 0)
        _add(link, "LinkLag", minutes_to_tenths(lag))
        _add(link, "LagFormat", DAYS_FORMAT)
    for baseline in baselines:
        write_task_baseline(element, baseline if with_money else replace(baseline, cost=None))


def _project_summary(parent: Element, plan: PlanData, zone: ZoneInfo) -> None:
    element = SubElement(parent, "Task")
    _add(element, "UID", 0)
    _add(element, "ID", 0)
    _add(element, "Name", plan.project.name)
    _add(element, "Type", 1)
    _add(element, "IsNull", 0)
    _add(element, "WBS", 0)
    _add(element, "OutlineNumber", 0)
    _add(element, "OutlineLevel", 0)
    starts = [t.start for t in plan.tasks if t.start]
    finishes = [t.finish for t in plan.tasks if t.finish]
    _dates(
        element,
        zone,
        Start=min(starts) if starts else None,
        Finish=max(finishes) if finishes else None,
    )
    _add(element, "Summary", 1)


def _header(root: Element, plan: PlanData, zone: ZoneInfo, minutes_per_day: int) -> None:
    project = plan.project
    weekdays = plan.calendar.working_weekdays if plan.calendar else [0, 1, 2, 3, 4]
    start = project.start_date or min(
        (t.start.date() for t in plan.tasks if t.start), default=date.today()
    )
    finishes = [t.finish for t in plan.tasks if t.finish]
    _add(root, "SaveVersion", 14)
    _add(root, "Name", f"{project.key}.xml")
    _add(root, "Title", project.name)
    _add(root, "ScheduleFromStart", 1)
    _add(root, "StartDate", _stamp(datetime.combine(start, time(0, 0))))
    if finishes:
        _add(root, "FinishDate", _stamp(to_wall_clock(max(finishes), zone)))
    _add(root, "CalendarUID", PROJECT_CALENDAR_UID)
    _add(root, "MinutesPerDay", minutes_per_day)
    _add(root, "MinutesPerWeek", minutes_per_day * len(weekdays))
    _add(root, "DaysPerMonth", 20)
    _add(root, "DurationFormat", DAYS_FORMAT)
    if project.status_date:
        _add(root, "StatusDate", _stamp(datetime.combine(project.status_date, time(17, 0))))


@dataclass(frozen=True)
class ExportExtras:
    """What the file carries besides the plan: baselines and who works on what."""

    baselines: dict[int, list[MspdiBaselineTask]] = field(default_factory=dict)  # by task id
    people: list[MspdiResource] = field(default_factory=list)
    assignments: list[tuple[int, str]] = field(default_factory=list)  # (task id, resource UID)


def write_mspdi(
    plan: PlanData, extras: ExportExtras | None = None, *, with_money: bool = True
) -> bytes:
    """An MSPDI document for a loaded plan (see `schedule_input.load_plan`); without costs
    (tasks' and baselines') unless `with_money` (tpm/money.py: who may see money)."""
    extras = extras or ExportExtras()
    zone = project_zone(plan.project)
    minutes_per_day = calendar_selectors.minutes_per_day(plan.calendar)  # the project's day
    root = Element("Project", xmlns=NAMESPACE)
    _header(root, plan, zone, minutes_per_day)
    calendars = SubElement(root, "Calendars")
    _calendar(calendars, PROJECT_CALENDAR_UID, plan.calendar)
    calendar_uids: dict[int, int] = {}
    if plan.calendar is not None:
        calendar_uids[plan.calendar.pk] = PROJECT_CALENDAR_UID
    for pk in sorted(plan.task_calendars):
        if pk not in calendar_uids:
            calendar_uids[pk] = len(calendar_uids) + PROJECT_CALENDAR_UID + 1
            _calendar(calendars, calendar_uids[pk], plan.task_calendars[pk])
    uids = {task.pk: number for number, task in enumerate(plan.tasks, start=1)}
    predecessors: dict[int, list[tuple[int, str, int]]] = {}
    for link in plan.links:
        if link.predecessor_id in uids and link.successor_id in uids:
            predecessors.setdefault(link.successor_id, []).append(
                (uids[link.predecessor_id], link.type, link.lag_minutes)
            )
    levels = _levels(plan.tasks)
    tasks = SubElement(root, "Tasks")
    _project_summary(tasks, plan, zone)
    for task in plan.tasks:
        _task(
            tasks,
            task,
            uid=uids[task.pk],
            level=levels[task.pk],
            zone=zone,
            calendar_uid=calendar_uids.get(task.calendar_id or 0, -1),
            predecessors=predecessors.get(task.pk, []),
            baselines=extras.baselines.get(task.pk, []),
            with_money=with_money,
        )
    if extras.people:
        write_resources(
            root,
            extras.people,
            [(uids[pk], person) for pk, person in extras.assignments if pk in uids],
        )
    return tostring(root, encoding="utf-8", xml_declaration=True)
