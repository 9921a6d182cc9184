"""Read a Microsoft Project XML (MSPDI) file into a neutral plan (pure: no Django, no ORM).

Hardened: the file is parsed with defusedxml (a DTD, entity or external reference is refused) and
must stay under a size limit; every problem is an `MspdiError` naming the element and UID.

What is read (conventions checked against the files in the team's conformance folder):
- `PredecessorLink/Type`: 0 = FF, 1 = FS, 2 = SF, 3 = SS; `LinkLag` in tenths of a minute.
- Durations are ISO 8601 working time (`PT8H0M0S`); `ConstraintType` 0..7 (ASAP..FNLT).
- The outline comes from `OutlineLevel` in file order; level 0 (UID 0) is the project summary.
- Calendars: weekdays, base calendars and dated exceptions. Project also writes the dates of a
  recurring exception as legacy `WeekDay` entries (DayType 0); those are used when present,
  otherwise a recurring exception is refused with a message naming the calendar.
- Baselines (mspdi_baselines) and the work resources assigned to each task (mspdi_resources) are
  read with the task. A task worked by resources follows the union of their calendars (as
  Project schedules it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import Element

from projects.calendars.timeline import CalendarException, WorkingCalendar, WorkingTime
from projects.mspdi.assignments import MspdiResource, read_assignments
from projects.mspdi.baselines import MspdiBaselineTask, read_task_baselines
from projects.mspdi.document import (
    DEFAULT_MAX_BYTES,
    MspdiError,
    Reader,
    duration_minutes,
    parse,
)
from projects.schedule.durations import (
    MINUTES_PER_ELAPSED_DAY,
    DurationError,
    elapsed_tenths_to_minutes,
    tenths_to_minutes,
)
from projects.schedule.network import (
    Constraint,
    LinkType,
    ScheduleInput,
    ScheduleLink,
    ScheduleTask,
)

LINK_TYPES = {0: LinkType.FF, 1: LinkType.FS, 2: LinkType.SF, 3: LinkType.SS}
CONSTRAINTS = [
    Constraint.ASAP,
    Constraint.ALAP,
    Constraint.MSO,
    Constraint.MFO,
    Constraint.SNET,
    Constraint.SNLT,
    Constraint.FNET,
    Constraint.FNLT,
]
WORKING_LAG_FORMATS = {3, 5, 7, 9, 11, 35, 37, 39, 41, 43}  # minutes .. months, incl. estimated
ELAPSED_LAG_FORMATS = {4, 6, 8, 10, 12, 36, 38, 40, 42, 44}
UNASSIGNED_RESOURCE = "-65535"


@dataclass(frozen=True)
class MspdiCalendar:
    key: str  # the file's calendar UID, or "resources:3+4" for a union of resource calendars
    calendar: WorkingCalendar
    exception_names: tuple[str, ...] = ()  # parallel to calendar.exceptions

    @property
    def name(self) -> str:
        return self.calendar.name


@dataclass(frozen=True)
class MspdiTask:
    uid: int
    name: str
    outline_level: int
    parent_uid: int | None
    duration: int  # working minutes
    milestone: bool = False
    summary: bool = False
    calendar_key: str | None = None  # None: the project calendar
    constraint: Constraint = Constraint.ASAP
    constraint_date: datetime | None = None
    deadline: datetime | None = None
    manual: bool = False
    manual_start: datetime | None = None
    manual_finish: datetime | None = None
    percent_complete: int = 0
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    notes: str = ""
    cost: Decimal | None = None
    actual_cost: Decimal | None = None
    baselines: tuple[MspdiBaselineTask, ...] = ()
    resources: tuple[MspdiResource, ...] = ()  # the work resources assigned to it

    @property
    def is_project_summary(self) -> bool:
        return self.outline_level == 0


@dataclass(frozen=True)
class MspdiLink:
    predecessor_uid: int
    successor_uid: int
    type: LinkType
    lag: int  # working minutes of the successor's calendar


@dataclass
class MspdiPlan:
    name: str
    start: datetime
    status_date: datetime | None
    calendar: MspdiCalendar
    calendars: dict[str, MspdiCalendar]  # task calendars by key (the project's is `calendar`)
    tasks: list[MspdiTask]
    links: list[MspdiLink]
    minutes_per_day: int = 480
    notes: list[str] = field(default_factory=list)  # what was skipped or approximated

    def schedule_input(self) -> ScheduleInput:
        """The engine's input for the file as it is (the project summary included)."""
        return ScheduleInput(
            tasks=[_engine_task(task) for task in self.tasks],
            links=[
                ScheduleLink(link.predecessor_uid, link.successor_uid, link.type, link.lag)
                for link in self.links
            ],
            project_start=self.start,
            calendar=self.calendar.calendar,
            calendars={key: c.calendar for key, c in self.calendars.items()},
            status_date=self.status_date,
        )


