"""Writes to allocations: a share of a person's capacity given to a project over dates.

Rules: the resource belongs to the project's organisation and is active; the dates are in
order; the share is 1 to 200 %; one resource has at most one allocation to a project on any
day (change the existing one instead). Over-allocation across projects is allowed (the
workload view shows it), never silently capped.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from projects.models import Project
from resources.models import Allocation, Resource
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import User

ALLOCATION_FIELDS = ("resource", "start_date", "end_date", "percent", "note")


def _record(project: Project, actor: User | None, target: Any, action: str, changes: Any) -> None:
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=target,
        action=action,
        scope=f"project:{project.pk}",
        changes=changes,
    )


def _require(start: date | None, end: date | None, percent: int | None) -> None:
    if start is None:
        raise ValidationError({"start_date": "Give the first day of the allocation."})
    if end is None:
        raise ValidationError({"end_date": "Give the last day of the allocation."})
    if percent is None:
        raise ValidationError({"percent": "Give the share of their capacity, 1 to 200 %."})


def _check(allocation: Allocation, project: Project) -> None:
    resource: Resource | None = allocation.resource
    if resource is None or resource.organisation_id != project.organisation_id:
        raise ValidationError({"resource": "Choose a resource of this organisation's pool."})
    if not resource.is_active:
        raise ValidationError({"resource": f"{resource.name} is no longer active in the pool."})
    start: date | None = allocation.start_date
    end: date | None = allocation.end_date
    _require(start, end, allocation.percent)
    assert start is not None and end is not None
    if end < start:
        raise ValidationError({"end_date": "The last day is before the first."})
    if not 1 <= allocation.percent <= 200:
        raise ValidationError({"percent": "Allocate between 1 and 200 % of their capacity."})
    clash = (
        Allocation.objects.filter(
            project=project, resource=resource, start_date__lte=end, end_date__gte=start
        )
        .exclude(pk=allocation.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "start_date": f"{resource.name} is already allocated to this project from "
                f"{clash.start_date:%d %b %Y} to {clash.end_date:%d %b %Y} "
                f"({clash.percent} %); change that allocation instead."
            }
        )


@transaction.atomic
def allocation_create(
    *,
    project: Project,
    actor: User,
    resource: Resource,
    start_date: date | None,
    end_date: date | None,
    percent: int | None = 100,
    note: str = "",
) -> Allocation:
    _require(start_date, end_date, percent)
    assert start_date is not None and end_date is not None and percent is not None
    allocation = Allocation(
        project=project,
        resource=resource,
        start_date=start_date,
        end_date=end_date,
        percent=percent,
        note=(note or "").strip()[:200],
    )
    _check(allocation, project)
    allocation.save()
    _record(
        project,
        actor,
        allocation,
        "created",
        history.snapshot(allocation, ALLOCATION_FIELDS),
    )
    return allocation


@transaction.atomic
def allocation_update(
    *, allocation: Allocation, actor: User, version: int | None, **changes: Any
) -> Allocation:
    current = lock_current_version(allocation, version)
    unknown = set(changes) - set(ALLOCATION_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    project = allocation.project
    before = history.snapshot(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    _check(current, project)
    diff = history.diff(before, history.snapshot(current, changes))
    current.version += 1
    current.save()
    if diff:
        _record(project, actor, current, "updated", diff)
    return current


@transaction.atomic
def allocation_delete(*, allocation: Allocation, actor: User) -> None:
    project = allocation.project
    snapshot = history.snapshot(allocation, ALLOCATION_FIELDS)
    _record(project, actor, allocation, "deleted", {k: [v, None] for k, v in snapshot.items()})
    allocation.delete()
