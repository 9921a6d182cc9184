"""Permission-matrix entries for My work, comments and files on tasks, activity, calendars
and feeds (issue 4; see tests/permission_matrix.py).

The task `Write copy` is assigned to the member; comments, files and feeds belong to the
manager, so other people's attempts to change them are refused.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Task
from projects.plan import services as task_services
from projects.work import selectors as work
from projects.work import services as work_services
from tests.permission_matrix import Case, expect, project_read
from tpm.feeds import feed_token_create
from tpm.models_collab import Attachment, Comment, FeedToken

SIGNED_IN = expect(200, anonymous=302)
# Collaborating on a task: managers and members (org admins act as managers); readers 403.
COLLABORATE = expect(
    403, anonymous=302, outsider=404, bystander=404, member=302, manager=302, admin=302
)
# Only the comment's author (the manager) changes it.
AUTHOR_ONLY = expect(403, anonymous=302, outsider=404, bystander=404, manager=302)
# Reporting on a task: its assignee (the member) and its planners.
PROGRESS = COLLABORATE
# Feeds are the owner's (the manager's): anyone else is told it does not exist.
OWNER_ONLY = expect(404, anonymous=302, manager=302)


def assigned_task(world) -> Task:
    task = Task.objects.alive().filter(project=world.project, name="Write copy").first()
    return task or task_services.task_create(
        project=world.project, actor=world.manager, name="Write copy", assignees=[world.member]
    )


def manager_comment(world) -> Comment:
    task = assigned_task(world)
    comment = work.task_comments(task).filter(author=world.manager).first()
    return comment or work_services.task_comment_create(
        task=task, author=world.manager, body="Kick-off"
    )


def manager_attachment(world) -> Attachment:
    task = assigned_task(world)
    attachment = work.task_attachments(task).first()
    upload = SimpleUploadedFile("brief.txt", b"The brief", content_type="text/plain")
    return attachment or work_services.task_attachment_create(
        task=task, actor=world.manager, upload=upload
    )


def manager_feed(world) -> tuple[FeedToken, str]:
    """The manager's project feed and its raw secret (kept on the world for the URL)."""
    if not hasattr(world, "_feed"):
        world._feed = feed_token_create(
            user=world.manager,
            organisation=world.organisation,
            name="Website",
            project_id=world.project.pk,
        )
    return world._feed


def _task(world):
    return {"project_id": world.project.pk, "task_id": assigned_task(world).pk}


def _work_task(world):
    return {"task_id": assigned_task(world).pk}


def _project(world):
    return {"project_id": world.project.pk}


def _comment(world):
    return {**_task(world), "comment_id": manager_comment(world).pk}


def _attachment(world):
    return {**_task(world), "attachment_id": manager_attachment(world).pk}


def _progress(world):
    return {
        "status": "in_progress",
        "percent_complete": 30,
        "version": assigned_task(world).version,
    }


def _upload(world):
    return {"file": SimpleUploadedFile("notes.txt", b"notes", content_type="text/plain")}


ROUTES: list[Case] = [
    Case("my-work", "get", SIGNED_IN),
    Case("my-work-calendar", "get", SIGNED_IN),
    Case("my-work-progress", "post", PROGRESS, kwargs=_work_task, data=_progress),
    Case(
        "my-work-blocker",
        "post",
        PROGRESS,
        kwargs=_work_task,
        data=lambda world: {"reason": "Waiting for the logo"},
    ),
    Case("feed-tokens", "get", SIGNED_IN),
    Case(
        "feed-token-revoke",
        "post",
        OWNER_ONLY,
        kwargs=lambda world: {"token_id": manager_feed(world)[0].pk},
    ),
    # Public: the secret is the credential.
    Case("ical-feed", "get", expect(200), kwargs=lambda world: {"token": manager_feed(world)[1]}),
    Case("project-activity", "get", project_read(), kwargs=_project),
    Case("project-month", "get", project_read(), kwargs=_project),
    Case(
        "task-comment-add",
        "post",
        COLLABORATE,
        kwargs=_task,
        data=lambda world: {"body": "Looks good @manager"},
    ),
    Case(
        "task-comment-edit",
        "post",
        AUTHOR_ONLY,
        kwargs=_comment,
        data=lambda world: {"body": "Kick-off on Monday", "version": 1},
    ),
    Case("task-attachment-add", "post", COLLABORATE, kwargs=_task, data=_upload),
    Case("task-attachment-download", "get", project_read(), kwargs=_attachment),
    # The uploader (the manager) and planners (org admins) remove a file.
    Case(
        "task-attachment-delete",
        "post",
        expect(403, anonymous=302, outsider=404, bystander=404, manager=302, admin=302),
        kwargs=_attachment,
    ),
]