def _engine_task(task: MspdiTask) -> ScheduleTask:
    return ScheduleTask(
        id=task.uid,
        duration=task.duration,
        milestone=task.milestone,
        parent_id=task.parent_uid,
        calendar_id=task.calendar_key,
        constraint=task.constraint,
        constraint_date=task.constraint_date,
        deadline=task.deadline,
        manual=task.manual,
        manual_start=task.manual_start,
        manual_finish=task.manual_finish,
        percent_complete=task.percent_complete,
        actual_start=task.actual_start,
        actual_finish=task.actual_finish,
    )


# -- parsing helpers ----------------------------------------------------------------------------


# -- calendars ----------------------------------------------------------------------------------


def _working_times(r: Reader, element: Element, where: str) -> tuple[WorkingTime, ...]:
    times = []
    for wt in r.all(element, "WorkingTimes/WorkingTime"):
        start, end = r.text(wt, "FromTime"), r.text(wt, "ToTime")
        if not start:
            continue
        try:
            times.append(WorkingTime.of(start, end or ""))
        except (ValueError, IndexError):
            raise MspdiError(f"{where}: working time {start}-{end} is not valid.") from None
    return tuple(times)


def _exception(r: Reader, element: Element, where: str) -> CalendarException:
    period = r.one(element, "TimePeriod")
    if period is None:
        raise MspdiError(f"{where}: an exception has no <TimePeriod>.")
    first = r.moment(period, "FromDate", where)
    last = r.moment(period, "ToDate", where)
    if first is None or last is None:
        raise MspdiError(f"{where}: an exception has no <FromDate> or <ToDate>.")
    times = _working_times(r, element, where) if r.int(element, "DayWorking", where) else ()
    try:
        return CalendarException(first.date(), last.date(), times)
    except ValueError as error:
        raise MspdiError(f"{where}: {error}.") from None


def _exceptions(
    r: Reader, element: Element, where: str
) -> tuple[list[CalendarException], list[str], bool]:
    """Exceptions, their names, and whether recurring ones were read from expanded dates."""
    legacy = [
        day for day in r.all(element, "WeekDays/WeekDay") if r.int(day, "DayType", where) == 0
    ]
    modern = r.all(element, "Exceptions/Exception")
    recurring = [
        e for e in modern if r.int(e, "Type", where, 1) != 1 or r.int(e, "Period", where, 1) != 1
    ]
    if recurring and not legacy:
        name = r.text(recurring[0], "Name") or "unnamed"
        raise MspdiError(
            f"{where}: recurring exception {name!r} has no expanded dates in the file; "
            "recurring exceptions are not supported (save them as dated exceptions)."
        )
    if legacy:  # Project writes every occurrence here, recurring or not
        exceptions = [_exception(r, day, where) for day in legacy]
        return exceptions, ["Exception"] * len(exceptions), bool(recurring)
    exceptions = [_exception(r, e, where) for e in modern]
    names = [r.text(e, "Name") or "Exception" for e in modern]
    return exceptions, names, False


