"""Writes to sprints: create, plan (what is in it), start, close, and the daily snapshots.

Closing a sprint takes its last snapshot, records what was completed (velocity), then moves the
unfinished tasks back to the backlog or into the next sprint, as the manager chose at close.
Snapshots are keyed on (sprint, day): recording one twice overwrites it with the same figures.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from projects.agile.services.workflow import record_change
from projects.models import (
    Methodology,
    Project,
    Sprint,
    SprintSnapshot,
    SprintState,
    Task,
    TaskStatus,
)
from tpm import history
from tpm.concurrency import lock_current_version, lock_project_then, lock_row
from tpm.models import User

SPRINT_FIELDS = ("name", "goal", "start_date", "end_date", "capacity_points", "capacity_hours")


def sprints_allowed(project: Project) -> bool:
    return project.methodology in (Methodology.AGILE, Methodology.HYBRID)


def _check(sprint: Sprint) -> None:
    sprint.name = (sprint.name or "").strip()
    if not sprint.name:
        raise ValidationError({"name": "Name the sprint."})
    if sprint.start_date and sprint.end_date and sprint.end_date < sprint.start_date:
        raise ValidationError({"end_date": "The sprint ends before it starts."})
    sprint.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
    clash = Sprint.objects.filter(project_id=sprint.project_id, name__iexact=sprint.name)
    if clash.exclude(pk=sprint.pk).exists():
        raise ValidationError({"name": f"The project already has a sprint named {sprint.name}."})


@transaction.atomic
def sprint_create(*, project: Project, actor: User, **fields: Any) -> Sprint:
    if not sprints_allowed(project):
        raise ValidationError("Sprints are for agile and hybrid projects; this one is waterfall.")
    unknown = set(fields) - set(SPRINT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be set here."))
    sprint = Sprint(project=project, **fields)
    _check(sprint)
    sprint.save()
    record_change(project, actor, sprint, "created", history.snapshot(sprint, SPRINT_FIELDS))
    return sprint


@transaction.atomic
def sprint_update(*, sprint: Sprint, actor: User, version: int | None, **changes: Any) -> Sprint:
    current = lock_current_version(sprint, version)
    unknown = set(changes) - set(SPRINT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if current.state == SprintState.CLOSED:
        raise ValidationError(f"{current.name} is closed; it no longer changes.")
    before = history.snapshot(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    _check(current)
    current.version += 1
    current.save()
    diff = history.diff(before, history.snapshot(current, changes))
    if diff:
        record_change(current.project, actor, current, "updated", diff)
    return current


@dataclass(frozen=True)
class SprintLoad:
    """What a sprint holds against what the team can do."""

    points: int
    hours: Decimal
    tasks: int
    capacity_points: int | None
    capacity_hours: Decimal | None

    @property
    def warnings(self) -> list[str]:
        found = []
        if self.capacity_points is not None and self.points > self.capacity_points:
            found.append(
                f"Committed {self.points} points against a capacity of {self.capacity_points}."
            )
        if self.capacity_hours is not None and self.hours > self.capacity_hours:
            found.append(
                f"Committed {float(self.hours):g} hours against a capacity of "
                f"{float(self.capacity_hours):g}."
            )
        return found


def sprint_load(sprint: Sprint) -> SprintLoad:
    """One query: the points, hours and tasks planned in the sprint."""
    totals = (
        Task.objects.alive()
        .filter(sprint=sprint, is_summary=False)
        .aggregate(points=Sum("story_points"), hours=Sum("effort_hours"), tasks=Count("pk"))
    )
    return SprintLoad(
        points=totals["points"] or 0,
        hours=totals["hours"] or Decimal(0),
        tasks=totals["tasks"],
        capacity_points=sprint.capacity_points,
        capacity_hours=sprint.capacity_hours,
    )


@transaction.atomic
def sprint_plan(*, sprint: Sprint, actor: User, add: list[Task], remove: list[Task]) -> SprintLoad:
    """Put backlog tasks in the sprint and take others out; answers the load (with warnings)."""
    if sprint.state == SprintState.CLOSED:
        raise ValidationError(f"{sprint.name} is closed; plan the next sprint.")
    lock_row(sprint.project)  # task rows change: the project first (tpm/concurrency.py)
    for task in [*add, *remove]:
        if task.project_id != sprint.project_id:
            raise ValidationError({"tasks": f"{task.name} belongs to another project."})
        if task.is_summary:
            raise ValidationError({"tasks": f"{task.name} is a summary: plan the tasks under it."})
    added = Task.objects.filter(pk__in=[task.pk for task in add]).exclude(sprint=sprint)
    names_in = list(added.values_list("name", flat=True))
    added.update(sprint=sprint)
    removed = Task.objects.filter(pk__in=[task.pk for task in remove], sprint=sprint)
    names_out = list(removed.values_list("name", flat=True))
    removed.update(sprint=None)
    if names_in or names_out:
        record_change(
            sprint.project, actor, sprint, "planned", {"added": names_in, "removed": names_out}
        )
    return sprint_load(sprint)


def sprint_snapshot(*, sprint: Sprint, day: date) -> SprintSnapshot:
    """Record the sprint's scope and what is done of it on `day` (idempotent)."""
    done = Q(status=TaskStatus.COMPLETED)
    totals = (
        Task.objects.alive()
        .filter(sprint=sprint, is_summary=False)
        .aggregate(
            total_points=Sum("story_points"),
            done_points=Sum("story_points", filter=done),
            total_hours=Sum("effort_hours"),
            done_hours=Sum("effort_hours", filter=done),
            total_tasks=Count("pk"),
            done_tasks=Count("pk", filter=done),
        )
    )
    values = {name: value or 0 for name, value in totals.items()}
    snapshot, _ = SprintSnapshot.objects.update_or_create(sprint=sprint, day=day, defaults=values)
    return snapshot


