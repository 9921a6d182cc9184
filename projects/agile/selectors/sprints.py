"""Reads for sprints: the backlog page, a sprint's charts and the velocity over past sprints."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from projects.agile import charts as sprint_charts
from projects.agile.selectors.board import blocked_ids, card_labels, card_people, ranked
from projects.agile.services.sprints import SprintLoad, sprint_load
from projects.models import Project, Sprint, SprintState, Task, TaskStatus

ROW_FIELDS = (
    "pk",
    "wbs_code",
    "name",
    "status",
    "task_type",
    "priority",
    "story_points",
    "effort_hours",
    "version",
    "sprint_id",
)


@dataclass
class SprintSection:
    sprint: Sprint
    rows: list[dict[str, Any]]
    load: SprintLoad


@dataclass
class Backlog:
    sections: list[SprintSection]  # planned and active sprints, soonest first
    rows: list[dict[str, Any]]  # the backlog itself: unfinished, in no sprint


def project_sprints(project: Project) -> QuerySet[Sprint]:
    return Sprint.objects.filter(project=project).order_by("start_date", "pk")


def backlog(project: Project) -> Backlog:
    """Open sprints with their tasks, then the backlog, in rank order (fixed query count)."""
    sprints = list(project_sprints(project).exclude(state=SprintState.CLOSED))
    tasks = ranked(
        Task.objects.alive()
        .filter(project=project, is_summary=False)
        .filter(sprint__isnull=True)
        .exclude(status=TaskStatus.COMPLETED)
        | Task.objects.alive().filter(project=project, is_summary=False, sprint__in=sprints)
    )
    rows = list(tasks.values(*ROW_FIELDS))
    people, labels = card_people(project.pk), card_labels(project.pk)
    blocked = blocked_ids(project.pk)
    by_sprint: dict[int | None, list[dict[str, Any]]] = {sprint.pk: [] for sprint in sprints}
    by_sprint[None] = []
    for row in rows:
        row["key"] = f"{project.key} {row['wbs_code']}".strip()
        row["assignees"] = people.get(row["pk"], [])
        row["labels"] = labels.get(row["pk"], [])
        row["blocked_by"] = blocked.get(row["pk"], [])
        by_sprint.setdefault(row["sprint_id"], []).append(row)
    sections = [
        SprintSection(sprint, by_sprint[sprint.pk], _load(sprint, by_sprint[sprint.pk]))
        for sprint in sprints
    ]
    return Backlog(sections=sections, rows=by_sprint[None])


def _load(sprint: Sprint, rows: list[dict[str, Any]]) -> SprintLoad:
    """The load from rows already read (no query per sprint)."""
    return SprintLoad(
        points=sum(row["story_points"] or 0 for row in rows),
        hours=sum((row["effort_hours"] or 0 for row in rows), start=0),  # type: ignore[arg-type]
        tasks=len(rows),
        capacity_points=sprint.capacity_points,
        capacity_hours=sprint.capacity_hours,
    )


@dataclass
class SprintCharts:
    unit: str  # "points" or "hours"
    burndown: sprint_charts.LineChart
    burnup: sprint_charts.LineChart
    figures: list[sprint_charts.DayFigures]


def sprint_chart_data(sprint: Sprint, today: date) -> SprintCharts:
    """Burndown and burnup from the recorded snapshots, in points when the sprint has any."""
    snapshots = list(sprint.snapshots.order_by("day"))
    use_points = any(s.total_points for s in snapshots) or not any(s.total_hours for s in snapshots)
    figures = [
        sprint_charts.DayFigures(
            s.day,
            float(s.total_points if use_points else s.total_hours),
            float(s.done_points if use_points else s.done_hours),
        )
        for s in snapshots
    ]
    return SprintCharts(
        unit="points" if use_points else "hours",
        burndown=sprint_charts.burndown(sprint.start_date, sprint.end_date, figures, today),
        burnup=sprint_charts.burnup(sprint.start_date, sprint.end_date, figures, today),
        figures=figures,
    )


def velocity_rows(project: Project, last: int = 8) -> list[tuple[str, float, float]]:
    closed = list(
        project_sprints(project)
        .filter(state=SprintState.CLOSED)
        .values_list("name", "committed_points", "completed_points")
    )[-last:]
    return [(name, float(c or 0), float(d or 0)) for name, c, d in closed]


def sprint_tasks(sprint: Sprint) -> list[dict[str, Any]]:
    tasks = ranked(Task.objects.alive().filter(sprint=sprint, is_summary=False))
    return list(tasks.values(*ROW_FIELDS, "percent_complete"))


__all__ = ["Backlog", "SprintCharts", "backlog", "sprint_chart_data", "sprint_load"]
