"""The workload heat map's filters (GET): an invalid value falls back to the default."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from projects.forms import DateInput
from resources.models import ResourceRole, Skill
from resources.pool import selectors as pool_selectors
from resources.workload.selectors import DEFAULT_WEEKS, MAX_WEEKS, WorkloadFilters
from tpm.forms import Form
from tpm.models import Organisation


class WorkloadFilterForm(Form):
    q = forms.CharField(label="Person", required=False, max_length=100)
    start = forms.DateField(label="From the week of", required=False, widget=DateInput)
    weeks = forms.IntegerField(
        label="Weeks", required=False, min_value=1, max_value=MAX_WEEKS, initial=DEFAULT_WEEKS
    )
    role = forms.ModelChoiceField(
        label="Role", required=False, queryset=ResourceRole.objects.none(), empty_label="Any"
    )
    skill = forms.ModelChoiceField(
        label="Skill", required=False, queryset=Skill.objects.none(), empty_label="Any"
    )
    project = forms.TypedChoiceField(label="Project", required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, organisation: Organisation, projects: list[dict], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = pool_selectors.roles_of(organisation)  # type: ignore[attr-defined]
        self.fields["skill"].queryset = pool_selectors.skills_of(organisation)  # type: ignore[attr-defined]
        choices = [("", "Any")] + [(p["id"], f"{p['key']} · {p['name']}") for p in projects]
        self.fields["project"].choices = choices  # type: ignore[attr-defined]

    def filters(self, today: date | None = None) -> WorkloadFilters:
        today = today or timezone.localdate()
        if not self.is_bound or not self.is_valid():
            data: dict[str, Any] = self.cleaned_data if self.is_bound else {}
            valid = {k: v for k, v in data.items() if k not in self.errors}
        else:
            valid = self.cleaned_data
        role, skill = valid.get("role"), valid.get("skill")
        return WorkloadFilters(
            start=valid.get("start") or today,
            weeks=valid.get("weeks") or DEFAULT_WEEKS,
            role_id=role.pk if role else None,
            skill_id=skill.pk if skill else None,
            project_id=valid.get("project") or None,
            search=(valid.get("q") or "").strip(),
        )
