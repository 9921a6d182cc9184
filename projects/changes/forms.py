"""Forms of the change-request pages: the request itself, one proposed operation at a time (the
proposal editor), the list filters and the decisions. Durations and lags are typed in days (or
with a unit: 4h, 2d, 1w) of the calendar that measures them, as on the task page: a task's own
calendar, else the project's (the calendar selector's rule), and stored in working minutes."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from projects.calendars.selectors import task_day_length
from projects.changes.proposal import OperationKind
from projects.models import ChangePriority, ChangeRequest, ChangeStatus, Task
from projects.plan.forms import MAX_DAYS, DaysField, measure_days
from projects.schedule.network import LinkType
from tpm.forms import Form

LINK_TYPES = [
    (LinkType.FS.value, "Finish-to-start"),
    (LinkType.SS.value, "Start-to-start"),
    (LinkType.FF.value, "Finish-to-finish"),
    (LinkType.SF.value, "Start-to-finish"),
]

OPERATION_LABELS = [
    (OperationKind.ADD_TASK.value, "Add a task"),
    (OperationKind.REMOVE_TASK.value, "Remove a task"),
    (OperationKind.CHANGE_DURATION.value, "Change a task's duration"),
    (OperationKind.ADD_LINK.value, "Add a link"),
    (OperationKind.REMOVE_LINK.value, "Remove a link"),
    (OperationKind.CHANGE_LINK.value, "Change a link's type or lag"),
]


class ChangeFilterForm(Form):
    """The list's filters (GET); an unknown choice is ignored rather than an error."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("open", "Open (draft or pending)"), *ChangeStatus.choices],
    )
    priority = forms.ChoiceField(
        label="Priority", required=False, choices=[("", "Any priority"), *ChangePriority.choices]
    )


