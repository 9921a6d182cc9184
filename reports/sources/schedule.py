"""The schedule source: progress, milestones against the latest baseline, late critical work.

Reads projects/ only (tasks and baselines) in four queries for any number of projects, none of
them reading a whole plan: the database adds the tasks up (a 5,010-task plan is 5,010 rows
otherwise). Slip is counted in calendar days between the baseline's and the plan's dates in the
project's zone (the baseline comparison page counts working days; a report reader thinks in
calendar days).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from projects.models import Baseline, BaselineTask, Project, Task
from projects.models.schedule import TaskStatus
from projects.schedule.input import project_zone
from reports.health import Dimension, MilestoneSlip, ScheduleFacts

DIMENSION = Dimension.SCHEDULE
LIST_LIMIT = 10


@dataclass
class Milestone:
    task_id: int
    name: str
    forecast: date | None
    baseline: date | None
    done: bool

    @property
    def slip_days(self) -> int | None:
        if self.forecast is None or self.baseline is None:
            return None
        return (self.forecast - self.baseline).days

    def to_json(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "name": self.name,
            "forecast": self.forecast.isoformat() if self.forecast else None,
            "baseline": self.baseline.isoformat() if self.baseline else None,
            "slip_days": self.slip_days,
            "done": self.done,
        }


@dataclass
class ScheduleSummary:
    """One project's schedule as the dashboards need it; `health` feeds reports/health.py."""

    health: ScheduleFacts
    task_count: int = 0
    completed: int = 0
    in_progress: int = 0
    percent_complete: int = 0
    start: date | None = None
    finish: date | None = None
    baseline_name: str = ""
    baseline_finish: date | None = None
    milestones: list[Milestone] = field(default_factory=list)
    late_critical: list[dict[str, Any]] = field(default_factory=list)

    @property
    def finish_variance_days(self) -> int | None:
        if self.finish is None or self.baseline_finish is None:
            return None
        return (self.finish - self.baseline_finish).days

    def to_json(self) -> dict[str, Any]:
        return {
            "task_count": self.task_count,
            "completed": self.completed,
            "in_progress": self.in_progress,
            "percent_complete": self.percent_complete,
            "start": self.start.isoformat() if self.start else None,
            "finish": self.finish.isoformat() if self.finish else None,
            "baseline_name": self.baseline_name,
            "baseline_finish": self.baseline_finish.isoformat() if self.baseline_finish else None,
            "finish_variance_days": self.finish_variance_days,
            "milestones": [milestone.to_json() for milestone in self.milestones],
            "late_critical": self.late_critical,
            "late_critical_count": self.health.late_critical_tasks,
            "negative_float_count": self.health.negative_float_tasks,
        }


_TASK_FIELDS = (
    "pk",
    "project_id",
    "name",
    "wbs_code",
    "is_summary",
    "is_milestone",
    "is_critical",
    "duration_minutes",
    "percent_complete",
    "status",
    "start",
    "finish",
    "deadline",
    "total_float_minutes",
)


def _day(moment: datetime | None, zone: Any) -> date | None:
    return timezone.localtime(moment, zone).date() if moment else None


def _latest_baselines(project_ids: list[int]) -> dict[int, dict[str, Any]]:
    latest: dict[int, Any] = {}
    rows = (
        Baseline.objects.filter(project_id__in=project_ids)
        .order_by("project_id", "-created_at", "-pk")
        .values("pk", "project_id", "name", "project_finish")
    )
    for row in rows:
        latest.setdefault(row["project_id"], row)
    return latest


def _baseline_milestones(baseline_ids: list[int]) -> dict[int, dict[int, datetime]]:
    """Baseline id -> {task id: baselined finish} of its milestones."""
    by_baseline: dict[int, dict[int, datetime]] = defaultdict(dict)
    rows = BaselineTask.objects.filter(
        baseline_id__in=baseline_ids, is_milestone=True, task__isnull=False
    ).values_list("baseline_id", "task_id", "finish")
    for baseline_id, task_id, finish in rows:
        by_baseline[baseline_id][task_id] = finish
    return by_baseline


@dataclass
class _Totals:
    """One project's task figures, added up by the database."""

    leaves: int = 0
    completed: int = 0
    in_progress: int = 0
    weight: int = 0  # minutes of its leaf tasks
    weighted: int = 0  # minutes x percent complete
    percents: int = 0  # sum of the leaves' percent complete (when no leaf has a duration)
    negative: int = 0  # open leaves with negative total float
    start: datetime | None = None
    finish: datetime | None = None


