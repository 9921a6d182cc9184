"""What the scheduling engine takes and gives: tasks, links and calendars in; dates, floats and
the critical path out (`projects.schedule.engine.schedule` computes one from the other).

Pure domain code (no Django). Durations and lags are working minutes; results are positions in
working minutes of each task's calendar (see `projects.calendars.timeline`), turned into
wall-clock dates on demand by `Schedule.dates`. Kept apart from the engine's passes so the rules
of the calculation can change without touching what callers build and read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from projects.calendars.timeline import WorkingCalendar, WorkingTimeline

TaskId = int | str


class LinkType(StrEnum):
    FS = "FS"  # finish-to-start
    SS = "SS"  # start-to-start
    FF = "FF"  # finish-to-finish
    SF = "SF"  # start-to-finish


class Constraint(StrEnum):
    ASAP = "ASAP"  # as soon as possible
    ALAP = "ALAP"  # as late as possible
    MSO = "MSO"  # must start on
    MFO = "MFO"  # must finish on
    SNET = "SNET"  # start no earlier than
    SNLT = "SNLT"  # start no later than
    FNET = "FNET"  # finish no earlier than
    FNLT = "FNLT"  # finish no later than


_DATED = frozenset(Constraint) - {Constraint.ASAP, Constraint.ALAP}


@dataclass(frozen=True, slots=True)
class ScheduleTask:
    """A task as the engine sees it; `duration` is in working minutes of the task's calendar."""

    id: TaskId
    duration: int = 0
    milestone: bool = False
    parent_id: TaskId | None = None
    calendar_id: str | None = None  # None: the project calendar
    constraint: Constraint = Constraint.ASAP
    constraint_date: datetime | None = None
    deadline: datetime | None = None
    manual: bool = False
    manual_start: datetime | None = None
    manual_finish: datetime | None = None
    percent_complete: int = 0
    actual_start: datetime | None = None
    actual_finish: datetime | None = None

    def __post_init__(self) -> None:
        if self.duration < 0:
            raise ValueError(f"task {self.id}: duration cannot be negative")
        if self.constraint in _DATED and self.constraint_date is None:
            raise ValueError(f"task {self.id}: constraint {self.constraint} needs a date")
        if self.manual and self.manual_start is None:
            raise ValueError(f"task {self.id}: a manually scheduled task needs a start")
        if not 0 <= self.percent_complete <= 100:
            raise ValueError(f"task {self.id}: percent complete must be 0-100")


@dataclass(frozen=True, slots=True)
class ScheduleLink:
    predecessor_id: TaskId
    successor_id: TaskId
    type: LinkType = LinkType.FS
    lag: int = 0  # working minutes in the successor's calendar; negative is a lead


@dataclass(frozen=True, slots=True)
class ScheduleInput:
    tasks: Sequence[ScheduleTask]
    links: Sequence[ScheduleLink]
    project_start: datetime
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar.standard)
    calendars: Mapping[str, WorkingCalendar] = field(default_factory=dict)
    status_date: datetime | None = None


class ScheduleCycleError(ValueError):
    """The links (or links and summaries) form a loop; `task_ids` lists it in link order."""

    def __init__(self, task_ids: Sequence[TaskId]) -> None:
        self.task_ids = tuple(task_ids)
        names = " -> ".join(str(task_id) for task_id in (*self.task_ids, self.task_ids[0]))
        super().__init__(f"the task links form a loop: {names}")


@dataclass(frozen=True, slots=True)
class TaskSchedule:
    """Dates are positions in working minutes of the task's calendar; floats are minutes."""

    task_id: TaskId
    summary: bool
    early_start: int
    early_finish: int
    late_start: int
    late_finish: int
    total_float: int
    free_float: int
    critical: bool
    start: int  # scheduled start: early start, or late start for ALAP, or the fixed dates
    finish: int


@dataclass(frozen=True, slots=True)
class TaskDates:
    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    start: datetime
    finish: datetime


@dataclass(frozen=True, slots=True)
class Schedule:
    tasks: Mapping[TaskId, TaskSchedule]
    critical_path: tuple[TaskId, ...]
    project_start: datetime
    project_finish: datetime
    timelines: Mapping[TaskId, WorkingTimeline]

    def dates(self, task_id: TaskId) -> TaskDates:
        """Wall-clock dates of one task (converted on demand: cheap for one, not for 100,000)."""
        task = self.tasks[task_id]
        early_start, early_finish = self.span(task_id, task.early_start, task.early_finish)
        late_start, late_finish = self.span(task_id, task.late_start, task.late_finish)
        start, finish = self.span(task_id, task.start, task.finish)
        return TaskDates(early_start, early_finish, late_start, late_finish, start, finish)

    def span(self, task_id: TaskId, start: int, finish: int) -> tuple[datetime, datetime]:
        """Two positions of a task as wall-clock start and finish; a zero-length span (a
        milestone) starts and finishes at the same instant."""
        timeline = self.timelines[task_id]
        end = timeline.moment(finish, finish=True)
        if start != finish:
            return timeline.moment(start), end
        # Like Microsoft Project, a zero-length span sits at the end of the work before it
        # (Friday 17:00, not Monday 08:00), unless nothing comes before it: at the project's
        # start the end of the previous working day lies before the project, so it sits at
        # the first working minute instead, never finishing before it starts.
        if end >= self.project_start:
            return end, end
        begin = timeline.moment(start)
        return begin, begin
