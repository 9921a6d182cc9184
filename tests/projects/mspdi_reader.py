"""Read a Microsoft Project XML (MSPDI) file into the scheduling engine's input (tests only).

Just enough of MSPDI for the conformance files: calendars (weekdays, base calendars, dated
exceptions), tasks (outline, durations, constraints, deadlines, manual, progress), links, and
resource calendars of assigned resources. Features it does not understand (recurring calendar
exceptions, work weeks, elapsed or percent lags) raise `UnsupportedMspdi` rather than being read
wrongly. A hardened reader will move into the product later.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from projects.calendars import CalendarException, WorkingCalendar, WorkingTime
from projects.scheduling import Constraint, LinkType, ScheduleInput, ScheduleLink, ScheduleTask

NS = {"p": "http://schemas.microsoft.com/project"}
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
UNASSIGNED_RESOURCE = "-65535"
_DURATION = re.compile(r"^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$")


class UnsupportedMspdi(NotImplementedError):
    """The file uses an MSPDI feature this reader does not handle."""


@dataclass(frozen=True)
class MspdiProject:
    schedule_input: ScheduleInput
    names: dict[int, str]


def _text(element: ET.Element, tag: str) -> str | None:
    return element.findtext(f"p:{tag}", namespaces=NS)


def _int(element: ET.Element, tag: str, default: int = 0) -> int:
    value = _text(element, tag)
    return default if value in (None, "") else int(value)


def _moment(element: ET.Element, tag: str) -> datetime | None:
    value = _text(element, tag)
    return datetime.fromisoformat(value) if value else None


def duration_minutes(text: str) -> int:
    """'PT8H0M0S' -> 480 (ISO 8601 working time as Microsoft Project writes it)."""
    match = _DURATION.match(text)
    if not match:
        raise UnsupportedMspdi(f"duration {text!r}")
    hours, minutes, seconds = (float(part or 0) for part in match.groups())
    return round(hours * 60 + minutes + seconds / 60)


# -- calendars ----------------------------------------------------------------------------------


def _working_times(element: ET.Element) -> tuple[WorkingTime, ...]:
    return tuple(
        WorkingTime.of(_text(wt, "FromTime") or "", _text(wt, "ToTime") or "")
        for wt in element.findall("p:WorkingTimes/p:WorkingTime", NS)
        if _text(wt, "FromTime")
    )


def _day_exception(element: ET.Element) -> CalendarException:
    period = element.find("p:TimePeriod", NS)
    if period is None:
        raise UnsupportedMspdi("calendar exception without a time period")
    first = datetime.fromisoformat(_text(period, "FromDate") or "").date()
    last = datetime.fromisoformat(_text(period, "ToDate") or "").date()
    times = _working_times(element) if _int(element, "DayWorking") else ()
    return CalendarException(first, last, times)


def _exceptions(element: ET.Element) -> list[CalendarException]:
    exceptions = [
        _day_exception(day)
        for day in element.findall("p:WeekDays/p:WeekDay", NS)
        if _int(day, "DayType") == 0
    ]
    for exception in element.findall("p:Exceptions/p:Exception", NS):
        # Type 1 = daily; with a period of one day it is a plain date range.
        if _int(exception, "Type", 1) != 1 or _int(exception, "Period", 1) != 1:
            raise UnsupportedMspdi("recurring calendar exception")
        exceptions.append(_day_exception(exception))
    return exceptions


def _calendar(uid: str, elements: dict[str, ET.Element], seen: frozenset[str]) -> WorkingCalendar:
    element = elements[uid]
    if uid in seen:
        raise UnsupportedMspdi(f"calendar {uid} is its own base")
    if element.find("p:WorkWeeks", NS) is not None:
        raise UnsupportedMspdi("calendar work weeks")
    base_uid = _text(element, "BaseCalendarUID") or "-1"
    if base_uid in elements:
        base = _calendar(base_uid, elements, seen | {uid})
        week, exceptions = list(base.week), list(base.exceptions)
    else:
        week, exceptions = [() for _ in range(7)], []
    for day in element.findall("p:WeekDays/p:WeekDay", NS):
        day_type = _int(day, "DayType")
        if day_type:  # 1 = Sunday .. 7 = Saturday; our week starts on Monday
            week[(day_type + 5) % 7] = _working_times(day) if _int(day, "DayWorking") else ()
    exceptions += _exceptions(element)
    return WorkingCalendar(tuple(week), tuple(exceptions), _text(element, "Name") or uid)


def _calendars(root: ET.Element) -> dict[str, WorkingCalendar]:
    elements = {_text(c, "UID") or "": c for c in root.findall("p:Calendars/p:Calendar", NS)}
    return {uid: _calendar(uid, elements, frozenset()) for uid in elements}


def _same_time(a: WorkingCalendar, b: WorkingCalendar) -> bool:
    return a.week == b.week and a.exceptions == b.exceptions


def _resource_calendars(
    root: ET.Element, calendars: dict[str, WorkingCalendar]
) -> dict[str, list[str]]:
    """Task uid -> calendar uids of its assigned resources."""
    resource_calendar = {
        _text(r, "UID"): _text(r, "CalendarUID") for r in root.findall("p:Resources/p:Resource", NS)
    }
    by_task: dict[str, list[str]] = {}
    for assignment in root.findall("p:Assignments/p:Assignment", NS):
        resource = _text(assignment, "ResourceUID")
        calendar_uid = resource_calendar.get(resource)
        if resource == UNASSIGNED_RESOURCE or calendar_uid not in calendars:
            continue
        by_task.setdefault(_text(assignment, "TaskUID") or "", []).append(calendar_uid or "")
    return by_task


# -- tasks and links ----------------------------------------------------------------------------


def _task_calendar(
    task: ET.Element,
    calendars: dict[str, WorkingCalendar],
    resources: dict[str, list[str]],
    project_uid: str,
    effective: dict[str, WorkingCalendar],
) -> str | None:
    """The task calendar, or the union of its resources' calendars (Project schedules each
    assignment on its resource's calendar, so the task works whenever any of them does)."""
    uid = _text(task, "CalendarUID") or "-1"
    if uid in calendars:
        effective[uid] = calendars[uid]
        return uid
    resource_uids = sorted(set(resources.get(_text(task, "UID") or "", [])))
    if not resource_uids or _int(task, "IgnoreResourceCalendar"):
        return None
    union = calendars[resource_uids[0]]
    for other in resource_uids[1:]:
        union = union.union(calendars[other])
    if _same_time(union, calendars[project_uid]):
        return None
    key = "resources:" + "+".join(resource_uids)
    effective[key] = union
    return key


