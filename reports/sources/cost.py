"""The cost source: earned value, budget and forecast, budget burn and the S-curve per project.

Reads resources/ (budgets, expenses, earned value) and projects/ (planned and actual task costs).
The figures are resources' own: `resources.evm.selectors.projects_evm` (the batch form of
`project_evm`, same loading code) at the project's status date (else today), so the dashboard,
the status report, the EVM page, the API and `manage.py evm` agree to the cent.

A project has cost data when it has budget lines, a baseline or plan with costs, approved time
or expenses; any other project is left out ("no data yet"), so a project without budgets is
never red (or green) on cost.

Budget, reserves, forecast and variance are the report's `budget`
(`resources.evm.figures.BudgetFigures`, where each word is defined once): the same BAC, cost
baseline, approved budget, EAC and VAC as the Budget page, the EVM page and the API.

Health (reports/health.py, `CostFacts`):
* CPI = EV / AC (None while nothing is spent: "not defined yet");
* the budget is BAC (the performance measurement baseline, without reserves) and the forecast
  is EAC (resources/evm/figures.py: AC + (BAC - EV) / CPI, never below AC);
  `budget_variance` (portfolio) = VAC = BAC - EAC (negative: over).
SPI is earned value's too; `reports.sources.collect` moves it to the schedule dimension.

Queries: one for the figures stored ahead (see `refresh` below: the portfolio and dashboards of
a big organisation read only that); for the projects whose stored figures are stale, two to find
which have cost data and their budget lines, then one batch earned-value load for all the
projects that have data (at most fourteen): a fixed number whatever the number of projects, with
or without money.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from projects.models import BaselineTask, Project, Task
from reports.health import CostFacts, Dimension
from reports.models import CostFigures
from resources.evm import charts
from resources.evm.figures import budget_rows
from resources.evm.selectors import EvmReport, budget_burn_months, projects_evm, s_curve_points
from resources.models import BudgetLine, Expense, TimeEntry, TimeEntryStatus

DIMENSION = Dimension.COST
FIGURES = ("bac", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "etc", "vac", "tcpi_bac")
CATEGORY_LABELS = dict(BudgetLine._meta.get_field("category").choices or [])


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _chart_json(chart: charts.MoneyChart) -> dict[str, Any]:
    """A chart as plain data (frozen in snapshots; drawn by resources/partials/evm_chart.html)."""
    data = asdict(chart)
    data["top"] = str(chart.top)
    data["empty"] = chart.empty
    return data


@dataclass
class CostSummary:
    """One project's money as the dashboards need it; `health` feeds reports/health.py."""

    health: CostFacts
    status_date: date
    source: str  # "baseline" or "plan"
    baseline_name: str
    figures: dict[str, Decimal | None]
    money: dict[str, Decimal] = field(default_factory=dict)  # BudgetFigures, rounded
    budget_lines: list[dict[str, Any]] = field(default_factory=list)
    committed: Decimal = Decimal(0)
    s_curve: charts.MoneyChart = field(default_factory=charts.MoneyChart)
    burn: charts.MoneyChart = field(default_factory=charts.MoneyChart)
    burn_months: list[dict[str, Any]] = field(default_factory=list)

    @property
    def spi(self) -> Decimal | None:
        return self.figures.get("spi")

    @property
    def budget_variance(self) -> Decimal | None:
        """Variance at completion, VAC = BAC - EAC (negative: a forecast overrun)."""
        return self.money.get("vac")

    def to_json(self) -> dict[str, Any]:
        variance = self.budget_variance
        return {
            "currency": self.health.currency,
            "status_date": self.status_date.isoformat(),
            "source": self.source,
            "baseline_name": self.baseline_name,
            "figures": {name: _text(self.figures.get(name)) for name in FIGURES},
            "budget": _text(self.health.budget),
            "forecast": _text(self.health.forecast),
            "budget_variance": _text(variance),
            "over_budget": variance is not None and variance < 0,
            # BAC, reserves, EAC, VAC with their terms and definitions (frozen in snapshots)
            "money_rows": [
                {**row, "value": _text(self.money[str(row["name"])])}
                for row in budget_rows(self.money)
            ]
            if self.money
            else [],
            "committed": _text(self.committed),
            "budget_lines": self.budget_lines,
            "burn_months": self.burn_months,
            "s_curve": _chart_json(self.s_curve),
            "burn": _chart_json(self.burn),
        }


