"""Reads for sprints: the backlog page, a sprint's charts and the velocity over past sprints."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from projects.agile import charts as sprint_charts
from projects.agile.selectors.board import blocked_ids, card_people, ranked
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


BACKLOG_PAGE = 50  # rows each list of the backlog page shows at first, and each "show more" adds


@dataclass
class RowList:
    """One list of the backlog page (a sprint's or the backlog itself), windowed: `ids` in
    order, the rows of `ids[start:end]` read in full."""

    sprint_id: int | None
    ids: list[int] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    start: int = 0

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def end(self) -> int:
        return self.start + len(self.rows)

    @property
    def remaining(self) -> int:
        return max(0, len(self.ids) - self.end)

    @property
    def next_count(self) -> int:
        return min(self.remaining, BACKLOG_PAGE)


@dataclass
class SprintSection:
    sprint: Sprint
    list: RowList
    load: SprintLoad


@dataclass
class Backlog:
    sections: list[SprintSection]  # planned and active sprints, soonest first
    list: RowList  # the backlog itself: unfinished, in no sprint


def project_sprints(project: Project) -> QuerySet[Sprint]:
    return Sprint.objects.filter(project=project).order_by("start_date", "pk")


def _lists(project: Project, sprints: list[Sprint]) -> tuple[dict[int | None, RowList], dict]:
    """Every row of the page as a light row (one query): ids per list in rank order, and each
    sprint's load from all its rows (exact, however few are shown)."""
    tasks = ranked(
        Task.objects.alive()
        .filter(project=project, is_summary=False)
        .filter(sprint__isnull=True)
        .exclude(status=TaskStatus.COMPLETED)
        | Task.objects.alive().filter(project=project, is_summary=False, sprint__in=sprints)
    )
    lists: dict[int | None, RowList] = {sprint.pk: RowList(sprint.pk) for sprint in sprints}
    lists[None] = RowList(None)
    sums: dict[int | None, list] = {key: [0, Decimal(0)] for key in lists}
    for pk, sprint_id, points, hours in tasks.values_list(
        "pk", "sprint_id", "story_points", "effort_hours"
    ):
        lists.setdefault(sprint_id, RowList(sprint_id)).ids.append(pk)
        figures = sums.setdefault(sprint_id, [0, Decimal(0)])
        figures[0] += points or 0
        figures[1] += hours or 0
    return lists, sums


def _fill(project: Project, lists: list[RowList], size: int, offset: int = 0) -> None:
    """Read in full the rows each list shows (three queries for all the lists)."""
    for row_list in lists:
        row_list.start = offset
    wanted = {pk for row_list in lists for pk in row_list.ids[offset : offset + size]}
    if not wanted:
        return
    rows = {row["pk"]: row for row in Task.objects.filter(pk__in=wanted).values(*ROW_FIELDS)}
    people, blocked = card_people(project.pk, wanted), blocked_ids(project.pk, wanted)
    for row in rows.values():
        row["key"] = f"{project.key} {row['wbs_code']}".strip()
        row["assignees"] = people.get(row["pk"], [])
        row["blocked_by"] = blocked.get(row["pk"], [])
    for row_list in lists:
        row_list.rows = [rows[pk] for pk in row_list.ids[offset : offset + size] if pk in rows]


def backlog(project: Project, size: int = BACKLOG_PAGE) -> Backlog:
    """Open sprints with their tasks, then the backlog, in rank order (fixed query count); each
    list shows its first `size` rows, its count and load exact."""
    sprints = list(project_sprints(project).exclude(state=SprintState.CLOSED))
    lists, sums = _lists(project, sprints)
    _fill(project, list(lists.values()), size)
    sections = [
        SprintSection(sprint, lists[sprint.pk], _load(sprint, lists[sprint.pk], sums[sprint.pk]))
        for sprint in sprints
    ]
    return Backlog(sections=sections, list=lists[None])


def backlog_more(
    project: Project, sprint_id: int | None, *, after: int | None, offset: int
) -> tuple[RowList | None, list[Sprint]]:
    """The next rows of one list of the backlog page ("show more"), from just below row `after`
    (else from `offset`); None: no such open sprint. Also the open sprints (the rows' menus)."""
    sprints = list(project_sprints(project).exclude(state=SprintState.CLOSED))
    if sprint_id is not None and sprint_id not in {sprint.pk for sprint in sprints}:
        return None, sprints
    row_list = _lists(project, sprints)[0][sprint_id]
    if after is not None and after in row_list.ids:
        offset = row_list.ids.index(after) + 1
    _fill(project, [row_list], BACKLOG_PAGE, offset)
    return row_list, sprints


def _load(sprint: Sprint, rows: RowList, sums: list) -> SprintLoad:
    """The load from rows already read (no query per sprint)."""
    return SprintLoad(
        points=sums[0],
        hours=sums[1],
        tasks=rows.count,
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
