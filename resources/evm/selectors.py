"""A project's earned value: the engine run on its input, and the report's JSON and chart series.

`project_evm()` is the one function the EVM page, the API and `manage.py evm` call, so all
three show the same numbers; `projects_evm()` measures many projects at once (the dashboards,
the portfolio) with the same loading code, in the same fixed number of queries whatever the
number of projects. Neither checks permissions: callers check `ProjectAction.VIEW_MONEY` first.

The engine's input is loaded by resources/evm/loading.py, which says where each figure comes
from. The budget, reserves and forecast every page, PDF and the API show are the report's
`budget` (`resources.evm.figures.BudgetFigures`, where the words are defined once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any

from projects.models import Baseline, Project
from resources.evm import charts
from resources.evm import engine as evm
from resources.evm import figures as evm_figures
from resources.evm.lines import is_line_branch
from resources.evm.loading import EXPENSES_BRANCH, Prepared, evm_input, evm_inputs


@dataclass(frozen=True)
class BranchRow:
    task_id: int
    wbs_code: str
    name: str
    depth: int
    is_summary: bool
    exact: evm_figures.EvmFigures = field(repr=False, compare=False)
    money_places: int = 2

    @cached_property
    def figures(self) -> dict[str, Decimal | None]:
        """The branch's figures rounded for display: worked out when a page shows the row
        (rounding every figure of 5,000 branches took longer than the engine)."""
        return self.exact.rounded(money_places=self.money_places)


@dataclass(frozen=True)
class EvmReport:
    project: Project
    status_date: date
    baseline: Baseline | None
    source: str  # "baseline" or "plan" (no baseline saved yet)
    currency: str
    money_places: int
    result: evm.EvmResult
    figures: dict[str, Decimal | None]  # rounded for display (ratios to 2 places)
    rows: list[BranchRow]
    unrated_hours: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)  # ordered, unpaid expenses (not in AC)
    engine_input: evm.EvmInput | None = field(default=None, repr=False)
    budget: evm_figures.BudgetFigures = field(
        default_factory=lambda: evm_figures.BudgetFigures(evm_figures.EvmFigures())
    )

    @property
    def money(self) -> dict[str, Decimal]:
        """BAC, reserves, cost baseline, approved budget, AC, EAC, ETC, VAC: rounded."""
        return self.budget.rounded(money_places=self.money_places)

    @property
    def money_rows(self) -> list[dict[str, object]]:
        """`money` with each figure's term and definition, for the pages."""
        return evm_figures.budget_rows(self.money)

    @property
    def paid_expenses(self) -> Fraction:
        """AC from paid expenses: on the non-labour lines' branches and on none."""
        parents = [
            figures.ac
            for task_id, figures in self.result.branches.items()
            if task_id == EXPENSES_BRANCH or is_line_branch(task_id)
        ]
        return sum(parents, Fraction(0))

    def rounded(
        self, figures: evm_figures.EvmFigures, ratio_places: int = 2
    ) -> dict[str, Decimal | None]:
        return figures.rounded(money_places=self.money_places, ratio_places=ratio_places)


def _rows(tasks: list[dict[str, Any]], result: evm.EvmResult, places: int) -> list[BranchRow]:
    return [
        BranchRow(
            task_id=row["id"],
            wbs_code=row["wbs_code"],
            name=row["name"],
            depth=row["outline_key"].count("."),
            is_summary=row["is_summary"],
            exact=result.branches[row["id"]],
            money_places=places,
        )
        for row in tasks
    ]


def _report(project: Project, prepared: Prepared, *, branches: bool = True) -> EvmReport:
    result = evm.evaluate(prepared.data)
    places = evm_figures.currency_places(project.currency)
    budget = evm_figures.BudgetFigures(
        result.project,
        contingency=Fraction(prepared.contingency),
        management_reserve=Fraction(prepared.management_reserve),
        budget_lines=Fraction(prepared.lines_total),
        lines_in_bac=Fraction(prepared.lines_in_bac),
    )
    return EvmReport(
        project=project,
        status_date=prepared.data.status_date,
        baseline=prepared.baseline,
        source="baseline" if prepared.baseline is not None else "plan",
        currency=project.currency,
        money_places=places,
        result=result,
        figures=result.project.rounded(money_places=places),
        rows=_rows(prepared.tasks, result, places) if branches else [],
        unrated_hours=prepared.unrated_hours,
        committed=prepared.committed,
        engine_input=prepared.data,
        budget=budget,
    )


def project_evm(
    project: Project,
    *,
    status_date: date | None = None,
    baseline: Baseline | None = None,
    period: evm.Period = "week",
) -> EvmReport:
    """Earned value of the project at the status date (default: the project's, else today)."""
    prepared = evm_input(project, status_date=status_date, baseline=baseline, period=period)
    return _report(project, prepared)


