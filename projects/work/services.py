"""Writes for the people doing the work: the blocked flag, comments and attachments on tasks.

The generic writes (and their transactions) live in tpm/collab.py; these supply the task's
scope, page and people (who is told of a blocker, who may be mentioned). Callers check the
project role first (`projects.work.access.access_task_collab`).
"""

from typing import Any

from projects.models import Task
from projects.selectors import project_assignable_people
from projects.work.selectors import project_managers, task_url
from tpm import collab
from tpm.models import User
from tpm.models_collab import Attachment, Blocker, Comment


def task_scope(task: Task) -> str:
    return f"project:{task.project_id}"


def task_block(*, task: Task, actor: User, reason: str) -> Blocker:
    return collab.blocker_raise(
        organisation=task.project.organisation,
        scope=task_scope(task),
        target=task,
        actor=actor,
        reason=reason,
        notify_people=project_managers(task.project),
        url=task_url(task),
    )


def task_unblock(*, task: Task, actor: User) -> Blocker | None:
    return collab.blocker_clear(target=task, actor=actor)


def task_comment_create(*, task: Task, author: User, body: str) -> Comment:
    return collab.comment_create(
        organisation=task.project.organisation,
        scope=task_scope(task),
        target=task,
        author=author,
        body=body,
        mentionable=project_assignable_people(project=task.project),
        url=task_url(task),
    )


def task_comment_update(*, task: Task, comment: Comment, actor: User, version: Any, body: str):
    return collab.comment_update(
        comment=comment,
        actor=actor,
        version=version,
        body=body,
        mentionable=project_assignable_people(project=task.project),
        url=task_url(task),
    )


def task_attachment_create(*, task: Task, actor: User, upload: Any) -> Attachment:
    return collab.attachment_create(
        organisation=task.project.organisation,
        scope=task_scope(task),
        target=task,
        actor=actor,
        upload=upload,
    )
