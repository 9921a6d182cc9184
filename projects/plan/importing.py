"""Writing a whole plan at once (demo data now; MS Project import builds on it).

One transaction: tasks are inserted in bulk, links after them, then the outline is numbered and
the project rescheduled once, instead of once per task.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from projects.calendars.selectors import day_length
from projects.models import Dependency, LinkType, Project, Task, TaskStatus
from projects.schedule import services as schedule_services
from projects.schedule.durations import days_to_minutes
from tpm import history
from tpm.db_statistics import refresh_statistics
from tpm.models import User


@dataclass(frozen=True)
class PlannedTask:
    ref: str  # the caller's own key, used by links and children
    name: str
    days: float = 1.0
    parent: str | None = None
    milestone: bool = False
    percent_complete: int = 0
    deadline: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class PlannedLink:
    predecessor: str
    successor: str
    type: str = LinkType.FS
    lag_days: float = 0.0


@dataclass
class ImportedPlan:
    tasks: dict[str, Task] = field(default_factory=dict)
    links: list[Dependency] = field(default_factory=list)


@transaction.atomic
def plan_import(
    *,
    project: Project,
    actor: User,
    tasks: list[PlannedTask],
    links: list[PlannedLink],
    minutes_per_day: int | None = None,
) -> ImportedPlan:
    """Add `tasks` (parents listed before their children) and `links` to the project.

    Days are days of the project's calendar unless `minutes_per_day` says otherwise.
    """
    per_day = minutes_per_day or day_length(
        None, project
    )  # the tasks have no calendar of their own
    result = ImportedPlan()
    positions: dict[str | None, int] = {}
    for planned in tasks:
        parent = result.tasks[planned.parent] if planned.parent else None
        position = positions.get(planned.parent, 0)
        positions[planned.parent] = position + 1
        result.tasks[planned.ref] = Task.objects.create(
            project=project,
            parent=parent,
            position=position,
            name=planned.name,
            notes=planned.notes,
            is_milestone=planned.milestone,
            duration_minutes=0 if planned.milestone else days_to_minutes(planned.days, per_day),
            percent_complete=planned.percent_complete,
            deadline=planned.deadline,
        )
    result.links = Dependency.objects.bulk_create(
        Dependency(
            predecessor=result.tasks[link.predecessor],
            successor=result.tasks[link.successor],
            type=link.type,
            lag_minutes=days_to_minutes(link.lag_days, per_day),
        )
        for link in links
    )
    refresh_statistics(Task, Dependency)  # thousands of rows may just have arrived
    schedule_services.renumber(project)
    schedule_services.project_reschedule(project=project)
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=project,
        action="updated",
        scope=f"project:{project.pk}",
        changes={"plan": [None, f"{len(tasks)} tasks and {len(links)} links added"]},
    )
    return result


@transaction.atomic
def plan_progress_catch_up(*, project: Project, actor: User, as_of: date) -> int:
    """Report the work planned before `as_of` as done (demo data, or an imported plan's history).

    Tasks that should have finished are complete at their planned dates; tasks under way get an
    actual start and progress in proportion to the time gone. Returns how many tasks changed.
    """
    cutoff = timezone.make_aware(datetime.combine(as_of, time.min))
    changed = []
    for task in Task.objects.alive().filter(project=project, is_summary=False, start__lt=cutoff):
        assert task.start is not None and task.finish is not None
        task.actual_start = task.start
        if task.finish <= cutoff:
            task.status, task.percent_complete, task.actual_finish = (
                TaskStatus.COMPLETED,
                100,
                task.finish,
            )
        else:
            elapsed = (cutoff - task.start) / (task.finish - task.start)
            task.status, task.percent_complete = (
                TaskStatus.IN_PROGRESS,
                min(95, round(elapsed * 100)),
            )
        changed.append(task)
    fields = ["actual_start", "actual_finish", "status", "percent_complete"]
    Task.objects.bulk_update(changed, fields, batch_size=500)
    Project.objects.filter(pk=project.pk).update(status_date=as_of)
    project.status_date = as_of
    schedule_services.project_reschedule(project=project)
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=project,
        action="updated",
        scope=f"project:{project.pk}",
        changes={"progress": [None, f"{len(changed)} tasks reported as of {as_of.isoformat()}"]},
    )
    return len(changed)
