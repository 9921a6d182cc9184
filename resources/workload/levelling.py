"""Levelling one over-allocated person by delaying tasks within their float (pure, no Django).

`level(person, tasks)` proposes new dates for some of the person's tasks so that their load fits
their capacity, and says plainly what it cannot do. It never moves a task past its total float,
its deadline or a date constraint: a task that would have to go past one of them is reported in
`unresolved` (with how far: working days past its float, days past its deadline or
constraint, and the dates it would need), and stays where it is in the proposal.

The heuristic (a serial, priority-first placement, like Microsoft Project's "priority,
standard" order):
1. Fixed tasks keep their dates and are placed first: started ones, ones pinned by a
   must-start/finish-on constraint, and ones the planner may not change (`movable=False`).
2. The others are placed one by one, in this order: higher priority first; then less total
   float first (critical work keeps its dates, the task with the most float is the one
   delayed); then earlier start; then id. Each goes at its own dates if the load still fits
   there, else at the smallest delay (in the person's working days) that fits.
3. A task keeps its number of working days and its hours a day when it moves.

Conventions shared with `resources/workload/engine.py`: work is spread evenly over the person's
working days of the task (time off does not move work); capacity is the person's weekday hours less
time off. The load must fit per ISO week (`granularity="week"`, what the workload heat map
shows) or per day (`"day"`, stricter).

Caveat: floats are each task's own total float. Two delayed tasks on the same chain of links
share that float; applying goes through the scheduling service, which recomputes the plan (and
the preview can be checked against it before applying).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from resources.workload.engine import (
    TOLERANCE_HOURS,
    Person,
    PersonLoad,
    WeekPattern,
    WorkAssignment,
    monday,
    weekly_capacity,
    workload,
)

Granularity = Literal["week", "day"]
HORIZON_DAYS = 260  # how far past its float a task is tried, to say how much it would need


@dataclass(frozen=True)
class LevelTask:
    """One of the person's tasks, with what limits its moves."""

    task_id: int
    start: date
    finish: date
    work_hours: float | None = None  # this person's work; None: units x their hours a day
    units: float = 100.0
    total_float_days: int | None = None  # in working days; None (unknown): no float
    priority: int = 0  # higher is placed first and keeps its dates
    movable: bool = True
    fixed_reason: str = ""  # why not movable (started, pinned, not yours to plan)
    deadline: date | None = None
    latest_start: date | None = None  # from a start-no-later-than constraint
    latest_finish: date | None = None  # from a finish-no-later-than constraint
    project_id: int | None = None
    name: str = ""


@dataclass(frozen=True)
class Proposal:
    task_id: int
    name: str
    old_start: date
    old_finish: date
    new_start: date
    new_finish: date
    delay_days: int  # working days of the person
    float_days: int
    reason: str


@dataclass(frozen=True)
class Unresolved:
    """A task whose over-allocation cannot be levelled within its limits, and what it needs."""

    task_id: int
    name: str
    reason: str
    needed_delay_days: int | None = None  # None: no delay within the horizon fits
    needed_start: date | None = None
    needed_finish: date | None = None
    days_past_float: int = 0  # working days
    days_past_deadline: int = 0  # calendar days
    days_past_constraint: int = 0  # calendar days


@dataclass(frozen=True)
class LevellingResult:
    granularity: Granularity
    proposals: tuple[Proposal, ...]
    unresolved: tuple[Unresolved, ...]
    before: PersonLoad
    after: PersonLoad

    @property
    def resolved(self) -> bool:
        """Nothing left over-allocated after the proposed delays."""
        return not self.after.over_allocated and not self.unresolved


class _Days:
    """The person's working days as consecutive indexes (index 0 = first working day of week 0)."""

    def __init__(self, pattern: WeekPattern, origin: date) -> None:
        self.pattern, self.origin = pattern, monday(origin)
        self.weekdays = [d for d in range(7) if pattern.hours[d] > 0]

    def index(self, day: date) -> int:
        """The index of `day`, or of the next working day when it is not one."""
        weeks, weekday = divmod((day - self.origin).days, 7)
        return weeks * len(self.weekdays) + self.pattern.day_prefix[weekday]

    def day(self, index: int) -> date:
        weeks, nth = divmod(index, len(self.weekdays))
        return self.origin + timedelta(days=weeks * 7 + self.weekdays[nth])


