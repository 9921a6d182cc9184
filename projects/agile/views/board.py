"""The Kanban board and the workflow settings page.

The board is rendered on the server (columns of cards, in swimlanes); the bundled script
(frontend/board.js, SortableJS) only lets a card be dragged and POSTs the move to
`project-board-move`, which goes through `board_services.card_move`. A stale card (someone
changed it meanwhile) answers 409 with the card as it is now and the script puts it back.
"""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.access import access_project
from projects.agile.forms import LabelForm, StatusForm, TaskAgileForm
from projects.agile.selectors import board as board_selectors
from projects.agile.selectors import workflow as workflow_selectors
from projects.agile.services import board as board_services
from projects.agile.services import workflow as workflow_services
from projects.forms import apply_service_errors
from projects.models import Label, Project, Task, TaskType, WorkflowStatus
from projects.views._common import project_page
from tpm.access import Access
from tpm.concurrency import StaleVersionError, VersionRequiredError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction


def _card_context(access: Access[Project]) -> dict[str, Any]:
    """What a card's markup needs besides the card (the page, "show more" and a move share it)."""
    project = access.obj
    return {
        "can_plan": access.can(ProjectAction.PLAN),
        # One reverse for all cards (3,000 {% url %} tags cost a tenth of a second).
        "edit_base": reverse("board-task-edit", args=[project.pk, 0])[:-2],
        "task_base": reverse("task-detail", args=[project.pk, 0])[:-2],
        "board_url": reverse("project-board", args=[project.pk]),
        "cards_url": reverse("project-board-cards", args=[project.pk]),
    }


def _cards_wanted(raw: str | None) -> int | None:
    """`?cards=N`: N cards per column (the no-script "show more"), bounded; else None."""
    try:
        wanted = int(raw or "")
    except ValueError:
        return None
    return min(max(wanted, 1), board_selectors.MAX_PAGE)


@login_required
@require_GET
def project_board(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    project = access.obj
    filters = board_selectors.read_filters(request.GET)
    data = board_selectors.board(
        project, filters, timezone.localdate(), per_cell=_cards_wanted(request.GET.get("cards"))
    )
    context = project_page(
        access,
        "board",
        board=data,
        swimlanes=board_selectors.SWIMLANES,
        task_types=TaskType.choices,
        can_move=access.can(ProjectAction.MOVE_CARDS),
        move_url=reverse("project-board-move", args=[project.pk]),
        query=filters.encoded(),
        **_card_context(access),
    )
    return render(request, "projects/board.html", context)


@login_required
@require_GET
def project_board_cards(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """The next cards of one column of one lane ("show more"): `status`, `lane`, `after` (the
    last card shown) or `offset`, and the board's filters; answers the cards' markup and, if
    more remain, the next "Show more" item."""
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    filters = board_selectors.read_filters(request.GET)
    cell = board_selectors.board_cell(
        access.obj,
        filters,
        timezone.localdate(),
        status_id=board_selectors.as_int(request.GET.get("status")) or 0,
        lane=request.GET.get("lane") or "all",
        offset=max(0, board_selectors.as_int(request.GET.get("offset")) or 0),
        after=board_selectors.as_int(request.GET.get("after")),
    )
    if cell is None:
        return HttpResponse("")  # the lane or column is gone: nothing more to show
    context = {
        "column": cell.column,
        "lane_key": cell.lane,
        "query": filters.encoded(),
        **_card_context(access),
    }
    return render(request, "projects/partials/board_cards.html", context)


def read_json(request: AuthedHttpRequest) -> dict[str, Any]:
    """A JSON object body, or the form fields; anything else names the problem."""
    if request.content_type != "application/json":
        return request.POST.dict()
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise ValidationError("The request body is not JSON.") from None
    if not isinstance(body, dict):
        raise ValidationError("The request body must be a JSON object.")
    return body


def whole(body: dict[str, Any], name: str, *, required: bool = False) -> int | None:
    raw = body.get(name)
    if raw in (None, ""):
        if required:
            raise ValidationError({name: f"Send `{name}`."})
        return None
    if isinstance(raw, bool):
        raise ValidationError({name: f"`{name}` is a whole number."})
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: f"`{name}` is a whole number."}) from None


