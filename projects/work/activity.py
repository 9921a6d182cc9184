"""The activity stream of a project or a task: recorded history (who changed what, from what,
to what) merged with comments, newest first, in two queries whatever the length."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.safestring import SafeString, mark_safe

from projects.models import Project, Task
from tpm.history import shows_money, visible_changes
from tpm.models import HistoryEntry
from tpm.models_collab import Comment


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class Activity:
    when: datetime
    who: str
    kind: str  # "change" or "comment"
    what: str
    action: str = ""
    changes: list[Change] = field(default_factory=list)
    html: SafeString | None = None
    deleted: bool = False


def _change_rows(changes: dict) -> list[Change]:
    rows = []
    for name, pair in (changes or {}).items():
        pair_ok = isinstance(pair, list | tuple) and len(pair) == 2
        rows.append(
            Change(
                name.replace("_", " ").capitalize(),
                pair[0] if pair_ok else None,
                pair[1] if pair_ok else pair,
            )
        )
    return rows


def _from_history(entry: HistoryEntry, money: bool = True) -> Activity:
    return Activity(
        when=entry.created_at,
        who=entry.actor.display_name if entry.actor else "System",
        kind="change",
        what=entry.target_repr,
        action=entry.get_action_display(),
        changes=_change_rows(visible_changes(entry, money=money)),
    )


def _from_comment(comment: Comment, what: str) -> Activity:
    return Activity(
        when=comment.created_at,
        who=comment.author.display_name if comment.author else "Someone",
        kind="comment",
        what=what,
        action="Commented",
        # body_html was sanitised by tpm.collab.render_markdown when it was saved
        html=mark_safe(comment.body_html),
        deleted=comment.deleted_at is not None,
    )


def _merge(items: list[Activity], limit: int) -> list[Activity]:
    return sorted(items, key=lambda item: item.when, reverse=True)[:limit]


def _history_items(entries: Any, money: bool) -> list[Activity]:
    """History as the reader may see it: without money unless `money` (tpm/history.py)."""
    return [_from_history(entry, money) for entry in entries if money or not shows_money(entry)]


def project_activity(project: Project, limit: int = 100, *, money: bool = True) -> list[Activity]:
    history = HistoryEntry.objects.filter(scope=f"project:{project.pk}").select_related("actor")[
        :limit
    ]
    comments = (
        Comment.objects.filter(scope=f"project:{project.pk}")
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )
    task_type = ContentType.objects.get_for_model(Task)
    names = dict(
        Task.objects.filter(
            pk__in=[c.target_id for c in comments if c.target_type_id == task_type.pk]
        ).values_list("pk", "name")
    )
    items = _history_items(history, money)
    items += [_from_comment(c, names.get(c.target_id, "")) for c in comments]
    return _merge(items, limit)


def task_activity(task: Task, limit: int = 50, *, money: bool = True) -> list[Activity]:
    task_type = ContentType.objects.get_for_model(Task)
    history = HistoryEntry.objects.filter(
        target_type=task_type, target_id=str(task.pk)
    ).select_related("actor")[:limit]
    comments = (
        Comment.objects.filter(target_type=task_type, target_id=task.pk)
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )
    items = _history_items(history, money)
    items += [_from_comment(c, task.name) for c in comments]
    return _merge(items, limit)
