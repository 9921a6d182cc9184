"""Forms of the Scope tab: charter, objectives and measurements, deliverables. They parse
input; the services (scope_services, deliverable_services) check the rules and write."""

from typing import Any

from django import forms

from projects.forms import DateInput
from projects.models import (
    CHARTER_TEXT_FIELDS,
    Deliverable,
    DeliverableStatus,
    Direction,
    Project,
    Task,
)
from projects.scope import selectors as scope_selectors
from tpm.forms import Form
from tpm.models import User

TEXT_LABELS = {
    "problem_statement": "Problem statement",
    "goals": "Goals",
    "in_scope": "In scope",
    "out_of_scope": "Out of scope",
    "assumptions": "Assumptions",
    "constraints": "Constraints",
    "success_criteria": "Success criteria",
}


def _people(form: forms.Form, project: Project, *names: str) -> None:
    people = scope_selectors.project_people(project)
    for name in names:
        form.fields[name].queryset = people  # type: ignore[attr-defined]


class CharterForm(Form):
    problem_statement = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    goals = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    in_scope = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    out_of_scope = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    assumptions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    constraints = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    success_criteria = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sponsor = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, help_text="Approves the charter."
    )
    stakeholders = forms.ModelMultipleChoiceField(queryset=User.objects.none(), required=False)
    note = forms.CharField(
        required=False, max_length=255, label="What changed", help_text="Kept with the version."
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self, project, "sponsor", "stakeholders")
        for name, label in TEXT_LABELS.items():
            self.fields[name].label = label

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in CHARTER_TEXT_FIELDS} | {
            "sponsor": data["sponsor"],
            "stakeholders": list(data["stakeholders"]),
            "note": data["note"],
        }


class CharterApproveForm(Form):
    version_number = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ObjectiveForm(Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    metric = forms.CharField(max_length=120, help_text="What is measured, e.g. p95 latency.")
    unit = forms.CharField(max_length=30, required=False, help_text="e.g. ms, %, users")
    baseline_value = forms.DecimalField(max_digits=16, decimal_places=4, label="Baseline value")
    target_value = forms.DecimalField(max_digits=16, decimal_places=4, label="Target value")
    target_date = forms.DateField(required=False, widget=DateInput)
    direction = forms.ChoiceField(choices=Direction.choices)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    deliverables = forms.ModelMultipleChoiceField(
        queryset=Deliverable.objects.none(),
        required=False,
        help_text="The deliverables that serve it.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self, project, "owner")
        self.fields["deliverables"].queryset = Deliverable.objects.filter(  # type: ignore[attr-defined]
            project=project
        ).order_by("number")

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["deliverables"] = list(data["deliverables"])
        return data


class MeasurementForm(Form):
    value = forms.DecimalField(max_digits=16, decimal_places=4)
    measured_at = forms.DateTimeField(
        required=False,
        label="Measured at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Empty: now.",
    )
    note = forms.CharField(required=False, max_length=255)


class DeliverableForm(Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_date = forms.DateField(required=False, widget=DateInput)
    status = forms.ChoiceField(
        choices=[c for c in DeliverableStatus.choices if c[0] != DeliverableStatus.ACCEPTED]
    )
    acceptor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Accepted by",
        help_text="The stakeholder who accepts it once every criterion is met.",
    )
    milestone = forms.ModelChoiceField(queryset=Task.objects.none(), required=False)
    tasks = forms.ModelMultipleChoiceField(
        queryset=Task.objects.none(), required=False, label="Linked tasks"
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, project: Project, accepted: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _people(self, project, "owner", "acceptor")
        self.fields["milestone"].queryset = scope_selectors.milestones(project)  # type: ignore[attr-defined]
        self.fields["tasks"].queryset = scope_selectors.plan_tasks(project)  # type: ignore[attr-defined]
        if accepted:
            self.fields["status"].choices = DeliverableStatus.choices  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["tasks"] = list(data["tasks"])
        return data


class DeliverableCreateForm(DeliverableForm):
    criteria = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Acceptance criteria",
        help_text="One per line.",
    )

    def changes(self) -> dict[str, Any]:
        data = super().changes()
        data["criteria"] = data.get("criteria", "").splitlines()
        return data


class CriterionAddForm(Form):
    text = forms.CharField(max_length=500, label="New criterion")


class AcceptForm(Form):
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)