def _links(task: ET.Element, uid: int) -> list[ScheduleLink]:
    links = []
    for link in task.findall("p:PredecessorLink", NS):
        lag_format = _int(link, "LagFormat", 7)
        lag = _int(link, "LinkLag")
        if lag and lag_format not in WORKING_LAG_FORMATS:
            raise UnsupportedMspdi(f"task {uid}: lag format {lag_format} (elapsed or percent)")
        links.append(
            ScheduleLink(
                predecessor_id=_int(link, "PredecessorUID"),
                successor_id=uid,
                type=LINK_TYPES[_int(link, "Type", 1)],
                lag=round(lag / 10),  # tenths of a minute
            )
        )
    return links


def _task(element: ET.Element, parent: int | None, calendar_id: str | None) -> ScheduleTask:
    uid = _int(element, "UID")
    manual = bool(_int(element, "Manual"))
    return ScheduleTask(
        id=uid,
        duration=duration_minutes(_text(element, "Duration") or "PT0H0M0S"),
        milestone=bool(_int(element, "Milestone")),
        parent_id=parent,
        calendar_id=calendar_id,
        constraint=CONSTRAINTS[_int(element, "ConstraintType")],
        constraint_date=_moment(element, "ConstraintDate"),
        deadline=_moment(element, "Deadline"),
        manual=manual,
        manual_start=_moment(element, "ManualStart") or _moment(element, "Start")
        if manual
        else None,
        manual_finish=_moment(element, "ManualFinish") or _moment(element, "Finish")
        if manual
        else None,
        percent_complete=_int(element, "PercentComplete"),
        actual_start=_moment(element, "ActualStart"),
        actual_finish=_moment(element, "ActualFinish"),
    )


def read_mspdi(path: Path) -> MspdiProject:
    root = ET.parse(path).getroot()
    calendars = _calendars(root)
    project_uid = _text(root, "CalendarUID") or "1"
    resources = _resource_calendars(root, calendars)
    effective: dict[str, WorkingCalendar] = {}
    tasks: list[ScheduleTask] = []
    links: list[ScheduleLink] = []
    names: dict[int, str] = {}
    outline: list[int] = []  # uids of the open summaries, by outline level
    for element in root.findall("p:Tasks/p:Task", NS):
        if _int(element, "IsNull"):
            continue
        uid, level = _int(element, "UID"), _int(element, "OutlineLevel")
        del outline[level:]
        parent = outline[-1] if outline else None
        outline.append(uid)
        calendar_id = _task_calendar(element, calendars, resources, project_uid, effective)
        tasks.append(_task(element, parent, calendar_id))
        links += _links(element, uid)
        names[uid] = _text(element, "Name") or ""
    start = _moment(root, "StartDate")
    if start is None:
        raise UnsupportedMspdi("project without a start date (scheduled from finish?)")
    if _text(root, "ScheduleFromStart") == "0":
        raise UnsupportedMspdi("project scheduled from its finish date")
    data = ScheduleInput(
        tasks=tasks,
        links=links,
        project_start=start,
        calendar=calendars[project_uid],
        calendars=effective,
        status_date=_moment(root, "StatusDate"),
    )
    return MspdiProject(schedule_input=data, names=names)
