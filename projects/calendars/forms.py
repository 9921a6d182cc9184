"""Forms for the calendar pages: a week of hours, one row per weekday, and calendar exceptions.

Hours are typed as the clock shows them, "08:00-12:00, 13:00-17:00"; an empty day is a day off.
The forms check what can be said of one day (next to that day's field); the services check the
rest (a name already taken, a week with no working day, overlapping exceptions).
"""

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from projects.forms import DateInput
from projects.models import WorkCalendar
from projects.models.calendar import WEEKDAY_NAMES, Hours, Week, validate_working_times
from tpm.forms import Form

DAY_FIELDS = tuple(name.lower() for name in WEEKDAY_NAMES)
HOURS_HELP = "For example 08:00-12:00, 13:00-17:00. Leave empty for a day off."
# "08:00-12:00"; an en or em dash (as a word processor writes it) is taken as the hyphen.
_PERIOD = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-\u2013\u2014]\s*(\d{1,2}:\d{2})\s*$")


def parse_hours(text: str) -> Hours:
    """'8:00-12:00, 13:00-17:00' -> [["08:00", "12:00"], ["13:00", "17:00"]]; '' -> []."""
    hours: Hours = []
    for part in filter(str.strip, re.split(r"[,;\n]", text)):
        match = _PERIOD.match(part)
        if match is None:
            raise ValidationError(
                f"“{part.strip()}” is not a period such as 08:00-12:00.", code="format"
            )
        hours.append([clock.zfill(5) for clock in match.groups()])
    validate_working_times(hours)
    return hours


def format_hours(hours: Hours) -> str:
    return ", ".join(f"{start}-{end}" for start, end in hours)


class HoursField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", HOURS_HELP)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "day off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Hours:  # type: ignore[override]
        return parse_hours(super().to_python(value) or "")


class CalendarWeekForm(Form):
    """A calendar's name and week: Monday to Sunday, each with its own hours."""

    name = forms.CharField(label="Name", max_length=120)
    monday = HoursField(label="Monday")
    tuesday = HoursField(label="Tuesday")
    wednesday = HoursField(label="Wednesday")
    thursday = HoursField(label="Thursday")
    friday = HoursField(label="Friday")
    saturday = HoursField(label="Saturday")
    sunday = HoursField(label="Sunday")
    is_organisation_default = forms.BooleanField(
        label="The organisation's default calendar",
        required=False,
        help_text="Projects without a calendar of their own follow it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, for_project: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_project:  # a project's own calendar is never the organisation's default
            del self.fields["is_organisation_default"]

    @classmethod
    def initial_for(cls, calendar: WorkCalendar) -> dict[str, Any]:
        initial: dict[str, Any] = {
            day: format_hours(hours)
            for day, hours in zip(DAY_FIELDS, calendar.working_week, strict=True)
        }
        initial.update(
            name=calendar.name,
            is_organisation_default=calendar.is_organisation_default,
            version=calendar.version,
        )
        return initial

    def day_fields(self) -> list[forms.BoundField]:
        return [self[day] for day in DAY_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        days = [cleaned.get(day) for day in DAY_FIELDS]
        if all(hours is not None for hours in days) and not any(days):
            raise ValidationError("At least one day of the week needs working hours.")
        return cleaned

    def week(self) -> Week:
        return [self.cleaned_data[day] for day in DAY_FIELDS]

    def changes(self) -> dict[str, Any]:
        """What calendar_services.calendar_create / calendar_update take."""
        changes: dict[str, Any] = {"name": self.cleaned_data["name"], "working_week": self.week()}
        if "is_organisation_default" in self.fields:
            changes["is_organisation_default"] = self.cleaned_data["is_organisation_default"]
        return changes


class CalendarExceptionForm(Form):
    """A holiday, or days with other hours, for one date or a range."""

    name = forms.CharField(label="Name", max_length=120)
    first_day = forms.DateField(label="First day", widget=DateInput())
    last_day = forms.DateField(
        label="Last day", required=False, widget=DateInput(), help_text="Empty: the first day."
    )
    working = forms.BooleanField(
        label="Working, with its own hours",
        required=False,
        help_text="Unticked: a holiday (no work).",
    )
    working_times = HoursField(label="Hours", help_text="For a working day, e.g. 09:00-13:00.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first: date | None = cleaned.get("first_day")
        last: date | None = cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The last day is before the first day.")
        hours = cleaned.get("working_times")
        if cleaned.get("working") and hours == []:
            self.add_error("working_times", "A working day needs its hours.")
        if not cleaned.get("working") and hours:
            self.add_error("working_times", "A holiday has no hours; tick “Working” for hours.")
        return cleaned