def _calendar(
    r: Reader,
    uid: str,
    elements: dict[str, Element],
    seen: frozenset[str],
    notes: list[str],
) -> MspdiCalendar:
    element = elements[uid]
    name = r.text(element, "Name") or f"Calendar {uid}"
    where = f"Calendar UID {uid} ({name})"
    if uid in seen:
        raise MspdiError(f"{where} is its own base calendar.")
    if r.one(element, "WorkWeeks") is not None:
        raise MspdiError(f"{where}: work weeks are not supported.")
    base_uid = r.text(element, "BaseCalendarUID") or "-1"
    if base_uid in elements:
        base = _calendar(r, base_uid, elements, seen | {uid}, notes)
        week = list(base.calendar.week)
        exceptions, names = list(base.calendar.exceptions), list(base.exception_names)
    else:
        week, exceptions, names = [() for _ in range(7)], [], []
    for day in r.all(element, "WeekDays/WeekDay"):
        day_type = r.int(day, "DayType", where)
        if 1 <= day_type <= 7:  # 1 = Sunday .. 7 = Saturday; our week starts on Monday
            working = r.int(day, "DayWorking", where)
            week[(day_type + 5) % 7] = _working_times(r, day, where) if working else ()
    own, own_names, expanded = _exceptions(r, element, where)
    if expanded and not seen:
        notes.append(f"Calendar {name}: recurring exceptions read from their dates in the file.")
    try:
        calendar = WorkingCalendar(tuple(week), tuple(exceptions + own), name)
    except ValueError as error:
        raise MspdiError(f"{where}: {error}.") from None
    return MspdiCalendar(uid, calendar, tuple(names + own_names))


def _calendars(r: Reader, root: Element, notes: list[str]) -> dict[str, MspdiCalendar]:
    elements: dict[str, Element] = {}
    for element in r.all(root, "Calendars/Calendar"):
        uid = r.text(element, "UID")
        if not uid:
            raise MspdiError("A <Calendar> has no <UID>.")
        if uid in elements:
            raise MspdiError(f"Two calendars have UID {uid}.")
        elements[uid] = element
    return {uid: _calendar(r, uid, elements, frozenset(), notes) for uid in elements}


def _resource_calendars(
    r: Reader, root: Element, calendars: dict[str, MspdiCalendar]
) -> dict[str, list[str]]:
    """Task uid -> calendar uids of its assigned resources."""
    resources = r.all(root, "Resources/Resource")
    resource_calendar = {r.text(res, "UID"): r.text(res, "CalendarUID") for res in resources}
    assignments = r.all(root, "Assignments/Assignment")
    by_task: dict[str, list[str]] = {}
    for assignment in assignments:
        resource = r.text(assignment, "ResourceUID")
        calendar_uid = resource_calendar.get(resource)
        if resource == UNASSIGNED_RESOURCE or calendar_uid not in calendars:
            continue
        by_task.setdefault(r.text(assignment, "TaskUID") or "", []).append(calendar_uid or "")
    return by_task


# -- tasks and links ----------------------------------------------------------------------------


def _task_calendar(
    r: Reader,
    task: Element,
    calendars: dict[str, MspdiCalendar],
    resources: dict[str, list[str]],
    project_uid: str,
    used: dict[str, MspdiCalendar],
    where: str,
) -> str | None:
    """The task calendar, or the union of its resources' calendars (Project schedules each
    assignment on its resource's calendar, so the task works whenever any of them does)."""
    uid = r.text(task, "CalendarUID") or "-1"
    if uid in calendars:
        used[uid] = calendars[uid]
        return uid
    resource_uids = sorted(set(resources.get(r.text(task, "UID") or "", [])))
    if not resource_uids or r.int(task, "IgnoreResourceCalendar", where):
        return None
    union = calendars[resource_uids[0]].calendar
    for other in resource_uids[1:]:
        union = union.union(calendars[other].calendar)
    project = calendars[project_uid].calendar
    if union.week == project.week and union.exceptions == project.exceptions:
        return None
    key = "resources:" + "+".join(resource_uids)
    if len(resource_uids) == 1:
        used[key] = MspdiCalendar(key, union, calendars[resource_uids[0]].exception_names)
    else:
        used[key] = MspdiCalendar(key, union, ("Exception",) * len(union.exceptions))
    return key