@dataclass
class _Placed:
    task: LevelTask
    first: int  # index of its first working day
    days: int
    per_day: float


class _Leveller:
    def __init__(self, person: Person, tasks: Sequence[LevelTask], granularity: Granularity):
        self.pattern = WeekPattern(person.hours_per_weekday)
        self.granularity = granularity
        origin = min(task.start for task in tasks)
        self.days = _Days(self.pattern, origin)
        last = max(task.finish for task in tasks)
        span_weeks = (monday(last) - monday(origin)).days // 7 + 1
        weeks_needed = span_weeks + HORIZON_DAYS // max(len(self.days.weekdays), 1) + 60
        self.mondays = [self.days.origin + timedelta(days=7 * n) for n in range(weeks_needed)]
        self.week_capacity = weekly_capacity(person, self.pattern, self.mondays)
        self.day_off = _days_off(person, self.pattern)
        self.load: dict[int, float] = defaultdict(float)

    def bucket(self, index: int) -> int:
        """A day index, or the week number when levelling by week."""
        if self.granularity == "day":
            return index
        return (self.days.day(index) - self.days.origin).days // 7

    def capacity(self, bucket: int) -> float:
        if self.granularity == "week":
            return self.week_capacity[bucket] if bucket < len(self.week_capacity) else 0.0
        day = self.days.day(bucket)
        return self.pattern.hours[day.weekday()] - self.day_off.get(day, 0.0)

    def placed(self, task: LevelTask) -> _Placed:
        days = self.pattern.working_days(task.start, task.finish) or 1
        first = self.days.index(task.start)
        if task.work_hours is not None:
            work = task.work_hours
        else:
            work = (
                task.units
                / 100
                * sum(self.pattern.hours[self.days.day(first + n).weekday()] for n in range(days))
            )
        return _Placed(task, first, days, work / days)

    def demand(self, placed: _Placed, delay: int) -> dict[int, float]:
        result: dict[int, float] = defaultdict(float)
        for index in range(placed.first + delay, placed.first + delay + placed.days):
            result[self.bucket(index)] += placed.per_day
        return result

    def fits(self, placed: _Placed, delay: int) -> bool:
        return all(
            self.load[bucket] + hours <= self.capacity(bucket) + TOLERANCE_HOURS
            for bucket, hours in self.demand(placed, delay).items()
        )

    def add(self, placed: _Placed, delay: int) -> None:
        for bucket, hours in self.demand(placed, delay).items():
            self.load[bucket] += hours

    def dates(self, placed: _Placed, delay: int) -> tuple[date, date]:
        if delay == 0:
            return placed.task.start, placed.task.finish
        first = placed.first + delay
        return self.days.day(first), self.days.day(first + placed.days - 1)


def _days_off(person: Person, pattern: WeekPattern) -> dict[date, float]:
    off_by_day: dict[date, float] = {}
    for off in person.time_off:
        day = off.first
        while day <= off.last:
            scheduled = pattern.hours[day.weekday()]
            taken = scheduled if off.hours_per_day is None else min(off.hours_per_day, scheduled)
            off_by_day[day] = max(off_by_day.get(day, 0.0), taken)
            day += timedelta(days=1)
    return off_by_day


def _order(task: LevelTask) -> tuple[int, int, date, int]:
    return (-task.priority, task.total_float_days or 0, task.start, task.task_id)


def _limits(task: LevelTask, start: date, finish: date, delay: int) -> list[str]:
    """What a move to start..finish would break, as phrases; empty when it breaks nothing."""
    broken = []
    float_days = task.total_float_days or 0
    if delay > float_days:
        broken.append(f"{delay - float_days} working day(s) past its total float of {float_days}")
    if task.deadline and finish > task.deadline:
        broken.append(f"{(finish - task.deadline).days} day(s) past its deadline {task.deadline}")
    if task.latest_start and start > task.latest_start:
        days = (start - task.latest_start).days
        broken.append(f"starts {days} day(s) after its constraint {task.latest_start}")
    if task.latest_finish and finish > task.latest_finish:
        days = (finish - task.latest_finish).days
        broken.append(f"finishes {days} day(s) after its constraint {task.latest_finish}")
    return broken


