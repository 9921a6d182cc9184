"""Plans built straight from factories, with the dates the scheduler would have written."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from projects.models import Project, Task
from tests.factories import BaselineFactory, BaselineTaskFactory, TaskFactory


def at(day: date, hour: int = 17) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def plan(project: Project, *, today: date, tasks: int = 3, late_critical: int = 0) -> list[Task]:
    """`tasks` ordinary tasks (the first one done), a milestone, and some late critical tasks."""
    made = []
    for n in range(tasks):
        made.append(
            TaskFactory(
                project=project,
                name=f"Work {n}",
                wbs_code=str(n + 1),
                outline_key=f"{n + 1:05d}",
                start=at(today - timedelta(days=5), 8),
                finish=at(today + timedelta(days=n + 1)),
                percent_complete=100 if n == 0 else 0,
                status="completed" if n == 0 else "not_started",
                total_float_minutes=480,
            )
        )
    for n in range(late_critical):
        made.append(
            TaskFactory(
                project=project,
                name=f"Late critical {n}",
                wbs_code=f"9.{n}",
                outline_key=f"00900.{n:05d}",
                start=at(today - timedelta(days=10), 8),
                finish=at(today - timedelta(days=2)),
                is_critical=True,
                total_float_minutes=0,
            )
        )
    return made


def milestone(project: Project, name: str, *, forecast: date, baseline: date | None = None):
    task = TaskFactory(
        project=project,
        name=name,
        is_milestone=True,
        duration_minutes=0,
        outline_key=f"00500.{name}",
        start=at(forecast),
        finish=at(forecast),
        total_float_minutes=0,
    )
    if baseline is not None:
        saved = BaselineFactory(
            project=project, name=f"Baseline for {name}", project_finish=at(baseline)
        )
        BaselineTaskFactory(
            baseline=saved,
            task=task,
            task_name=name,
            is_milestone=True,
            duration_minutes=0,
            start=at(baseline),
            finish=at(baseline),
        )
    return task
