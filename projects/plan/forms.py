"""Forms of the plan pages: the outline's add and inline-edit rows, and the task page's forms.

Durations and lags are typed in days (`2`, `0.25`) or with a unit (`2d`, `4h`, `1w`) and
stored in working minutes of the calendar that measures them (`minutes_per_day`, 480 on the
standard calendar; the views pass it in), by the one rule of projects/schedule/durations.py.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from projects.calendars.selectors import STANDARD_MINUTES_PER_DAY, day_length
from projects.forms import DateInput
from projects.models import ConstraintType, Dependency, LinkType, Task, TaskStatus, WorkCalendar
from projects.plan.selectors import task_by_code
from projects.schedule.durations import (
    DurationError,
    DurationTooLong,
    days_to_minutes,
    editable_duration,
    parse_duration,
)
from tpm.forms import Form
from tpm.models import User

MAX_DAYS = Decimal(10_000)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DaysField(forms.CharField):
    """A duration or lag as people type it: days (`2`, `0.25`) or with a unit (`2d`, `4h`,
    `1w`, `90m`). Cleans to WORKING MINUTES of the calendar that measures it: the form sets
    `minutes_per_day` before cleaning. Bounds are in days; empty is None."""

    def __init__(
        self, *, min_days: Decimal | None = Decimal(0), max_days: Decimal = MAX_DAYS, **kwargs: Any
    ) -> None:
        # Text, not type=number: a browser would refuse "2d" or "4h".
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 6, "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.min_days, self.max_days = min_days, max_days
        self.minutes_per_day = STANDARD_MINUTES_PER_DAY

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            duration = parse_duration(text, minutes_per_day=self.minutes_per_day)
        except DurationTooLong:  # past the durations rule's bound, so past this field's too
            raise ValidationError(f"At most {self.max_days} days.", code="max_value") from None
        except DurationError:
            duration = None
        if duration is None or duration.elapsed:  # elapsed time is not working time
            shown = text if len(text) <= 40 else f"{text[:40]}…"
            raise ValidationError(
                f"“{shown}” is not a duration: type a number of days, or 4h, 2d, 1w.",
                code="invalid",
            )
        return duration.minutes

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        low = (
            None if self.min_days is None else days_to_minutes(self.min_days, self.minutes_per_day)
        )
        if low is not None and value < low:
            message = "Cannot be negative." if low == 0 else f"At least {self.min_days} days."
            raise ValidationError(message, code="min_value")
        if value > days_to_minutes(self.max_days, self.minutes_per_day):
            raise ValidationError(f"At most {self.max_days} days.", code="max_value")


def days_field(label: str, *, required: bool = True, min_value: Decimal | None = Decimal(0)) -> Any:
    return DaysField(label=label, required=required, min_days=min_value)


def measure_days(form: forms.Form, minutes_per_day: int) -> None:
    """Measure the form's days fields in a calendar's day (before the form is cleaned)."""
    for field in form.fields.values():
        if isinstance(field, DaysField):
            field.minutes_per_day = minutes_per_day


def money_field(label: str) -> Any:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="In the project's currency.",
    )


ROLLED_UP = ("effort_hours", "cost", "actual_cost")


def task_label(task: Task, *, with_project: bool = False) -> str:
    code = f"{task.project.key} {task.wbs_code}" if with_project else task.wbs_code
    return f"{code} {task.name}".strip()


class PickedTask(forms.ModelChoiceField):
    """The id a task picker posts (frontend/picker.js); checked against the candidates."""

    widget = forms.HiddenInput

    def __init__(self, noun: str, **kwargs: Any) -> None:
        message = f"{noun}: that task cannot be chosen here; pick one from the list."
        super().__init__(
            queryset=Task.objects.none(),
            required=False,
            error_messages={"invalid_choice": message, "invalid_pk_value": message},
            **kwargs,
        )


def picker_code(label: str, help_text: str) -> Any:
    """The picker's text box: what it searches for, and without JavaScript a WBS code."""
    return forms.CharField(label=label, required=False, max_length=300, help_text=help_text)


