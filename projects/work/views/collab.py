"""Comments, attachments and the activity stream of a task, and a project's Activity tab.

Posting a comment or a file answers htmx with the task's collaboration section re-rendered
(422 with the error), and a plain form POST with a redirect back to the task page.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from projects.access import access_project, access_task
from projects.models import Task
from projects.views._common import is_htmx, project_page
from projects.work import access as work_access
from projects.work import selectors as work
from projects.work import services as work_services
from projects.work.activity import project_activity, task_activity
from tpm import collab
from tpm.access import Access
from tpm.concurrency import StaleVersionError, VersionRequiredError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction

SECTION = "projects/partials/task_collab.html"


def collab_context(access: Access[Task], user: Any, **extra: Any) -> dict[str, Any]:
    """What the task page's comments, files and activity section shows."""
    task = access.obj
    return {
        "task": task,
        "project": task.project,
        "comments": list(work.task_comments(task)),
        "attachments": list(work.task_attachments(task)),
        "blocker": collab.open_blocker(task),
        "activity": task_activity(task, money=access.can(ProjectAction.VIEW_MONEY)),
        "can_collaborate": work_access.can_collaborate(access.role),
        "can_plan": access.can(ProjectAction.PLAN),
        "me": user,
        **extra,
    }


def _answer(
    request: HttpRequest, access: Access[Task], notice: str, status: int = 200, **extra: Any
) -> HttpResponse:
    task = access.obj
    if is_htmx(request):
        html = render_to_string(
            SECTION, collab_context(access, request.user, **extra), request=request
        )
        return HttpResponse(html, status=status)
    if status >= 400:
        for error in extra.values():
            if isinstance(error, str) and error:
                messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect("task-detail", project_id=task.project_id, task_id=task.pk)


def _first_error(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_POST
def task_comment_add(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    access = work_access.access_task_collab(request.user, task_id, project_id)
    task = access.obj
    body = request.POST.get("body", "")
    try:
        work_services.task_comment_create(task=task, author=request.user, body=body)
    except ValidationError as exc:
        return _answer(request, access, "", status=422, comment_error=_first_error(exc), draft=body)
    return _answer(request, access, "Comment posted.")


@login_required
@require_POST
def task_comment_edit(
    request: AuthedHttpRequest, project_id: int, task_id: int, comment_id: int
) -> HttpResponse:
    access = work_access.access_task_collab(request.user, task_id, project_id)
    task = access.obj
    comment = work.comment_of_task(task, comment_id)
    try:
        if request.POST.get("delete"):
            collab.comment_delete(comment=comment, actor=request.user, version=_version(request))
            return _answer(request, access, "Comment deleted.")
        work_services.task_comment_update(
            task=task,
            comment=comment,
            actor=request.user,
            version=_version(request),
            body=request.POST.get("body", ""),
        )
    except StaleVersionError:
        return _answer(
            request,
            access,
            "",
            status=409,
            comment_error="That comment changed meanwhile; nothing was overwritten. "
            "It shows what it says now.",
        )
    except VersionRequiredError as exc:
        return _answer(request, access, "", status=428, comment_error=str(exc))
    except ValidationError as exc:
        return _answer(request, access, "", status=422, comment_error=_first_error(exc))
    return _answer(request, access, "Comment saved.")


@login_required
@require_POST
def task_attachment_add(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    access = work_access.access_task_collab(request.user, task_id, project_id)
    task = access.obj
    upload = request.FILES.get("file")
    if upload is None:
        return _answer(request, access, "", status=422, attachment_error="Choose a file to attach.")
    try:
        work_services.task_attachment_create(task=task, actor=request.user, upload=upload)
    except ValidationError as exc:
        return _answer(request, access, "", status=422, attachment_error=_first_error(exc))
    return _answer(request, access, f"Attached {upload.name}.")


@login_required
@require_GET
def task_attachment_download(
    request: AuthedHttpRequest, project_id: int, task_id: int, attachment_id: int
) -> HttpResponse | FileResponse:
    task = access_task(request.user, task_id).obj
    if task.project_id != project_id:
        return HttpResponse(status=404)
    attachment = work.attachment_of_task(task, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def task_attachment_delete(
    request: AuthedHttpRequest, project_id: int, task_id: int, attachment_id: int
) -> HttpResponse:
    access = work_access.access_task_collab(request.user, task_id, project_id)
    task = access.obj
    attachment = work.attachment_of_task(task, attachment_id)
    can_plan = access.can(ProjectAction.PLAN)
    if attachment.uploaded_by_id != request.user.pk and not can_plan:
        raise PermissionDenied("Only whoever attached a file, or a planner, removes it.")
    collab.attachment_delete(attachment=attachment, actor=request.user)
    return _answer(request, access, f"Removed {attachment.filename}.")


@login_required
@require_GET
def project_activity_page(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    activity = project_activity(access.obj, money=access.can(ProjectAction.VIEW_MONEY))
    return render(
        request,
        "projects/project_activity.html",
        project_page(access, "activity", activity=activity),
    )