def _with_cost_data(ids: list[int]) -> set[int]:
    """The projects that have any money: one query, a UNION of five uncorrelated reads (an
    EXISTS per kind and project was five subqueries per row, issue 14)."""
    kinds: list[QuerySet[Any]] = [
        BudgetLine.objects.filter(project_id__in=ids).values_list("project_id"),
        Expense.objects.filter(project_id__in=ids).values_list("project_id"),
        Task.objects.filter(project_id__in=ids, deleted_at__isnull=True)
        .filter(Q(cost__gt=0) | Q(actual_cost__gt=0))
        .values_list("project_id"),
        BaselineTask.objects.filter(baseline__project_id__in=ids, cost__gt=0).values_list(
            "baseline__project_id"
        ),
        # a semi-join (EXISTS in WHERE): tasks with approved time, not every entry of them
        Task.objects.filter(project_id__in=ids)
        .filter(
            Exists(TimeEntry.objects.filter(task=OuterRef("pk"), status=TimeEntryStatus.APPROVED))
        )
        .values_list("project_id"),
    ]
    first, *rest = (kind.order_by() for kind in kinds)
    return {pk for (pk,) in first.union(*rest)}


def _budget_lines(ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    """Each project's budget lines with what was spent on them (paid expenses): one query."""
    rows = (
        BudgetLine.objects.filter(project_id__in=ids)
        .annotate(spent=Sum("expenses__amount", filter=Q(expenses__status="paid")))
        .order_by("project_id", "category", "name", "pk")
        .values("project_id", "category", "name", "amount", "spent")
    )
    by_project: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_project[row["project_id"]].append(
            {
                "category": row["category"],
                "category_label": str(CATEGORY_LABELS.get(row["category"], row["category"])),
                "name": row["name"],
                "amount": _text(row["amount"]),
                "spent": _text(row["spent"] or Decimal(0)),
            }
        )
    return by_project


def _summary(report: EvmReport, lines: list[dict[str, Any]]) -> CostSummary:
    figures, money = report.figures, report.money
    months = budget_burn_months(report)
    return CostSummary(
        health=CostFacts(
            cpi=figures.get("cpi"),
            budget=money["bac"],
            forecast=money["eac"],
            currency=report.currency,
        ),
        status_date=report.status_date,
        source=report.source,
        baseline_name=report.baseline.name if report.baseline is not None else "",
        figures=figures,
        money=money,
        budget_lines=lines,
        committed=report.committed,
        s_curve=charts.s_curve(s_curve_points(report), report.status_date),
        burn=charts.budget_burn(months, budget=money["bac"] or None, eac=money["eac"]),
        burn_months=[
            {"month": m.month.isoformat(), "planned": _text(m.planned), "actual": _text(m.actual)}
            for m in months
        ],
    )


def summaries(projects: Sequence[Project], *, today: date) -> dict[int, CostSummary]:
    ids = [project.pk for project in projects]
    if not ids:
        return {}
    with_data = _with_cost_data(ids)
    if not with_data:
        return {}
    lines = _budget_lines(with_data)
    measured = [project for project in projects if project.pk in with_data]
    reports = projects_evm(measured, today=today, period="week", branches=False)
    return {
        project.pk: _summary(reports[project.pk], lines.get(project.pk, [])) for project in measured
    }


def facts(projects: Sequence[Project], *, today: date) -> dict[int, CostSummary]:
    """The stored figures of the projects whose figures are fresh (one query), the others
    computed live (the queries of `summaries`): the same summaries either way."""
    stored = _fresh(projects, today)
    live = summaries([project for project in projects if project.pk not in stored], today=today)
    found = {pk: summary for pk, summary in stored.items() if summary is not None}
    return {
        project.pk: found.get(project.pk) or live[project.pk]
        for project in projects
        if project.pk in found or project.pk in live
    }


# --- figures computed ahead (reports.models.CostFigures) ------------------------------------
#
# Earned value over a big plan and its time entries takes seconds, too slow for every view of
# the portfolio and the dashboard (issue 14). `refresh` (the beat job `refresh_cost_figures`,
# every minute) stores each project's summary; database triggers (migration 0005) bump the
# project's generation on every write to what it is made of, so stored figures are used only
# while nothing changed since and only on the day they were computed for; otherwise the page
# computes them live, exactly as before.


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _decimals(values: dict[str, Decimal | None]) -> dict[str, str | None]:
    return {name: None if value is None else str(value) for name, value in values.items()}


def _chart_stored(chart: charts.MoneyChart) -> dict[str, Any]:
    data = asdict(chart)
    data["top"] = str(chart.top)
    return data


def _chart_loaded(data: dict[str, Any]) -> charts.MoneyChart:
    return charts.MoneyChart(
        **{
            **data,
            "x_ticks": [charts.Tick(**tick) for tick in data["x_ticks"]],
            "y_ticks": [charts.Tick(**tick) for tick in data["y_ticks"]],
            "series": [charts.Series(**series) for series in data["series"]],
            "verticals": [charts.Marker(**marker) for marker in data["verticals"]],
            "horizontals": [charts.Marker(**marker) for marker in data["horizontals"]],
            "top": Decimal(data["top"]),
        }
    )


def stored_form(summary: CostSummary) -> dict[str, Any]:
    """A summary as JSON that `loaded_form` turns back into an equal summary (Decimals as
    their exact text)."""
    health = summary.health
    return {
        "health": {
            **_decimals({"cpi": health.cpi, "budget": health.budget, "forecast": health.forecast}),
            "currency": health.currency,
        },
        "status_date": summary.status_date.isoformat(),
        "source": summary.source,
        "baseline_name": summary.baseline_name,
        "figures": _decimals(summary.figures),
        "money": _decimals(dict(summary.money)),
        "budget_lines": summary.budget_lines,
        "committed": str(summary.committed),
        "s_curve": _chart_stored(summary.s_curve),
        "burn": _chart_stored(summary.burn),
        "burn_months": summary.burn_months,
    }


def loaded_form(data: dict[str, Any]) -> CostSummary:
    health = data["health"]
    return CostSummary(
        health=CostFacts(
            cpi=_decimal(health["cpi"]),
            budget=_decimal(health["budget"]),
            forecast=_decimal(health["forecast"]),
            currency=health["currency"],
        ),
        status_date=date.fromisoformat(data["status_date"]),
        source=data["source"],
        baseline_name=data["baseline_name"],
        figures={name: _decimal(value) for name, value in data["figures"].items()},
        money={name: Decimal(value) for name, value in data["money"].items()},
        budget_lines=data["budget_lines"],
        committed=Decimal(data["committed"]),
        s_curve=_chart_loaded(data["s_curve"]),
        burn=_chart_loaded(data["burn"]),
        burn_months=data["burn_months"],
    )


def _fresh(projects: Sequence[Project], today: date) -> dict[int, CostSummary | None]:
    """Project id -> its stored summary (None: no cost data), for the projects whose stored
    figures were computed for `today` and nothing they are made of changed since."""
    if not projects:
        return {}
    rows = _fresh_rows(projects, today).values_list("project_id", "data")
    return {pk: None if data is None else loaded_form(data) for pk, data in rows}


def _fresh_rows(projects: Sequence[Project], today: date) -> QuerySet[Any]:
    return CostFigures.objects.filter(
        project_id__in=[project.pk for project in projects],
        as_of=today,
        computed_generation=F("generation"),
    )


def refresh(projects: Sequence[Project], *, today: date) -> int:
    """Compute and store the figures of those of `projects` not fresh for `today`; returns how
    many were stored. A write that lands while they are computed bumps the generation, and the
    conditional update then stores nothing (the next run computes them again)."""
    fresh = set(_fresh_rows(projects, today).values_list("project_id", flat=True))
    stale = [project for project in projects if project.pk not in fresh]
    if not stale:
        return 0
    ids = [project.pk for project in stale]
    # make sure every project has a row, then read the generations the figures are made at
    existing = set(CostFigures.objects.filter(project_id__in=ids).values_list("pk", flat=True))
    CostFigures.objects.bulk_create(
        [CostFigures(project_id=pk) for pk in ids if pk not in existing], ignore_conflicts=True
    )
    generations = dict(
        CostFigures.objects.filter(project_id__in=ids).values_list("project_id", "generation")
    )
    computed = summaries(stale, today=today)
    now = timezone.now()
    stored = 0
    for project in stale:
        summary = computed.get(project.pk)
        stored += CostFigures.objects.filter(
            project_id=project.pk, generation=generations[project.pk]
        ).update(
            computed_generation=generations[project.pk],
            as_of=today,
            data=None if summary is None else stored_form(summary),
            computed_at=now,
        )
    return stored


def refresh_all(*, today: date, batch: int = 50) -> int:
    """The beat job's work: every live project's figures that are not fresh, `batch` at a time."""
    projects = list(Project.objects.alive().order_by("pk"))
    return sum(
        refresh(projects[start : start + batch], today=today)
        for start in range(0, len(projects), batch)
    )


HIDDEN = {"hidden": True}  # what readers without ProjectAction.VIEW_MONEY get (tpm.money.HIDDEN)


def for_reader(sections: dict[str, Any], role: str | None) -> dict[str, Any]:
    """The sections as a reader with project role `role` may see them: budgets and costs (and
    every other amount: EMV, change costs) only for those who may see the project's money
    (managers, stakeholders); the others see that the section exists, not its amounts. The
    rule and the list of amounts live in tpm/money.py."""
    from tpm import money

    return money.hide(sections, money=money.sees_money(role))
