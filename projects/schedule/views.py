"""The Gantt chart: the page, its JSON data, and the planners' drag-to-move / drag-to-resize.

The page is a container the bundled script (frontend/gantt.js) fills from `project-gantt-data`;
without JavaScript it points to the outline, which shows the same schedule as a table. A drag
(or an arrow key on a focused bar) POSTs to `project-gantt-move`, which goes through
`task_services.task_update` like every other edit and answers with the rows that edit changed
(the task, and the tasks its reschedule moved or re-flagged, which the reschedule itself
reports), so the successors it moved move on screen and the answer stays small however large
the plan. Both take `?baseline=<id>`: the baseline whose bars are drawn beside the current ones
(the latest when absent).
"""

import json
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from projects.access import access_project, access_task
from projects.baselines.selectors import project_baselines
from projects.models import Project, Task
from projects.plan import services as task_services
from projects.schedule import gantt
from projects.views._common import project_page
from tpm.concurrency import StaleVersionError, VersionRequiredError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction


@login_required
@require_GET
def project_gantt(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    project = access.obj
    data_url = reverse("project-gantt-data", args=[project.pk])
    baselines = list(project_baselines(project=project))
    context = project_page(
        access,
        "gantt",
        can_plan=access.can(ProjectAction.PLAN),
        data_url=data_url,
        # What the script asks for first (the picker's first baseline): the page preloads it,
        # so the data loads alongside the script instead of after it.
        first_data_url=f"{data_url}?baseline={baselines[0].pk}" if baselines else data_url,
        outline_url=reverse("project-plan", args=[project.pk]),
        baselines=baselines,
    )
    return render(request, "projects/gantt.html", context)


def _baseline_id(request: AuthedHttpRequest) -> int | None:
    """The baseline the page chose (`?baseline=<id>`); None: the latest."""
    raw = request.GET.get("baseline", "")
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({"baseline": "The baseline is a number."}) from None


@login_required
@require_GET
def project_gantt_data(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    project = access.obj
    try:
        baseline_id = _baseline_id(request)
    except ValidationError as exc:
        return _error(400, " ".join(exc.messages))
    return _json(
        gantt.gantt_payload(
            project=project, can_plan=access.can(ProjectAction.PLAN), baseline_id=baseline_id
        )
    )


def _day(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: "Send a day as YYYY-MM-DD."}) from None


def _read_move(request: AuthedHttpRequest) -> tuple[gantt.GanttMove, int | None]:
    """The body as JSON ({"start", "finish", "version"}) or as a form with the same fields."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            raise ValidationError("The request body is not JSON.") from None
        if not isinstance(body, dict):
            raise ValidationError("The request body must be a JSON object.")
    else:
        body = request.POST.dict()
    raw_version = body.get("version")
    try:
        version = int(raw_version) if raw_version not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationError({"version": "The version is a whole number."}) from None
    move = gantt.GanttMove(_day(body.get("start"), "start"), _day(body.get("finish"), "finish"))
    return move, version


def _json(body: dict[str, Any], status: int = 200) -> JsonResponse:
    """Without the spaces `json.dumps` puts after every comma and colon (5% of the chart's data)."""
    return JsonResponse(body, status=status, json_dumps_params={"separators": (",", ":")})


def _error(status: int, detail: str, **extra: Any) -> JsonResponse:
    return _json({"detail": detail, **extra}, status=status)


def _moved_message(task: Task, project: Project, wanted: date | None, others: int) -> str:
    start, finish = gantt.task_days(task, project)
    message = f"{task.wbs_code} {task.name} now runs {start} to {finish}."
    if wanted is not None and start is not None and start > wanted:
        message += f" It cannot start on {wanted}: its predecessors or calendar hold it later."
    if others:
        message += f" {others} other task{'s' if others != 1 else ''} moved with it."
    return message


@login_required
@require_POST
def project_gantt_move(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    project = access_project(request.user, project_id, action=ProjectAction.PLAN).obj
    task = access_task(request.user, task_id, write=True).obj
    if task.project_id != project.pk:
        raise Http404("No such task in this project.")
    baseline_id: int | None = None
    try:
        baseline_id = _baseline_id(request)
        move, version = _read_move(request)
        changes = gantt.gantt_move_changes(task=task, project=project, move=move)
        updated = task_services.task_update(
            task=task, actor=request.user, version=version, changes=changes
        )
    except VersionRequiredError as exc:
        return _error(428, str(exc))
    except StaleVersionError as exc:
        detail = f"{exc.current} was changed by someone else; nothing was moved. "
        detail += "The chart now shows the plan as it is."
        payload = gantt.gantt_payload(project=project, can_plan=True, baseline_id=baseline_id)
        return _error(409, detail, **payload)
    except ValidationError as exc:
        # A JSON endpoint, not an htmx form: bad input is a 400 naming the problem.
        return _error(400, " ".join(exc.messages))
    moved = updated.task
    rows = gantt.gantt_rows(
        project=project, baseline_id=baseline_id, task_ids={moved.pk, *updated.changed_ids}
    )
    followers = updated.moved_ids - {moved.pk}
    others = [row[0] for row in rows if row[0] in followers]  # ids, in outline order
    return _json(
        {
            "baseline": baseline_id,
            "changed": rows,  # rows as in the chart's data, merged into the chart it has
            "moved": others,
            "message": _moved_message(moved, project, move.start, len(others)),
        }
    )
