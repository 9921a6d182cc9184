"""Forms of the pool, rates, allocation and assignment pages. They parse input; the services
check the rules (and say what is wrong) and write."""

from typing import Any, cast

from django import forms

from projects.forms import DateInput, apply_service_errors
from projects.models import CURRENCIES, Project, WorkCalendar
from resources.models import Resource, ResourceKind, ResourceRole, Skill
from resources.pool import selectors as pool_selectors
from resources.pool.services.people import calendars_for
from tpm.forms import Form
from tpm.models import Organisation, User

show_errors = apply_service_errors

RATE_DATE_REQUIRED = (
    "A rate needs the date it applies from: rates are never rewritten, a new rate applies "
    "from its date on."
)


def _queryset(form: forms.Form, name: str, queryset: Any) -> None:
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


def _decimal(label: str, *, required: bool = False, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=12, decimal_places=2, **kwargs
    )


def _person(user: User) -> str:
    return f"{user.display_name} ({user.email})" if user.full_name else user.email


class PoolFilterForm(Form):
    """The pool list's filters (GET); an invalid choice is ignored rather than an error."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    role = forms.ModelChoiceField(
        label="Role", required=False, queryset=ResourceRole.objects.none(), empty_label="Any"
    )
    skill = forms.ModelChoiceField(
        label="Skill", required=False, queryset=Skill.objects.none(), empty_label="Any"
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any"), *ResourceKind.choices]
    )
    inactive = forms.BooleanField(label="Include inactive", required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "role", pool_selectors.roles_of(organisation))
        _queryset(self, "skill", pool_selectors.skills_of(organisation))

    def filters(self) -> pool_selectors.PoolFilter:
        if not self.is_bound:
            return pool_selectors.PoolFilter()
        self.is_valid()
        data = self.cleaned_data
        role = data.get("role")
        skill = data.get("skill")
        return pool_selectors.PoolFilter(
            q=data.get("q") or "",
            role_id=role.pk if role else None,
            skill_id=skill.pk if skill else None,
            kind=data.get("kind") or "",
            include_inactive=bool(data.get("inactive")),
        )


class ResourceForm(Form):
    kind = forms.ChoiceField(label="Kind", choices=ResourceKind.choices)
    name = forms.CharField(
        label="Name",
        max_length=160,
        help_text="A person, a placeholder (“Backend engineer #2”), equipment or a licence.",
    )
    user = forms.ModelChoiceField(
        label="User account",
        required=False,
        queryset=User.objects.none(),
        empty_label="None (contractor or placeholder)",
    )
    email = forms.EmailField(label="Email", required=False)
    role = forms.ModelChoiceField(
        label="Role", required=False, queryset=ResourceRole.objects.none()
    )
    skills = forms.ModelMultipleChoiceField(
        label="Skills",
        required=False,
        queryset=Skill.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    hours_per_day = _decimal("Hours per day", required=False, help_text="Default 8.")
    calendar = forms.ModelChoiceField(
        label="Working calendar",
        required=False,
        queryset=WorkCalendar.objects.none(),
        empty_label="The project's / organisation's default",
    )
    unit_cost = _decimal("Unit cost", help_text="Equipment and licences only.")
    unit_label = forms.CharField(label="Unit", required=False, max_length=40)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(
            self,
            "user",
            User.objects.filter(memberships__organisation=organisation).order_by("email"),
        )
        _queryset(self, "role", pool_selectors.roles_of(organisation))
        _queryset(self, "skills", pool_selectors.skills_of(organisation))
        _queryset(self, "calendar", calendars_for(organisation).order_by("name"))
        cast(forms.ModelChoiceField, self.fields["user"]).label_from_instance = _person  # type: ignore[method-assign,assignment]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["unit_label"] = data.get("unit_label") or ""
        data["email"] = data.get("email") or ""
        return data


class NameForm(Form):
    name = forms.CharField(label="Name", max_length=100)


class TimeOffForm(Form):
    start_date = forms.DateField(label="First day", widget=DateInput())
    end_date = forms.DateField(
        label="Last day", required=False, widget=DateInput(), help_text="Empty: one day."
    )
    hours_per_day = _decimal("Hours off per day", help_text="Empty: whole days.")
    reason = forms.CharField(label="Reason", required=False, max_length=200)


class RateForm(Form):
    effective_from = forms.DateField(
        label="Applies from",
        widget=DateInput(),
        error_messages={"required": RATE_DATE_REQUIRED},
    )
    hourly_rate = _decimal("Hourly rate", required=True)
    currency = forms.ChoiceField(label="Currency", choices=CURRENCIES, initial="USD")


class AllocationForm(Form):
    resource = forms.ModelChoiceField(label="Person or resource", queryset=Resource.objects.none())
    start_date = forms.DateField(label="From", widget=DateInput())
    end_date = forms.DateField(label="To", widget=DateInput())
    percent = forms.IntegerField(
        label="Allocation (%)", initial=100, help_text="Share of their capacity, 1 to 200 %."
    )
    note = forms.CharField(label="Note", required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "resource", pool_selectors.allocatable_resources(project.organisation_id))

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["note"] = data.get("note") or ""
        return data


class AssignmentForm(Form):
    resource = forms.ModelChoiceField(label="Resource", queryset=Resource.objects.none())
    units = _decimal("Units (%)", required=True, initial=100)
    work_hours = _decimal(
        "Work (hours)",
        help_text="Empty: the task's effort shared among its people, or its duration x units.",
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _queryset(self, "resource", pool_selectors.allocatable_resources(organisation_id))


class AssignmentEditForm(Form):
    units = _decimal("Units (%)", required=True)
    work_hours = _decimal("Work (hours)")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
