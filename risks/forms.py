"""Forms of the register pages. They parse input; services check the rules and write."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from projects.forms import DateInput, apply_service_errors
from projects.models import Project
from projects.plan.forms import PickedTask, picked, picker_code, picker_state
from tpm.forms import Form

from . import scoring
from .models import (
    Assumption,
    Decision,
    ExternalDependency,
    Issue,
    Risk,
    RiskCategory,
    RiskKind,
    RiskSettings,
    RiskStatus,
)
from .models.raid import RaidEntry
from .raid.services import FIELDS as RAID_FIELDS
from .selectors import project_people

P_CHOICES = [(n, f"{n} · {text}") for n, text in scoring.PROBABILITY_MEANINGS.items()]


def _impact_choices(dimension: str) -> list[tuple[int, str]]:
    return [(n, f"{n} · {text}") for n, text in scoring.IMPACT_MEANINGS[dimension].items()]


RESIDUAL_CHOICES = [("", "Not assessed"), *[(n, str(n)) for n in scoring.SCALE]]


def show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError next to the fields of any form (model forms too)."""
    apply_service_errors(cast(forms.Form, form), error)


def set_choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


class ModelForm(forms.ModelForm):
    """Linchpin's model forms: labels without the trailing colon; never saved directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


def _ratings(form: forms.BaseForm) -> None:
    form.fields["probability"] = forms.TypedChoiceField(
        label="Probability", choices=P_CHOICES, coerce=int, initial=3
    )
    for dim in scoring.IMPACT_DIMENSIONS:
        form.fields[f"impact_{dim}"] = forms.TypedChoiceField(
            label=f"Impact on {dim}", choices=_impact_choices(dim), coerce=int, initial=1
        )
    for name, label in (
        ("residual_probability", "Residual probability"),
        ("residual_impact", "Residual impact"),
    ):
        form.fields[name] = forms.TypedChoiceField(
            label=label,
            choices=RESIDUAL_CHOICES,
            coerce=int,
            required=False,
            empty_value=None,
            help_text="After the response works.",
        )


ASSESSMENT = [
    "probability",
    "impact_schedule",
    "impact_cost",
    "impact_scope",
    "impact_quality",
    "residual_probability",
    "residual_impact",
    "cost_impact",
    "schedule_impact_days",
]


def _without_money(form: forms.BaseForm, money: bool) -> None:
    """Readers who may not see money neither read nor set the cost impact (it stays as it is)."""
    if not money:
        form.fields.pop("cost_impact", None)


class RiskForm(ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Risk
        fields = [
            "kind",
            "title",
            "cause",
            "event",
            "effect",
            "category",
            "owner",
            "status",
            *ASSESSMENT,
            "proximity",
            "trigger",
            "strategy",
            "response_plan",
            "contingency_plan",
            "next_review_on",
        ]
        widgets = {
            "cause": forms.Textarea(attrs={"rows": 2}),
            "event": forms.Textarea(attrs={"rows": 2}),
            "effect": forms.Textarea(attrs={"rows": 2}),
            "response_plan": forms.Textarea(attrs={"rows": 3}),
            "contingency_plan": forms.Textarea(attrs={"rows": 3}),
            "proximity": DateInput(),
            "next_review_on": DateInput(),
        }
        labels = {
            "cost_impact": "Cost if it happens",
            "schedule_impact_days": "Delay if it happens (working days)",
            "next_review_on": "Next review",
        }

    def __init__(self, *args: Any, project: Project, money: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _without_money(self, money)
        set_choices(
            self,
            "category",
            RiskCategory.objects.filter(organisation_id=project.organisation_id, is_active=True),
        )
        set_choices(self, "owner", project_people(project=project))
        self.fields["owner"].required = False
        _ratings(self)

    def _post_clean(self) -> None:
        """The service validates the whole record; the form only parses fields."""


class ReassessForm(Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DateInput())
    status = forms.ChoiceField(choices=RiskStatus.choices)
    cost_impact = forms.DecimalField(label="Cost if it happens", max_digits=14, decimal_places=2)
    schedule_impact_days = forms.IntegerField(
        label="Delay if it happens (working days)", min_value=0
    )
    next_review_on = forms.DateField(label="Next review", required=False, widget=DateInput())
    note = forms.CharField(label="What changed", required=False, widget=forms.Textarea({"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, money: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _ratings(self)
        self.order_fields(["reviewed_on", *ASSESSMENT, "status", "next_review_on", "note"])
        _without_money(self, money)

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("version", "reviewed_on", "note"):
            data.pop(name, None)
        return data


class ResponseForm(Form):
    name = forms.CharField(label="Action", max_length=200)
    duration_days = forms.DecimalField(
        label="Duration (working days)", min_value=0, max_value=1000, initial=1, decimal_places=2
    )


class LinkForm(Form):
    """A task or milestone of the plan to link, picked by searching (frontend/picker.js): a plan
    of 5,010 tasks listed as choices made the risk's page 377 KB."""

    task = PickedTask("Task or milestone")
    task_code = picker_code(
        "Task or milestone", "Type part of its name or its WBS code, then pick it from the list."
    )

    def __init__(self, *args: Any, tasks: Any, project_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "link-%s")
        super().__init__(*args, **kwargs)
        self.project_id = project_id
        field = cast(forms.ModelChoiceField, self.fields["task"])
        field.queryset = tasks  # checks the id posted; never listed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        required = "Task or milestone: type part of its name or its WBS code and pick it."
        picked(self, "task", home_project_id=self.project_id, required=required)
        return cleaned

    def task_picker(self) -> dict[str, Any]:
        return picker_state(self, "task", with_project=False)