def _links(
    r: Reader, task: Element, uid: int, minutes_per_day: int, notes: list[str]
) -> list[MspdiLink]:
    links = []
    for link in r.all(task, "PredecessorLink"):
        where = f"Task UID {uid}: <PredecessorLink>"
        if r.text(link, "PredecessorUID") in (None, ""):
            raise MspdiError(f"{where} has no <PredecessorUID>.")
        predecessor = r.int(link, "PredecessorUID", where)
        if r.int(link, "CrossProject", where):
            notes.append(f"Task UID {uid}: skipped a link to another project's task.")
            continue
        kind = r.int(link, "Type", where, 1)
        if kind not in LINK_TYPES:
            raise MspdiError(
                f"{where} from UID {predecessor} has unknown link type {kind} "
                "(0 = FF, 1 = FS, 2 = SF, 3 = SS)."
            )
        lag_format = r.int(link, "LagFormat", where, 7)
        tenths = r.int(link, "LinkLag", where)  # tenths of a minute
        try:
            lag = tenths_to_minutes(tenths)
            if tenths and lag_format in ELAPSED_LAG_FORMATS:
                lag = elapsed_tenths_to_minutes(tenths, minutes_per_day=minutes_per_day)
        except DurationError as error:
            raise MspdiError(
                f"{where} from UID {predecessor}: <LinkLag> {tenths}: {error}."
            ) from None
        if tenths and lag_format in ELAPSED_LAG_FORMATS:
            notes.append(f"Task UID {uid}: an elapsed lag became working time (approximate).")
        elif tenths and lag_format not in WORKING_LAG_FORMATS:
            raise MspdiError(
                f"{where} from UID {predecessor}: lag format {lag_format} "
                "(a percentage lag) is not supported."
            )
        links.append(MspdiLink(predecessor, uid, LINK_TYPES[kind], lag))
    return links


def _task(
    r: Reader, element: Element, uid: int, level: int, parent: int | None, calendar: str | None
) -> MspdiTask:
    where = f"Task UID {uid}"
    manual = bool(r.int(element, "Manual", where))
    start = r.moment(element, "ManualStart", where) or r.moment(element, "Start", where)
    finish = r.moment(element, "ManualFinish", where) or r.moment(element, "Finish", where)
    constraint_type = r.int(element, "ConstraintType", where)
    if not 0 <= constraint_type < len(CONSTRAINTS):
        raise MspdiError(f"{where}: unknown <ConstraintType> {constraint_type} (0 to 7).")
    constraint = CONSTRAINTS[constraint_type]
    constraint_date = r.moment(element, "ConstraintDate", where)
    if constraint not in (Constraint.ASAP, Constraint.ALAP) and constraint_date is None:
        raise MspdiError(f"{where}: constraint {constraint} has no <ConstraintDate>.")
    percent = r.int(element, "PercentComplete", where)
    if not 0 <= percent <= 100:
        raise MspdiError(f"{where}: <PercentComplete> {percent} is not between 0 and 100.")
    if manual and start is None:
        raise MspdiError(f"{where}: a manually scheduled task has no start.")
    milestone = bool(r.int(element, "Milestone", where))
    duration = duration_minutes(r.text(element, "Duration") or "PT0H0M0S", f"{where} <Duration>")
    return MspdiTask(
        uid=uid,
        name=r.text(element, "Name") or "",
        outline_level=level,
        parent_uid=parent,
        duration=duration,
        milestone=milestone,
        summary=bool(r.int(element, "Summary", where)),
        calendar_key=calendar,
        constraint=constraint,
        constraint_date=constraint_date if constraint_date and constraint_type >= 2 else None,
        deadline=r.moment(element, "Deadline", where),
        manual=manual,
        manual_start=start if manual else None,
        manual_finish=finish if manual else None,
        percent_complete=percent,
        actual_start=r.moment(element, "ActualStart", where),
        actual_finish=r.moment(element, "ActualFinish", where),
        notes=r.text(element, "Notes") or "",
        cost=r.money(element, "Cost", where),
        actual_cost=r.money(element, "ActualCost", where),
    )


def _uid(r: Reader, element: Element, position: int) -> int:
    name = r.text(element, "Name") or ""
    where = f"Task #{position}" + (f" ({name})" if name else "")
    if r.text(element, "UID") in (None, ""):
        raise MspdiError(f"{where} has no <UID>.")
    return r.int(element, "UID", where)


