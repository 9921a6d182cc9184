"""The Budget and Earned value tabs of a project; included at the site's root by
resources/urls.py (full paths here)."""

from django.urls import path

from resources.budgets import views as budgets
from resources.evm import views as evm

urlpatterns = [
    path("projects/<int:project_id>/budget/", budgets.project_budget, name="project-budget"),
    path(
        "projects/<int:project_id>/budget/lines/new/",
        budgets.budget_line_create,
        name="budget-line-create",
    ),
    path(
        "projects/<int:project_id>/budget/lines/<int:line_id>/",
        budgets.budget_line_edit,
        name="budget-line-edit",
    ),
    path(
        "projects/<int:project_id>/budget/lines/<int:line_id>/delete/",
        budgets.budget_line_delete,
        name="budget-line-delete",
    ),
    path(
        "projects/<int:project_id>/budget/reserves/",
        budgets.budget_finance,
        name="budget-finance",
    ),
    path(
        "projects/<int:project_id>/budget/expenses/new/",
        budgets.expense_create,
        name="expense-create",
    ),
    path(
        "projects/<int:project_id>/budget/expenses/<int:expense_id>/",
        budgets.expense_edit,
        name="expense-edit",
    ),
    path(
        "projects/<int:project_id>/budget/expenses/<int:expense_id>/file/",
        budgets.expense_attachment,
        name="expense-attachment",
    ),
    path("projects/<int:project_id>/evm/", evm.project_evm, name="project-evm"),
]
