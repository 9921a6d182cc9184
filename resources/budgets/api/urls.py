"""API routes of budgets, expenses, the budget's log and a project's earned value."""

from django.urls import path

from tpm.api.routing import ApiRouter

from .views import BudgetChangeViewSet, BudgetLineViewSet, ExpenseViewSet, ProjectEvmView

router = ApiRouter()
router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
router.register("expenses", ExpenseViewSet, basename="expense")
router.register("budget-changes", BudgetChangeViewSet, basename="budget-change")

urlpatterns = [
    path("projects/<int:pk>/evm/", ProjectEvmView.as_view(), name="project-evm"),
    *router.urls,
]
