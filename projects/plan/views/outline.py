"""The plan's outline: the WBS as a table, and the planners' htmx edits to it.

Every write returns the whole plan panel (templates/projects/partials/plan_panel.html), because
one changed duration or move can shift the dates, codes and floats of many other rows. Without
JavaScript each action is a plain POST that redirects back to the page (or re-renders it).
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.access import access_project, access_task
from projects.calendars import selectors as calendar_selectors
from projects.forms import apply_service_errors
from projects.models import Project, Task, WorkCalendar
from projects.plan import selectors as task_selectors
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.plan.forms import TaskAddForm, TaskMoveForm, TaskRowForm
from projects.schedule.durations import Duration, LinkSpec, format_link, minutes_to_days
from projects.schedule.input import engine_calendar, project_zone
from projects.views._common import is_htmx, project_page, redirect_to
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction

PANEL = "projects/partials/plan_panel.html"
PAGE = "projects/plan.html"
STALE = "{name} was changed by someone else while you were editing; nothing was overwritten. "
STALE += "Here is what it says now."
# A longer outline is shown in pages: all 5,000 rows of a large plan are 12 MB of HTML that
# take seconds to render and more to lay out; a planner's row is about 2.3 KB, so a page of 100
# stays near 250 KB. Writes come back to the page of the task changed.
PAGE_ROWS = 100


@dataclass(frozen=True)
class RowUrls:
    """Where a row's links and forms go (built here: hundreds of `{% url %}` per page add up)."""

    detail: str
    edit: str
    move: str
    delete: str


@dataclass
class PlanRow:
    """One outline row with its figures already in days, as the table shows them."""

    task: Task
    depth: int
    duration: Decimal
    total_float: Decimal | None
    late_by: Decimal | None
    predecessors: str
    assignees: list[str]
    urls: RowUrls
    form: TaskRowForm | None = None
    errors: list[str] = field(default_factory=list)


_ID = "999999999"  # a task id in a reversed URL, replaced by each row's own


def _row_urls(project: Project) -> Callable[[int], RowUrls]:
    """Reverse each row URL once, then fill in the task id per row."""
    names = {
        "detail": "task-detail",
        "edit": "plan-task-edit",
        "move": "plan-task-move",
        "delete": "plan-task-delete",
    }
    patterns = {key: reverse(name, args=[project.pk, int(_ID)]) for key, name in names.items()}

    def urls(task_id: int) -> RowUrls:
        return RowUrls(**{key: url.replace(_ID, str(task_id)) for key, url in patterns.items()})

    return urls


@dataclass
class PlanCalendar:
    """What the pages need of the project's calendar: a day's length and a working-time ruler."""

    minutes_per_day: int
    timeline: Any
    zone: Any
    calendar: WorkCalendar | None = None  # the project's (None: the standard calendar)

    def task_minutes_per_day(self, task: Task) -> int:
        """ "1 day" of `task`: of its own calendar, else the project's (reads `task.calendar`)."""
        return calendar_selectors.task_minutes_per_day(task, self.calendar)


def plan_calendar(project: Project) -> PlanCalendar:
    calendar = calendar_selectors.project_calendar(project)
    per_day = calendar_selectors.minutes_per_day(calendar)
    timeline = engine_calendar(calendar).timeline()
    return PlanCalendar(per_day, timeline, project_zone(project), calendar)


def link_label(link: dict[str, Any], project: Project, per_day: int) -> str:
    """A predecessor as Microsoft Project writes it: 1.2, 1.2FS+1d, or GLX 3SS-0.5d across
    projects (projects/schedule/durations.py's notation).

    `link` is a row of `task_selectors.outline_links`; `per_day` is the successor's day.
    """
    code = link["predecessor__wbs_code"]
    if link["predecessor__project_id"] != project.pk:
        code = f"{link['predecessor__project__key']} {code}"
    spec = LinkSpec(code, link["type"], Duration(link["lag_minutes"]))
    return format_link(spec, minutes_per_day=per_day)


