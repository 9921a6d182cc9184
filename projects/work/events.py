"""Notifications about tasks: who hears what when the plan changes, and the daily checks.

`task_services` calls `recorded` from its history helper and `schedule_services` calls
`tasks_moved` after a reschedule (one line each); everything else happens here, so the services
stay about the plan.
Each notification has a dedupe key naming the event, so a retried job tells nobody twice.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from projects.models import Dependency, Project, Task, TaskStatus
from tpm.models import Notification, User
from tpm.notifications import dedupe_key, notify


def _url(task: Task) -> str:
    return f"/projects/{task.project_id}/tasks/{task.pk}/"


def _label(task: Task) -> str:
    return f"{task.wbs_code} {task.name}".strip()


def recorded(project: Project, actor: User | None, target: Any, action: str, changes: dict):
    """A task was created or changed: tell new assignees, and assignees whose task's status
    someone else changed."""
    if not isinstance(target, Task) or action not in ("created", "updated"):
        return
    actor_id = actor.pk if actor is not None else None
    if "assignees" in changes:
        before, after = changes["assignees"]
        added = set(after or []) - set(before or [])
        for person in User.objects.filter(email__in=added).exclude(pk=actor_id or 0):
            notify(
                recipient=person,
                organisation=project.organisation,
                kind="assigned",
                title=f"You were assigned {_label(target)} ({project.key})",
                body=f"{actor.display_name if actor else 'Someone'} assigned you this task.",
                url=_url(target),
                dedupe_key=dedupe_key("assigned", target.pk, person.pk, target.version),
            )
    if "status" in changes and action == "updated":
        old, new = changes["status"]
        labels = dict(TaskStatus.choices)
        for person in target.assignees.exclude(pk=actor_id or 0):
            notify(
                recipient=person,
                organisation=project.organisation,
                kind="status_changed",
                title=f"{_label(target)}: {labels.get(old, old)} → {labels.get(new, new)}",
                body=f"{actor.display_name if actor else 'Someone'} changed the status.",
                url=_url(target),
                dedupe_key=dedupe_key("status", target.pk, person.pk, target.version),
            )


def tasks_moved(project: Project, tasks: Iterable[Task], before: dict[int, tuple]) -> None:
    """After a reschedule: a task whose finish moved later because a predecessor moved tells
    its assignees (the task someone edited directly has no moved predecessor, so stays quiet)."""
    later = {
        task.pk: task
        for task in tasks
        if task.pk in before
        and task.finish is not None
        and before[task.pk][1] is not None
        and task.finish > before[task.pk][1]
        and not task.is_summary
    }
    if not later:
        return
    moved = {pk for pk, task in later.items()}
    pushed = set(
        Dependency.objects.filter(successor_id__in=moved)
        .filter(predecessor_id__in=moved | _moved_elsewhere(moved))
        .values_list("successor_id", flat=True)
    )
    if not pushed:
        return
    through = Task.assignees.through.objects.filter(task_id__in=pushed).select_related("user")
    for row in through:
        task = later[row.task_id]
        day = timezone.localdate(task.finish)
        notify(
            recipient=row.user,
            organisation=project.organisation,
            kind="predecessor_slipped",
            title=f"{_label(task)} moved: now finishes {day:%d %b %Y}",
            body="A task it depends on slipped, so its dates moved.",
            url=_url(task),
            dedupe_key=dedupe_key("slipped", task.pk, row.user_id, day.isoformat()),
        )


def _moved_elsewhere(moved: set[int]) -> set[int]:
    """Predecessors in other projects: a cascade reaches this project only when they moved."""
    return set(
        Dependency.objects.filter(successor_id__in=moved)
        .exclude(predecessor__project_id__in=Task.objects.filter(pk__in=moved).values("project"))
        .values_list("predecessor_id", flat=True)
    )


def _open_assigned() -> Any:
    return (
        Task.objects.alive()
        .filter(project__deleted_at__isnull=True, is_summary=False)
        .exclude(status=TaskStatus.COMPLETED)
    )


def _local_day(instant: datetime | None) -> date | None:
    return timezone.localdate(instant) if instant else None


# The name it had before the module moved, so queued jobs and beat's stored entries still match.
@shared_task(name="projects.work_events.notify_due_and_overdue")
def notify_due_and_overdue(today: str | None = None) -> int:
    """Tell assignees what is due tomorrow and what became overdue. Keys carry the date, so
    the job may run hourly and still tell each person once per task and day."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    tomorrow = day + timedelta(days=1)
    end = timezone.make_aware(datetime.combine(tomorrow + timedelta(days=1), datetime.min.time()))
    tasks = (
        _open_assigned()
        # finishing by the end of tomorrow, or with a deadline by then
        .filter(Q(finish__lt=end) | Q(deadline__lte=tomorrow))
        .filter(assignees__isnull=False)
        .distinct()
        .select_related("project__organisation")
        .prefetch_related("assignees")
    )
    pending = []
    for task in tasks:
        finish = _local_day(task.finish)
        due = min(d for d in (finish, task.deadline) if d is not None)
        if due == tomorrow:
            kind, title = "due_tomorrow", f"{_label(task)} is due tomorrow"
            key = ("due", task.pk, due.isoformat())
        elif due < day:
            kind, title = "overdue", f"{_label(task)} is overdue (due {due:%d %b})"
            key = ("overdue", task.pk, due.isoformat())
        else:
            continue
        for person in task.assignees.all():
            pending.append((dedupe_key(*key, person.pk), person, task, kind, title))
    # One query finds what earlier runs told, so a rerun costs no query per task and person.
    keys = [row[0] for row in pending]
    told: set[str] = set()
    for at in range(0, len(keys), 500):  # bounded IN lists
        told.update(
            Notification.objects.filter(dedupe_key__in=keys[at : at + 500]).values_list(
                "dedupe_key", flat=True
            )
        )
    sent = 0
    for key_text, person, task, kind, title in pending:
        if key_text in told:
            continue
        made = notify(
            recipient=person,
            organisation=task.project.organisation,
            kind=kind,
            title=title,
            url=_url(task),
            dedupe_key=key_text,
        )
        sent += made is not None
    return sent
