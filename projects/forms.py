"""Forms for the project pages. They parse input; services check the rules and write."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from projects.calendars.timeline import EARLIEST_PLAN_DATE, LATEST_PLAN_DATE
from projects.models import CURRENCIES, Methodology, ProgressWeighting, Project, ProjectStatus
from tpm.forms import Form
from tpm.models import Membership
from tpm.roles import ProjectRole


def apply_service_errors(form: forms.Form, error: ValidationError, **renames: str) -> None:
    """Show a service's ValidationError on the form: next to its field when the form has one.

    `renames` maps a service's field name to the form's (e.g. user="email").
    """
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            name = renames.get(name, name)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PlanDateInput(DateInput):
    """A project's dates: the picker offers only what the rule accepts (Project.clean)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        bounds = {"min": EARLIEST_PLAN_DATE.isoformat(), "max": LATEST_PLAN_DATE.isoformat()}
        super().__init__({**bounds, **(attrs or {})})


class ProjectFilterForm(Form):
    """The project list's filters (GET); an invalid choice is ignored rather than an error."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *ProjectStatus.choices]
    )
    methodology = forms.ChoiceField(
        label="Methodology",
        required=False,
        choices=[("", "Any methodology"), *Methodology.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs["placeholder"] = "Key or name"

    def filters(self) -> dict[str, str]:
        self.is_valid()  # invalid fields are left out of cleaned_data
        return {name: value for name, value in self.cleaned_data.items() if value}


class ProjectFieldsForm(Form):
    """The fields a manager edits; the creation form adds the key."""

    name = forms.CharField(label="Name", max_length=160)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    methodology = forms.ChoiceField(
        label="Methodology", choices=Methodology.choices, initial=Methodology.HYBRID
    )
    status = forms.ChoiceField(
        label="Status", choices=ProjectStatus.choices, initial=ProjectStatus.PROPOSED
    )
    start_date = forms.DateField(label="Start date", required=False, widget=PlanDateInput)
    target_date = forms.DateField(label="Target date", required=False, widget=PlanDateInput)
    currency = forms.ChoiceField(
        label="Currency",
        choices=CURRENCIES,
        initial="USD",
        help_text="Budgets and costs of this project are in this currency.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, target = cleaned.get("start_date"), cleaned.get("target_date")
        if start and target and target < start:
            self.add_error("target_date", "The target date is before the start date.")
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ProjectFieldsForm.base_fields}


class ProjectCreateForm(ProjectFieldsForm):
    key = forms.CharField(
        label="Key",
        max_length=10,
        help_text=Project._meta.get_field("key").help_text,
    )
    field_order = ("key", "name")

    def clean_key(self) -> str:
        return self.cleaned_data["key"].strip().upper()


class ProjectSettingsForm(ProjectFieldsForm):
    """The creation form's fields, and what only matters once there is a plan."""

    status_date = forms.DateField(
        label="Status date",
        required=False,
        widget=PlanDateInput,
        help_text="Progress is reported as of this date; remaining work is scheduled after it.",
    )
    progress_weighting = forms.TypedChoiceField(
        label="Summary progress",
        choices=ProgressWeighting.choices,
        required=False,
        empty_value=ProgressWeighting.DURATION,
        initial=ProgressWeighting.DURATION,
        help_text="How a summary's % complete weighs the tasks under it.",
    )

    version = forms.IntegerField(widget=forms.HiddenInput)

    PLAN_SETTINGS = ("status_date", "progress_weighting")

    @classmethod
    def for_project(cls, project: Project) -> "ProjectSettingsForm":
        names = (*ProjectFieldsForm.base_fields, *cls.PLAN_SETTINGS)
        initial = {name: getattr(project, name) for name in names}
        return cls(initial={**initial, "version": project.version})

    def changes(self) -> dict[str, Any]:
        plan = {name: self.cleaned_data[name] for name in self.PLAN_SETTINGS}
        return {**super().changes(), **plan}


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        user = obj.user
        return f"{user.full_name} ({user.email})" if user.full_name else user.email


class MemberAddForm(Form):
    """Give someone a role: pick an organisation member, or invite an email address."""

    member = MemberChoiceField(
        label="Organisation member",
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Choose a person…",
    )
    email = forms.EmailField(
        label="Or invite by email",
        required=False,
        help_text="Someone outside the organisation gets an invitation; "
        "the role is theirs when they accept it.",
    )
    role = forms.ChoiceField(label="Role", choices=ProjectRole.choices, initial=ProjectRole.MEMBER)

    def __init__(self, *args: Any, addable: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if addable is not None:
            cast(forms.ModelChoiceField, self.fields["member"]).queryset = addable

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        member, email = cleaned.get("member"), cleaned.get("email")
        if "email" in self.errors or "member" in self.errors:
            return cleaned
        if member and email:
            self.add_error("email", "Choose a member or type an email address, not both.")
        elif not member and not email:
            self.add_error("member", "Choose a member of the organisation or invite by email.")
        return cleaned


class MemberRoleForm(Form):
    role = forms.ChoiceField(label="Role", choices=ProjectRole.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)