def plan_rows(project: Project, calendar: PlanCalendar, task_ids: list[int]) -> list[PlanRow]:
    """The outline's rows of those tasks, with their links and people (one query each)."""
    tasks = task_selectors.project_outline(project=project).filter(pk__in=task_ids)
    links = task_selectors.outline_links(project=project, task_ids=task_ids)
    people = task_selectors.outline_assignees(project=project, task_ids=task_ids)
    urls = _row_urls(project)
    rows = []
    for task in tasks:
        per_day = calendar.task_minutes_per_day(task)  # rows select their calendar
        minutes = task.duration_minutes  # a summary's: its tasks' span (schedule/rollup.py)
        total_float = (
            minutes_to_days(task.total_float_minutes, per_day)
            if task.total_float_minutes is not None
            else None
        )
        rows.append(
            PlanRow(
                task=task,
                depth=task.wbs_code.count("."),
                duration=minutes_to_days(minutes, per_day),
                total_float=total_float,
                late_by=-total_float
                if task.has_negative_float and total_float is not None
                else None,
                predecessors=", ".join(
                    link_label(link, project, per_day) for link in links.get(task.pk, ())
                ),
                assignees=[
                    task_selectors.display_name(person) for person in people.get(task.pk, ())
                ],
                urls=urls(task.pk),
            )
        )
    return rows


def _page_number(project: Project, focus: Task | None, requested: str | None) -> int | str | None:
    """The page holding `focus` (or where it was, if just deleted), else the one asked for."""
    if focus is None:
        return requested
    number = task_selectors.outline_page_of(project=project, task_id=focus.pk, rows=PAGE_ROWS)
    return requested if number is None else number


def _task_param(request: HttpRequest) -> Task | None:
    """`?task=ID` (where a form without JavaScript comes back to): only its id is needed."""
    value = request.GET.get("task", "")
    return Task(pk=int(value)) if value.isdigit() else None


def _add_form(project: Project, data: Any = None, *, minutes_per_day: int) -> TaskAddForm:
    """The add row; its parent is searched for (plan-parent-search), not listed."""
    parents = Task.objects.alive().filter(project=project)
    return TaskAddForm(
        data, parents=parents, project_id=project.pk, minutes_per_day=minutes_per_day
    )


