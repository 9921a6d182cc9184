"""Workload: people x ISO weeks, assigned work against capacity (pure: no Django imports).

Inputs are plain dataclasses: `Person` (capacity per weekday and time off), `WorkAssignment`
(a person on a task between two dates with an amount of work) and a window of weeks.
`workload()` answers, for each person and ISO week (Monday to Sunday) of the window: capacity
hours, assigned hours, load %, whether the person is over-allocated, and the tasks that make up
the assigned hours (the drill-down).

Conventions
* Capacity: a person's hours on each weekday (Monday first; 0 = not a working day: their
  calendar's hours, capped by their hours per day), less time off (whole days, or some hours a
  day). Public holidays come in as time off.
* Work is spread *evenly over the assignment's working days*: the days from start to finish
  (inclusive) that are working weekdays of the person. Time off does not move work: work that
  falls on a day off still counts there, so an assignment across a holiday shows as
  over-allocation (the planner should see it). An assignment with no working day in its span
  puts all its work on the first working day on or after its start.
* Work hours not given: units (percent of a day) x the person's hours on each working day.
* Hours are floats; a week is over-allocated when assigned hours exceed capacity by more than
  `TOLERANCE_HOURS` (rounding noise of the even spread); load % is None when there is no
  capacity (and over-allocated whenever work is assigned then).

Cost: each assignment costs time proportional to the number of window weeks it covers, not to
its days (working days in a week come from a prefix count over the weekday pattern).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

TOLERANCE_HOURS = 0.01
_WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class TimeOff:
    """Days first..last (inclusive) off; `hours_per_day` None: whole days."""

    first: date
    last: date
    hours_per_day: float | None = None


@dataclass(frozen=True)
class Person:
    id: int
    hours_per_weekday: tuple[float, ...]  # 7 values, Monday first; 0: not a working day
    time_off: tuple[TimeOff, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        if len(self.hours_per_weekday) != 7:
            raise ValueError(f"person {self.id}: a week has seven days of hours, Monday first")
        if any(not 0 <= hours <= 24 for hours in self.hours_per_weekday):
            raise ValueError(f"person {self.id}: hours per weekday must be within 0-24")


@dataclass(frozen=True, slots=True)
class WorkAssignment:
    person_id: int
    task_id: int
    start: date
    finish: date
    work_hours: float | None = None  # None: units x the person's working hours
    units: float = 100.0  # percent of a working day
    project_id: int | None = None


@dataclass(frozen=True, slots=True)
class TaskShare:
    """One task's part of a person's week (the drill-down)."""

    task_id: int
    project_id: int | None
    hours: float


@dataclass(frozen=True)
class WeekLoad:
    week: date  # the Monday
    capacity_hours: float
    assigned_hours: float
    tasks: tuple[TaskShare, ...] = ()

    @property
    def load_percent(self) -> float | None:
        if self.capacity_hours <= 0:
            return None
        return self.assigned_hours / self.capacity_hours * 100

    @property
    def over_allocated(self) -> bool:
        return self.assigned_hours > self.capacity_hours + TOLERANCE_HOURS

    @property
    def spare_hours(self) -> float:
        return self.capacity_hours - self.assigned_hours


@dataclass(frozen=True)
class PersonLoad:
    person_id: int
    weeks: tuple[WeekLoad, ...]

    @property
    def over_allocated(self) -> bool:
        return any(week.over_allocated for week in self.weeks)

    @property
    def over_allocated_weeks(self) -> int:
        return sum(1 for week in self.weeks if week.over_allocated)

    @property
    def peak_percent(self) -> float | None:
        values = [w.load_percent for w in self.weeks if w.load_percent is not None]
        return max(values, default=None)


@dataclass(frozen=True)
class Workload:
    weeks: tuple[date, ...]  # Mondays of the window
    people: tuple[PersonLoad, ...]
    unknown_people: frozenset[int] = field(default_factory=frozenset)  # assignments skipped


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class WeekPattern:
    """A person's working weekdays: working days and hours between dates, by prefix counts."""

    __slots__ = ("day_prefix", "hour_prefix", "hours", "per_week_days", "per_week_hours")

    def __init__(self, hours_per_weekday: Sequence[float]) -> None:
        self.hours = tuple(float(h) for h in hours_per_weekday)
        self.day_prefix: list[int] = [0] * 8
        self.hour_prefix = [0.0] * 8
        for weekday, hours in enumerate(self.hours):
            self.day_prefix[weekday + 1] = self.day_prefix[weekday] + (1 if hours > 0 else 0)
            self.hour_prefix[weekday + 1] = self.hour_prefix[weekday] + hours
        self.per_week_days = self.day_prefix[7]
        self.per_week_hours = self.hour_prefix[7]

    def is_working(self, day: date) -> bool:
        return self.hours[day.weekday()] > 0

    def days_in_week(self, first: date, last: date) -> int:
        """Working days first..last, both in the same ISO week."""
        return self.day_prefix[last.weekday() + 1] - self.day_prefix[first.weekday()]

    def hours_in_week(self, first: date, last: date) -> float:
        return self.hour_prefix[last.weekday() + 1] - self.hour_prefix[first.weekday()]

    def working_days(self, first: date, last: date) -> int:
        """Working days first..last inclusive (0 when last < first), in constant time."""
        if last < first:
            return 0
        first_monday, last_monday = monday(first), monday(last)
        if first_monday == last_monday:
            return self.days_in_week(first, last)
        full_weeks = (last_monday - first_monday).days // 7 - 1
        head = self.days_in_week(first, first_monday + timedelta(days=6))
        tail = self.days_in_week(last_monday, last)
        return head + full_weeks * self.per_week_days + tail

    def next_working_day(self, day: date) -> date:
        if not self.per_week_days:
            return day
        while not self.is_working(day):
            day += timedelta(days=1)
        return day


