"""Reads for baselines: the list of a project's baselines, and a baseline against the plan now.

`baseline_comparison` costs a fixed number of queries (the live tasks, the baseline's rows and
the project's calendar with its exceptions) however large the plan is; the arithmetic is done
by the pure projects/baselines/compare.py on positions in working minutes of the project's
calendar (a weekend between two dates is not a day of slip).
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from projects.baselines import compare as compare_engine
from projects.calendars.selectors import minutes_per_day, project_calendar
from projects.calendars.timeline import WorkingTimeline
from projects.models import Baseline, BaselineTask, Project, Task
from projects.schedule.input import engine_calendar, project_zone, to_wall_clock


@dataclass(frozen=True)
class PlanClock:
    """The project's calendar as a ruler: instants become positions in working minutes."""

    timeline: WorkingTimeline
    zone: ZoneInfo
    minutes_per_day: int

    def position(self, moment: datetime | None) -> int | None:
        wall = to_wall_clock(moment, self.zone)
        return None if wall is None else self.timeline.position(wall)


def plan_clock(project: Project) -> PlanClock:
    calendar = project_calendar(project)
    clock = engine_calendar(calendar).timeline()
    return PlanClock(clock, project_zone(project), minutes_per_day(calendar))


def project_baselines(*, project: Project) -> QuerySet[Baseline]:
    """The project's baselines, newest first, with who saved them."""
    return (
        Baseline.objects.filter(project=project)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def baseline_rows(*, baseline: Baseline) -> QuerySet[BaselineTask]:
    return BaselineTask.objects.filter(baseline=baseline).order_by("outline_key", "pk")


@dataclass(frozen=True)
class BaselineComparison:
    baseline: Baseline
    minutes_per_day: int
    current_finish: datetime | None
    result: compare_engine.Comparison


def _current_entry(task: Task, clock: PlanClock) -> compare_engine.PlanEntry:
    duration = task.duration_minutes  # a summary's: the span of its tasks (schedule/rollup.py)
    return compare_engine.PlanEntry(
        key=task.pk,
        wbs_code=task.wbs_code,
        name=task.name,
        start=clock.position(task.start),
        finish=clock.position(task.finish),
        duration_minutes=duration,
        is_milestone=task.is_milestone,
        is_summary=task.is_summary,
        outline_key=task.outline_key,
        start_at=task.start,
        finish_at=task.finish,
    )


def _baseline_entry(row: BaselineTask, clock: PlanClock) -> compare_engine.PlanEntry:
    return compare_engine.PlanEntry(
        key=row.task_id,
        wbs_code=row.wbs_code,
        name=row.task_name,
        start=clock.position(row.start),
        finish=clock.position(row.finish),
        duration_minutes=row.duration_minutes,
        is_milestone=row.is_milestone,
        is_summary=row.is_summary,
        outline_key=row.outline_key,
        start_at=row.start,
        finish_at=row.finish,
    )


def baseline_comparison(*, baseline: Baseline) -> BaselineComparison:
    """The plan as it is now against `baseline` (whose `project` is loaded)."""
    project = baseline.project
    clock = plan_clock(project)
    tasks = list(
        Task.objects.alive()
        .filter(project=project)
        .only(
            "pk",
            "project_id",
            "wbs_code",
            "outline_key",
            "name",
            "start",
            "finish",
            "duration_minutes",
            "is_milestone",
            "is_summary",
        )
        .order_by("outline_key", "pk")
    )
    rows = list(baseline_rows(baseline=baseline))
    result = compare_engine.compare(
        baseline=[_baseline_entry(row, clock) for row in rows],
        current=[_current_entry(task, clock) for task in tasks],
        minutes_per_day=clock.minutes_per_day,
        baseline_finish=clock.position(baseline.project_finish),
    )
    finishes = [task.finish for task in tasks if task.finish is not None]
    return BaselineComparison(baseline, clock.minutes_per_day, max(finishes, default=None), result)
