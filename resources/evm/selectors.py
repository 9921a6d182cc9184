"""A project's earned value: load the engine's input in a fixed number of queries, and run it.

`project_evm()` is the one function the EVM page, the API and `manage.py evm` call, so all
three show the same numbers; `projects_evm()` measures many projects at once (the dashboards,
the portfolio) with the same loading code, in the same fixed number of queries whatever the
number of projects. Neither checks permissions: callers check `ProjectAction.VIEW_MONEY` first.

Where the figures come from
* BAC and PV: the chosen baseline (default: the project's latest), each leaf task's baseline
  cost and dates (PV spread linearly over the working time of the task's calendar, else the
  project's: see resources/evm/engine.py). No baseline at all: the current plan's planned cost and
  dates stand in (`source == "plan"`, and the page says so).
* EV: each task's percent complete at the status date x its BAC: today's, unless the task
  history records a change since the status date (then the percent it had then). The S-curve's
  earlier EV comes from the same recorded changes.
* AC: approved time entries x the effective rate on each entry's day
  (resources/evm/costs.py), dated; a task without any approved time uses its own
  `actual_cost` (entered, or imported from Microsoft Project: undated); plus *paid* expenses
  of the project, on their dates, in a branch of their own. Committed (ordered, unpaid)
  expenses are not actual cost: `EvmReport.committed` shows them apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from projects.calendars.timeline import WorkingTimeline
from projects.models import (
    Baseline,
    BaselineTask,
    CalendarException,
    Project,
    Task,
    WorkCalendar,
)
from projects.schedule.input import engine_calendar, project_zone, to_wall_clock
from resources.evm import charts
from resources.evm import engine as evm
from resources.evm.costs import actual_labour_cost
from resources.models import Expense, ExpenseStatus, TimeEntry
from tpm.models import HistoryEntry

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


# -- loading (any number of projects in a fixed number of queries) -------------------------


def _latest_baselines(ids: list[int]) -> dict[int, Baseline]:
    """Each project's latest baseline (one query, whatever the number of projects)."""
    latest = (
        Baseline.objects.filter(project=OuterRef("project"))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    rows = Baseline.objects.filter(project_id__in=ids, pk=Subquery(latest)).order_by()
    return {row.project_id: row for row in rows}


def _chosen_baselines(
    projects: Sequence[Project], given: Mapping[int, Baseline]
) -> dict[int, Baseline | None]:
    for project_id, baseline in given.items():
        if baseline.project_id != project_id:
            key = next((p.key for p in projects if p.pk == project_id), project_id)
            raise ValueError(f"baseline {baseline.pk} is not a baseline of project {key}")
    missing = [project.pk for project in projects if project.pk not in given]
    latest = _latest_baselines(missing) if missing else {}
    return {project.pk: given.get(project.pk) or latest.get(project.pk) for project in projects}


def _calendar_timelines(
    projects: Sequence[Project], tasks: Mapping[int, list[dict[str, Any]]]
) -> tuple[dict[int, WorkingTimeline], dict[int, WorkingTimeline]]:
    """Each project's timeline (its own calendar, else its organisation's default, else the
    standard one) and the timelines of the task calendars: two queries at most."""
    own = {project.calendar_id for project in projects if project.calendar_id}
    orgs = {project.organisation_id for project in projects if not project.calendar_id}
    ids = own | {
        row["calendar_id"] for rows in tasks.values() for row in rows if row["calendar_id"]
    }
    calendars: list[WorkCalendar] = []
    if ids or orgs:
        exceptions = CalendarException.objects.order_by("first_day", "pk")
        calendars = list(
            WorkCalendar.objects.filter(
                Q(pk__in=ids) | Q(organisation_id__in=orgs, is_organisation_default=True)
            ).prefetch_related(Prefetch("exceptions", queryset=exceptions))
        )
    by_pk = {calendar.pk: engine_calendar(calendar).timeline() for calendar in calendars}
    defaults = {c.organisation_id: by_pk[c.pk] for c in calendars if c.is_organisation_default}
    standard = engine_calendar(None).timeline()
    by_project = {
        project.pk: by_pk[project.calendar_id]
        if project.calendar_id
        else defaults.get(project.organisation_id, standard)
        for project in projects
    }
    return by_project, by_pk


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


def _progress_histories(
    projects: Sequence[Project], statuses: Mapping[int, date]
) -> dict[int, dict[int, _Progress]]:
    """Each project's tasks' recorded changes of percent complete (one query)."""
    by_scope = {f"project:{project.pk}": project for project in projects}
    entries = HistoryEntry.objects.filter(
        scope__in=list(by_scope),
        target_type=ContentType.objects.get_for_model(Task),
        changes__has_key="percent_complete",
    ).values_list("scope", "target_id", "created_at", "changes")
    histories: dict[int, dict[int, _Progress]] = defaultdict(lambda: defaultdict(_Progress))
    zones = {project.pk: project_zone(project) for project in projects}
    for scope, target_id, created_at, changes in entries.order_by("created_at", "pk"):
        project_id = by_scope[scope].pk
        day = timezone.localtime(created_at, zones[project_id]).date()
        value = changes["percent_complete"]
        old, new = value if isinstance(value, list) and len(value) == 2 else (None, value)
        progress = histories[project_id][int(target_id)]
        if day <= statuses[project_id]:
            if (percent := _percent(new)) is not None:
                progress.points.append(evm.ProgressPoint(day, percent))
        elif progress.at_status is None:  # the first change after the status date
            progress.at_status = _percent(old) or 0
    return histories


@dataclass
class _Labour:
    """A project's approved labour cost per task and day, and its hours without a rate."""

    by_task: dict[int, list[evm.DatedAmount]] = field(default_factory=dict)
    unrated_hours: Decimal = Decimal(0)


def _actuals(ids: list[int]) -> dict[int, _Labour]:
    """Approved labour cost of the projects' tasks (three queries, resources/cost_selectors)."""
    labour = actual_labour_cost(TimeEntry.objects.filter(task__project_id__in=ids))
    by_day: dict[int, dict[int, dict[date, Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(Decimal))
    )
    result: dict[int, _Labour] = defaultdict(_Labour)
    for cost in labour.entries:
        by_day[cost.project_id][cost.task_id][cost.date] += cost.cost
        if cost.hourly_rate is None:
            result[cost.project_id].unrated_hours += cost.hours
    for project_id, tasks in by_day.items():
        result[project_id].by_task = {
            task_id: [evm.DatedAmount(day, amount) for day, amount in sorted(days.items())]
            for task_id, days in tasks.items()
        }
    return result


@dataclass
class _Spend:
    paid: list[evm.DatedAmount] = field(default_factory=list)  # by day
    committed: Decimal = Decimal(0)  # ordered, unpaid


def _expenses(projects: Sequence[Project]) -> dict[int, _Spend]:
    """Each project's paid expenses by day and its committed total, in the project's currency
    (one query)."""
    currencies = {project.pk: project.currency for project in projects}
    rows = (
        Expense.objects.filter(project_id__in=list(currencies))
        .values("project_id", "currency", "date", "status")
        .annotate(total=Sum("amount"))
        .order_by("date")
    )
    paid: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    result: dict[int, _Spend] = defaultdict(_Spend)
    for row in rows:
        if row["currency"] != currencies[row["project_id"]]:
            continue
        if row["status"] == ExpenseStatus.PAID:
            paid[row["project_id"]][row["date"]] += row["total"]
        else:
            result[row["project_id"]].committed += row["total"]
    for project_id, days in paid.items():
        result[project_id].paid = [evm.DatedAmount(d, amount) for d, amount in sorted(days.items())]
    return result


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


def _tasks(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each project's live tasks in outline order (one query)."""
    rows = (
        Task.objects.alive()
        .filter(project_id__in=ids)
        .order_by("project_id", "outline_key", "pk")
        .values("project_id", *TASK_FIELDS)
    )
    by_project: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for row in rows:
        by_project[row.pop("project_id")].append(row)
    return by_project


@dataclass
class _Loaded:
    tasks: list[dict[str, Any]]
    planned: dict[int, dict[str, Any]]  # task id -> baseline (or plan) cost and dates
    orphans: list[dict[str, Any]]  # baseline rows of tasks deleted since


def _planned_rows(
    baselines: Mapping[int, Baseline | None], tasks: Mapping[int, list[dict[str, Any]]]
) -> dict[int, _Loaded]:
    """Each project's planned cost and dates per leaf task: its baseline's (one query for all
    the baselines), else the current plan's."""
    chosen = {b.pk: pid for pid, b in baselines.items() if b is not None}
    loaded = {pid: _Loaded(tasks[pid], {}, []) for pid in tasks}
    for project_id, baseline in baselines.items():
        if baseline is None:
            loaded[project_id].planned = {
                row["id"]: {"cost": row["cost"], "start": row["start"], "finish": row["finish"]}
                for row in tasks[project_id]
                if not row["is_summary"]
            }
    if not chosen:
        return loaded
    alive = {pid: {row["id"] for row in tasks[pid]} for pid in chosen.values()}
    fields = ("id", "task_id", "task_name", "wbs_code", "outline_key", "cost", "start", "finish")
    rows: Any = (
        BaselineTask.objects.filter(baseline_id__in=list(chosen), is_summary=False)
        .values("baseline_id", *fields)
        .order_by()
    )
    for row in rows:
        project_id = chosen[row.pop("baseline_id")]
        if row["task_id"] in alive[project_id]:
            loaded[project_id].planned[row["task_id"]] = row
        else:
            loaded[project_id].orphans.append(row)
    return loaded


def _engine_tasks(
    project: Project,
    loaded: _Loaded,
    timelines: Mapping[int, WorkingTimeline],
    labour: Mapping[int, list[evm.DatedAmount]],
    history: Mapping[int, _Progress],
) -> list[evm.EvmTask]:
    zone = project_zone(project)
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


def _today(project: Project) -> date:
    return timezone.localdate(timezone=project_zone(project))


def evm_inputs(
    projects: Sequence[Project],
    *,
    status_date: date | None = None,
    baselines: Mapping[int, Baseline] | None = None,
    period: evm.Period = "week",
    today: date | None = None,
) -> dict[int, Prepared]:
    """Load everything the engine needs for the projects, by project id, in a fixed number of
    queries whatever their number (at most eleven): the latest baselines (unless given), the
    tasks, the baselines' rows, the calendars and their exceptions, the progress history, the
    approved time (three: resources/evm/costs.py) and the expenses.

    Each project is measured at `status_date`, else its own status date, else `today` (default:
    today in the project's zone); against the baseline given for it in `baselines`, else its
    latest, else its plan."""
    unique = list({project.pk: project for project in projects}.values())
    if not unique:
        return {}
    ids = [project.pk for project in unique]
    statuses = {p.pk: status_date or p.status_date or today or _today(p) for p in unique}
    chosen = _chosen_baselines(unique, baselines or {})
    tasks = _tasks(ids)
    loaded = _planned_rows(chosen, tasks)
    project_timelines, timelines = _calendar_timelines(unique, tasks)
    histories = _progress_histories(unique, statuses)
    labour = _actuals(ids)
    spend = _expenses(unique)
    prepared: dict[int, Prepared] = {}
    for project in unique:
        pid = project.pk
        own_labour, own_spend = labour.get(pid, _Labour()), spend.get(pid, _Spend())
        engine_tasks = _engine_tasks(
            project, loaded[pid], timelines, own_labour.by_task, histories.get(pid, {})
        )
        if own_spend.paid:
            engine_tasks.append(
                evm.EvmTask(
                    id=EXPENSES_BRANCH, name="Expenses", actual_cost_by_day=tuple(own_spend.paid)
                )
            )
        data = evm.EvmInput(engine_tasks, statuses[pid], project_timelines[pid], period)
        prepared[pid] = Prepared(
            data, chosen[pid], tasks[pid], own_labour.unrated_hours, own_spend.committed
        )
    return prepared


def evm_input(
    project: Project,
    *,
    status_date: date | None = None,
    baseline: Baseline | None = None,
    period: evm.Period = "week",
) -> Prepared:
    """Load everything the engine needs for the project, in a fixed number of queries."""
    given = {project.pk: baseline} if baseline is not None else None
    return evm_inputs([project], status_date=status_date, baselines=given, period=period)[
        project.pk
    ]


def _report(project: Project, prepared: Prepared, *, branches: bool = True) -> EvmReport:
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
        rows=_rows(prepared.tasks, result, places) if branches else [],
        unrated_hours=prepared.unrated_hours,
        committed=prepared.committed,
        engine_input=prepared.data,
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


# -- chart series (R3's resources/evm/charts.py draws them) --------------------------------------


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
