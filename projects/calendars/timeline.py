"""Working calendars: when work can happen, and positions in working minutes.

Pure domain code (no Django). A `WorkingCalendar` says which hours of which weekdays are working
time and which dates are exceptions (holidays, or extra/different working days). A
`WorkingTimeline` compiled from it converts between wall-clock datetimes and *positions*: the
number of working minutes between the calendar epoch and an instant. Scheduling arithmetic then
becomes integer arithmetic: a task of 480 working minutes starting at position p finishes at
p + 480, and a lag of -480 (a one-day lead) is a subtraction.

Finishes and starts share positions: 17:00 on Friday and 08:00 on the next Monday are the same
position (no working minute lies between them). `WorkingTimeline.moment(p, finish=True)` gives the
17:00 form, `finish=False` the 08:00 form.

Datetimes are naive wall-clock times in the project's own time zone (working hours are wall-clock
rules; the caller converts aware instants first).
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

MINUTES_PER_DAY = 24 * 60
# Positions count from this Monday; any date before or after it works (positions go negative).
EPOCH = date(2000, 1, 3)
_EPOCH_MOMENT = datetime.combine(EPOCH, time())
# Exception ranges are expanded to days; this guards against a typo such as year 2205.
_MAX_EXCEPTION_DAYS = 20 * 366
# The dates a plan may be anchored on (a project's start, target and status dates, an imported
# file's dates): positions and the moments they become stay far inside what datetime can hold.
EARLIEST_PLAN_DATE = date(1900, 1, 1)
LATEST_PLAN_DATE = date(2200, 12, 31)


def plan_date_problem(day: date) -> str | None:
    """Why `day` cannot anchor a plan (outside EARLIEST..LATEST_PLAN_DATE), else None."""
    if EARLIEST_PLAN_DATE <= day <= LATEST_PLAN_DATE:
        return None
    return (
        f"{day.isoformat()} is out of range: pick a date between "
        f"{EARLIEST_PLAN_DATE.isoformat()} and {LATEST_PLAN_DATE.isoformat()}."
    )


def _parse_clock(text: str) -> int:
    """'08:30' or '08:30:00' -> minutes after midnight; '24:00' is the end of the day."""
    parts = text.split(":")
    hours, minutes = int(parts[0]), int(parts[1])
    return hours * 60 + minutes


@dataclass(frozen=True, slots=True, order=True)
class WorkingTime:
    """One working interval of a day, in minutes after midnight: [start, end)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= MINUTES_PER_DAY:
            raise ValueError(f"working time {self.start}-{self.end} is not within one day")

    @classmethod
    def of(cls, start: str, end: str) -> WorkingTime:
        """WorkingTime.of('08:00', '12:00'); an end of '00:00' or '24:00' means midnight."""
        end_minute = _parse_clock(end) or MINUTES_PER_DAY
        return cls(_parse_clock(start), end_minute)

    @property
    def minutes(self) -> int:
        return self.end - self.start


def _normalise(times: Iterable[WorkingTime]) -> tuple[WorkingTime, ...]:
    """Sort and merge overlapping or touching intervals, so a day is a clean ordered list."""
    merged: list[WorkingTime] = []
    for interval in sorted(times):
        if merged and interval.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = WorkingTime(last.start, max(last.end, interval.end))
        else:
            merged.append(interval)
    return tuple(merged)


@dataclass(frozen=True, slots=True)
class CalendarException:
    """Dates first..last (inclusive) that do not follow the weekly pattern.

    No working times means non-working (a holiday); otherwise those dates work exactly these
    hours, whatever weekday they fall on.
    """

    first: date
    last: date
    times: tuple[WorkingTime, ...] = ()

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"exception ends ({self.last}) before it starts ({self.first})")
        if (self.last - self.first).days > _MAX_EXCEPTION_DAYS:
            raise ValueError(f"exception {self.first}..{self.last} is longer than 20 years")
        object.__setattr__(self, "times", _normalise(self.times))

    @classmethod
    def holiday(cls, first: date, last: date | None = None) -> CalendarException:
        return cls(first, last or first)

    @classmethod
    def working(
        cls, first: date, last: date | None, times: Sequence[WorkingTime]
    ) -> CalendarException:
        if not times:
            raise ValueError("a working exception needs working times")
        return cls(first, last or first, tuple(times))

    @property
    def is_working(self) -> bool:
        return bool(self.times)

    def days(self) -> Iterable[date]:
        for offset in range((self.last - self.first).days + 1):
            yield self.first + timedelta(days=offset)