def picked(form: Form, name: str, *, home_project_id: int, required: str = "") -> Task | None:
    """The task of field `name`: the id posted, else the one task its code names ("1.2", or
    "KEY 1.2" for another project's); an error naming the field when neither gives one."""
    cleaned = form.cleaned_data
    if name in form.errors or cleaned.get(name) is not None:
        return cleaned.get(name)
    code = (cleaned.get(f"{name}_code") or "").strip()
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
    task = task_by_code(field.queryset, code, home_project_id=home_project_id) if code else None
    if task is None and code:
        noun = form.fields[f"{name}_code"].label
        form.add_error(
            name,
            f"{noun}: no task you can choose is numbered “{code}”; type part of its name "
            "or its WBS code and pick it from the list.",
        )
    elif task is None and required:
        form.add_error(name, required)
    cleaned[name] = task
    return task


def picker_state(form: Form, name: str, *, with_project: bool) -> dict[str, Any]:
    """What a picker shows again when its form comes back: the task chosen (its label and id),
    else what was typed."""
    task = getattr(form, "cleaned_data", {}).get(name)
    if isinstance(task, Task):
        return {"text": task_label(task, with_project=with_project), "value": task.pk}
    return {"text": str(form[f"{name}_code"].value() or ""), "value": ""}


class TaskAddForm(Form):
    """The outline's last row: a new task at the end of its parent's children.

    The parent comes from a picker that searches the plan (the outline shows one page of it).
    """

    name = forms.CharField(label="Task name", max_length=255)
    duration_days = days_field("Duration (days)")
    parent = PickedTask("Under")
    parent_code = picker_code("Under", "Empty for the top level; else a WBS code or a name.")
    is_milestone = forms.BooleanField(label="Milestone", required=False)

    def __init__(
        self,
        *args: Any,
        parents: QuerySet[Task],
        project_id: int,
        minutes_per_day: int,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"duration_days": 1})
        kwargs.setdefault("auto_id", "add-%s")
        super().__init__(*args, **kwargs)
        measure_days(self, minutes_per_day)  # a new task is measured in the project's calendar
        self.project_id = project_id
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parents.filter(is_milestone=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("is_milestone"):
            cleaned["duration_days"] = 0
        picked(self, "parent", home_project_id=self.project_id)
        return cleaned

    def parent_task(self) -> Task | None:
        return self.cleaned_data.get("parent")

    def parent_picker(self) -> dict[str, Any]:
        return picker_state(self, "parent", with_project=False)


class TaskRowForm(Form):
    """The outline's inline edit: name and duration, from the version the editor saw."""

    name = forms.CharField(label="Name", max_length=255)
    duration_days = days_field("Duration (days)")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, minutes_per_day: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure_days(self, minutes_per_day)  # of the task's calendar

    @classmethod
    def for_task(cls, task: Task, minutes_per_day: int, data: Any = None) -> "TaskRowForm":
        initial = {
            "name": task.name,
            "duration_days": editable_duration(
                task.duration_minutes, minutes_per_day=minutes_per_day
            ),
            "version": task.version,
        }
        return cls(
            data, initial=initial, auto_id=f"row-{task.pk}-%s", minutes_per_day=minutes_per_day
        )


MOVES = (
    ("up", "Move up"),
    ("down", "Move down"),
    ("indent", "Indent"),
    ("outdent", "Outdent"),
)


class TaskMoveForm(Form):
    direction = forms.ChoiceField(choices=MOVES)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TaskPlanForm(Form):
    """What the plan says about a task (planners): dates follow from it."""

    name = forms.CharField(label="Name", max_length=255)
    duration_days = days_field("Duration (days)")
    effort_hours = forms.DecimalField(
        label="Effort (hours)", required=False, min_value=0, max_digits=10, decimal_places=2
    )
    cost = money_field("Planned cost")
    actual_cost = money_field("Actual cost")
    deadline = forms.DateField(label="Deadline", required=False, widget=DateInput)
    constraint_type = forms.ChoiceField(label="Constraint", choices=ConstraintType.choices)
    constraint_date = forms.DateTimeField(
        label="Constraint date",
        required=False,
        widget=DateTimeInput,
        help_text="Needed by every constraint except “as soon/late as possible”.",
    )
    is_manual = forms.BooleanField(
        label="Manually scheduled",
        required=False,
        help_text="Keeps the manual start and finish below instead of computed dates.",
    )
    manual_start = forms.DateTimeField(label="Manual start", required=False, widget=DateTimeInput)
    manual_finish = forms.DateTimeField(label="Manual finish", required=False, widget=DateTimeInput)
    calendar = forms.ModelChoiceField(
        label="Calendar",
        queryset=WorkCalendar.objects.none(),
        required=False,
        empty_label="The project's calendar",
    )
    assignees = forms.ModelMultipleChoiceField(
        label="Assigned to",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People with a role in this project.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    FIELDS = (
        "name",
        "notes",
        "effort_hours",
        "cost",
        "actual_cost",
        "deadline",
        "constraint_type",
        "constraint_date",
        "is_manual",
        "manual_start",
        "manual_finish",
        "calendar",
    )

    def __init__(
        self,
        *args: Any,
        task: Task,
        calendars: QuerySet[WorkCalendar],
        people: QuerySet[User],
        minutes_per_day: int,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "plan-%s")  # the task page holds several forms
        super().__init__(*args, **kwargs)
        self.task = task
        measure_days(self, minutes_per_day)  # of the task's calendar as it is
        # A summary's duration, effort and costs roll up from its tasks; a milestone has none.
        dropped = (*ROLLED_UP, "duration_days") if task.is_summary else ()
        for name in ("duration_days",) if task.is_milestone else dropped:
            del self.fields[name]
        for name, queryset in (("calendar", calendars), ("assignees", people)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    @classmethod
    def initial_for(cls, task: Task, minutes_per_day: int) -> dict[str, Any]:
        initial = {name: getattr(task, name) for name in cls.FIELDS}
        initial["calendar"] = task.calendar_id
        initial["duration_days"] = editable_duration(
            task.duration_minutes, minutes_per_day=minutes_per_day
        )
        initial["version"] = task.version
        initial["assignees"] = [person.pk for person in task.assignees.all()]
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        constraint = cleaned.get("constraint_type")
        if constraint and constraint not in (ConstraintType.ASAP, ConstraintType.ALAP):
            if not cleaned.get("constraint_date") and "constraint_date" not in self.errors:
                self.add_error("constraint_date", "This constraint needs a date.")
        elif constraint:
            cleaned["constraint_date"] = None
        if cleaned.get("is_manual") and not (
            cleaned.get("manual_start") and cleaned.get("manual_finish")
        ):
            self.add_error("manual_start", "A manually scheduled task needs a start and a finish.")
        start, finish = cleaned.get("manual_start"), cleaned.get("manual_finish")
        if start and finish and finish < start:
            self.add_error("manual_finish", "The manual finish is before the manual start.")
        self._measure_in_new_calendar(cleaned)
        return cleaned

    def _measure_in_new_calendar(self, cleaned: dict[str, Any]) -> None:
        """Days typed with a change of calendar are days of the new one (as in the API)."""
        if cleaned.get("duration_days") is None or "calendar" not in cleaned:
            return
        calendar = cleaned["calendar"]
        if (calendar.pk if calendar else None) == self.task.calendar_id:
            return
        field = self.fields["duration_days"]
        assert isinstance(field, DaysField)
        field.minutes_per_day = day_length(calendar, self.task.project)
        try:
            cleaned["duration_days"] = field.clean(self["duration_days"].data)
        except ValidationError as error:
            self.add_error("duration_days", error)

    def changes(self, task: Task) -> dict[str, Any]:
        """Only what differs from the task, so history records what the planner changed."""
        wanted = {name: self.cleaned_data[name] for name in self.FIELDS if name in self.fields}
        if "duration_days" in self.fields:
            wanted["duration_minutes"] = self.cleaned_data["duration_days"]
        changed = {name: value for name, value in wanted.items() if getattr(task, name) != value}
        people = list(self.cleaned_data["assignees"])
        if {person.pk for person in people} != {person.pk for person in task.assignees.all()}:
            changed["assignees"] = people
        return changed


class TaskProgressForm(Form):
    """What the people doing the work report: status, percent complete, actual dates."""

    status = forms.ChoiceField(label="Status", choices=TaskStatus.choices)
    percent_complete = forms.IntegerField(label="% complete", min_value=0, max_value=100)
    actual_start = forms.DateTimeField(label="Actual start", required=False, widget=DateTimeInput)
    actual_finish = forms.DateTimeField(label="Actual finish", required=False, widget=DateTimeInput)
    remaining_hours = forms.DecimalField(
        label="Hours left",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="The work still to do, as you see it now.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    FIELDS = ("status", "percent_complete", "actual_start", "actual_finish", "remaining_hours")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "progress-%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, task: Task) -> dict[str, Any]:
        return {**{name: getattr(task, name) for name in cls.FIELDS}, "version": task.version}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, finish = cleaned.get("actual_start"), cleaned.get("actual_finish")
        if start and finish and finish < start:
            self.add_error("actual_finish", "The actual finish is before the actual start.")
        return cleaned

    def changes(self, task: Task) -> dict[str, Any]:
        """Only what the reporter changed: the service fills in what follows from it."""
        return {
            name: self.cleaned_data[name]
            for name in self.FIELDS
            if getattr(task, name) != self.cleaned_data[name]
        }


class LinkAddForm(Form):
    """A predecessor for this task: from its project or another one the user can see, picked
    by searching (the organisation may hold tens of thousands of tasks)."""

    predecessor = PickedTask("Predecessor")
    predecessor_code = picker_code(
        "Predecessor",
        "Type part of its name or its WBS code (another project's with its key: “GLX 1.2”), "
        "then pick it from the list.",
    )
    type = forms.ChoiceField(label="Link type", choices=LinkType.choices, initial=LinkType.FS)
    lag_days = days_field("Lag (days)", required=False, min_value=-MAX_DAYS)

    def __init__(
        self,
        *args: Any,
        candidates: QuerySet[Task],
        home_project_id: int,
        minutes_per_day: int,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "link-%s")
        super().__init__(*args, **kwargs)
        measure_days(self, minutes_per_day)  # a lag is working time of the successor (this task)
        self.home_project_id = home_project_id
        self.fields["lag_days"].help_text = "Negative for a lead (the task may start earlier)."
        field = self.fields["predecessor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        required = "Predecessor: type part of a task's name or its WBS code and pick it."
        picked(self, "predecessor", home_project_id=self.home_project_id, required=required)
        return cleaned

    def predecessor_picker(self) -> dict[str, Any]:
        return picker_state(self, "predecessor", with_project=True)


class LinkEditForm(Form):
    """A link's type and lag, changed in its row on the task page, from the version shown."""

    type = forms.ChoiceField(label="Link type", choices=LinkType.choices)
    lag_days = days_field("Lag (days)", required=False, min_value=-MAX_DAYS)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, minutes_per_day: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure_days(self, minutes_per_day)  # of the successor's calendar

    @classmethod
    def for_link(cls, link: Dependency, minutes_per_day: int, data: Any = None) -> "LinkEditForm":
        lag = editable_duration(link.lag_minutes, minutes_per_day=minutes_per_day)
        initial = {"type": link.type, "lag_days": lag, "version": link.version}
        return cls(
            data,
            initial=initial,
            prefix=f"link{link.pk}",
            auto_id="%s",
            minutes_per_day=minutes_per_day,
        )