def _today(project: Project) -> date:
    return timezone.localdate()


@transaction.atomic
def sprint_start(*, sprint: Sprint, actor: User, version: int | None) -> Sprint:
    current = lock_current_version(sprint, version)
    if current.state != SprintState.PLANNED:
        raise ValidationError(f"{current.name} is {current.get_state_display().lower()}.")
    active = Sprint.objects.filter(project_id=current.project_id, state=SprintState.ACTIVE).first()
    if active is not None:
        raise ValidationError(f"{active.name} is still active: close it first.")
    load = sprint_load(current)
    if load.tasks == 0:
        raise ValidationError("The sprint holds no tasks: plan some from the backlog first.")
    current.state = SprintState.ACTIVE
    current.started_at = timezone.now()
    current.committed_points = load.points
    current.version += 1
    current.save()
    sprint_snapshot(sprint=current, day=_today(current.project))
    record_change(current.project, actor, current, "started", {"state": ["planned", "active"]})
    return current


@transaction.atomic
def sprint_close(
    *, sprint: Sprint, actor: User, version: int | None, move_to: Sprint | None = None
) -> Sprint:
    """Close: last snapshot, velocity, and unfinished work to the backlog or to `move_to`."""
    current = lock_project_then(sprint.project, sprint, version)  # then its tasks
    if current.state != SprintState.ACTIVE:
        raise ValidationError(f"Only an active sprint closes; {current.name} is {current.state}.")
    if move_to is not None:
        if move_to.project_id != current.project_id or move_to.pk == current.pk:
            raise ValidationError({"move_to": "Choose another sprint of this project."})
        if move_to.state == SprintState.CLOSED:
            raise ValidationError({"move_to": f"{move_to.name} is closed."})
    snapshot = sprint_snapshot(sprint=current, day=_today(current.project))
    unfinished = Task.objects.filter(sprint=current).exclude(status=TaskStatus.COMPLETED)
    moved = unfinished.update(sprint=move_to)
    current.state = SprintState.CLOSED
    current.closed_at = timezone.now()
    current.completed_points = snapshot.done_points
    current.version += 1
    current.save()
    record_change(
        current.project,
        actor,
        current,
        "closed",
        {
            "state": ["active", "closed"],
            "unfinished": [moved, move_to.name if move_to else "backlog"],
        },
    )
    return current


def snapshot_active_sprints(day: date) -> int:
    """The daily job's work: one snapshot per active sprint (idempotent per day)."""
    count = 0
    for sprint in Sprint.objects.filter(state=SprintState.ACTIVE, project__deleted_at__isnull=True):
        sprint_snapshot(sprint=sprint, day=day)
        count += 1
    return count