class ChangeRequestForm(Form):
    title = forms.CharField(
        label="Title",
        max_length=ChangeRequest._meta.get_field("title").max_length,
        help_text="What changes, in a few words.",
    )
    description = forms.CharField(
        label="What changes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label="Why", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    priority = forms.ChoiceField(
        label="Priority", choices=ChangePriority.choices, initial=ChangePriority.MEDIUM
    )
    rebaseline = forms.BooleanField(label="Save a new baseline when it is applied", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    FIELDS = ("title", "description", "reason", "priority", "rebaseline")

    @classmethod
    def initial_for(cls, change_request: ChangeRequest) -> dict[str, Any]:
        initial = {name: getattr(change_request, name) for name in cls.FIELDS}
        return {**initial, "version": change_request.version}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


def _days(label: str, *, required: bool = False, signed: bool = False) -> DaysField:
    """Typed days or a duration with a unit, cleaned to working minutes (see DaysField)."""
    return DaysField(label=label, required=required, min_days=-MAX_DAYS if signed else Decimal(0))


class OperationForm(Form):
    """One operation of the proposal. Which fields count depends on `op`; clean() says what a
    kind is missing. Task pickers list the plan's tasks and the tasks the proposal adds."""

    op = forms.ChoiceField(label="Change", choices=OPERATION_LABELS)
    task = forms.ChoiceField(label="Task to remove or re-estimate", required=False)
    name = forms.CharField(label="Name of the new task", required=False, max_length=255)
    duration_days = _days("Duration (days): new or changed task")
    is_milestone = forms.BooleanField(label="Milestone", required=False)
    effort_hours = forms.DecimalField(
        label="Effort (hours)", required=False, max_digits=10, decimal_places=2, min_value=0
    )
    cost = forms.DecimalField(
        label="Cost", required=False, max_digits=14, decimal_places=2, min_value=0
    )
    parent = forms.ChoiceField(label="Inside (summary)", required=False)
    predecessor = forms.ChoiceField(label="After (predecessor)", required=False)
    successor = forms.ChoiceField(label="Before (successor)", required=False)
    type = forms.ChoiceField(label="Link type", choices=LINK_TYPES, initial="FS", required=False)
    lag_days = _days("Lag (days; negative is a lead)", signed=True)

    def __init__(
        self, *args: Any, tasks: list[tuple[str, str]], minutes_per_day: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.minutes_per_day = minutes_per_day  # the project's: a new task has no calendar
        measure_days(self, minutes_per_day)
        choices = [("", "—"), *tasks]
        for name in ("task", "parent", "predecessor", "successor"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    def _require(self, *names: str) -> None:
        for name in names:
            if self.cleaned_data.get(name) in (None, ""):
                self.add_error(name, "This is needed for this kind of change.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("op")
        if kind == OperationKind.ADD_TASK:
            self._require("name")
            if not data.get("is_milestone"):
                self._require("duration_days")
        elif kind == OperationKind.REMOVE_TASK:
            self._require("task")
        elif kind == OperationKind.CHANGE_DURATION:
            self._require("task", "duration_days")
        elif kind in (OperationKind.ADD_LINK, OperationKind.REMOVE_LINK, OperationKind.CHANGE_LINK):
            self._require("predecessor", "successor")
        if kind == OperationKind.CHANGE_DURATION:
            self._measure_in_days_of(data, "duration_days", data.get("task"))
        elif kind != OperationKind.ADD_TASK:  # a lag is working time of the successor
            self._measure_in_days_of(data, "lag_days", data.get("successor"))
        return data

    def _measure_in_days_of(self, data: dict[str, Any], name: str, ref: str | None) -> None:
        """Days typed for a task of the plan are days of its own calendar when it has one."""
        if data.get(name) is None or not ref or not ref.isdigit():
            return  # a new task ("new-1") is measured in the project's calendar
        task = Task.objects.select_related("calendar", "project").filter(pk=int(ref)).first()
        per_day = task_day_length(task) if task is not None else self.minutes_per_day
        if per_day == self.minutes_per_day:
            return
        field = self.fields[name]
        assert isinstance(field, DaysField)
        field.minutes_per_day = per_day
        try:
            data[name] = field.clean(self[name].data)
        except ValidationError as error:
            self.add_error(name, error)

    @staticmethod
    def _minutes(minutes: int | None) -> int:
        return minutes or 0  # the days fields clean to working minutes

    @staticmethod
    def _ref(value: str) -> int | str:
        return int(value) if value.isdigit() else value

    def operation(self, key: str) -> dict[str, Any]:
        """The operation as the proposal stores it (projects/changes/proposal.py's JSON form);
        `key` names a new task."""
        data = self.cleaned_data
        kind = data["op"]
        link = {"type": data.get("type") or "FS", "lag_minutes": self._minutes(data["lag_days"])}
        if kind == OperationKind.ADD_TASK:
            links = {
                side: [{"task": self._ref(data[side]), **link}] if data.get(side) else []
                for side in ("predecessor", "successor")
            }
            return {
                "op": kind,
                "key": key,
                "name": data["name"],
                "duration_minutes": self._minutes(data["duration_days"]),
                "is_milestone": data["is_milestone"],
                "effort_hours": str(data["effort_hours"]) if data["effort_hours"] else None,
                "cost": str(data["cost"]) if data["cost"] is not None else None,
                "parent": self._ref(data["parent"]) if data.get("parent") else None,
                "predecessors": links["predecessor"],
                "successors": links["successor"],
            }
        if kind == OperationKind.REMOVE_TASK:
            return {"op": kind, "task": self._ref(data["task"])}
        if kind == OperationKind.CHANGE_DURATION:
            return {
                "op": kind,
                "task": self._ref(data["task"]),
                "duration_minutes": self._minutes(data["duration_days"]),
            }
        ends = {
            "predecessor": self._ref(data["predecessor"]),
            "successor": self._ref(data["successor"]),
        }
        if kind == OperationKind.REMOVE_LINK:
            return {"op": kind, **ends}
        return {"op": kind, **ends, **link}


class DecisionForm(Form):
    """A transition: an optional comment (a rejection needs one); approving may re-baseline."""

    comment = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rebaseline = forms.BooleanField(label="Save a new baseline with the change", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
