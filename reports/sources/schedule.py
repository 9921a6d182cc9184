"""The schedule source: progress, milestones against the latest baseline, late critical work.

Reads projects/ only (tasks and baselines) in three queries for any number of projects. Slip is
counted in calendar days between the baseline's and the plan's dates in the project's zone (the
baseline comparison page counts working days; a report reader thinks in calendar days).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

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


def _summarise(
    tasks: list[dict[str, Any]],
    baseline: dict[str, Any] | None,
    baselined: dict[int, datetime],
    zone: Any,
    today: date,
) -> ScheduleSummary:
    leaves = [task for task in tasks if not task["is_summary"]]
    weight = sum(task["duration_minutes"] for task in leaves)
    if weight:
        percent = round(sum(t["duration_minutes"] * t["percent_complete"] for t in leaves) / weight)
    else:
        percent = round(sum(t["percent_complete"] for t in leaves) / len(leaves)) if leaves else 0
    starts = [task["start"] for task in tasks if task["start"]]
    finishes = [task["finish"] for task in tasks if task["finish"]]
    milestones: list[Milestone] = []
    late_critical: list[dict[str, Any]] = []
    negative = 0
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
        if (task["total_float_minutes"] or 0) < 0:
            negative += 1
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
            negative_float_tasks=negative,
        ),
        task_count=len(leaves),
        completed=sum(1 for t in leaves if t["status"] == TaskStatus.COMPLETED),
        in_progress=sum(1 for t in leaves if t["status"] == TaskStatus.IN_PROGRESS),
        percent_complete=percent,
        start=_day(min(starts), zone) if starts else None,
        finish=_day(max(finishes), zone) if finishes else None,
        baseline_name=baseline["name"] if baseline else "",
        baseline_finish=_day(baseline["project_finish"], zone) if baseline else None,
        milestones=milestones,
        late_critical=late_critical[:LIST_LIMIT],
    )


def summaries(projects: Sequence[Project], *, today: date) -> dict[int, ScheduleSummary]:
    """Three queries: the live tasks, the latest baselines, their milestone rows."""
    ids = [project.pk for project in projects]
    if not ids:
        return {}
    tasks_by_project: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for task in (
        Task.objects.alive()
        .filter(project_id__in=ids)
        .order_by("project_id", "outline_key", "pk")
        .values(*_TASK_FIELDS)
    ):
        tasks_by_project[task["project_id"]].append(task)
    baselines = _latest_baselines(ids)
    milestone_rows = _baseline_milestones([row["pk"] for row in baselines.values()])
    result: dict[int, ScheduleSummary] = {}
    for project in projects:
        tasks = tasks_by_project.get(project.pk)
        if not tasks:
            continue  # no plan yet: the schedule has no data
        baseline = baselines.get(project.pk)
        baselined = milestone_rows.get(baseline["pk"], {}) if baseline else {}
        result[project.pk] = _summarise(tasks, baseline, baselined, project_zone(project), today)
    return result


def facts(projects: Sequence[Project], *, today: date) -> dict[int, ScheduleSummary]:
    return summaries(projects, today=today)