def read_mspdi(
    data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_tasks: int | None = None
) -> MspdiPlan:
    """Read an MSPDI document into a plan; raises MspdiError naming what it cannot read.
    More than `max_tasks` tasks is refused before any of them is read."""
    root, r = parse(data, max_bytes=max_bytes)
    task_elements = r.all(root, "Tasks/Task")
    if max_tasks is not None and len(task_elements) > max_tasks:
        raise MspdiError(
            f"The file has {len(task_elements):,} tasks; at most {max_tasks:,} can be imported "
            "at a time (MSPDI_MAX_TASKS)."
        )
    notes: list[str] = []
    if r.text(root, "ScheduleFromStart") == "0":
        raise MspdiError("The project is scheduled from its finish date; that is not supported.")
    start = r.moment(root, "StartDate", "Project")
    if start is None:
        raise MspdiError("The project has no <StartDate>.")
    minutes_per_day = r.int(root, "MinutesPerDay", "Project", 480) or 480
    if not 0 < minutes_per_day <= MINUTES_PER_ELAPSED_DAY:  # a working day fits in a day
        raise MspdiError(f"Project: <MinutesPerDay> {minutes_per_day} is not between 1 and 1440.")
    calendars = _calendars(r, root, notes)
    project_uid = r.text(root, "CalendarUID") or "1"
    if project_uid not in calendars:
        calendars[project_uid] = MspdiCalendar(project_uid, WorkingCalendar.standard())
    resources = _resource_calendars(r, root, calendars)
    assigned = read_assignments(r, root)
    used: dict[str, MspdiCalendar] = {}
    tasks: list[MspdiTask] = []
    links: list[MspdiLink] = []
    outline: list[int | None] = []  # uids of the open summaries, by outline level
    uids: set[int] = set()
    for position, element in enumerate(task_elements, start=1):
        if r.int(element, "IsNull", f"Task #{position}"):
            continue
        uid = _uid(r, element, position)
        where = f"Task UID {uid}"
        if uid in uids:
            raise MspdiError(f"{where} appears twice.")
        uids.add(uid)
        level = r.int(element, "OutlineLevel", where, 1)
        if level == 1 and not outline:
            outline = [None]  # no project summary row: top-level tasks have no parent
        if level < 0 or level > len(outline):
            raise MspdiError(f"{where}: <OutlineLevel> {level} skips a level of the outline.")
        del outline[level:]
        parent = outline[-1] if outline else None
        outline.append(uid)
        calendar = _task_calendar(r, element, calendars, resources, project_uid, used, where)
        task = _task(r, element, uid, level, parent, calendar)
        tasks.append(
            replace(
                task,
                baselines=tuple(read_task_baselines(r, element, uid, notes)),
                resources=tuple(assigned.get(uid, ())),
            )
        )
        links += _links(r, element, uid, minutes_per_day, notes)
    _check_links(links, uids)
    title = r.text(root, "Title") or r.text(root, "Name") or ""
    return MspdiPlan(
        name=title.removesuffix(".xml").removesuffix(".mpp"),
        start=start,
        status_date=r.moment(root, "StatusDate", "Project"),
        calendar=calendars[project_uid],
        calendars=used,
        tasks=tasks,
        links=links,
        minutes_per_day=minutes_per_day,
        notes=list(dict.fromkeys(notes)),
    )


def _check_links(links: list[MspdiLink], uids: set[int]) -> None:
    pairs: set[tuple[int, int]] = set()
    for link in links:
        where = f"Task UID {link.successor_uid}: the link from UID {link.predecessor_uid}"
        if link.predecessor_uid not in uids:
            raise MspdiError(f"{where} points to a task that is not in the file.")
        if link.predecessor_uid == link.successor_uid:
            raise MspdiError(f"{where} links the task to itself.")
        pair = (link.predecessor_uid, link.successor_uid)
        if pair in pairs:
            raise MspdiError(f"{where} appears twice.")
        pairs.add(pair)


def day(moment: datetime | None) -> date | None:
    return moment.date() if moment else None
