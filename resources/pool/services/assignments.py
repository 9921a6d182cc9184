"""Writes to task assignments: a resource on a task with units (% of their day) and work.

`Task.assignees` (users) is what boards, My work and notifications read; these services keep
it in step: assigning a resource that has a user with a role in the project adds the user to
the task's assignees (who is then notified, as for any assignment), removing the assignment
removes them. People put on a task through the board without an `Assignment` row count as
100 % assignments in the workload (resources.pool.selectors.effective_assignments).
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from projects.models import ProjectMembership, Task
from projects.work import events as work_events
from resources.models import Assignment, Resource
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import Membership, User
from tpm.roles import OrgRole

MAX_UNITS = Decimal(1000)


def _label(resource: Resource, units: Decimal) -> str:
    return f"{resource.name} ({units:g} %)"


def _work_label(name: str, values: dict[str, Any]) -> str:
    work = values.get("work_hours")
    return f"{name} ({values.get('units')} %" + (f", {work} h)" if work else ")")


def diff_after(diff: dict[str, list]) -> dict[str, Any]:
    return {name: new for name, (_, new) in diff.items()}


def _check_values(units: Decimal | None, work_hours: Decimal | None) -> None:
    if units is None or units <= 0:
        raise ValidationError({"units": "Units are the share of their day: more than 0 %."})
    if units > MAX_UNITS:
        raise ValidationError({"units": "Units are at most 1000 % (ten people's days)."})
    if work_hours is not None and work_hours < 0:
        raise ValidationError({"work_hours": "Work cannot be negative."})


def _has_project_role(task: Task, user_id: int) -> bool:
    project = task.project
    return (
        ProjectMembership.objects.filter(project=project, user_id=user_id).exists()
        or Membership.objects.filter(
            organisation_id=project.organisation_id, user_id=user_id, role=OrgRole.ADMIN
        ).exists()
    )


def _record(task: Task, actor: User, changes: dict[str, list]) -> None:
    history.record(
        actor=actor,
        organisation=task.project.organisation,
        target=task,
        action="updated",
        scope=f"project:{task.project_id}",
        changes=changes,
    )
    work_events.recorded(task.project, actor, task, "updated", changes)


def _assignees_change(task: Task, user_id: int, *, add: bool) -> dict[str, list]:
    """Add or remove one user among the task's assignees; the change for the history."""
    before = sorted(task.assignees.values_list("email", flat=True))
    if add:
        task.assignees.add(user_id)
    else:
        task.assignees.remove(user_id)
    after = sorted(task.assignees.values_list("email", flat=True))
    if before == after:
        return {}
    Task.objects.filter(pk=task.pk).update(version=F("version") + 1)
    task.version += 1
    return {"assignees": [before, after]}


@transaction.atomic
def assignment_create(
    *,
    task: Task,
    actor: User,
    resource: Resource,
    units: Decimal | None = Decimal(100),
    work_hours: Decimal | None = None,
) -> Assignment:
    """Put a resource on a task (a leaf task or milestone-free work package)."""
    if task.deleted_at is not None:
        raise ValidationError("This task was deleted.")
    if task.is_summary:
        raise ValidationError(
            {"resource": "A summary's work comes from the tasks under it; assign people there."}
        )
    if task.is_milestone:
        raise ValidationError({"resource": "A milestone has no work to assign."})
    if resource.organisation_id != task.project.organisation_id:
        raise ValidationError({"resource": "Choose a resource of this organisation's pool."})
    if not resource.is_active:
        raise ValidationError({"resource": f"{resource.name} is no longer active in the pool."})
    _check_values(units, work_hours)
    assert units is not None
    if Assignment.objects.filter(task=task, resource=resource).exists():
        raise ValidationError(
            {"resource": f"{resource.name} is already on this task; change their units or work."}
        )
    assignment = Assignment.objects.create(
        task=task, resource=resource, units=units, work_hours=work_hours
    )
    changes: dict[str, list] = {"assignments": [None, _label(resource, units)]}
    if resource.user_id and _has_project_role(task, resource.user_id):
        changes |= _assignees_change(task, resource.user_id, add=True)
    _record(task, actor, changes)
    return assignment


@transaction.atomic
def assignment_update(
    *, assignment: Assignment, actor: User, version: int | None, **changes: Any
) -> Assignment:
    current = lock_current_version(assignment, version)
    unknown = set(changes) - {"units", "work_hours"}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    units = changes.get("units", current.units)
    work_hours = changes.get("work_hours", current.work_hours)
    _check_values(units, work_hours)
    before = history.snapshot(current, ("units", "work_hours"))
    current.units = units
    current.work_hours = work_hours
    current.version += 1
    current.save()
    diff = history.diff(before, history.snapshot(current, ("units", "work_hours")))
    if diff:
        name = assignment.resource.name
        _record(
            assignment.task,
            actor,
            {
                "assignments": [
                    _work_label(name, before),
                    _work_label(name, before | diff_after(diff)),
                ]
            },
        )
    return current


@transaction.atomic
def assignment_delete(*, assignment: Assignment, actor: User) -> None:
    task = assignment.task
    resource = assignment.resource
    changes: dict[str, list] = {"assignments": [_label(resource, assignment.units), None]}
    assignment.delete()
    if resource.user_id:
        changes |= _assignees_change(task, resource.user_id, add=False)
    _record(task, actor, changes)
