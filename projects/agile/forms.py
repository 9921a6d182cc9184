"""Forms of the workflow, board and sprint pages."""

from typing import Any

from django import forms

from projects.forms import DateInput
from projects.models import Label, Sprint, StatusCategory, TaskPriority, TaskType, WorkflowStatus
from tpm.forms import Form


class StatusForm(Form):
    name = forms.CharField(label="Name", max_length=60)
    category = forms.ChoiceField(
        label="Category",
        choices=StatusCategory.choices,
        help_text="What the schedule reads: to do = not started, done = completed.",
    )
    wip_limit = forms.IntegerField(
        label="WIP limit", required=False, min_value=1, help_text="Empty: no limit."
    )
    wip_blocking = forms.BooleanField(
        label="Blocking limit", required=False, help_text="Refuse moves beyond the limit."
    )
    position = forms.IntegerField(label="Order", required=False, min_value=0)


class LabelForm(Form):
    name = forms.CharField(label="Label", max_length=40)
    colour = forms.RegexField(
        label="Colour",
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#6b7280",
        required=False,
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": "Use a colour like #1d4ed8."},
    )


class SprintForm(Form):
    name = forms.CharField(label="Name", max_length=80)
    goal = forms.CharField(label="Goal", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    start_date = forms.DateField(label="Start", widget=DateInput)
    end_date = forms.DateField(label="End", widget=DateInput)
    capacity_points = forms.IntegerField(label="Capacity (points)", required=False, min_value=0)
    capacity_hours = forms.DecimalField(
        label="Capacity (hours)", required=False, min_value=0, max_digits=8, decimal_places=1
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The sprint ends before it starts.")
        return data


class SprintCloseForm(Form):
    move_to = forms.ModelChoiceField(
        label="Unfinished work goes to",
        queryset=Sprint.objects.none(),
        required=False,
        empty_label="The backlog",
    )

    def __init__(self, *args: Any, sprint: Sprint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["move_to"]
        field.queryset = (  # type: ignore[attr-defined]
            Sprint.objects.filter(project_id=sprint.project_id, state="planned")
            .exclude(pk=sprint.pk)
            .order_by("start_date")
        )


class TaskAgileForm(Form):
    """A task's type, priority, story points, labels and sprint (the board's fields)."""

    status = forms.ModelChoiceField(
        label="Status",
        queryset=WorkflowStatus.objects.none(),
        empty_label=None,
        help_text="The board's column (the same as dragging the card there).",
    )
    task_type = forms.ChoiceField(label="Type", choices=TaskType.choices)
    priority = forms.ChoiceField(label="Priority", choices=TaskPriority.choices)
    story_points = forms.IntegerField(
        label="Story points", required=False, min_value=0, max_value=1000
    )
    labels = forms.ModelMultipleChoiceField(
        label="Labels", queryset=Label.objects.none(), required=False
    )
    sprint = forms.ModelChoiceField(
        label="Sprint", queryset=Sprint.objects.none(), required=False, empty_label="Backlog"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, project_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = WorkflowStatus.objects.filter(  # type: ignore[attr-defined]
            project_id=project_id
        ).order_by("position", "pk")
        self.fields["labels"].queryset = Label.objects.filter(  # type: ignore[attr-defined]
            project_id=project_id
        )
        self.fields["sprint"].queryset = Sprint.objects.filter(  # type: ignore[attr-defined]
            project_id=project_id
        ).exclude(state="closed")
