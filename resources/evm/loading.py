"""The earned-value engine's input for any number of projects, in a fixed number of queries.

`evm_inputs()` loads it for many projects at once and `evm_input()` for one; the report built on
it (`resources.evm.selectors.project_evm` / `projects_evm`) is what the pages, the API and
`manage.py evm` show. Nothing here checks permissions.

Where the figures come from
* BAC and PV: the chosen baseline (default: the project's latest), each leaf task's baseline
  cost and dates (PV spread linearly over the working time of the task's calendar, else the
  project's: see resources/evm/engine.py). No baseline at all: the current plan's planned cost and
  dates stand in (`source == "plan"`, and the page says so).
* EV: each task's percent complete at the status date x its BAC: today's, unless the task
  history records a change since the status date (then the percent it had then). The S-curve's
  earlier EV comes from the same recorded changes; a task without any (imported or seeded
  progress) is placed in time by its dated work (resources/evm/engine.py). No weekly snapshot
  job is needed for a real history: every change of percent complete made in Linchpin is
  recorded with its instant (HistoryEntry), and for progress that was not, dated actuals say
  more than a snapshot taken later could.
* AC: approved time entries x the effective rate on each entry's day
  (resources/evm/costs.py), dated; a task without any approved time uses its own
  `actual_cost` (entered, or imported from Microsoft Project: undated); plus *paid* expenses
  of the project, on their dates: on their non-labour budget line's branch, the rest in a
  branch of their own. Committed (ordered, unpaid) expenses are not actual cost:
  `EvmReport.committed` shows them apart.
* The non-labour budget lines join BAC, PV, EV and AC as branches of their own
  (resources/evm/lines.py); every line's total and the reserves (`ProjectFinance`) come with
  the input, for `resources.evm.figures.BudgetFigures`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone

from projects.calendars import selectors as calendar_selectors
from projects.calendars.timeline import WorkingTimeline
from projects.models import (
    Baseline,
    BaselineTask,
    Project,
    Task,
)
from projects.schedule.input import engine_calendar, project_zone, to_wall_clock
from resources.evm import engine as evm
from resources.evm.costs import actual_labour_cost
from resources.evm.lines import PlannedLine, ProjectSpan, line_tasks
from resources.models import (
    BudgetCategory,
    BudgetLine,
    BudgetLinePlan,
    Expense,
    ExpenseStatus,
    ProjectFinance,
    TimeEntry,
)
from tpm.models import HistoryEntry

ZERO = Decimal(0)
EXPENSES_BRANCH = -1  # the pseudo-task holding the project's expenses (not on any task)


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
    """Each project's timeline and the timelines of the task calendars, by the one calendar
    rule (projects/calendars/selectors.py): two queries at most."""
    calendars = calendar_selectors.projects_calendars(
        projects, (row["calendar_id"] for rows in tasks.values() for row in rows)
    )
    by_pk = {pk: engine_calendar(calendar).timeline() for pk, calendar in calendars.by_pk.items()}
    standard = engine_calendar(None).timeline()
    by_project = {
        pk: by_pk[calendar.pk] if calendar is not None else standard
        for pk, calendar in calendars.projects.items()
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
    # plain dicts keyed by (project, task): 50,000 entries through nested defaultdicts cost more
    by_task: dict[tuple[int, int], dict[date, Decimal]] = {}
    result: dict[int, _Labour] = defaultdict(_Labour)
    for cost in labour.entries:
        days = by_task.get((cost.project_id, cost.task_id))
        if days is None:
            days = by_task[cost.project_id, cost.task_id] = {}
        days[cost.date] = days.get(cost.date, ZERO) + cost.cost
        if cost.hourly_rate is None:
            result[cost.project_id].unrated_hours += cost.hours
    for (project_id, task_id), days in by_task.items():
        result[project_id].by_task[task_id] = [
            evm.DatedAmount(day, amount) for day, amount in sorted(days.items())
        ]
    return result


@dataclass
class _Spend:
    paid: list[evm.DatedAmount] = field(default_factory=list)  # by day, on no non-labour line
    on_lines: dict[int, list[evm.DatedAmount]] = field(default_factory=dict)  # by line, by day
    committed: Decimal = Decimal(0)  # ordered, unpaid


def _by_day(days: Mapping[date, Decimal]) -> list[evm.DatedAmount]:
    return [evm.DatedAmount(d, amount) for d, amount in sorted(days.items())]


def _expenses(projects: Sequence[Project], measured_lines: set[int]) -> dict[int, _Spend]:
    """Each project's paid expenses by day (apart for each of `measured_lines`) and its
    committed total, in the project's currency (one query)."""
    currencies = {project.pk: project.currency for project in projects}
    rows = (
        Expense.objects.filter(project_id__in=list(currencies))
        .values("project_id", "budget_line_id", "currency", "date", "status")
        .annotate(total=Sum("amount"))
        .order_by("date")
    )
    paid: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    on_lines: dict[int, dict[int, dict[date, Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(Decimal))
    )
    result: dict[int, _Spend] = defaultdict(_Spend)
    for row in rows:
        project_id, line_id = row["project_id"], row["budget_line_id"]
        if row["currency"] != currencies[project_id]:
            continue
        if row["status"] != ExpenseStatus.PAID:
            result[project_id].committed += row["total"]
        elif line_id in measured_lines:
            on_lines[project_id][line_id][row["date"]] += row["total"]
        else:
            paid[project_id][row["date"]] += row["total"]
    for project_id, days in paid.items():
        result[project_id].paid = _by_day(days)
    for project_id, lines in on_lines.items():
        result[project_id].on_lines = {line: _by_day(days) for line, days in lines.items()}
    return result


@dataclass
class _Finance:
    """A project's budget lines and reserves: what `BudgetFigures` needs beside earned value."""

    measured: list[dict[str, Any]] = field(default_factory=list)  # the non-labour lines
    months: dict[int, list[tuple[date, Decimal]]] = field(default_factory=dict)
    lines_total: Decimal = Decimal(0)
    contingency: Decimal = Decimal(0)
    management_reserve: Decimal = Decimal(0)


def _finances(projects: Sequence[Project]) -> dict[int, _Finance]:
    """Each project's budget lines in its currency, their month plans and its reserves (three
    queries)."""
    currencies = {project.pk: project.currency for project in projects}
    result: dict[int, _Finance] = defaultdict(_Finance)
    lines: Any = (
        BudgetLine.objects.filter(project_id__in=list(currencies))
        .order_by("project_id", "category", "name", "pk")
        .values("id", "project_id", "category", "name", "amount", "currency")
    )
    for line in lines:
        if line["currency"] != currencies[line["project_id"]]:
            continue
        finance = result[line["project_id"]]
        finance.lines_total += line["amount"]
        if line["category"] != BudgetCategory.LABOUR:
            finance.measured.append(line)
    plans = (
        BudgetLinePlan.objects.filter(line__project_id__in=list(currencies))
        .exclude(line__category=BudgetCategory.LABOUR)
        .order_by("month")
        .values_list("line__project_id", "line_id", "month", "amount")
    )
    for project_id, line_id, month, amount in plans:
        result[project_id].months.setdefault(line_id, []).append((month, amount))
    reserves = ProjectFinance.objects.filter(project_id__in=list(currencies)).values_list(
        "project_id", "contingency", "management_reserve"
    )
    for project_id, contingency, management_reserve in reserves:
        result[project_id].contingency = contingency
        result[project_id].management_reserve = management_reserve
    return result


def _line_tasks(
    project: Project, finance: _Finance, spend: _Spend, status: date
) -> list[evm.EvmTask]:
    planned = [
        PlannedLine(
            id=line["id"],
            name=line["name"],
            amount=line["amount"],
            months=tuple(finance.months.get(line["id"], ())),
            paid=tuple(spend.on_lines.get(line["id"], ())),
        )
        for line in finance.measured
    ]
    return line_tasks(planned, ProjectSpan(project.start_date, project.target_date, status))


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


@dataclass(frozen=True)
class Prepared:
    """The engine's input for a project, and what the report shows beside it."""

    data: evm.EvmInput
    baseline: Baseline | None
    tasks: list[dict[str, Any]]
    unrated_hours: Decimal
    committed: Decimal
    lines_total: Decimal = Decimal(0)  # every budget line
    lines_in_bac: Decimal = Decimal(0)  # the non-labour ones, measured in BAC
    contingency: Decimal = Decimal(0)
    management_reserve: Decimal = Decimal(0)


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
    queries whatever their number (at most fourteen): the latest baselines (unless given), the
    tasks, the baselines' rows, the calendars and their exceptions, the progress history, the
    approved time (three: resources/evm/costs.py), the budget lines, their month plans, the
    reserves and the expenses.

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
    finances = _finances(unique)
    measured = {line["id"] for f in finances.values() for line in f.measured}
    spend = _expenses(unique, measured)
    prepared: dict[int, Prepared] = {}
    for project in unique:
        pid = project.pk
        own_labour, own_spend = labour.get(pid, _Labour()), spend.get(pid, _Spend())
        finance = finances.get(pid, _Finance())
        engine_tasks = _engine_tasks(
            project, loaded[pid], timelines, own_labour.by_task, histories.get(pid, {})
        )
        engine_tasks += _line_tasks(project, finance, own_spend, statuses[pid])
        if own_spend.paid:
            engine_tasks.append(
                evm.EvmTask(
                    id=EXPENSES_BRANCH, name="Expenses", actual_cost_by_day=tuple(own_spend.paid)
                )
            )
        data = evm.EvmInput(engine_tasks, statuses[pid], project_timelines[pid], period)
        prepared[pid] = Prepared(
            data,
            chosen[pid],
            tasks[pid],
            own_labour.unrated_hours,
            own_spend.committed,
            lines_total=finance.lines_total,
            lines_in_bac=sum((line["amount"] for line in finance.measured), Decimal(0)),
            contingency=finance.contingency,
            management_reserve=finance.management_reserve,
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
