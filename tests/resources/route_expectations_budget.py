"""Permission-matrix entries for the Budget and Earned value tabs (resources/budgets/urls.py).

Seeing money is ProjectAction.VIEW_MONEY (managers, org admins, stakeholders: never members or
viewers); changing the budget and recording expenses is ProjectAction.EDIT_BUDGET (managers and
org admins). Objects are made through the services the first time a case asks.
"""

from datetime import date
from decimal import Decimal

from resources.budgets import services as budget_services
from resources.models import BudgetLine, Expense
from tests.permission_matrix import Case, expect, project_manage

# Readers of money: 200; members and viewers: 403; outside the project: 404.
MONEY_READ = expect(200, anonymous=302, outsider=404, bystander=404, member=403, viewer=403)


def _web(world):
    return {"project_id": world.project.pk}


def _line(world) -> BudgetLine:
    line = BudgetLine.objects.filter(project=world.project).first()
    return line or budget_services.budget_line_create(
        project=world.project,
        actor=world.manager,
        category="hardware",
        name="Test rigs",
        amount=Decimal(12000),
        reason="Initial budget",
    )


def _expense(world) -> Expense:
    expense = Expense.objects.filter(project=world.project).first()
    return expense or budget_services.expense_create(
        project=world.project,
        actor=world.manager,
        vendor="Rigs Ltd",
        amount=Decimal(2400),
        date=date(2027, 3, 3),
    )


def _line_kwargs(world):
    return {"project_id": world.project.pk, "line_id": _line(world).pk}


def _expense_kwargs(world):
    return {"project_id": world.project.pk, "expense_id": _expense(world).pk}


def _line_form(world):
    line = _line(world)
    return {
        "category": "hardware",
        "name": "Test rigs",
        "amount": "13000",
        "currency": "USD",
        "reason": "A second rig",
        "version": line.version,
    }


def _finance_form(world):
    finance = budget_services.finance_of(world.project)
    return {
        "contingency": "500",
        "management_reserve": "200",
        "reason": "Risk review",
        "version": finance.version,
    }


def _expense_form(world):
    return {
        "vendor": "Rigs Ltd",
        "amount": "2400",
        "currency": "USD",
        "date": "2027-03-03",
        "status": "paid",
        "version": _expense(world).version,
    }


ROUTES = [
    Case("project-budget", "get", MONEY_READ, kwargs=_web),
    Case(
        "budget-line-create",
        "post",
        project_manage(ok=302),
        kwargs=_web,
        data=lambda w: {**_line_form(w), "name": "Licences"},
    ),
    Case("budget-line-edit", "get", project_manage(), kwargs=_line_kwargs),
    Case("budget-line-edit", "post", project_manage(ok=302), kwargs=_line_kwargs, data=_line_form),
    Case(
        "budget-line-delete",
        "post",
        project_manage(ok=302),
        kwargs=_line_kwargs,
        data=lambda w: {"reason": "Rented instead"},
    ),
    Case("budget-finance", "post", project_manage(ok=302), kwargs=_web, data=_finance_form),
    Case("expense-create", "get", project_manage(), kwargs=_web),
    Case("expense-create", "post", project_manage(ok=302), kwargs=_web, data=_expense_form),
    Case("expense-edit", "get", project_manage(), kwargs=_expense_kwargs),
    Case(
        "expense-edit", "post", project_manage(ok=302), kwargs=_expense_kwargs, data=_expense_form
    ),
    # No file is stored by the matrix (it would land in the real MEDIA_ROOT): readers of money
    # get 404 ("this expense has no file"); test_expenses.py downloads a real one.
    Case(
        "expense-attachment",
        "get",
        expect(404, anonymous=302, member=403, viewer=403),
        kwargs=_expense_kwargs,
    ),
    Case("project-evm", "get", MONEY_READ, kwargs=_web),
]
