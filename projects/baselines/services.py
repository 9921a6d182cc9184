"""Writes for baselines: save a snapshot of the whole plan, delete one. Each is one transaction.

A baseline is immutable: there is no update. Saving copies every live task's scheduled dates,
duration, effort and planned cost in one bulk insert.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from projects.baselines.selectors import PlanClock, plan_clock
from projects.models import Baseline, BaselineTask, Project, Task
from tpm import history
from tpm.models import User

UNSCHEDULED = (
    "The plan has no schedule yet: add tasks and let them be scheduled before saving a baseline."
)


def _record(baseline: Baseline, actor: User, action: str, changes: dict) -> None:
    history.record(
        actor=actor,
        organisation=baseline.project.organisation,
        target=baseline,
        action=action,
        scope=f"project:{baseline.project_id}",
        changes=changes,
    )


def _row(baseline: Baseline, task: Task, clock: PlanClock) -> BaselineTask:
    assert task.start is not None and task.finish is not None
    duration = task.duration_minutes  # a summary's: the span of its tasks (schedule/rollup.py)
    return BaselineTask(
        baseline=baseline,
        task=task,
        task_name=task.name,
        wbs_code=task.wbs_code,
        outline_key=task.outline_key,
        start=task.start,
        finish=task.finish,
        duration_minutes=duration,
        effort_hours=task.effort_hours,
        cost=task.cost,
        is_milestone=task.is_milestone,
        is_summary=task.is_summary,
    )


@transaction.atomic
def baseline_save(*, project: Project, actor: User, name: str, note: str = "") -> Baseline:
    """Snapshot every live task of the project under `name` (unique in the project)."""
    Project.objects.select_for_update().filter(pk=project.pk).first()  # names are checked in turn
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the baseline a name."})
    if Baseline.objects.filter(project=project, name__iexact=name).exists():
        raise ValidationError(
            {"name": f"This project already has a baseline named “{name}”; choose another name."}
        )
    tasks = list(Task.objects.alive().filter(project=project).order_by("outline_key", "pk"))
    if not tasks or any(task.start is None or task.finish is None for task in tasks):
        raise ValidationError(UNSCHEDULED)
    clock = plan_clock(project)
    baseline = Baseline.objects.create(
        project=project,
        name=name,
        note=note.strip(),
        created_by=actor,
        project_start=min(task.start for task in tasks if task.start),
        project_finish=max(task.finish for task in tasks if task.finish),
        task_count=len(tasks),
    )
    rows = [_row(baseline, task, clock) for task in tasks]
    BaselineTask.objects.bulk_create(rows, batch_size=1000)
    _record(baseline, actor, "created", {"name": [None, name], "tasks": [None, len(tasks)]})
    return baseline


@transaction.atomic
def baseline_delete(*, baseline: Baseline, actor: User) -> None:
    """Delete a baseline and its rows (the plan itself is untouched)."""
    _record(baseline, actor, "deleted", {"name": [baseline.name, None]})
    baseline.delete()