def project_task(project: Project, task_id: int | None, field: str) -> Task | None:
    """A live task of this project named in a body; any other id is a 404 naming the field."""
    if task_id is None:
        return None
    task = Task.objects.alive().filter(project=project, pk=task_id).first()
    if task is None:
        raise Http404(f"No task with id {task_id} in this project ({field}).")
    task.project = project  # already read, with its organisation (history needs it)
    return task


def error(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


@login_required
@require_POST
def project_board_move(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """Body: {"task", "status", "before" (card now below it, or null), "after" (card now above
    it: used without `before`, as under the last card a lazy column shows), "version"}.

    Answers the moved card's markup and summary and every column's count and points, so the
    script updates that card and the headers without reloading the board."""
    access = access_project(request.user, project_id, action=ProjectAction.MOVE_CARDS)
    project = access.obj
    try:
        body = read_json(request)
        task = project_task(project, whole(body, "task", required=True), "task")
        assert task is not None
        status_id = whole(body, "status", required=True)
        before = project_task(project, whole(body, "before"), "before")
        after = project_task(project, whole(body, "after"), "after") if before is None else None
        version = whole(body, "version")
        status = WorkflowStatus.objects.filter(project=project, pk=status_id or 0).first()
        if status is None:
            raise ValidationError({"status": f"No status with id {status_id} on this board."})
        result = board_services.card_move(
            task=task,
            actor=request.user,
            version=version,
            status=status,
            before=before,
            after=after,
        )
    except VersionRequiredError as exc:
        return error(428, str(exc))
    except StaleVersionError as exc:
        current = board_selectors.card(project, exc.current.pk)
        where = f" It is in “{current['status_name']}” now." if current else ""
        detail = f"Someone changed this card meanwhile; it was not moved.{where}"
        return error(409, detail, current=current, **_headers(project))
    except ValidationError as exc:
        return error(400, " ".join(exc.messages), **_headers(project))
    statuses = list(result.statuses)
    moved = board_selectors.card_details(project, [result.task.pk], statuses, timezone.localdate())[
        result.task.pk
    ]
    # No request: the card needs none of the context processors' queries (the user's menus).
    html = render_to_string(
        "projects/partials/board_card.html", {"card": moved, **_card_context(access)}
    )
    return JsonResponse(
        {
            "card": board_selectors.card_summary(moved, statuses),
            "html": html,
            "warning": result.warning,
            "message": f"Moved {result.task.name} to {status.name}.",
            **_headers(project, statuses),
        }
    )


def _headers(project: Project, statuses: list[WorkflowStatus] | None = None) -> dict[str, Any]:
    """Cards and points per column over the whole project (what WIP limits count), for the
    column headers: one GROUP BY query (two without the statuses)."""
    statuses = statuses or workflow_selectors.workflow_statuses(project)
    counts, points = board_services.column_totals(project.pk, statuses)
    return {
        "counts": {str(status_id): count for status_id, count in counts.items()},
        "points": {str(status_id): total for status_id, total in points.items()},
    }


# --- workflow settings: managers -----------------------------------------------------------


def _workflow_page(
    request: AuthedHttpRequest,
    access: Access[Project],
    *,
    form: StatusForm | None = None,
    label_form: LabelForm | None = None,
    edited: tuple[int, StatusForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """`edited`: a status whose row-form was refused, shown with its errors in its own row."""
    project = access.obj
    statuses = workflow_selectors.workflow_statuses(project)
    counts = board_services.column_counts(project.pk, statuses)
    context = project_page(
        access,
        "board",
        statuses=[(item, counts.get(item.pk, 0)) for item in statuses],
        labels=Label.objects.filter(project=project),
        form=form or StatusForm(),
        label_form=label_form or LabelForm(),
        edited_id=edited[0] if edited else None,
        edited_errors=_messages(edited[1]) if edited else [],
    )
    return render(request, "projects/board_workflow.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_workflow(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """GET: the statuses and labels; POST: add a status."""
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    if request.method == "GET":
        return _workflow_page(request, access)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            workflow_services.status_create(
                project=project,
                actor=request.user,
                name=data["name"],
                category=data["category"],
                wip_limit=data["wip_limit"],
                wip_blocking=data["wip_blocking"],
                position=data["position"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Added the status “{data['name']}”.")
            return redirect(reverse("project-workflow", args=[project.pk]))
    return _workflow_page(request, access, form=form, status=422)


def _status(project: Project, status_id: int) -> WorkflowStatus:
    status = WorkflowStatus.objects.filter(project=project, pk=status_id).first()
    if status is None:
        raise Http404("No such status in this project.")
    status.project = project
    return status


@login_required
@require_POST
def workflow_status_edit(
    request: AuthedHttpRequest, project_id: int, status_id: int
) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    status = _status(project, status_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["position"] is None:
            data["position"] = status.position
        try:
            workflow_services.status_update(
                status=status,
                actor=request.user,
                version=whole(request.POST.dict(), "version"),
                **data,
            )
        except StaleVersionError:
            # 409 with the statuses as they are now: the row shows the other person's values.
            form.add_error(None, "Someone changed this status meanwhile; this is their version.")
            return _workflow_page(request, access, edited=(status.pk, form), status=409)
        except (ValidationError, VersionRequiredError) as exc:
            if isinstance(exc, VersionRequiredError):
                form.add_error(None, str(exc))
            else:
                apply_service_errors(form, exc)
        else:
            messages.success(request, f"Saved the status “{data['name']}”.")
            return redirect(reverse("project-workflow", args=[project.pk]))
    return _workflow_page(request, access, edited=(status.pk, form), status=422)


def _messages(form: StatusForm) -> list[str]:
    """A row form's errors in words, each naming its field."""
    found: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        prefix = f"{label or name.replace('_', ' ').capitalize()}: " if name != "__all__" else ""
        found.extend(f"{prefix}{error}" for error in errors)
    return found


@login_required
@require_POST
def workflow_status_delete(
    request: AuthedHttpRequest, project_id: int, status_id: int
) -> HttpResponse:
    project = access_project(request.user, project_id, action=ProjectAction.PLAN).obj
    status = _status(project, status_id)
    try:
        workflow_services.status_delete(status=status, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Removed the status “{status.name}”; its cards moved along.")
    return redirect(reverse("project-workflow", args=[project.pk]))


@login_required
@require_POST
def workflow_label_add(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    form = LabelForm(request.POST)
    if form.is_valid():
        try:
            workflow_services.label_create(
                project=project,
                actor=request.user,
                name=form.cleaned_data["name"],
                colour=form.cleaned_data["colour"] or "#6b7280",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Added the label “{form.cleaned_data['name']}”.")
            return redirect(reverse("project-workflow", args=[project.pk]))
    return _workflow_page(request, access, label_form=form, status=422)


STALE_TASK = "Someone changed this task meanwhile; nothing was saved. This is the task now."


def _agile_initial(project: Project, task: Task) -> dict[str, Any]:
    """The form's values for a task as it is: its column, agile fields and version."""
    statuses = workflow_selectors.workflow_statuses(project)
    shown_in = workflow_services.effective_status_id(
        task.workflow_status_id,
        task.status,
        {item.pk: item for item in statuses},
        workflow_services.first_of_category(statuses),
    )
    return {
        "status": shown_in,
        "task_type": task.task_type,
        "priority": task.priority,
        "story_points": task.story_points,
        "labels": list(task.labels.all()),
        "sprint": task.sprint_id,
        "version": task.version,
    }


def _render_agile(
    request: AuthedHttpRequest,
    access: Access[Project],
    task: Task,
    form: TaskAgileForm,
    *,
    status: int = 200,
    stale: str = "",
) -> HttpResponse:
    context = project_page(access, "board", task=task, form=form, stale=stale)
    return render(request, "projects/board_task_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def task_agile_edit(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    """A task's type, priority, points, labels and sprint (planners); back to the board."""
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    task = project_task(project, task_id, "task")
    assert task is not None
    if request.method == "GET":
        form = TaskAgileForm(initial=_agile_initial(project, task), project_id=project.pk)
        return _render_agile(request, access, task, form)
    form = TaskAgileForm(request.POST, project_id=project.pk)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            # A keyboard and no-script way to move the card: the same service as a drag.
            board_services.card_update(
                task=task,
                actor=request.user,
                version=data.pop("version"),
                status=data.pop("status"),
                **data,
            )
        except StaleVersionError as exc:
            current = exc.current
            assert isinstance(current, Task)
            fresh = TaskAgileForm(initial=_agile_initial(project, current), project_id=project.pk)
            return _render_agile(request, access, current, fresh, status=409, stale=STALE_TASK)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Saved {task.name}.")
            return redirect(reverse("project-board", args=[project.pk]))
    return _render_agile(request, access, task, form, status=422)