STANDARD_DAY = (WorkingTime.of("08:00", "12:00"), WorkingTime.of("13:00", "17:00"))


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """A weekly pattern (index 0 = Monday) plus dated exceptions; later exceptions win."""

    week: tuple[tuple[WorkingTime, ...], ...]
    exceptions: tuple[CalendarException, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ValueError("a working week has seven days, Monday first")
        object.__setattr__(self, "week", tuple(_normalise(day) for day in self.week))
        if self.minutes_per_week <= 0:
            raise ValueError(f"calendar {self.name!r} has no working time in its week")

    @classmethod
    def weekly(
        cls,
        *,
        working_days: Iterable[int] = (0, 1, 2, 3, 4),
        times: Sequence[WorkingTime] = STANDARD_DAY,
        exceptions: Sequence[CalendarException] = (),
        name: str = "",
    ) -> WorkingCalendar:
        """The same hours on each working weekday (0 = Monday ... 6 = Sunday)."""
        days = set(working_days)
        week = tuple(tuple(times) if weekday in days else () for weekday in range(7))
        return cls(week, tuple(exceptions), name)

    @classmethod
    def standard(cls, exceptions: Sequence[CalendarException] = ()) -> WorkingCalendar:
        """Monday to Friday, 08:00-12:00 and 13:00-17:00 (Microsoft Project's Standard)."""
        return cls.weekly(exceptions=exceptions, name="Standard")

    @property
    def minutes_per_week(self) -> int:
        return sum(interval.minutes for day in self.week for interval in day)

    @property
    def minutes_per_day(self) -> int:
        """The most common length of a working weekday (480 for the standard calendar)."""
        lengths = [sum(i.minutes for i in day) for day in self.week if day]
        return max(sorted(lengths), key=lengths.count)

    def exception_days(self) -> dict[date, tuple[WorkingTime, ...]]:
        """Every exception date with its working times; a later exception overrides."""
        days: dict[date, tuple[WorkingTime, ...]] = {}
        for exception in self.exceptions:
            for day in exception.days():
                days[day] = exception.times
        return days

    def times_on(self, day: date) -> tuple[WorkingTime, ...]:
        for exception in reversed(self.exceptions):
            if exception.first <= day <= exception.last:
                return exception.times
        return self.week[day.weekday()]

    def union(self, other: WorkingCalendar, name: str = "") -> WorkingCalendar:
        """Time that is working in either calendar (a task worked by resources on both)."""
        week = tuple(_normalise(a + b) for a, b in zip(self.week, other.week, strict=True))
        dates = sorted(set(self.exception_days()) | set(other.exception_days()))
        exceptions = tuple(
            CalendarException(day, day, _normalise(self.times_on(day) + other.times_on(day)))
            for day in dates
        )
        return WorkingCalendar(week, exceptions, name or f"{self.name} + {other.name}")

    def timeline(self) -> WorkingTimeline:
        return timeline_for(self)


@functools.lru_cache(maxsize=64)
def timeline_for(calendar: WorkingCalendar) -> WorkingTimeline:
    """Compiled timelines are cached per calendar value (calendars are immutable)."""
    return WorkingTimeline(calendar)


class WorkingTimeline:
    """A calendar compiled for fast conversion between instants and working-minute positions.

    Per-day start positions come from a precomputed weekly prefix plus a running total of the
    exception days before that day (binary search), so a conversion costs O(log exceptions),
    whatever the distance from the epoch.
    """

    __slots__ = (
        "_exc_days",
        "_exc_prefix",
        "_exc_times",
        "_week_minutes",
        "_week_prefix",
        "_week_times",
        "calendar",
    )

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self._week_times = calendar.week
        day_minutes = [sum(i.minutes for i in day) for day in calendar.week]
        self._week_minutes = sum(day_minutes)
        self._week_prefix = [sum(day_minutes[:weekday]) for weekday in range(7)]
        exception_days = sorted(calendar.exception_days().items())
        self._exc_days = [(day - EPOCH).days for day, _ in exception_days]
        self._exc_times = [times for _, times in exception_days]
        # _exc_prefix[k]: how the first k exception days change the running total.
        self._exc_prefix = [0]
        for day, times in exception_days:
            delta = sum(i.minutes for i in times) - day_minutes[day.weekday()]
            self._exc_prefix.append(self._exc_prefix[-1] + delta)

    # -- days ---------------------------------------------------------------------------------

    def _day_start(self, day: int) -> int:
        """Position at the start of day `day` (days since the epoch)."""
        weeks, weekday = divmod(day, 7)
        exceptions_before = self._exc_prefix[bisect_left(self._exc_days, day)]
        return weeks * self._week_minutes + self._week_prefix[weekday] + exceptions_before

    def _times(self, day: int) -> tuple[WorkingTime, ...]:
        index = bisect_left(self._exc_days, day)
        if index < len(self._exc_days) and self._exc_days[index] == day:
            return self._exc_times[index]
        return self._week_times[day % 7]

    def _day_of_position(self, position: int) -> int:
        """The day in which working minute `position` is worked: start(day) <= p < start(day+1)."""
        guess = (position // self._week_minutes) * 7
        low, step = guess, 7
        while self._day_start(low + 1) > position:  # gallop down until the day is at or after low
            low -= step
            step *= 2
        high, step = guess, 7
        while self._day_start(high + 1) <= position:  # gallop up until the day is at or before high
            high += step
            step *= 2
        while low < high:  # smallest day whose end lies after the position
            middle = (low + high) // 2
            if self._day_start(middle + 1) > position:
                high = middle
            else:
                low = middle + 1
        return low

    # -- conversions on absolute minutes (minutes since the epoch, wall clock) ------------------

    def position_at(self, minute: int) -> int:
        """Working minutes before absolute minute `minute`."""
        day, clock = divmod(minute, MINUTES_PER_DAY)
        worked = 0
        for interval in self._times(day):
            if clock <= interval.start:
                break
            worked += min(clock, interval.end) - interval.start
        return self._day_start(day) + worked

    def start_minute(self, position: int) -> int:
        """Absolute minute at which working minute `position` begins (the 08:00 form)."""
        day = self._day_of_position(position)
        remaining = position - self._day_start(day)
        for interval in self._times(day):
            if remaining < interval.minutes:
                return day * MINUTES_PER_DAY + interval.start + remaining
            remaining -= interval.minutes
        raise AssertionError("position beyond the working time of its day")  # pragma: no cover

    def finish_minute(self, position: int) -> int:
        """Absolute minute at which working minute `position - 1` ends (the 17:00 form)."""
        return self.start_minute(position - 1) + 1

    # -- conversions on datetimes -----------------------------------------------------------

    def position(self, moment: datetime) -> int:
        """Working minutes from the epoch to `moment` (seconds are dropped)."""
        return self.position_at(_minute_of(moment))

    def moment(self, position: int, *, finish: bool = False) -> datetime:
        """The instant of a position: a start (next working minute) or a finish (end of last)."""
        minute = self.finish_minute(position) if finish else self.start_minute(position)
        return moment_at(minute)

    def add(self, moment: datetime, minutes: int, *, finish: bool = False) -> datetime:
        """`moment` moved by `minutes` of working time (negative moves back: a lead)."""
        return self.moment(self.position(moment) + minutes, finish=finish)

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        return self.position(end) - self.position(start)

    def is_working(self, moment: datetime) -> bool:
        minute = _minute_of(moment)
        return self.position_at(minute + 1) > self.position_at(minute)


def moment_at(minute: int) -> datetime:
    """The wall-clock datetime of an absolute minute (minutes since the epoch)."""
    return _EPOCH_MOMENT + timedelta(minutes=minute)


def _minute_of(moment: datetime) -> int:
    if moment.tzinfo is not None:
        raise ValueError("calendars work in wall-clock time: pass a naive local datetime")
    return (moment - _EPOCH_MOMENT) // timedelta(minutes=1)
