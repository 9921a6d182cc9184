"""A small costed plan with a baseline, for the budget and earned-value pages (R3's tests)."""

from datetime import date
from decimal import Decimal
from itertools import pairwise

from projects.baselines import services as baseline_services
from projects.models import Project, Task
from projects.plan import services as task_services

from .timesheet_helpers import approve, log, rate, submit


def costed_plan(world, tasks: int = 2) -> list[Task]:
    """WEB from Monday 1 March 2027, status date Friday 5 March: `tasks` five-day tasks of
    1,000 each in a row under one summary, baselined as "Approved plan"."""
    Project.objects.filter(pk=world.project.pk).update(start_date=date(2027, 3, 1))
    world.project.refresh_from_db()
    phase = task_services.task_create(project=world.project, actor=world.manager, name="Phase 1")
    made = []
    for n in range(tasks):
        made.append(
            task_services.task_create(
                project=world.project,
                actor=world.manager,
                name=f"Work package {n + 1}",
                parent=Task.objects.get(pk=phase.pk),
                duration_minutes=5 * 480,
                cost=Decimal(1000),
                effort_hours=Decimal(40),
                assignees=[world.member],
            )
        )
    for before, after in pairwise(made):
        task_services.dependency_create(predecessor=before, successor=after, actor=world.manager)
    baseline_services.baseline_save(
        project=world.project, actor=world.manager, name="Approved plan"
    )
    # The status date comes after the baseline: the scheduler plans unfinished work after it.
    Project.objects.filter(pk=world.project.pk).update(status_date=date(2027, 3, 5))
    world.project.refresh_from_db()
    return [Task.objects.get(pk=t.pk) for t in made]


def approved_time(world, task: Task, hours: str = "8", hourly: str = "50") -> None:
    """The member (at `hourly`) logs `hours` on Monday of the plan's first week, approved."""
    if not world.member.resources.exists():
        rate(world, world.member, hourly)
    log(world, world.member, {(task, 0): hours})
    submit(world, world.member)
    approve(world, world.member)
