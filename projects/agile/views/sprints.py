"""The backlog, sprint planning, a sprint's page (burndown, burnup) and velocity.

Everyone with a role reads them; managers (ProjectAction.PLAN) order the backlog, plan,
start and close sprints. Charts are inline SVG drawn from the recorded snapshots
(projects/agile/charts.py), with the same figures in a table.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from projects.access import access_project
from projects.agile import charts as sprint_charts
from projects.agile.forms import SprintCloseForm, SprintForm
from projects.agile.selectors import sprints as sprint_selectors
from projects.agile.selectors.board import as_int
from projects.agile.services import board as board_services
from projects.agile.services import sprints as sprint_services
from projects.agile.views.board import error, project_task, read_json, whole
from projects.forms import apply_service_errors
from projects.models import Project, Sprint
from projects.views._common import project_page
from tpm.access import Access
from tpm.concurrency import StaleVersionError, VersionRequiredError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction

TAB = "backlog"
MAX_ROWS = 1000  # `?rows=` (the no-script "show more") asks at most this many per list
# A start or close based on an old version: refused (409) on the sprint's page as it is now.
STALE = (
    "{name} was changed by someone else meanwhile; nothing was done. "
    "This is the sprint as it is now: check it and {verb} it again if still needed."
)


def _backlog_page(
    request: AuthedHttpRequest,
    access: Access[Project],
    *,
    form: SprintForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project = access.obj
    velocity = sprint_selectors.velocity_rows(project)
    backlog = sprint_selectors.backlog(project, _rows_wanted(request.GET.get("rows")))
    context = project_page(
        access,
        TAB,
        backlog=backlog,
        open_sprints=[section.sprint for section in backlog.sections],
        **_row_context(access),
        form=form or SprintForm(),
        velocity=sprint_charts.velocity(velocity),
        average_velocity=sprint_charts.average_velocity(velocity),
        closed=sprint_selectors.project_sprints(project).filter(state="closed"),
        chart=sprint_charts,
        move_url=reverse("project-backlog-move", args=[project.pk]),
    )
    return render(request, "projects/backlog.html", context, status=status)


def _row_context(access: Access[Project]) -> dict[str, Any]:
    """What a backlog row's markup needs besides the row (the page and "show more" share it)."""
    project = access.obj
    return {
        "can_plan": access.can(ProjectAction.PLAN),
        "sprints_allowed": sprint_services.sprints_allowed(project),
        # One reverse for all rows rather than a {% url %} per row.
        "task_base": reverse("task-detail", args=[project.pk, 0])[:-2],
        "plan_url": reverse("sprint-plan", args=[project.pk]),
        "backlog_url": reverse("project-backlog", args=[project.pk]),
        "more_url": reverse("project-backlog-rows", args=[project.pk]),
    }


def _rows_wanted(raw: str | None) -> int:
    """`?rows=N`: N rows per list (the no-script "show more"), bounded."""
    try:
        wanted = int(raw or "")
    except ValueError:
        return sprint_selectors.BACKLOG_PAGE
    return min(max(wanted, 1), MAX_ROWS)


