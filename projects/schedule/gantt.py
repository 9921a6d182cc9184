"""The Gantt chart's reads, and the translation of a dragged bar into the plan's own terms.

The chart (frontend/gantt.js) works in whole days of the project's time zone; the plan works in
aware instants and working minutes. This module converts at that boundary:

* `gantt_payload` is what `project-gantt-data` serves: every live task with its dates as days,
  its parent, links, flags and version, and its dates in the chosen baseline (the latest by
  default), in a fixed number of queries however large the plan. It reads tuples, not model
  instances, and converts each distinct instant once.
  Each task is one array of `ROW_COLUMNS`, not an object: repeated keys were half of a 1.6 MB
  answer for 5,000 tasks. Days are day numbers (days since 1970-01-01, the script's own unit),
  flags are bits, a link is [predecessor id, type] with its lag's label when it has one, and a
  task without a baseline ends before the baseline columns.
  Float and lags come as the labels people read (`float_label`, `lag_label`), written by the
  durations module in the task's calendar, so the chart says what the task page says.
* `gantt_move_changes` turns "the bar now starts on D1 (and ends on D2)" into the changes
  `task_services.task_update` takes, the way Microsoft Project does when a bar is dragged:
  a *start no earlier than* constraint at the dropped start, and, when the end moved on its own,
  a new duration in working time of the task's calendar.
* `gantt_rows` is the same rows for some tasks only: the move answers with the rows its
  reschedule changed, so its answer does not grow with the plan when one task moves.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects.calendars import selectors as calendar_selectors
from projects.calendars.selectors import PlanCalendars
from projects.models import (
    Baseline,
    BaselineTask,
    ConstraintType,
    Dependency,
    Project,
    Task,
)
from projects.plan.changes import TaskChanges
from projects.schedule.durations import format_duration
from projects.schedule.input import (
    engine_calendar,
    from_wall_clock,
    project_zone,
    to_wall_clock,
)

# Stands in for a task id in the URL templates the page hands to the script.
ID_PLACEHOLDER = 999999999

# Rows for at most this many tasks are read by id; beyond, by project and picked in Python
# (an IN list of thousands of ids is slow on SQLite).
BY_ID_LIMIT = 500


# The columns the chart draws, in the order `gantt_row` reads them.
TASK_COLUMNS = (
    "pk",
    "parent_id",
    "wbs_code",
    "name",
    "start",
    "finish",
    "percent_complete",
    "is_critical",
    "is_milestone",
    "is_summary",
    "total_float_minutes",
    "version",
    "calendar_id",
    "outline_key",  # for the order only
)
CALENDAR = TASK_COLUMNS.index("calendar_id")
OUTLINE = TASK_COLUMNS.index("outline_key")


def _outline_order(task: tuple[Any, ...]) -> tuple[str, int]:
    return task[OUTLINE], task[0]


def gantt_tasks(
    *, project: Project, task_ids: Collection[int] | None = None
) -> list[tuple[Any, ...]]:
    """Live tasks (all, or those of `task_ids`) in outline order as tuples of TASK_COLUMNS
    (one query).

    Tuples, not model instances: building 5,000 Task objects was half the endpoint's time.
    Sorted here rather than by the database: PostgreSQL took 15-25 ms to order 5,000 rows by
    their text key under its collation, Python 2 ms (outline keys are zero-padded ASCII, so
    both orders agree).
    """
    tasks = Task.objects.alive().filter(project=project)
    if task_ids is not None:
        tasks = tasks.filter(pk__in=task_ids)
    return sorted(tasks.order_by().values_list(*TASK_COLUMNS), key=_outline_order)


def gantt_links(
    *, project: Project, task_ids: Collection[int] | None = None
) -> dict[int, list[tuple[int, str, int]]]:
    """Successor id -> its links (predecessor id, type, lag in minutes) from live tasks of the
    same project, in one query.

    One join filtered by project rather than a prefetch: a prefetch sends every task id in an
    IN list, which SQLite answers slowly for thousands of tasks. Links from other projects are
    left out: the chart has no bar to draw them from (the outline and task page show them).
    """
    found = Dependency.objects.filter(
        successor__project=project,
        successor__deleted_at__isnull=True,
        predecessor__project=project,
        predecessor__deleted_at__isnull=True,
    )
    if task_ids is not None:
        found = found.filter(successor_id__in=task_ids)
    rows = found.order_by("pk").values_list("successor_id", "predecessor_id", "type", "lag_minutes")
    links: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for successor_id, predecessor_id, link_type, lag_minutes in rows:
        links[successor_id].append((predecessor_id, link_type, lag_minutes))
    return links


def baseline_instants(
    *, project: Project, baseline_id: int | None = None, task_ids: Collection[int] | None = None
) -> dict[int, tuple[datetime | None, datetime | None]]:
    """Task id -> (start, finish) in a baseline of the project, in one query.

    The page chooses the baseline (`baseline_id`); without a choice, the latest. An id that is
    not one of this project's baselines draws no baseline bars. No baseline, no bars.
    """
    baselines = Baseline.objects.filter(project=project)
    if baseline_id is not None:
        chosen = baselines.filter(pk=baseline_id).values("pk")
    else:
        chosen = baselines.order_by("-created_at", "-pk").values("pk")[:1]
    saved = BaselineTask.objects.filter(baseline__in=chosen, task__isnull=False)
    if task_ids is not None:
        saved = saved.filter(task_id__in=task_ids)
    return {
        task_id: (start, finish)
        for task_id, start, finish in saved.values_list("task_id", "start", "finish")
    }


def _day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    wall = to_wall_clock(moment, zone)
    return wall.date() if wall else None


def _last_day(start: datetime | None, finish: datetime | None, zone: ZoneInfo) -> date | None:
    """The last day a task works on: a finish at midnight belongs to the day before."""
    wall_start, wall_finish = to_wall_clock(start, zone), to_wall_clock(finish, zone)
    if wall_finish is None:
        return None
    if wall_start is not None and wall_finish > wall_start and wall_finish.time() == time(0):
        return (wall_finish - timedelta(minutes=1)).date()
    return wall_finish.date()


# Day numbers count days since 1970-01-01, as the chart's script does (frontend/gantt/time.js).
EPOCH = date(1970, 1, 1).toordinal()


class _Days:
    """`_day` / `_last_day` as day numbers, remembered per instant.

    Plans share instants (a successor starts when its predecessor finishes; a phase's dates are
    its tasks'), so a 5,000-task plan converts far fewer than 10,000 distinct moments.
    """

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        # instant -> (wall-clock time, its day number, whether it is midnight)
        self.walls: dict[datetime, tuple[datetime, int, bool]] = {}

    def wall(self, moment: datetime) -> tuple[datetime, int, bool]:
        known = self.walls.get(moment)
        if known is None:
            wall = moment.astimezone(self.zone).replace(tzinfo=None)
            known = (wall, wall.toordinal() - EPOCH, wall.time() == time(0))
            self.walls[moment] = known
        return known

    def first(self, start: datetime | None) -> int | None:
        return self.wall(start)[1] if start is not None else None

    def last(self, start: datetime | None, finish: datetime | None) -> int | None:
        if finish is None:
            return None
        wall_finish, day, midnight = self.wall(finish)
        if midnight and start is not None and wall_finish > self.wall(start)[0]:
            return day - 1  # a finish at midnight belongs to the day before
        return day


class _Labels:
    """Working minutes as people read them (`format_duration`), in "days" of the task's own
    calendar, else the project's: the calendar selector's rule, as on the task page. A link's
    lag is measured in its successor's calendar, as the engine measures it.

    Remembered per (minutes, calendar): most floats and lags repeat across a plan.
    """

    def __init__(self, calendars: PlanCalendars) -> None:
        self.calendars = calendars
        self.days: dict[int | None, int] = {}
        self.labels: dict[tuple[int, int], str] = {}

    def day(self, calendar_id: int | None) -> int:
        per_day = self.days.get(calendar_id)
        if per_day is None:
            per_day = self.days[calendar_id] = self.calendars.minutes_per_day(calendar_id)
        return per_day

    def label(self, minutes: int, calendar_id: int | None) -> str:
        per_day = self.day(calendar_id)
        text = self.labels.get((minutes, per_day))
        if text is None:
            text = format_duration(minutes, minutes_per_day=per_day)
            self.labels[minutes, per_day] = text
        return text

    def float_label(self, minutes: int | None, calendar_id: int | None) -> str | None:
        """The total float ("-2d"), or None when the task has no float figure."""
        return None if minutes is None else self.label(minutes, calendar_id)

    def lag_label(self, minutes: int, calendar_id: int | None) -> str:
        """A lag ("2d"), a lead ("-1d"), or "" for none."""
        return self.label(minutes, calendar_id) if minutes else ""


# A row of the chart's data: one array per task, in this order (the script reads it by
# position, frontend/gantt/model.js `decodeRows`). A row without baseline dates stops at "links".
ROW_COLUMNS = (
    "id",
    "parent",
    "wbs",
    "name",
    "start",  # day number of the first day
    "finish",  # day number of the last day (a milestone's: its day)
    "progress",
    "flags",  # CRITICAL | MILESTONE | SUMMARY
    "float",  # the total float's label ("-2d"), or null
    "version",
    "links",  # [[predecessor id, type], or [predecessor id, type, lag label], ...]
    "baseline_start",
    "baseline_finish",
)
CRITICAL, MILESTONE, SUMMARY = 1, 2, 4


def gantt_row(
    task: tuple[Any, ...],
    days: _Days,
    labels: _Labels,
    *,
    links: list[tuple[int, str, int]],
    baseline: tuple[datetime | None, datetime | None] | None,
) -> list[Any]:
    """One task's row for the chart (ROW_COLUMNS), from a tuple of TASK_COLUMNS, its links
    (predecessor id, type, lag) and its baseline (start, finish), if it has one."""
    (
        pk,
        parent_id,
        wbs,
        name,
        start,
        finish,
        progress,
        critical,
        milestone,
        summary,
        float_minutes,
        version,
        calendar_id,
        _outline_key,
    ) = task
    first = days.first(start)
    row = [
        pk,
        parent_id,
        wbs,
        name,
        first,
        first if milestone else days.last(start, finish),
        progress,
        (CRITICAL if critical else 0)
        | (MILESTONE if milestone else 0)
        | (SUMMARY if summary else 0),
        labels.float_label(float_minutes, calendar_id),
        version,
        [
            [predecessor_id, link_type, labels.lag_label(lag, calendar_id)]
            if lag
            else [predecessor_id, link_type]
            for predecessor_id, link_type, lag in links
        ],
    ]
    if baseline is not None:
        row += [days.first(baseline[0]), days.last(*baseline)]
    return row


def gantt_rows(
    *,
    project: Project,
    baseline_id: int | None = None,
    task_ids: Collection[int] | None = None,
) -> list[list[Any]]:
    """The chart's rows of every live task, or of those of `task_ids`, in outline order, in a
    fixed number of queries (the calendars: two, two more when a task has its own)."""
    wanted = None if task_ids is None else set(task_ids)
    by_id = wanted if wanted is not None and len(wanted) <= BY_ID_LIMIT else None
    tasks = [
        task
        for task in gantt_tasks(project=project, task_ids=by_id)
        if wanted is None or task[0] in wanted
    ]
    calendars = calendar_selectors.plan_calendars(project, {task[CALENDAR] for task in tasks})
    labels = _Labels(calendars)
    baselines = baseline_instants(project=project, baseline_id=baseline_id, task_ids=by_id)
    links = gantt_links(project=project, task_ids=by_id)
    days = _Days(project_zone(project))
    no_links: list[tuple[int, str, int]] = []
    return [
        gantt_row(
            task,
            days,
            labels,
            links=links.get(task[0], no_links),
            baseline=baselines.get(task[0]),
        )
        for task in tasks
    ]


def gantt_payload(
    *, project: Project, can_plan: bool, baseline_id: int | None = None
) -> dict[str, Any]:
    """Everything the chart draws, in a fixed number of queries.

    Planners may drag every task but summaries (which follow their tasks): `can_edit` says
    it once for the chart rather than on every row.
    """
    zone = project_zone(project)
    return {
        "project": {"id": project.pk, "key": project.key, "name": project.name},
        "today": timezone.localdate(timezone=zone).isoformat(),
        "can_edit": can_plan,
        "baseline": baseline_id,
        "urls": {
            "task": reverse("task-detail", args=[project.pk, ID_PLACEHOLDER]),
            "move": reverse("project-gantt-move", args=[project.pk, ID_PLACEHOLDER]),
            "outline": reverse("project-plan", args=[project.pk]),
        },
        "id_placeholder": str(ID_PLACEHOLDER),
        "columns": ROW_COLUMNS,
        "rows": gantt_rows(project=project, baseline_id=baseline_id),
    }


def task_days(task: Task, project: Project) -> tuple[date | None, date | None]:
    """A task's first and last day as the chart shows them."""
    zone = project_zone(project)
    start = _day(task.start, zone)
    return start, start if task.is_milestone else _last_day(task.start, task.finish, zone)


@dataclass(frozen=True)
class GanttMove:
    """What the chart sent: the bar's new first day and/or last day."""

    start: date | None
    finish: date | None


def gantt_move_changes(*, task: Task, project: Project, move: GanttMove) -> TaskChanges:
    """The `task_update` changes for a drag (move) or a resize of the task's bar.

    Moving sets SNET at the start of the dropped day (the engine starts the task at the first
    working minute from there, or later if its predecessors hold it). Moving the last day sets
    the duration to the working time from the (new) start to the end of that day.
    """
    if task.is_summary:
        raise ValidationError("A summary's dates come from its tasks: move those instead.")
    if move.start is None and move.finish is None:
        raise ValidationError("Send the new start or finish day.")
    zone = project_zone(project)
    changes = TaskChanges()
    start_wall = to_wall_clock(task.start, zone)
    if move.start is not None:
        start_wall = datetime.combine(move.start, time(0))
        changes = replace(
            changes,
            constraint_type=ConstraintType.SNET,
            constraint_date=from_wall_clock(start_wall, zone),
        )
    if move.finish is not None and not task.is_milestone:
        if start_wall is None:
            raise ValidationError("This task has no start yet; move it before resizing it.")
        # The task's own calendar, else the project's: the calendar selector's rule.
        calendar = calendar_selectors.task_calendar(task, project=project)
        timeline = engine_calendar(calendar).timeline()
        end_wall = datetime.combine(move.finish + timedelta(days=1), time(0))
        minutes = timeline.working_minutes_between(start_wall, end_wall)
        if minutes <= 0:
            raise ValidationError(
                "The finish must leave at least some working time after the start."
            )
        changes = replace(changes, duration_minutes=minutes)
    return changes
