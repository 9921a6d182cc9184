"""Forms of the budget pages. Services check the rules (currency, reasons, versions); forms
parse input and carry the service's errors back next to their fields."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from projects.forms import DateInput
from projects.models import CURRENCIES, Project
from resources.models import BudgetCategory, BudgetLine, ExpenseStatus

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0)}
REASON_HELP = "Kept in the budget's change log with your name."


class BudgetForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class BudgetLineForm(BudgetForm):
    category = forms.ChoiceField(choices=BudgetCategory.choices)
    name = forms.CharField(max_length=160)
    amount = forms.DecimalField(**MONEY)  # type: ignore[arg-type]
    currency = forms.ChoiceField(choices=CURRENCIES)
    reason = forms.CharField(max_length=1000, help_text=REASON_HELP)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].initial = project.currency

    def changes(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("category", "name", "amount", "currency")}


class DeleteLineForm(BudgetForm):
    reason = forms.CharField(max_length=1000, help_text=REASON_HELP)


class FinanceForm(BudgetForm):
    contingency = forms.DecimalField(
        **MONEY,  # type: ignore[arg-type]
        help_text="For known risks; part of the cost baseline.",
    )
    management_reserve = forms.DecimalField(
        **MONEY,  # type: ignore[arg-type]
        help_text="For unknown risks; outside the cost baseline.",
    )
    progress_from_timesheets = forms.BooleanField(
        required=False,
        label="Progress from timesheets",
        help_text="Approved time sets the tasks' percent complete (actual / planned work).",
    )
    reason = forms.CharField(
        max_length=1000, required=False, help_text="Needed when a reserve changes."
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExpenseForm(BudgetForm):
    vendor = forms.CharField(max_length=160)
    description = forms.CharField(max_length=500, required=False)
    invoice_number = forms.CharField(max_length=80, required=False, label="Invoice number")
    amount = forms.DecimalField(**MONEY)  # type: ignore[arg-type]
    currency = forms.ChoiceField(choices=CURRENCIES)
    date = forms.DateField(widget=DateInput())
    status = forms.ChoiceField(choices=ExpenseStatus.choices)
    budget_line = forms.ModelChoiceField(
        queryset=BudgetLine.objects.none(), required=False, label="Budget line"
    )
    file = forms.FileField(required=False, label="Invoice file")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].initial = project.currency
        field = self.fields["budget_line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = BudgetLine.objects.filter(project=project)

    def changes(self) -> dict[str, Any]:
        names = (
            "vendor",
            "description",
            "invoice_number",
            "amount",
            "currency",
            "date",
            "status",
            "budget_line",
        )
        return {name: self.cleaned_data[name] for name in names}


def month_field(month: date) -> str:
    return f"m-{month:%Y-%m}"


def read_months(
    data: Mapping[str, Any], months: list[date]
) -> tuple[dict[date, Decimal], dict[str, str]]:
    """Planned amounts per month from the grid (`m-YYYY-MM`; empty is 0), and the months whose
    text is not an amount."""
    amounts: dict[date, Decimal] = {}
    errors: dict[str, str] = {}
    for month in months:
        name = month_field(month)
        if name not in data:
            continue
        text = str(data.get(name) or "").strip().replace(",", "")
        try:
            amounts[month] = Decimal(text) if text else Decimal(0)
        except InvalidOperation:
            errors[name] = f"{month:%b %Y}: “{text}” is not an amount."
            continue
        if not amounts[month].is_finite():
            errors[name] = f"{month:%b %Y}: “{text}” is not an amount."
    return amounts, errors
