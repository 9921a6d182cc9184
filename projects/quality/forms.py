"""Forms of the Quality tab and the organisation's gate templates (issue 7)."""

from typing import Any

from django import forms
from django.db.models import Q

from projects.forms import DateInput
from projects.models import CriterionResult, Deliverable, GateTemplate, Project, ReviewVerdict, Task
from projects.quality import selectors as quality_selectors
from tpm.forms import Form
from tpm.roles import ProjectRole

ROLE_CHOICES = ProjectRole.choices


class GateForm(Form):
    template = forms.ModelChoiceField(
        queryset=GateTemplate.objects.none(),
        required=False,
        help_text="Its criteria and reviewers are copied.",
    )
    name = forms.CharField(max_length=200, required=False, help_text="Empty: the template's.")
    task = forms.ModelChoiceField(
        queryset=Task.objects.none(),
        required=False,
        label="Phase or milestone",
        help_text="Or a deliverable.",
    )
    deliverable = forms.ModelChoiceField(queryset=Deliverable.objects.none(), required=False)
    due_date = forms.DateField(required=False, widget=DateInput, help_text="Empty: its finish.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    criteria = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line (added to the template's).",
    )
    reviewer_roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Required reviewers",
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = quality_selectors.gate_templates(  # type: ignore[attr-defined]
            project.organisation_id, archived=False
        )
        self.fields["task"].queryset = (  # type: ignore[attr-defined]
            Task.objects.alive()
            .filter(project=project)
            .filter(Q(is_milestone=True) | Q(is_summary=True))
            .order_by("outline_key")
        )
        self.fields["deliverable"].queryset = Deliverable.objects.filter(  # type: ignore[attr-defined]
            project=project
        ).order_by("number")

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["criteria"] = data["criteria"].splitlines()
        return data


class GateEditForm(Form):
    name = forms.CharField(max_length=200)
    due_date = forms.DateField(required=False, widget=DateInput)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class GateCriterionAddForm(Form):
    text = forms.CharField(max_length=500, label="New criterion")


class CriterionCheckForm(Form):
    result = forms.ChoiceField(choices=CriterionResult.choices)
    evidence_url = forms.URLField(
        required=False, label="Evidence link", max_length=500, assume_scheme="https"
    )
    evidence_comment = forms.CharField(
        required=False, label="Comment", widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_file = forms.FileField(required=False, label="Evidence file")
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(Form):
    verdict = forms.ChoiceField(
        choices=[(v, label) for v, label in ReviewVerdict.choices if v != ReviewVerdict.PENDING]
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class WaiverForm(Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why waive it")
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeasureForm(Form):
    date = forms.DateField(required=False, widget=DateInput, help_text="Empty: today.")
    test_pass_rate = forms.DecimalField(
        required=False, max_digits=5, decimal_places=2, label="Test pass rate (%)"
    )
    coverage = forms.DecimalField(
        required=False, max_digits=5, decimal_places=2, label="Coverage (%)"
    )
    note = forms.CharField(required=False, max_length=255)


class GateTemplateForm(Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    criteria = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text="One per line."
    )
    reviewer_roles = forms.MultipleChoiceField(
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Required reviewers",
    )
    archived = forms.BooleanField(required=False, help_text="No longer offered for new gates.")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["criteria"] = data["criteria"].splitlines()
        return data