def _totals(ids: list[int]) -> dict[int, _Totals]:
    """Each project's counts, weights and span: one aggregate query over its live tasks."""
    leaf = Q(is_summary=False)
    open_leaf = leaf & ~Q(status=TaskStatus.COMPLETED)
    rows = (
        Task.objects.alive()
        .filter(project_id__in=ids)
        .values("project_id")
        .order_by("project_id")
        .annotate(
            leaves=Count("pk", filter=leaf),
            completed=Count("pk", filter=leaf & Q(status=TaskStatus.COMPLETED)),
            in_progress=Count("pk", filter=leaf & Q(status=TaskStatus.IN_PROGRESS)),
            weight=Sum("duration_minutes", filter=leaf),
            weighted=Sum(F("duration_minutes") * F("percent_complete"), filter=leaf),
            percents=Sum("percent_complete", filter=leaf),
            negative=Count("pk", filter=open_leaf & Q(total_float_minutes__lt=0)),
            first=Min("start"),
            last=Max("finish"),
        )
    )
    return {
        row["project_id"]: _Totals(
            leaves=row["leaves"],
            completed=row["completed"],
            in_progress=row["in_progress"],
            weight=int(row["weight"] or 0),
            weighted=int(row["weighted"] or 0),
            percents=int(row["percents"] or 0),
            negative=row["negative"],
            start=row["first"],
            finish=row["last"],
        )
        for row in rows
    }


def _listed_tasks(ids: list[int], today: date) -> dict[int, list[dict[str, Any]]]:
    """The tasks the section lists, in outline order: the milestones, and the open critical
    leaves that may be late (due before tomorrow in any zone; `_summarise` checks each in its
    project's zone). One query that reads neither the rest of the plan nor its width."""
    horizon = datetime.combine(today + timedelta(days=2), time.min, tzinfo=UTC)
    maybe_late = (
        Q(is_critical=True, is_summary=False)
        & ~Q(status=TaskStatus.COMPLETED)
        & (Q(deadline__lt=today) | Q(deadline__isnull=True, finish__lt=horizon))
    )
    by_project: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for task in (
        Task.objects.alive()
        .filter(Q(is_milestone=True) | maybe_late, project_id__in=ids)
        .order_by("project_id", "outline_key", "pk")
        .values(*_TASK_FIELDS)
    ):
        by_project[task["project_id"]].append(task)
    return by_project


def _percent(totals: _Totals) -> int:
    if totals.weight:
        return round(totals.weighted / totals.weight)
    return round(totals.percents / totals.leaves) if totals.leaves else 0


def _summarise(
    totals: _Totals,
    tasks: list[dict[str, Any]],
    baseline: dict[str, Any] | None,
    baselined: dict[int, datetime],
    zone: Any,
    today: date,
) -> ScheduleSummary:
    milestones: list[Milestone] = []
    late_critical: list[dict[str, Any]] = []
    for task in tasks:
        done = task["status"] == TaskStatus.COMPLETED
        finish = _day(task["finish"], zone)
        if task["is_milestone"]:
            milestones.append(
                Milestone(
                    task["pk"],
                    task["name"],
                    finish,
                    _day(baselined.get(task["pk"]), zone),
                    done,
                )
            )
        if task["is_summary"] or done:
            continue
        due = task["deadline"] or finish
        if task["is_critical"] and due is not None and due < today:
            late_critical.append(
                {
                    "task_id": task["pk"],
                    "wbs_code": task["wbs_code"],
                    "name": task["name"],
                    "due": due.isoformat(),
                    "days_late": (today - due).days,
                }
            )
    late_critical.sort(key=lambda row: -row["days_late"])
    slips = tuple(
        MilestoneSlip(m.name, m.slip_days)
        for m in milestones
        if not m.done and m.slip_days is not None
    )
    milestones.sort(key=lambda m: (m.forecast or m.baseline or date.max, m.task_id))
    return ScheduleSummary(
        health=ScheduleFacts(
            milestone_slips=slips,
            has_baseline=baseline is not None,
            late_critical_tasks=len(late_critical),
            negative_float_tasks=totals.negative,
        ),
        task_count=totals.leaves,
        completed=totals.completed,
        in_progress=totals.in_progress,
        percent_complete=_percent(totals),
        start=_day(totals.start, zone),
        finish=_day(totals.finish, zone),
        baseline_name=baseline["name"] if baseline else "",
        baseline_finish=_day(baseline["project_finish"], zone) if baseline else None,
        milestones=milestones,
        late_critical=late_critical[:LIST_LIMIT],
    )


def summaries(projects: Sequence[Project], *, today: date) -> dict[int, ScheduleSummary]:
    """Four queries, none reading a whole plan: the task totals (added up by the database), the
    milestones and possibly late critical tasks, the latest baselines, their milestone rows."""
    ids = [project.pk for project in projects]
    if not ids:
        return {}
    totals = _totals(ids)
    listed = _listed_tasks([pk for pk in ids if pk in totals], today)
    baselines = _latest_baselines([pk for pk in ids if pk in totals])
    milestone_rows = _baseline_milestones([row["pk"] for row in baselines.values()])
    result: dict[int, ScheduleSummary] = {}
    for project in projects:
        if project.pk not in totals:
            continue  # no plan yet: the schedule has no data
        baseline = baselines.get(project.pk)
        baselined = milestone_rows.get(baseline["pk"], {}) if baseline else {}
        result[project.pk] = _summarise(
            totals[project.pk],
            listed.get(project.pk, []),
            baseline,
            baselined,
            project_zone(project),
            today,
        )
    return result


def facts(projects: Sequence[Project], *, today: date) -> dict[int, ScheduleSummary]:
    return summaries(projects, today=today)
