"""Reads for baselines: the list of a project's baselines, and a baseline against the plan now.

`baseline_comparison` costs a fixed number of queries (the live tasks, the baseline's rows and
the project's calendar with its exceptions) however large the plan is; the arithmetic is done
by the pure projects/baselines/compare.py on positions in working minutes of the project's
calendar (a weekend between two dates is not a day of slip).
"""

from dataclasses import dataclass, field
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
    # Thousands of tasks share a few hundred start and finish instants: each is measured once.
    _seen: dict[datetime, int] = field(default_factory=dict, compare=False, repr=False)

    def position(self, moment: datetime | None) -> int | None:
        if moment is None:
            return None
        known = self._seen.get(moment)
        if known is None:
            wall = to_wall_clock(moment, self.zone)
            assert wall is not None
            known = self._seen[moment] = self.timeline.position(wall)
        return known


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


# The columns a comparison reads, as plain tuples: no model instance per task (5,010 of them
# and their baseline rows took half the page's CPU time).
_ENTRY = (
    "wbs_code",
    "name",
    "start",
    "finish",
    "duration_minutes",
    "is_milestone",
    "is_summary",
    "outline_key",
)
_TASK_COLUMNS = ("pk", *_ENTRY)
_ROW_COLUMNS = ("task_id", "wbs_code", "task_name", *_ENTRY[2:])


def _entry(values: tuple, clock: PlanClock) -> compare_engine.PlanEntry:
    key, wbs_code, name, start, finish, duration, milestone, summary, outline_key = values
    return compare_engine.PlanEntry(
        key=key,
        wbs_code=wbs_code,
        name=name,
        start=clock.position(start),
        finish=clock.position(finish),
        duration_minutes=duration,  # a summary's: the span of its tasks (schedule/rollup.py)
        is_milestone=milestone,
        is_summary=summary,
        outline_key=outline_key,
        start_at=start,
        finish_at=finish,
    )


def baseline_comparison(*, baseline: Baseline) -> BaselineComparison:
    """The plan as it is now against `baseline` (whose `project` is loaded)."""
    project = baseline.project
    clock = plan_clock(project)
    tasks = [
        _entry(values, clock)
        for values in Task.objects.alive()
        .filter(project=project)
        .order_by("outline_key", "pk")
        .values_list(*_TASK_COLUMNS)
    ]
    rows = [
        _entry(values, clock)
        for values in baseline_rows(baseline=baseline).values_list(*_ROW_COLUMNS)
    ]
    result = compare_engine.compare(
        baseline=rows,
        current=tasks,
        minutes_per_day=clock.minutes_per_day,
        baseline_finish=clock.position(baseline.project_finish),
    )
    finishes = [task.finish_at for task in tasks if task.finish_at is not None]
    return BaselineComparison(baseline, clock.minutes_per_day, max(finishes, default=None), result)
