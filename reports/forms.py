"""Forms of the reports pages; services re-check every rule (forms only parse)."""

from typing import Any

from django import forms

from projects.forms import DateInput
from projects.models.project import Methodology, ProjectStatus
from tpm.forms import Form
from tpm.roles import ProjectRole

from .models import THRESHOLD_FIELDS, HealthColour, HealthThresholds, OverrideTarget, ReportSchedule

SORT_CHOICES = [
    ("name", "Name"),
    ("health", "Health (worst first)"),
    ("complete", "% complete"),
    ("variance", "Finish variance"),
    ("manager", "Manager"),
]


class PortfolioFilterForm(Form):
    """The portfolio's filters and sort (GET); an invalid choice is ignored."""

    manager = forms.TypedChoiceField(label="Manager", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *ProjectStatus.choices]
    )
    methodology = forms.ChoiceField(
        label="Methodology",
        required=False,
        choices=[("", "Any methodology"), *Methodology.choices],
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)
    desc = forms.BooleanField(label="Descending", required=False)

    def __init__(self, *args: Any, managers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].choices = [("", "Any manager"), *managers]  # type: ignore[attr-defined]

    def options(self) -> dict[str, Any]:
        self.is_valid()
        data = self.cleaned_data
        return {
            "manager": data.get("manager"),
            "status": data.get("status") or "",
            "methodology": data.get("methodology") or "",
            "sort": data.get("sort") or "name",
            "descending": bool(data.get("desc")),
        }


class OverrideForm(Form):
    target = forms.ChoiceField(label="Colour of", choices=OverrideTarget.choices)
    colour = forms.ChoiceField(label="Set to", choices=HealthColour.choices)
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Stakeholders see this next to the colour.",
    )


class ReportNarrativeForm(Form):
    title = forms.CharField(label="Title", max_length=160)
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea)
    accomplishments = forms.CharField(
        label="Accomplishments", required=False, widget=forms.Textarea
    )
    next_steps = forms.CharField(label="Next steps", required=False, widget=forms.Textarea)
    asks = forms.CharField(label="Asks and decisions needed", required=False, widget=forms.Textarea)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class _ModelForm(forms.ModelForm):
    """Labels without Django's trailing colon, like every Linchpin form (tpm.forms.Form)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ScheduleForm(_ModelForm):
    recipient_roles = forms.MultipleChoiceField(
        label="Send to these project roles",
        choices=ProjectRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ReportSchedule
        fields = (
            "name",
            "frequency",
            "weekday",
            "time_of_day",
            "time_zone",
            "starts_on",
            "recipient_roles",
            "external_emails",
            "audience",
            "is_active",
        )
        widgets = {
            "time_of_day": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "starts_on": DateInput,
            "external_emails": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"time_of_day": "Time", "starts_on": "First sending on or after"}


class ShareLinkForm(Form):
    label = forms.CharField(label="Label", max_length=120, required=False)
    days = forms.IntegerField(label="Valid for (days)", min_value=1, max_value=90, initial=14)
    with_money = forms.BooleanField(
        label="Include budgets and costs",
        required=False,
        initial=False,
        help_text="Whoever holds the link sees the budget, forecast and spending. Leave it off "
        "for links that may travel further than the project's sponsors.",
    )


class ThresholdsForm(_ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = HealthThresholds
        fields = THRESHOLD_FIELDS
