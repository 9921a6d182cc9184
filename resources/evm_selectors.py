"""A project's earned value: load the engine's input in a fixed number of queries, and run it.

`project_evm()` is the one function the EVM page, the API and `manage.py evm` call, so all
three show the same numbers. It does not check permissions: callers check
`ProjectAction.VIEW_MONEY` first.

Where the figures come from
* BAC and PV: the chosen baseline (default: the project's latest), each leaf task's baseline
  cost and dates (PV spread linearly over the working time of the task's calendar, else the
  project's: see resources/evm.py). No baseline at all: the current plan's planned cost and
  dates stand in (`source == "plan"`, and the page says so).
* EV: each task's percent complete at the status date x its BAC: today's, unless the task
  history records a change since the status date (then the percent it had then). The S-curve's
  earlier EV comes from the same recorded changes.
* AC: approved time entries x the effective rate on each entry's day
  (resources/cost_selectors.py), dated; a task without any approved time uses its own
  `actual_cost` (entered, or imported from Microsoft Project: undated); plus *paid* expenses
  of the project, on their dates, in a branch of their own. Committed (ordered, unpaid)
  expenses are not actual cost: `EvmReport.committed` shows them apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.utils import timezone

from projects.calendars import WorkingTimeline
from projects.models import Baseline, BaselineTask, Project, Task, WorkCalendar
from projects.schedule_input import engine_calendar, project_calendar, project_zone, to_wall_clock
from tpm.models import HistoryEntry

from . import charts, evm
from .cost_selectors import actual_labour_cost
from .models import Expense, ExpenseStatus, TimeEntry

EXPENSES_BRANCH = -1  # the pseudo-task holding the project's expenses (not on any task)


@dataclass(frozen=True)
class BranchRow:
    task_id: int
    wbs_code: str
    name: str
    depth: int
    is_summary: bool
    figures: dict[str, Decimal | None]


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

    def rounded(self, figures: evm.EvmFigures, ratio_places: int = 2) -> dict[str, Decimal | None]:
        return figures.rounded(money_places=self.money_places, ratio_places=ratio_places)


# -- loading --------------------------------------------------------------------------------


def _baseline(project: Project, baseline: Baseline | None) -> Baseline | None:
    if baseline is not None:
        if baseline.project_id != project.pk:
            raise ValueError(f"baseline {baseline.pk} is not a baseline of project {project.key}")
        return baseline
    return Baseline.objects.filter(project=project).order_by("-created_at", "-pk").first()


def _timelines(project: Project, task_rows: list[dict[str, Any]]) -> tuple[WorkingTimeline, dict]:
    timeline = engine_calendar(project_calendar(project)).timeline()
    ids = {row["calendar_id"] for row in task_rows if row["calendar_id"]}
    calendars = (
        WorkCalendar.objects.filter(pk__in=ids).prefetch_related("exceptions") if ids else []
    )
    return timeline, {c.pk: engine_calendar(c).timeline() for c in calendars}


def _percent(value: Any) -> int | None:
    if isinstance(value, int | float | str) and str(value).isdigit():
        return min(int(value), 100)
    return None


@dataclass
class _Progress:
    """A task's recorded percent complete: the points up to the status date, and its percent
    *at* the status date when it changed after it (else None: the current one applies)."""

    points: list[evm.ProgressPoint] = field(default_factory=list)
    at_status: int | None = None


def _progress_history(project: Project, status: date) -> dict[int, _Progress]:
    """Each task's recorded changes of percent complete (one query)."""
    zone = project_zone(project)
    entries = HistoryEntry.objects.filter(
        scope=f"project:{project.pk}",
        target_type=ContentType.objects.get_for_model(Task),
        changes__has_key="percent_complete",
    ).values_list("target_id", "created_at", "changes")
    history: dict[int, _Progress] = defaultdict(_Progress)
    for target_id, created_at, changes in entries.order_by("created_at", "pk"):
        day = timezone.localtime(created_at, zone).date()
        value = changes["percent_complete"]
        old, new = value if isinstance(value, list) and len(value) == 2 else (None, value)
        progress = history[int(target_id)]
        if day <= status:
            if (percent := _percent(new)) is not None:
                progress.points.append(evm.ProgressPoint(day, percent))
        elif progress.at_status is None:  # the first change after the status date
            progress.at_status = _percent(old) or 0
    return history


