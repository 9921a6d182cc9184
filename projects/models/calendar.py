"""Working calendars: which days and hours count when durations and lags are measured."""

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

STANDARD_WEEKDAYS = [0, 1, 2, 3, 4]  # Monday = 0
STANDARD_HOURS = [["08:00", "12:00"], ["13:00", "17:00"]]
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")

Hours = list[list[str]]  # [["08:00", "12:00"], ["13:00", "17:00"]]
Week = list[Hours]  # seven days, Monday first; [] is a day off


def _standard_weekdays() -> list[int]:  # referenced by migration 0002
    return list(STANDARD_WEEKDAYS)


def _standard_hours() -> Hours:
    return [list(pair) for pair in STANDARD_HOURS]


def week_of(weekdays: Iterable[int] = STANDARD_WEEKDAYS, hours: Hours | None = None) -> Week:
    """The same hours (default 08:00-12:00, 13:00-17:00) on each listed weekday, others off."""
    days = set(weekdays)
    pairs = _standard_hours() if hours is None else hours
    return [[list(pair) for pair in pairs] if day in days else [] for day in range(7)]


def _standard_week() -> Week:
    return week_of()


def day_minutes(hours: Hours) -> int:
    """Working minutes in a day of these hours."""
    return sum(_minutes(end) - _minutes(start) for start, end in hours)


def ordinary_hours(week: Week) -> Hours:
    """The hours of the calendar's ordinary working day: the most common day length (the
    shorter one on a tie, as the engine counts it), with the hours of its first weekday."""
    lengths = [day_minutes(hours) for hours in week if hours]
    if not lengths:
        return []
    length = max(sorted(lengths), key=lengths.count)
    return next(
        [list(p) for p in hours] for hours in week if hours and day_minutes(hours) == length
    )


def validate_working_times(value: Any) -> None:
    """["HH:MM", "HH:MM"] pairs, each ending after it starts, in order, not overlapping."""
    if not isinstance(value, list):
        raise ValidationError("Working times must be a list of [start, end] pairs.")
    previous_end = ""
    for pair in value:
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise ValidationError(f"{pair!r} is not a [start, end] pair.")
        start, end = pair
        if not (isinstance(start, str) and isinstance(end, str)):
            raise ValidationError(f"{pair!r}: times are written as HH:MM.")
        if not (_CLOCK.match(start) and _CLOCK.match(end)):
            raise ValidationError(f"{pair!r}: times are written as HH:MM (00:00 to 24:00).")
        if end <= start:
            raise ValidationError(f"{start}-{end} ends before it starts.")
        if start < previous_end:
            raise ValidationError(f"{start}-{end} overlaps the period before it.")
        previous_end = end


def validate_working_week(value: Any) -> None:
    """Seven days, Monday first, each a list of working times ([] = a day off); one works."""
    if not isinstance(value, list) or len(value) != 7:
        raise ValidationError("The working week is seven days, Monday first, each a list of hours.")
    problems = []
    for name, hours in zip(WEEKDAY_NAMES, value, strict=True):
        try:
            validate_working_times(hours)
        except ValidationError as error:
            problems.append(f"{name}: {error.messages[0]}")
    if problems:
        raise ValidationError(problems)
    if not any(value):
        raise ValidationError("At least one day of the week needs working hours.")


def validate_weekdays(value: Any) -> None:
    if not isinstance(value, list) or any(
        not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6 for day in value
    ):
        raise ValidationError("Working weekdays are numbers from 0 (Monday) to 6 (Sunday).")
    if len(set(value)) != len(value):
        raise ValidationError("A weekday is listed twice.")


class WorkCalendar(models.Model):
    """An organisation's calendar; `project` set means it belongs to that project only."""

    organisation = models.ForeignKey(
        "tpm.Organisation", on_delete=models.CASCADE, related_name="calendars"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_calendars",
    )
    name = models.CharField(max_length=120)
    is_organisation_default = models.BooleanField(default=False)
    # Each weekday's own hours, Monday first; [] is a day off. What the scheduler follows.
    working_week = models.JSONField(default=_standard_week, validators=[validate_working_week])
    # The hours of the ordinary working day, derived from the week on save (see `ordinary_hours`):
    # what "1 day" of duration means, readable without loading the week.
    working_times = models.JSONField(default=_standard_hours, validators=[validate_working_times])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=("organisation",),
                condition=models.Q(is_organisation_default=True),
                name="one_default_calendar_per_org",
            ),
            models.UniqueConstraint(
                fields=("organisation", "project", "name"), name="calendar_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.working_times = ordinary_hours(self.working_week)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "working_week" in update_fields:
            kwargs["update_fields"] = {*update_fields, "working_times"}
        super().save(*args, **kwargs)

    @property
    def working_weekdays(self) -> list[int]:
        """The weekdays with working hours (0 = Monday)."""
        return [day for day, hours in enumerate(self.working_week) if hours]

    def set_hours(self, weekdays: Iterable[int] | None = None, hours: Hours | None = None) -> None:
        """The single-set-of-hours way of changing the week (the API before per-day hours):
        `hours` on each of `weekdays` (default: the days working now) and the other days off;
        a listed day keeps its own hours when no `hours` are given (a new day gets the
        ordinary day's)."""
        days = self.working_weekdays if weekdays is None else list(weekdays)
        ordinary = ordinary_hours(self.working_week) or _standard_hours()
        week: Week = []
        for day in range(7):
            if day not in days:
                week.append([])
            elif hours is not None:
                week.append([list(pair) for pair in hours])
            else:
                week.append(self.working_week[day] or [list(pair) for pair in ordinary])
        self.working_week = week

    @property
    def minutes_per_day(self) -> int:
        """Working minutes of an ordinary working day (what "1 day" of duration means)."""
        return day_minutes(self.working_times)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


class CalendarException(models.Model):
    """Holidays and other days that differ from the week: a single date or a range."""

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="exceptions")
    name = models.CharField(max_length=120)
    first_day = models.DateField()
    last_day = models.DateField()
    # Non-working by default (a holiday); a working exception lists its own hours.
    working = models.BooleanField(default=False)
    working_times = models.JSONField(default=list, blank=True, validators=[validate_working_times])

    class Meta:
        ordering = ("first_day",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="exception_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_day} to {self.last_day})"

    def clean(self) -> None:
        if self.last_day and self.first_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": "The last day is before the first day."})
        if self.working and not self.working_times:
            raise ValidationError({"working_times": "A working exception needs working hours."})
