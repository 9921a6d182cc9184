"""When a report schedule is due (pure: no Django).

A schedule sends on a weekday at a time of day in its own time zone: every week, every other
week (fortnights counted from its first date), or monthly on the first such weekday of the month.
Each sending has a *period*: the local date it is due on. (schedule, period) is the natural key
that makes sending exactly-once, however often the beat job looks.

A date at the edge of the calendar (a schedule starting 9999-12-31, stored past validation)
means "never due": no function here raises OverflowError on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKLY, FORTNIGHTLY, MONTHLY = "weekly", "fortnightly", "monthly"


@dataclass(frozen=True)
class Rule:
    frequency: str
    weekday: int  # Monday 0 .. Sunday 6
    time_of_day: time
    time_zone: str
    starts_on: date

    def __post_init__(self) -> None:
        if self.frequency not in (WEEKLY, FORTNIGHTLY, MONTHLY):
            raise ValueError(f"unknown frequency {self.frequency!r}")
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")


def _first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _first_weekday_of_month(year: int, month: int, weekday: int) -> date:
    return _first_on_or_after(date(year, month, 1), weekday)


def latest_period(rule: Rule, now: datetime) -> date | None:
    """The most recent period whose sending time has passed at `now` (aware), or None."""
    try:
        return _latest_period(rule, now)
    except OverflowError:
        return None  # the arithmetic left the calendar: nothing due (see the module docstring)


def _latest_period(rule: Rule, now: datetime) -> date | None:
    zone = ZoneInfo(rule.time_zone)
    local = now.astimezone(zone)
    today = local.date()
    if rule.starts_on > today:
        return None

    def passed(day: date) -> bool:
        return datetime.combine(day, rule.time_of_day, zone) <= now

    if rule.frequency == MONTHLY:
        year, month = today.year, today.month
        for _ in range(2):
            day = _first_weekday_of_month(year, month, rule.weekday)
            if day >= rule.starts_on and day <= today and passed(day):
                return day
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return None
    first = _first_on_or_after(rule.starts_on, rule.weekday)
    if today < first:
        return None
    step = 7 if rule.frequency == WEEKLY else 14
    day = first + timedelta(days=((today - first).days // step) * step)
    if not passed(day):
        day -= timedelta(days=step)
    return day if day >= first else None


def next_period(rule: Rule, now: datetime) -> datetime | None:
    """When the next sending after `now` happens (aware, in the schedule's zone); None when it
    never does (its first date is beyond the calendar's end)."""
    zone = ZoneInfo(rule.time_zone)
    try:
        if rule.starts_on <= now.astimezone(zone).date():
            probe = now  # compared as dates: a start in year 1 has no day before it
        else:
            probe = datetime.combine(rule.starts_on, time(0), zone) - timedelta(days=1)
        for _ in range(70):
            probe = probe + timedelta(days=1)
            period = latest_period(rule, probe)
            if period is not None:
                moment = datetime.combine(period, rule.time_of_day, zone)
                if moment > now:
                    return moment
    except OverflowError:
        return None
    raise ValueError("no sending within 70 days")  # unreachable for valid rules