def weekly_capacity(person: Person, pattern: WeekPattern, weeks: Sequence[date]) -> list[float]:
    """Capacity hours per window week: the weekday hours less time off."""
    capacity = [pattern.per_week_hours] * len(weeks)
    if not weeks:
        return capacity
    window_first, window_last = weeks[0], weeks[-1] + timedelta(days=6)
    off_by_day: dict[date, float] = {}
    for off in person.time_off:
        day = max(off.first, window_first)
        while day <= min(off.last, window_last):
            scheduled = pattern.hours[day.weekday()]
            taken = scheduled if off.hours_per_day is None else min(off.hours_per_day, scheduled)
            off_by_day[day] = max(off_by_day.get(day, 0.0), taken)
            day += timedelta(days=1)
    for day, taken in off_by_day.items():
        capacity[(day - window_first).days // 7] -= taken
    return capacity


def spread(
    assignment: WorkAssignment, pattern: WeekPattern, window_first: date, window_weeks: int
) -> list[tuple[int, float]]:
    """(window week index, hours) for each window week the assignment's work falls in.

    Works on day ordinals (day 1 of year 1 is a Monday, so a day's weekday is (ordinal - 1) % 7).
    """
    start, finish = assignment.start, assignment.finish
    if finish < start:
        raise ValueError(f"task {assignment.task_id}: assignment finishes before it starts")
    days = pattern.working_days(start, finish)
    if days == 0:  # nothing to spread over: all of it on the first working day from the start
        start = finish = pattern.next_working_day(start)
        days = 1
    first_day, last_day, origin = start.toordinal(), finish.toordinal(), window_first.toordinal()
    first_index = max((first_day - origin) // 7, 0)
    last_index = min((last_day - origin) // 7, window_weeks - 1)
    result: list[tuple[int, float]] = []
    prefix: Sequence[float]
    if assignment.work_hours is None:
        prefix, scale = pattern.hour_prefix, assignment.units / 100
    else:
        prefix, scale = pattern.day_prefix, assignment.work_hours / days
    for index in range(first_index, last_index + 1):
        week_first = origin + 7 * index
        head = max(first_day - week_first, 0)
        tail = min(last_day - week_first, 6)
        hours = scale * (prefix[tail + 1] - prefix[head])
        if hours:
            result.append((index, hours))
    return result


def workload(
    people: Sequence[Person],
    assignments: Iterable[WorkAssignment],
    first_week: date,
    weeks: int,
    *,
    with_tasks: bool = True,
) -> Workload:
    """Each person's load per ISO week of the window (`weeks` weeks from `first_week`'s week).

    `with_tasks=False` leaves out the drill-down (each week's tasks), for a faster heat map.
    """
    window_first = monday(first_week)
    mondays = tuple(window_first + n * _WEEK for n in range(weeks))
    patterns = {person.id: WeekPattern(person.hours_per_weekday) for person in people}
    assigned = {person.id: [0.0] * weeks for person in people}
    shares: dict[int, list[list[TaskShare]]] = {p.id: [[] for _ in mondays] for p in people}
    unknown: set[int] = set()
    for assignment in assignments:
        pattern = patterns.get(assignment.person_id)
        if pattern is None:
            unknown.add(assignment.person_id)
            continue
        totals, cells = assigned[assignment.person_id], shares[assignment.person_id]
        for index, hours in spread(assignment, pattern, window_first, weeks):
            totals[index] += hours
            if with_tasks:
                cells[index].append(TaskShare(assignment.task_id, assignment.project_id, hours))
    rows = []
    for person in people:
        capacity = weekly_capacity(person, patterns[person.id], mondays)
        totals, cells = assigned[person.id], shares[person.id]
        rows.append(
            PersonLoad(
                person.id,
                tuple(
                    WeekLoad(mondays[n], capacity[n], totals[n], tuple(cells[n]))
                    for n in range(weeks)
                ),
            )
        )
    return Workload(mondays, tuple(rows), frozenset(unknown))
