"""Reads for a project's budget page: the lines with their month grid, reserves, what has been
spent (from the earned-value report, so the figures are the same as on the EVM page and in
`manage.py evm`), expenses, the forecast at completion and the change log. A fixed number of
queries whatever the number of lines, months, expenses and changes.

How the numbers relate: `resources.evm.figures.BudgetFigures` (the report's `budget`) is the
one home of BAC, contingency, cost baseline, management reserve, approved budget, AC, EAC, ETC
and VAC; this page shows them as the dashboard, the status report, the EVM page and the API do,
and never recomputes them. Budget lines are the manager's split of the budget by category:
labour is budgeted on the tasks (their baseline cost is in BAC), the other lines join BAC with
their month plans. Committed (ordered, unpaid) expenses are shown apart and are not in AC.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from projects.models import Project
from resources.evm import charts
from resources.evm import figures as evm_figures
from resources.evm import selectors as evm_selectors
from resources.evm.selectors import EvmReport
from resources.models import (
    BudgetCategory,
    BudgetChange,
    BudgetLine,
    Expense,
    ExpenseStatus,
    ProjectFinance,
)

ZERO = Decimal(0)
EXPENSE_LIMIT = 500
CHANGE_LIMIT = 100
UNASSIGNED = "Not on a budget line"


@dataclass
class LineRow:
    line: BudgetLine
    months: list[Decimal | None]  # one per column of the grid
    planned: Decimal  # sum of its months
    paid: Decimal = ZERO
    committed: Decimal = ZERO

    @property
    def unplanned(self) -> Decimal:
        """Amount not yet spread over months (negative: months plan more than the line)."""
        return self.line.amount - self.planned


@dataclass
class CategoryRow:
    label: str
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    committed: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual - self.committed


@dataclass
class Forecast:
    label: str
    eac: Decimal | None
    vac: Decimal | None  # BAC - EAC (negative: over)


@dataclass
class BudgetOverview:
    project: Project
    finance: ProjectFinance
    report: EvmReport
    months: list[date]
    lines: list[LineRow]
    categories: list[CategoryRow]
    expenses: list[Expense]
    expenses_truncated: bool
    changes: list[BudgetChange]
    forecasts: list[Forecast]
    work_cost: Decimal | None  # AC on tasks (labour and costs entered on tasks)
    paid_expenses: Decimal
    burn: charts.MoneyChart = field(default_factory=charts.MoneyChart)

    @property
    def lines_total(self) -> Decimal:
        return sum((row.line.amount for row in self.lines), ZERO)

    @property
    def money(self) -> dict[str, Decimal]:
        """BAC, reserves, cost baseline, approved budget, AC, EAC, ETC, VAC (BudgetFigures)."""
        return self.report.money

    @property
    def labour_lines(self) -> Decimal:
        return sum(
            (r.line.amount for r in self.lines if r.line.category == BudgetCategory.LABOUR), ZERO
        )

    @property
    def month_totals(self) -> list[Decimal]:
        return [
            sum((r.months[n] or ZERO for r in self.lines), ZERO) for n in range(len(self.months))
        ]


def month_span(plans: list[date], project: Project, limit: int = 36) -> list[date]:
    """The grid's columns: every month from the first to the last planned one (or the
    project's start to its target date), at most `limit`."""
    ends = [d.replace(day=1) for d in (project.start_date, project.target_date) if d]
    found = sorted(set(plans) | set(ends))
    if not found:
        return []
    months: list[date] = []
    month = found[0]
    while month <= found[-1] and len(months) < limit:
        months.append(month)
        month = charts.month_end(month)
    return months


def _line_rows(project: Project) -> tuple[list[LineRow], list[date]]:
    lines = list(BudgetLine.objects.filter(project=project).prefetch_related("plan"))
    months = month_span([p.month for line in lines for p in line.plan.all()], project)
    index = {month: n for n, month in enumerate(months)}
    rows = []
    for line in lines:
        cells: list[Decimal | None] = [None] * len(months)
        for plan in line.plan.all():
            if plan.month in index:
                cells[index[plan.month]] = plan.amount
        rows.append(LineRow(line, cells, sum((p.amount for p in line.plan.all()), ZERO)))
    return rows, months


def _expense_sums(project: Project, status: date) -> list[dict[str, Any]]:
    rows: Any = (
        Expense.objects.filter(project=project, currency=project.currency, date__lte=status)
        .values("budget_line_id", "budget_line__category", "status")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return list(rows)


def _categories(
    rows: list[LineRow], sums: list[dict[str, Any]], work_cost: Decimal | None
) -> list[CategoryRow]:
    by_label: dict[str, CategoryRow] = {
        label: CategoryRow(str(label)) for _, label in BudgetCategory.choices
    }
    keys = dict(BudgetCategory.choices)
    by_line = {row.line.pk: row for row in rows}
    for row in rows:
        by_label[str(keys[row.line.category])].budget += row.line.amount
    by_label[str(keys[BudgetCategory.LABOUR])].actual += work_cost or ZERO
    unassigned = CategoryRow(UNASSIGNED)
    for item in sums:
        category = item["budget_line__category"]
        target = by_label[str(keys[category])] if category else unassigned
        line = by_line.get(item["budget_line_id"])
        if item["status"] == ExpenseStatus.PAID:
            target.actual += item["total"]
            if line is not None:
                line.paid += item["total"]
        else:
            target.committed += item["total"]
            if line is not None:
                line.committed += item["total"]
    result = [row for row in by_label.values() if row.budget or row.actual or row.committed]
    if unassigned.actual or unassigned.committed:
        result.append(unassigned)
    return result


def _forecasts(report: EvmReport) -> list[Forecast]:
    places = report.money_places
    return [
        Forecast(
            estimate.label,
            evm_figures.round_half_even(estimate.eac, places),
            evm_figures.round_half_even(estimate.vac, places),
        )
        for estimate in report.result.project.estimates
    ]


def _burn(report: EvmReport) -> charts.MoneyChart:
    """The EVM page's budget burn: planned (PV) against actual spend (AC) per month, with BAC
    and the forecast (EAC) as lines."""
    money = report.money
    return charts.budget_burn(
        evm_selectors.budget_burn_months(report), budget=money["bac"] or None, eac=money["eac"]
    )


def budget_overview(project: Project, *, status_date: date | None = None) -> BudgetOverview:
    """Everything the budget page shows, as of the status date (default: the project's)."""
    finance = ProjectFinance.objects.filter(project=project).first() or ProjectFinance(
        project=project
    )
    report = evm_selectors.project_evm(project, status_date=status_date, period="month")
    rows, months = _line_rows(project)
    paid = evm_figures.round_half_even(report.paid_expenses, report.money_places)
    ac = report.money["ac"]
    work_cost = ac - (paid or ZERO)
    sums = _expense_sums(project, report.status_date)
    expenses = list(
        Expense.objects.filter(project=project).select_related("budget_line", "created_by")[
            : EXPENSE_LIMIT + 1
        ]
    )
    overview = BudgetOverview(
        project=project,
        finance=finance,
        report=report,
        months=months,
        lines=rows,
        categories=_categories(rows, sums, work_cost),
        expenses=expenses[:EXPENSE_LIMIT],
        expenses_truncated=len(expenses) > EXPENSE_LIMIT,
        changes=list(
            BudgetChange.objects.filter(project=project).select_related("author", "budget_line")[
                :CHANGE_LIMIT
            ]
        ),
        forecasts=_forecasts(report),
        work_cost=work_cost,
        paid_expenses=paid or ZERO,
        burn=_burn(report),
    )
    return overview