def _actuals(project: Project) -> tuple[dict[int, list[evm.DatedAmount]], Decimal]:
    """Approved labour cost per task and day (tasks with approved time), hours without a rate."""
    entries = TimeEntry.objects.filter(task__project=project)
    labour = actual_labour_cost(entries)
    by_task_day: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for cost in labour.entries:
        by_task_day[cost.task_id][cost.date] += cost.cost
    amounts = {
        task_id: [evm.DatedAmount(day, amount) for day, amount in sorted(days.items())]
        for task_id, days in by_task_day.items()
    }
    return amounts, labour.unrated_hours


def _expenses(project: Project) -> tuple[list[evm.DatedAmount], Decimal]:
    rows = (
        Expense.objects.filter(project=project, currency=project.currency)
        .values("date", "status")
        .annotate(total=Sum("amount"))
        .order_by("date")
    )
    paid: dict[date, Decimal] = defaultdict(Decimal)
    committed = Decimal(0)
    for row in rows:
        if row["status"] == ExpenseStatus.PAID:
            paid[row["date"]] += row["total"]
        else:
            committed += row["total"]
    return [evm.DatedAmount(day, amount) for day, amount in sorted(paid.items())], committed


TASK_FIELDS = (
    "id",
    "parent_id",
    "wbs_code",
    "name",
    "outline_key",
    "is_summary",
    "percent_complete",
    "actual_cost",
    "actual_start",
    "actual_finish",
    "calendar_id",
    "cost",
    "start",
    "finish",
)


@dataclass
class _Loaded:
    tasks: list[dict[str, Any]]
    planned: dict[int, dict[str, Any]]  # task id -> baseline (or plan) cost and dates
    orphans: list[dict[str, Any]]  # baseline rows of tasks deleted since


def _planned_rows(baseline: Baseline | None, tasks: list[dict[str, Any]]) -> _Loaded:
    planned: dict[int, dict[str, Any]] = {}
    if baseline is None:
        planned = {
            row["id"]: {"cost": row["cost"], "start": row["start"], "finish": row["finish"]}
            for row in tasks
            if not row["is_summary"]
        }
        return _Loaded(tasks, planned, [])
    alive = {row["id"] for row in tasks}
    orphans: list[dict[str, Any]] = []
    rows: Any = (
        BaselineTask.objects.filter(baseline=baseline, is_summary=False)
        .values("id", "task_id", "task_name", "wbs_code", "outline_key", "cost", "start", "finish")
        .order_by()
    )
    for row in rows:
        if row["task_id"] in alive:
            planned[row["task_id"]] = row
        else:
            orphans.append(row)
    return _Loaded(tasks, planned, orphans)


def _engine_tasks(
    project: Project,
    loaded: _Loaded,
    status: date,
    timelines: dict[int, WorkingTimeline],
    labour: dict[int, list[evm.DatedAmount]],
) -> list[evm.EvmTask]:
    zone = project_zone(project)
    history = _progress_history(project, status)
    result = []
    for row in loaded.tasks:
        plan = loaded.planned.get(row["id"], {})
        progress = history.get(row["id"]) or _Progress()
        timed = row["id"] in labour
        own_actual = row["actual_cost"] if not row["is_summary"] and not timed else None
        result.append(
            _planned_in_time(
                evm.EvmTask(
                    id=row["id"],
                    parent_id=row["parent_id"],
                    name=row["name"],
                    bac=plan.get("cost") or Decimal(0),
                    baseline_start=to_wall_clock(plan.get("start"), zone),
                    baseline_finish=to_wall_clock(plan.get("finish"), zone),
                    percent_complete=_percent_at_status(row, progress),
                    progress_history=tuple(progress.points),
                    actual_cost_by_day=tuple(labour.get(row["id"], ())),
                    actual_cost_undated=own_actual or Decimal(0),
                    actual_start=to_wall_clock(row["actual_start"], zone),
                    actual_finish=to_wall_clock(row["actual_finish"], zone),
                    timeline=timelines.get(row["calendar_id"]),
                )
            )
        )
    for row in loaded.orphans:  # planned in the baseline, deleted since: still planned value
        result.append(
            _planned_in_time(
                evm.EvmTask(
                    id=-1_000_000 - row["id"],
                    name=f"{row['task_name']} (deleted since the baseline)",
                    bac=row["cost"] or Decimal(0),
                    baseline_start=to_wall_clock(row["start"], zone),
                    baseline_finish=to_wall_clock(row["finish"], zone),
                )
            )
        )
    return result


def _percent_at_status(row: dict[str, Any], progress: _Progress) -> int:
    """Today's percent complete, or the one recorded at the status date when it changed since."""
    if row["is_summary"]:
        return 0
    return row["percent_complete"] if progress.at_status is None else progress.at_status