def projects_evm(
    projects: Sequence[Project],
    *,
    status_date: date | None = None,
    period: evm.Period = "month",
    today: date | None = None,
    branches: bool = True,
) -> dict[int, EvmReport]:
    """Earned value of each project (by id) against its latest baseline, at `status_date`,
    else its own status date, else `today` (default: today in its zone): for each, the same
    figures as `project_evm`, loaded in a fixed number of queries whatever the number of
    projects (see `evm_inputs`). `branches=False` leaves each report's `rows` (the figures of
    every task, rounded for the table) empty, for callers that show only the project's."""
    prepared = evm_inputs(projects, status_date=status_date, period=period, today=today)
    return {
        project.pk: _report(project, prepared[project.pk], branches=branches)
        for project in projects
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _figures_json(
    figures: evm_figures.EvmFigures, places: int, ratio_places: int
) -> dict[str, str | None]:
    shown = figures.rounded(money_places=places, ratio_places=ratio_places)
    return {name: _text(value) for name, value in shown.items()}


BRANCH_PAGE = 500  # branches in an API answer by default (about 180 KB)
MAX_BRANCH_PAGE = 5000


def branch_window(offset: str, limit: str) -> tuple[int, int]:
    """The API's `branches_offset` and `branches_limit` (texts, "" when absent) as numbers;
    ValueError naming the parameter when one is not a whole number in range."""
    if offset and not offset.isdigit():
        raise ValueError("branches_offset: give a whole number from 0.")
    if limit and not (limit.isdigit() and 1 <= int(limit) <= MAX_BRANCH_PAGE):
        raise ValueError(f"branches_limit: give a whole number from 1 to {MAX_BRANCH_PAGE}.")
    return int(offset or 0), int(limit or BRANCH_PAGE)


def evm_json(
    report: EvmReport,
    *,
    ratio_places: int = 4,
    branches: bool = True,
    branch_offset: int = 0,
    branch_limit: int | None = None,
) -> dict:
    """The report as JSON-ready data (money and ratios as strings, exact to the shown places).

    With branches, `branches_total` counts them all and `branches` holds those from
    `branch_offset` on (at most `branch_limit`, in outline order): the API pages them, so a
    5,000-task plan is not 1.7 MB by default; the project's figures are always whole."""
    places = report.money_places
    figures = report.result.project
    data: dict[str, Any] = {
        "project": {
            "id": report.project.pk,
            "key": report.project.key,
            "name": report.project.name,
        },
        "status_date": report.status_date.isoformat(),
        "currency": report.currency,
        "source": report.source,
        "baseline": (
            {"id": report.baseline.pk, "name": report.baseline.name} if report.baseline else None
        ),
        "figures": _figures_json(figures, places, ratio_places),
        "labels": dict(evm_figures.FIGURE_LABELS),
        "budget": {name: _text(value) for name, value in report.money.items()},
        "definitions": [
            {"name": name, "term": term, "definition": text}
            for name, term, text in evm_figures.BUDGET_DEFINITIONS
        ],
        "estimates": [
            {
                "method": e.method,
                "label": e.label,
                "eac": _text(evm_figures.round_half_even(e.eac, places)),
                "etc": _text(evm_figures.round_half_even(e.etc, places)),
                "vac": _text(evm_figures.round_half_even(e.vac, places)),
            }
            for e in figures.estimates
        ],
        "unrated_hours": _text(report.unrated_hours),
        "committed_expenses": _text(
            evm_figures.round_half_even(Fraction(report.committed), places)
        ),
    }
    if branches:
        end = None if branch_limit is None else branch_offset + branch_limit
        data["branches_total"] = len(report.rows)
        data["branches"] = [
            {
                "task_id": row.task_id,
                "wbs_code": row.wbs_code,
                "name": row.name,
                "is_summary": row.is_summary,
                "figures": _figures_json(report.result.branches[row.task_id], places, ratio_places),
            }
            for row in report.rows[branch_offset:end]
        ]
    return data


# -- chart series (R3's resources/evm/charts.py draws them) --------------------------------------


def _cents(value: Fraction | None, places: int) -> Decimal | None:
    return evm_figures.round_half_even(value, places)


def s_curve_points(report: EvmReport) -> list[charts.CurvePoint]:
    """Cumulative PV, EV and AC at each point of the report's curve (EV, AC None after status)."""
    places = report.money_places
    return [
        charts.CurvePoint(
            day=point.day,
            pv=_cents(point.pv_cumulative, places) or Decimal(0),
            ev=_cents(point.ev_cumulative, places),
            ac=_cents(point.ac_cumulative, places),
        )
        for point in report.result.curve
    ]


def budget_burn_months(report: EvmReport) -> list[charts.BurnMonth]:
    """Cumulative planned (baseline PV) and actual (AC) spend at the end of each month."""
    if report.engine_input is None or not report.engine_input.tasks:
        return []
    monthly = replace(report.engine_input, period="month")
    places = report.money_places
    months = []
    for point in evm.s_curve(monthly, with_ev=False)[1:]:  # [0]: the day before anything
        if point.day != evm.period_end(point.day, "month"):
            continue  # the day before anything, or the status date inside a month
        status_in_month = point.day.replace(day=1) <= report.status_date
        actual = point.ac_cumulative
        if actual is None and status_in_month:  # the status month: spend as of the status date
            actual = next(p.ac_cumulative for p in report.result.curve if p.is_status_date)
        months.append(
            charts.BurnMonth(
                month=point.day.replace(day=1),
                planned=_cents(point.pv_cumulative, places) or Decimal(0),
                actual=_cents(actual, places),
            )
        )
    return months
