"""Working calendars: which days and hours count when durations and lags are measured."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

STANDARD_WEEKDAYS = [0, 1, 2, 3, 4]  # Monday = 0
STANDARD_HOURS = [["08:00", "12:00"], ["13:00", "17:00"]]
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


def _standard_weekdays() -> list[int]:
    return list(STANDARD_WEEKDAYS)


def _standard_hours() -> list[list[str]]:
    return [list(pair) for pair in STANDARD_HOURS]


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
    working_weekdays = models.JSONField(default=_standard_weekdays, validators=[validate_weekdays])
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

    @property
    def minutes_per_day(self) -> int:
        """Working minutes of an ordinary working day (what "1 day" of duration means)."""
        total = 0
        for start, end in self.working_times:
            total += _minutes(end) - _minutes(start)
        return total


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