def _planned_in_time(task: evm.EvmTask) -> evm.EvmTask:
    """A planned cost without dates cannot be placed in time: it stays out of BAC."""
    if task.bac and (task.baseline_start is None or task.baseline_finish is None):
        return replace(task, bac=Decimal(0))
    return task


def _rows(tasks: list[dict[str, Any]], result: evm.EvmResult, places: int) -> list[BranchRow]:
    return [
        BranchRow(
            task_id=row["id"],
            wbs_code=row["wbs_code"],
            name=row["name"],
            depth=row["outline_key"].count("."),
            is_summary=row["is_summary"],
            figures=result.branches[row["id"]].rounded(money_places=places),
        )
        for row in tasks
    ]


@dataclass(frozen=True)
class Prepared:
    """The engine's input for a project, and what the report shows beside it."""

    data: evm.EvmInput
    baseline: Baseline | None
    tasks: list[dict[str, Any]]
    unrated_hours: Decimal
    committed: Decimal


def evm_input(
    project: Project,
    *,
    status_date: date | None = None,
    baseline: Baseline | None = None,
    period: evm.Period = "week",
) -> Prepared:
    """Load everything the engine needs for the project, in a fixed number of queries."""
    status = status_date or project.status_date or timezone.localdate()
    chosen = _baseline(project, baseline)
    tasks = list(
        Task.objects.alive()
        .filter(project=project)
        .order_by("outline_key", "pk")
        .values(*TASK_FIELDS)
    )
    loaded = _planned_rows(chosen, tasks)
    timeline, timelines = _timelines(project, tasks)
    labour, unrated = _actuals(project)
    engine_tasks = _engine_tasks(project, loaded, status, timelines, labour)
    paid, committed = _expenses(project)
    if paid:
        engine_tasks.append(
            evm.EvmTask(id=EXPENSES_BRANCH, name="Expenses", actual_cost_by_day=tuple(paid))
        )
    data = evm.EvmInput(engine_tasks, status, timeline, period)
    return Prepared(data, chosen, tasks, unrated, committed)


def project_evm(
    project: Project,
    *,
    status_date: date | None = None,
    baseline: Baseline | None = None,
    period: evm.Period = "week",
) -> EvmReport:
    """Earned value of the project at the status date (default: the project's, else today)."""
    prepared = evm_input(project, status_date=status_date, baseline=baseline, period=period)
    result = evm.evaluate(prepared.data)
    places = evm.currency_places(project.currency)
    return EvmReport(
        project=project,
        status_date=prepared.data.status_date,
        baseline=prepared.baseline,
        source="baseline" if prepared.baseline is not None else "plan",
        currency=project.currency,
        money_places=places,
        result=result,
        figures=result.project.rounded(money_places=places),
        rows=_rows(prepared.tasks, result, places),
        unrated_hours=prepared.unrated_hours,
        committed=prepared.committed,
        engine_input=prepared.data,
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _figures_json(figures: evm.EvmFigures, places: int, ratio_places: int) -> dict[str, str | None]:
    shown = figures.rounded(money_places=places, ratio_places=ratio_places)
    return {name: _text(value) for name, value in shown.items()}


def evm_json(report: EvmReport, *, ratio_places: int = 4, branches: bool = True) -> dict:
    """The report as JSON-ready data (money and ratios as strings, exact to the shown places)."""
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
        "labels": dict(evm.FIGURE_LABELS),
        "estimates": [
            {
                "method": e.method,
                "label": e.label,
                "eac": _text(evm.round_half_even(e.eac, places)),
                "etc": _text(evm.round_half_even(e.etc, places)),
                "vac": _text(evm.round_half_even(e.vac, places)),
            }
            for e in figures.estimates
        ],
        "unrated_hours": _text(report.unrated_hours),
        "committed_expenses": _text(evm.round_half_even(Fraction(report.committed), places)),
    }
    if branches:
        data["branches"] = [
            {
                "task_id": row.task_id,
                "wbs_code": row.wbs_code,
                "name": row.name,
                "is_summary": row.is_summary,
                "figures": _figures_json(report.result.branches[row.task_id], places, ratio_places),
            }
            for row in report.rows
        ]
    return data


# -- chart series (R3's resources/charts.py draws them) --------------------------------------


def _cents(value: Fraction | None, places: int) -> Decimal | None:
    return evm.round_half_even(value, places)


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
    for point in evm.s_curve(monthly)[1:]:  # [0] is the day before anything: all zeros
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