@login_required
@require_GET
def project_backlog(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    return _backlog_page(request, access)


@login_required
@require_GET
def project_backlog_rows(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """The next rows of one list of the backlog page ("show more"): `sprint` (empty: the
    backlog itself), `after` (the last row shown) or `offset`."""
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    params = request.GET
    rows, sprints = sprint_selectors.backlog_more(
        access.obj,
        as_int(params.get("sprint")),
        after=as_int(params.get("after")),
        offset=max(0, as_int(params.get("offset")) or 0),
    )
    if rows is None:
        return HttpResponse("")  # the sprint was closed meanwhile: nothing more to show
    context = {"project": access.obj, "rows": rows, "open_sprints": sprints}
    return render(
        request, "projects/partials/backlog_items.html", {**context, **_row_context(access)}
    )


@login_required
@require_POST
def project_backlog_move(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """Body: {"task", "before" (the task now below it, or null), "after" (the task now above
    it, used without `before`), "version"}."""
    project = access_project(request.user, project_id, action=ProjectAction.PLAN).obj
    try:
        body = read_json(request)
        task = project_task(project, whole(body, "task", required=True), "task")
        before = project_task(project, whole(body, "before"), "before")
        after = project_task(project, whole(body, "after"), "after") if before is None else None
        assert task is not None
        moved = board_services.backlog_move(
            task=task,
            actor=request.user,
            version=whole(body, "version"),
            before=before,
            after=after,
        )
    except VersionRequiredError as exc:
        return error(428, str(exc))
    except StaleVersionError as exc:
        current = exc.current
        return error(
            409,
            "Someone changed this task meanwhile; the order was not saved.",
            current={"id": current.pk, "version": current.version},  # type: ignore[attr-defined]
        )
    except ValidationError as exc:
        return error(400, " ".join(exc.messages))
    return JsonResponse({"id": moved.pk, "version": moved.version})


@login_required
@require_POST
def sprint_create(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    form = SprintForm(request.POST)
    if form.is_valid():
        try:
            sprint = sprint_services.sprint_create(
                project=project, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Created {sprint.name}. Plan it from the backlog.")
            return redirect(reverse("project-backlog", args=[project.pk]))
    return _backlog_page(request, access, form=form, status=422)


def _sprint(project: Project, sprint_id: int | None) -> Sprint:
    sprint = Sprint.objects.filter(project=project, pk=sprint_id).first() if sprint_id else None
    if sprint is None:
        raise Http404("No such sprint in this project.")
    sprint.project = project
    return sprint


@login_required
@require_POST
def sprint_plan(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """Form: `task` and `sprint` (empty: back to the backlog)."""
    project = access_project(request.user, project_id, action=ProjectAction.PLAN).obj
    try:
        task = project_task(project, whole(request.POST.dict(), "task", required=True), "task")
        sprint_id = whole(request.POST.dict(), "sprint")
        assert task is not None
        if sprint_id:
            sprint = _sprint(project, sprint_id)
            load = sprint_services.sprint_plan(
                sprint=sprint, actor=request.user, add=[task], remove=[]
            )
        elif task.sprint_id:
            sprint = _sprint(project, task.sprint_id)
            load = sprint_services.sprint_plan(
                sprint=sprint, actor=request.user, add=[], remove=[task]
            )
        else:
            return redirect(reverse("project-backlog", args=[project.pk]))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("project-backlog", args=[project.pk]))
    for warning in load.warnings:
        messages.warning(request, f"{sprint.name}: {warning}")
    where = sprint.name if sprint_id else "the backlog"
    messages.success(request, f"Moved {task.name} to {where}.")
    return redirect(reverse("project-backlog", args=[project.pk]))


@login_required
@require_GET
def sprint_detail(request: AuthedHttpRequest, project_id: int, sprint_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    return _sprint_page(request, access, sprint_id)


def _sprint_page(
    request: AuthedHttpRequest, access: Access[Project], sprint_id: int, status: int = 200
) -> HttpResponse:
    """The sprint as it is now (re-read: after a stale start or close it shows the other edit)."""
    project = access.obj
    sprint = _sprint(project, sprint_id)
    charts = sprint_selectors.sprint_chart_data(sprint, timezone.localdate())
    context = project_page(
        access,
        TAB,
        sprint=sprint,
        charts=charts,
        tasks=sprint_selectors.sprint_tasks(sprint),
        load=sprint_services.sprint_load(sprint),
        can_plan=access.can(ProjectAction.PLAN),
        close_form=SprintCloseForm(sprint=sprint),
        chart=sprint_charts,
    )
    return render(request, "projects/sprint_detail.html", context, status=status)


def _version(request: AuthedHttpRequest) -> int | None:
    return whole(request.POST.dict(), "version")


@login_required
@require_POST
def sprint_start(request: AuthedHttpRequest, project_id: int, sprint_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    sprint = _sprint(project, sprint_id)
    try:
        sprint_services.sprint_start(sprint=sprint, actor=request.user, version=_version(request))
    except StaleVersionError:
        messages.error(request, STALE.format(name=sprint.name, verb="start"))
        return _sprint_page(request, access, sprint.pk, status=409)
    except (ValidationError, VersionRequiredError) as exc:
        text = str(exc) if isinstance(exc, VersionRequiredError) else " ".join(exc.messages)
        messages.error(request, text)
    else:
        messages.success(request, f"Started {sprint.name}.")
    return redirect(reverse("sprint-detail", args=[project.pk, sprint.pk]))


@login_required
@require_POST
def sprint_close(request: AuthedHttpRequest, project_id: int, sprint_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    sprint = _sprint(project, sprint_id)
    form = SprintCloseForm(request.POST, sprint=sprint)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect(reverse("sprint-detail", args=[project.pk, sprint.pk]))
    try:
        sprint_services.sprint_close(
            sprint=sprint,
            actor=request.user,
            version=_version(request),
            move_to=form.cleaned_data["move_to"],
        )
    except StaleVersionError:
        messages.error(request, STALE.format(name=sprint.name, verb="close"))
        return _sprint_page(request, access, sprint.pk, status=409)
    except (ValidationError, VersionRequiredError) as exc:
        text = str(exc) if isinstance(exc, VersionRequiredError) else " ".join(exc.messages)
        messages.error(request, text)
    else:
        messages.success(request, f"Closed {sprint.name}.")
    return redirect(reverse("sprint-detail", args=[project.pk, sprint.pk]))
