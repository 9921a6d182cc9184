"""Moving cards on the board and ordering the backlog: writes that go through the schedule.

A card is a task. Moving it to a status of another category reports progress through
`task_services.task_update_progress` (done: 100% and an actual finish; back out of done:
reopened), so the schedule reschedules exactly as when progress is reported on the plan.
Order (on a column and in the backlog) is one `rank` per task: spaced integers, a moved card
takes the middle of its new neighbours', and an unranked task (rank 0) counts as pk * GAP.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Sum

from projects.agile.services.workflow import (
    TASK_STATUS_OF_CATEGORY,
    effective_status_id,
    ensure_workflow,
    first_of_category,
    record_change,
    task_classify,
)
from projects.models import StatusCategory, Task, TaskStatus, WorkflowStatus
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from tpm.concurrency import lock_project_then
from tpm.models import User

GAP = 1024


@dataclass(frozen=True)
class MoveResult:
    task: Task
    warning: str = ""
    statuses: tuple[WorkflowStatus, ...] = ()  # the board's columns, read once for the answer


def _rank_unranked(project_id: int) -> None:
    """Give never-ordered tasks their implicit rank (creation order), in one UPDATE."""
    Task.objects.filter(project_id=project_id, rank=0).update(rank=F("pk") * GAP)


def _rank_before(project_id: int, before: Task | None, after: Task | None = None) -> int:
    """A rank that sorts just above `before`; without it, just below `after` (a card dropped
    under the last card a lazy column has shown); without either, after every other task."""
    tasks = Task.objects.filter(project_id=project_id)
    if before is None and after is not None:
        previous = tasks.filter(pk=after.pk).values_list("rank", flat=True).get()
        following = tasks.filter(rank__gt=previous).aggregate(next=Min("rank"))["next"]
        if following is None:
            return previous + GAP
        if following - previous > 1:
            return (previous + following) // 2
        tasks.filter(rank__gt=previous).update(rank=F("rank") + GAP)
        return previous + (following + GAP - previous) // 2
    if before is None:
        last = tasks.aggregate(last=Max("rank"))["last"] or 0
        return last + GAP
    next_rank = tasks.filter(pk=before.pk).values_list("rank", flat=True).get()
    previous = tasks.filter(rank__lt=next_rank).aggregate(prev=Max("rank"))["prev"] or 0
    if next_rank - previous > 1:
        return (previous + next_rank) // 2
    # No room: push `before` and everything after it down by a gap (one UPDATE).
    tasks.filter(rank__gte=next_rank).update(rank=F("rank") + GAP)
    return previous + (next_rank + GAP - previous) // 2


def _progress_changes(task: Task, target: str) -> ProgressChanges | None:
    """What reporting progress must change for the task to land in a category (None: nothing)."""
    wanted = TASK_STATUS_OF_CATEGORY[target]  # type: ignore[index]
    if task.status == wanted:
        return None
    if target == StatusCategory.DONE:
        return ProgressChanges(status=TaskStatus.COMPLETED)
    if target == StatusCategory.IN_PROGRESS:
        # Reopened from done: not finished any more; a full bar would say otherwise.
        percent = 0 if task.percent_complete == 100 else task.percent_complete
        return ProgressChanges(
            status=TaskStatus.IN_PROGRESS, percent_complete=percent, actual_finish=None
        )
    return ProgressChanges(
        status=TaskStatus.NOT_STARTED, percent_complete=0, actual_start=None, actual_finish=None
    )


def column_totals(
    project_id: int, statuses: list[WorkflowStatus]
) -> tuple[dict[int, int], dict[int, int]]:
    """Cards and story points per status, by the column each card shows in (one GROUP BY
    query: a row per stored status pair, never a row per card)."""
    by_id = {status.pk: status for status in statuses}
    first = first_of_category(statuses)
    counts: dict[int, int] = dict.fromkeys(by_id, 0)
    points: dict[int, int] = dict.fromkeys(by_id, 0)
    rows = (
        Task.objects.alive()
        .filter(project_id=project_id, is_summary=False)
        .values("workflow_status_id", "status")
        .annotate(cards=Count("pk"), points=Sum("story_points"))
        .order_by()
    )
    for row in rows:
        column = effective_status_id(row["workflow_status_id"], row["status"], by_id, first)
        if column is not None:
            counts[column] += row["cards"]
            points[column] += row["points"] or 0
    return counts, points


def column_counts(project_id: int, statuses: list[WorkflowStatus]) -> dict[int, int]:
    """Cards per status: tasks that are not summaries, by the column they show in."""
    return column_totals(project_id, statuses)[0]


def _wip_warning(
    task: Task, target: WorkflowStatus, statuses: list[WorkflowStatus], moving_in: bool
) -> str:
    if not target.wip_limit or not moving_in:
        return ""
    count = column_counts(task.project_id, statuses)[target.pk] + 1
    if count <= target.wip_limit:
        return ""
    message = f"“{target.name}” holds at most {target.wip_limit} cards; this move makes {count}."
    if target.wip_blocking:
        raise ValidationError(
            {"status": f"{message} The limit is blocking: move a card out first."}
        )
    return message


@transaction.atomic
def card_move(
    *,
    task: Task,
    actor: User,
    version: int | None,
    status: WorkflowStatus,
    before: Task | None = None,
    after: Task | None = None,
) -> MoveResult:
    """Put a card in `status`, above `before` (else below `after`; neither: at the bottom).
    Refused when stale.

    The project row is locked before the column is counted, so two moves into a column with a
    blocking limit are counted one after the other (tpm/concurrency.py: the one lock order)."""
    project = task.project
    current = lock_project_then(project, task, version)
    current.project = project  # the caller's (with its organisation): no second read
    if current.is_summary:
        raise ValidationError("A summary is not a card: move the tasks under it.")
    if status.project_id != current.project_id:
        raise ValidationError({"status": "That status belongs to another project."})
    for name, other in (("before", before), ("after", after)):
        if other is not None and (other.project_id != current.project_id or other.pk == task.pk):
            raise ValidationError({name: "Place the card next to a card of the same board."})
    statuses = ensure_workflow(project)
    by_id = {item.pk: item for item in statuses}
    shown_in = effective_status_id(
        current.workflow_status_id, current.status, by_id, first_of_category(statuses)
    )
    warning = _wip_warning(current, status, statuses, moving_in=shown_in != status.pk)
    progress = _progress_changes(current, status.category)
    if progress is not None:
        # Only a move into another category reports progress (and so reschedules the plan);
        # a reorder or a move between two columns of one category leaves the dates alone.
        current = task_services.task_update_progress(
            task=current, actor=actor, version=current.version, changes=progress
        )
        current.project = project
    else:
        current.version += 1
    _rank_unranked(current.project_id)
    rank = _rank_before(current.project_id, before, after)
    old_status = by_id.get(shown_in) if shown_in else None
    Task.objects.filter(pk=current.pk).update(
        workflow_status=status, rank=rank, version=current.version
    )
    current.workflow_status = status
    current.rank = rank
    if old_status != status:
        record_change(
            project,
            actor,
            current,
            "updated",
            {"workflow_status": [str(old_status) if old_status else None, status.name]},
        )
    return MoveResult(current, warning, tuple(statuses))


@transaction.atomic(durable=True)
def card_update(
    *, task: Task, actor: User, version: int | None, status: WorkflowStatus, **changes: Any
) -> Task:
    """Put a card in `status` and set its agile fields (`task_classify`): both or neither.

    The card moves only when it shows in another column; the version checked is the one the
    editor started from, so a stale edit is refused before anything changes.
    """
    current = lock_project_then(task.project, task, version)
    statuses = ensure_workflow(current.project)
    shown_in = effective_status_id(
        current.workflow_status_id,
        current.status,
        {item.pk: item for item in statuses},
        first_of_category(statuses),
    )
    if status.pk != shown_in:
        current = card_move(task=current, actor=actor, version=current.version, status=status).task
    return task_classify(task=current, actor=actor, version=current.version, **changes)


@transaction.atomic
def backlog_move(
    *,
    task: Task,
    actor: User,
    version: int | None,
    before: Task | None,
    after: Task | None = None,
) -> Task:
    """Reorder the backlog: put `task` above `before` (else below `after`; neither: at the
    bottom)."""
    project = task.project
    current = lock_project_then(project, task, version)  # ranks of many rows change
    current.project = project
    for name, other in (("before", before), ("after", after)):
        if other is not None and (other.project_id != current.project_id or other.pk == task.pk):
            raise ValidationError({name: "Place the task next to a task of the same backlog."})
    _rank_unranked(current.project_id)
    rank = _rank_before(current.project_id, before, after)
    current.version += 1
    Task.objects.filter(pk=current.pk).update(rank=rank, version=current.version)
    record_change(current.project, actor, current, "reordered", {"rank": [task.rank, rank]})
    current.rank = rank
    return current