def _unresolved(task: LevelTask, start: date, finish: date, delay: int) -> Unresolved:
    float_days = task.total_float_days or 0
    constraint_days = max(
        (start - task.latest_start).days if task.latest_start else 0,
        (finish - task.latest_finish).days if task.latest_finish else 0,
    )
    return Unresolved(
        task_id=task.task_id,
        name=task.name,
        reason="Needs a delay of "
        f"{delay} working day(s): " + "; ".join(_limits(task, start, finish, delay)) + ".",
        needed_delay_days=delay,
        needed_start=start,
        needed_finish=finish,
        days_past_float=max(delay - float_days, 0),
        days_past_deadline=max((finish - task.deadline).days, 0) if task.deadline else 0,
        days_past_constraint=max(constraint_days, 0),
    )


def _place(leveller: _Leveller, task: LevelTask) -> Proposal | Unresolved | None:
    """Place one movable task; None when it stays at its dates without trouble."""
    placed = leveller.placed(task)
    if leveller.fits(placed, 0):
        leveller.add(placed, 0)
        return None
    float_days = task.total_float_days or 0
    delay = next(
        (d for d in range(1, float_days + HORIZON_DAYS + 1) if leveller.fits(placed, d)), None
    )
    if delay is None:
        leveller.add(placed, 0)
        return Unresolved(
            task_id=task.task_id,
            name=task.name,
            reason=f"No delay of up to {float_days + HORIZON_DAYS} working days makes room for "
            f"its {placed.per_day:.1f} h a day: it needs more time, fewer units or another "
            "person.",
        )
    start, finish = leveller.dates(placed, delay)
    if _limits(task, start, finish, delay):
        leveller.add(placed, 0)
        return _unresolved(task, start, finish, delay)
    leveller.add(placed, delay)
    return Proposal(
        task_id=task.task_id,
        name=task.name,
        old_start=task.start,
        old_finish=task.finish,
        new_start=start,
        new_finish=finish,
        delay_days=delay,
        float_days=float_days,
        reason=f"Delayed {delay} working day(s), within its total float of {float_days}, "
        "so that the load fits capacity.",
    )


def _load(
    person: Person, tasks: Sequence[LevelTask], leveller: _Leveller, window: tuple[date, date]
) -> PersonLoad:
    """The person's weekly load with these tasks (the workload engine's figures)."""
    assignments = []
    for task in tasks:
        placed = leveller.placed(task)
        work = placed.per_day * placed.days
        assignments.append(
            WorkAssignment(person.id, task.task_id, task.start, task.finish, work, 100.0)
        )
    first, last = window
    weeks = (monday(last) - monday(first)).days // 7 + 1
    return workload([person], assignments, first, weeks).people[0]


def level(
    person: Person, tasks: Sequence[LevelTask], *, granularity: Granularity = "week"
) -> LevellingResult:
    """Proposed delays that fit the person's load to capacity, and what cannot be fitted."""
    if not tasks:
        empty = PersonLoad(person.id, ())
        return LevellingResult(granularity, (), (), empty, empty)
    leveller = _Leveller(person, tasks, granularity)
    window = (min(t.start for t in tasks), max(t.finish for t in tasks))
    before = _load(person, tasks, leveller, window)
    if not leveller.days.weekdays:
        problem = "The person has no working day in their week."
        unresolved = tuple(Unresolved(t.task_id, t.name, problem) for t in tasks)
        return LevellingResult(granularity, (), unresolved, before, before)
    for task in tasks:
        if not task.movable:
            leveller.add(leveller.placed(task), 0)
    proposals: list[Proposal] = []
    unresolved_tasks: list[Unresolved] = []
    for task in sorted((t for t in tasks if t.movable), key=_order):
        outcome = _place(leveller, task)
        if isinstance(outcome, Proposal):
            proposals.append(outcome)
        elif isinstance(outcome, Unresolved):
            unresolved_tasks.append(outcome)
    moved = {p.task_id: p for p in proposals}
    after_tasks = [
        replace(t, start=moved[t.task_id].new_start, finish=moved[t.task_id].new_finish)
        if t.task_id in moved
        else t
        for t in tasks
    ]
    window = (window[0], max([window[1], *(p.new_finish for p in proposals)]))
    after = _load(person, after_tasks, leveller, window)
    if len(after.weeks) > len(before.weeks):
        before = _load(person, tasks, leveller, window)
    proposals.sort(key=lambda p: (p.new_start, p.task_id))
    return LevellingResult(granularity, tuple(proposals), tuple(unresolved_tasks), before, after)
