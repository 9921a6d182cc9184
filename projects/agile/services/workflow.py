"""Writes to a project's workflow: its statuses, labels, and a task's agile fields.

Statuses are columns of the board. Each has a category the schedule understands (to do /
in progress / done <-> not started / in progress / completed); a project always keeps at least
one to-do and one done status so every task has a column.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from projects.agile.selectors.workflow import workflow_statuses
from projects.models import (
    DEFAULT_STATUSES,
    Label,
    Project,
    StatusCategory,
    Task,
    TaskStatus,
    WorkflowStatus,
)
from tpm import history
from tpm.concurrency import lock_current_version, lock_project_then, lock_row
from tpm.models import User

CATEGORY_OF_TASK_STATUS = {
    TaskStatus.NOT_STARTED: StatusCategory.TO_DO,
    TaskStatus.IN_PROGRESS: StatusCategory.IN_PROGRESS,
    TaskStatus.COMPLETED: StatusCategory.DONE,
}
TASK_STATUS_OF_CATEGORY = {value: key for key, value in CATEGORY_OF_TASK_STATUS.items()}
STATUS_FIELDS = ("name", "category", "position", "wip_limit", "wip_blocking")


def record_change(
    project: Project, actor: User | None, target: Any, action: str, changes: dict
) -> None:
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=target,
        action=action,
        scope=f"project:{project.pk}",
        changes=changes,
    )


def ensure_workflow(project: Project) -> list[WorkflowStatus]:
    """The project's statuses in board order, creating the defaults if it has none (idempotent).

    Called when a project is created (and by writes); pages read `workflow_statuses` instead.
    """
    statuses = workflow_statuses(project)
    if statuses:
        return statuses
    # One INSERT; a concurrent writer that got there first is not an error (same names).
    WorkflowStatus.objects.bulk_create(
        [
            WorkflowStatus(project=project, name=name, category=category, position=position)
            for position, (name, category) in enumerate(DEFAULT_STATUSES)
        ],
        ignore_conflicts=True,
    )
    return workflow_statuses(project)


def first_of_category(statuses: list[WorkflowStatus]) -> dict[str, WorkflowStatus]:
    first: dict[str, WorkflowStatus] = {}
    for status in statuses:
        first.setdefault(status.category, status)
    return first


def effective_status_id(
    workflow_status_id: int | None,
    task_status: str,
    by_id: dict[int, WorkflowStatus],
    first: dict[str, WorkflowStatus],
) -> int | None:
    """The column a task shows in: its workflow status while that agrees with its progress.

    Progress reported elsewhere (the plan, My work) changes `Task.status` only; a task whose
    workflow status no longer matches shows in the first status of the matching category.
    """
    category = CATEGORY_OF_TASK_STATUS.get(task_status, StatusCategory.TO_DO)  # type: ignore[call-overload]
    current = by_id.get(workflow_status_id) if workflow_status_id else None
    if current is not None and current.category == category:
        return current.pk
    fallback = first.get(category)
    return fallback.pk if fallback else None


def _check_status(status: WorkflowStatus) -> None:
    status.name = (status.name or "").strip()
    if not status.name:
        raise ValidationError({"name": "Name the status."})
    if status.wip_blocking and not status.wip_limit:
        raise ValidationError({"wip_blocking": "Only a status with a WIP limit can block moves."})
    status.full_clean(exclude=["project"], validate_unique=False)
    clash = WorkflowStatus.objects.filter(project_id=status.project_id, name__iexact=status.name)
    if clash.exclude(pk=status.pk).exists():
        raise ValidationError({"name": f"The project already has a status named {status.name}."})


def _check_categories_kept(project: Project) -> None:
    categories = set(
        WorkflowStatus.objects.filter(project=project).values_list("category", flat=True)
    )
    for needed in (StatusCategory.TO_DO, StatusCategory.DONE):
        if needed not in categories:
            raise ValidationError(
                {"category": f"A workflow needs at least one “{needed.label}” status."}
            )


@transaction.atomic
def status_create(
    *,
    project: Project,
    actor: User,
    name: str,
    category: str,
    wip_limit: int | None = None,
    wip_blocking: bool = False,
    position: int | None = None,
) -> WorkflowStatus:
    ensure_workflow(project)
    if position is None:
        last = WorkflowStatus.objects.filter(project=project).aggregate(last=Max("position"))
        position = (last["last"] or 0) + 1
    status = WorkflowStatus(
        project=project,
        name=name,
        category=category,
        position=position,
        wip_limit=wip_limit,
        wip_blocking=wip_blocking,
    )
    _check_status(status)
    status.save()
    record_change(project, actor, status, "created", {"name": [None, status.name]})
    return status


@transaction.atomic
def status_update(
    *, status: WorkflowStatus, actor: User, version: int | None, **changes: Any
) -> WorkflowStatus:
    current = lock_current_version(status, version)
    unknown = set(changes) - set(STATUS_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    before = history.snapshot(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    _check_status(current)
    current.version += 1
    current.save()
    _check_categories_kept(current.project)
    diff = history.diff(before, history.snapshot(current, changes))
    if diff:
        record_change(current.project, actor, current, "updated", diff)
    return current


@transaction.atomic
def status_delete(*, status: WorkflowStatus, actor: User) -> None:
    """Remove a column; its cards move to the first other status of the same category."""
    project = status.project
    lock_row(project)  # its cards are task rows: the project first (tpm/concurrency.py)
    replacement = (
        WorkflowStatus.objects.filter(project=project, category=status.category)
        .exclude(pk=status.pk)
        .order_by("position", "pk")
        .first()
    )
    if replacement is None and status.category != StatusCategory.IN_PROGRESS:
        raise ValidationError(
            {"category": f"A workflow needs at least one “{status.get_category_display()}” status."}
        )
    Task.objects.filter(workflow_status=status).update(workflow_status=replacement)
    record_change(project, actor, status, "deleted", {"name": [status.name, None]})
    status.delete()


@transaction.atomic
def label_create(*, project: Project, actor: User, name: str, colour: str = "#6b7280") -> Label:
    label = Label(project=project, name=name.strip(), colour=colour)
    if not label.name:
        raise ValidationError({"name": "Name the label."})
    label.full_clean(exclude=["project"], validate_unique=False)
    if Label.objects.filter(project=project, name__iexact=label.name).exists():
        raise ValidationError({"name": f"The project already has a label named {label.name}."})
    label.save()
    record_change(project, actor, label, "created", {"name": [None, label.name]})
    return label


AGILE_FIELDS = ("task_type", "priority", "story_points", "labels", "sprint")


@transaction.atomic
def task_classify(*, task: Task, actor: User, version: int | None, **changes: Any) -> Task:
    """Set a task's type, priority, story points, labels or sprint (no dates move)."""
    current = lock_project_then(task.project, task, version)
    unknown = set(changes) - set(AGILE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    labels = changes.pop("labels", None)
    sprint = changes.get("sprint")
    if sprint is not None and sprint.project_id != current.project_id:
        raise ValidationError({"sprint": "That sprint belongs to another project."})
    if sprint is not None and sprint.state == "closed":
        raise ValidationError({"sprint": f"{sprint.name} is closed."})
    before = history.snapshot(current, changes)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean(exclude=["wbs_code", "project", "parent"])
    diff = history.diff(before, history.snapshot(current, changes))
    if labels is not None:
        labels = list(labels)
        if any(label.project_id != current.project_id for label in labels):
            raise ValidationError({"labels": "A label belongs to another project."})
        old = sorted(current.labels.values_list("name", flat=True))
        current.labels.set(labels)
        new = sorted(label.name for label in labels)
        if old != new:
            diff["labels"] = [old, new]
    current.version += 1
    current.save()
    if diff:
        record_change(current.project, actor, current, "updated", diff)
    return current