class RegisterFilterForm(Form):
    """The register's filters (GET); an invalid value is ignored rather than an error."""

    status = forms.ChoiceField(
        required=False,
        choices=[("open", "Open"), ("all", "All"), *RiskStatus.choices],
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "Threats and opportunities"), *RiskKind.choices],
    )
    category = forms.ModelChoiceField(
        required=False, queryset=RiskCategory.objects.none(), empty_label="Any category"
    )
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        required=False, queryset=Risk.objects.none(), empty_label="Anyone"
    )
    level = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any level"),
            *[(lvl.value, lvl.value.capitalize()) for lvl in scoring.Level],
        ],
    )
    q = forms.CharField(label="Search", required=False, max_length=100)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("score", "Score, highest first"),
            ("residual", "Residual score"),
            ("emv", "Cost impact"),
            ("proximity", "Proximity"),
            ("review", "Next review"),
            ("ref", "Reference"),
            ("title", "Title"),
            ("category", "Category"),
            ("owner", "Owner"),
            ("status", "Status"),
        ],
    )
    as_of = forms.DateField(label="As of", required=False, widget=DateInput())
    grid = forms.ChoiceField(
        required=False, choices=[("", "-"), ("inherent", "Inherent"), ("residual", "Residual")]
    )
    p = forms.TypedChoiceField(
        required=False, coerce=int, choices=[("", "-"), *P_CHOICES], empty_value=None
    )
    i = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=[("", "-"), *[(n, n) for n in scoring.SCALE]],
        empty_value=None,
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self, "category", RiskCategory.objects.filter(organisation_id=project.organisation_id)
        )
        set_choices(self, "owner", project_people(project=project))

    def values(self) -> dict[str, Any]:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


class RiskSettingsForm(ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RiskSettings
        fields = [
            "medium_from",
            "high_from",
            "critical_from",
            "appetite",
            "escalation_from",
            "notify_stakeholders",
        ]
        labels = {
            "medium_from": "Medium from score",
            "high_from": "High from score",
            "critical_from": "Critical from score",
            "appetite": "Risk appetite (highest accepted score)",
            "escalation_from": "Escalate from score",
        }

    def _post_clean(self) -> None:
        """The service checks that the thresholds rise."""


class CategoryForm(Form):
    name = forms.CharField(label="New category", max_length=60)


# --- the RAID log ------------------------------------------------------------------------------

_RAID_WIDGETS = {
    "description": forms.Textarea(attrs={"rows": 3}),
    "rationale": forms.Textarea(attrs={"rows": 3}),
    "alternatives": forms.Textarea(attrs={"rows": 3}),
    "resolution": forms.Textarea(attrs={"rows": 3}),
    "validate_by": DateInput(),
    "raised_on": DateInput(),
    "due_on": DateInput(),
    "decided_on": DateInput(),
}


def raid_form_class(model: type[RaidEntry]) -> type[ModelForm]:
    """A form of the fields the service lets people set on this kind of entry."""
    entry_model = model

    class RaidForm(ModelForm):
        version = forms.IntegerField(widget=forms.HiddenInput, required=False)

        class Meta:
            model = entry_model
            fields = list(RAID_FIELDS[entry_model])
            widgets = {k: v for k, v in _RAID_WIDGETS.items() if k in RAID_FIELDS[model]}

        def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            set_choices(self, "owner", project_people(project=project))
            if "risk" in self.fields:
                set_choices(self, "risk", Risk.objects.filter(project=project))
                self.fields["risk"].required = False

        def _post_clean(self) -> None:
            """The service validates the whole record."""

    RaidForm.__name__ = f"{model.__name__}Form"
    return RaidForm


RAID_FORMS: dict[type[RaidEntry], type[ModelForm]] = {
    model: raid_form_class(model) for model in (Assumption, Issue, Decision, ExternalDependency)
}


class ImportUploadForm(Form):
    file = forms.FileField(label="CSV or Excel (.xlsx) file")