def _render_plan(
    request: HttpRequest,
    access: Access[Project],
    *,
    status: int = 200,
    add_form: TaskAddForm | None = None,
    editing: dict[int, TaskRowForm] | None = None,
    row_errors: dict[int, list[str]] | None = None,
    notice: str = "",
    focus: Task | None = None,
) -> HttpResponse:
    """The outline, PAGE_ROWS rows at a time.

    The page shown holds `focus` (the task just changed), else `?task=`, else is `?page=`.
    """
    project = access.obj
    can_plan = access.can(ProjectAction.PLAN)
    calendar = plan_calendar(project)
    # The page's ids from the index (a count and one slice: no more rows read as the plan
    # grows), then its rows in full.
    index = task_selectors.outline_index(project=project).only("pk")
    number = _page_number(project, focus or _task_param(request), request.GET.get("page"))
    page = Paginator(index, PAGE_ROWS).get_page(number)
    rows = plan_rows(project, calendar, [task.pk for task in page.object_list])
    for row in rows:
        row.form = (editing or {}).get(row.task.pk)
        row.errors = (row_errors or {}).get(row.task.pk, [])
    if can_plan and add_form is None:
        add_form = _add_form(project, minutes_per_day=calendar.minutes_per_day)
    context = project_page(
        access,
        "plan",
        rows=rows,
        page=page,
        can_plan=can_plan,
        add_form=add_form if can_plan else None,
        minutes_per_day=calendar.minutes_per_day,
        notice=notice,
    )
    response = render(request, PANEL if is_htmx(request) else PAGE, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _done(
    request: AuthedHttpRequest, access: Access[Project], notice: str, focus: Task | None
) -> HttpResponse:
    """The outline after a change, on the page of `focus` (the task changed)."""
    if not is_htmx(request):
        messages.success(request, notice)
        url = reverse("project-plan", args=[access.obj.pk])
        if focus is not None and focus.pk:
            url += f"?task={focus.pk}#task-{focus.pk}"
        return redirect_to(request, url)
    return _render_plan(request, access, notice=notice, focus=focus)


def _plan_task(
    request: AuthedHttpRequest, project_id: int, task_id: int
) -> tuple[Access[Project], Task]:
    """The project (planners only) and a task of it; a task of another project is a 404."""
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    task = access_task(request.user, task_id, write=True).obj
    if task.project_id != access.obj.pk:
        raise Http404("No such task in this project.")
    return access, task


@login_required
@require_GET
def project_plan(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    return _render_plan(request, access_project(request.user, project_id))


@login_required
@require_POST
def plan_task_add(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    per_day = calendar_selectors.day_length(None, project)  # a new task: the project's day
    form = _add_form(project, request.POST, minutes_per_day=per_day)
    if form.is_valid():
        try:
            task = task_services.task_create(
                project=project,
                actor=request.user,
                name=form.cleaned_data["name"],
                parent=form.parent_task(),
                duration_minutes=form.cleaned_data["duration_days"],  # cleaned to minutes
                is_milestone=form.cleaned_data["is_milestone"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _done(request, access, f"Added {task.wbs_code} {task.name}.", task)
    return _render_plan(request, access, status=422, add_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def plan_task_edit(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    """GET: the row becomes a small form; POST: save its name and duration."""
    access, task = _plan_task(request, project_id, task_id)
    per_day = calendar_selectors.task_day_length(task)  # "1 day" of this task
    if request.method == "GET":
        return _render_plan(
            request, access, editing={task.pk: TaskRowForm.for_task(task, per_day)}, focus=task
        )
    form = TaskRowForm(request.POST, auto_id=f"row-{task.pk}-%s", minutes_per_day=per_day)
    if form.is_valid():
        changes = TaskChanges(name=form.cleaned_data["name"].strip())
        if not task.is_milestone and not task.is_summary:
            minutes = form.cleaned_data["duration_days"]  # cleaned to minutes of its calendar
            changes = replace(changes, duration_minutes=minutes)
        try:
            task_services.task_update(
                task=task, actor=request.user, version=form.cleaned_data["version"], changes=changes
            )
        except StaleVersionError as exc:
            current = exc.current
            assert isinstance(current, Task)
            return _render_plan(
                request,
                access,
                status=409,
                editing={task.pk: TaskRowForm.for_task(current, per_day)},
                row_errors={task.pk: [STALE.format(name=current.name)]},
                focus=task,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, duration_minutes="duration_days")
        else:
            return _done(request, access, f"Saved {task.wbs_code} {changes.name}.", task)
    return _render_plan(request, access, status=422, editing={task.pk: form}, focus=task)


@login_required
@require_POST
def plan_task_move(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    access, task = _plan_task(request, project_id, task_id)
    form = TaskMoveForm(request.POST)
    if not form.is_valid():
        errors = [str(message) for errors in form.errors.values() for message in errors]
        return _render_plan(request, access, status=422, row_errors={task.pk: errors}, focus=task)
    try:
        moved = task_services.task_shift(
            task=task,
            actor=request.user,
            direction=form.cleaned_data["direction"],
            version=form.cleaned_data["version"],
        )
    except StaleVersionError as exc:
        name = exc.current.name  # type: ignore[attr-defined]
        message = f"{name} was changed by someone else; nothing was moved. Here is the plan now."
        return _render_plan(
            request, access, status=409, row_errors={task.pk: [message]}, focus=task
        )
    except ValidationError as exc:
        return _render_plan(
            request, access, status=422, row_errors={task.pk: exc.messages}, focus=task
        )
    return _done(request, access, f"Moved {moved.name}: it is now {moved.wbs_code}.", moved)


@login_required
@require_http_methods(["GET", "POST"])
def plan_task_delete(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    """GET: a confirmation page (without JavaScript); POST: delete the task and its subtasks."""
    access, task = _plan_task(request, project_id, task_id)
    if request.method == "GET":
        subtasks = Task.objects.alive().filter(
            project=access.obj, outline_key__startswith=f"{task.outline_key}."
        )
        context = project_page(access, "plan", task=task, subtasks=subtasks.count())
        return render(request, "projects/task_delete.html", context)
    task_services.task_delete(task=task, actor=request.user)
    return _done(request, access, f"Deleted {task.wbs_code} {task.name}.", task)
