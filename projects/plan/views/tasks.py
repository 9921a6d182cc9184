"""A task's page: its plan, its computed dates, its links, and the progress its people report.

Planners (ProjectAction.PLAN) edit the plan fields and the links; planners and the people
assigned to the task report progress. Each form is a plain POST that redirects back to the page,
or re-renders it with 422 (errors) or 409 (someone else saved first).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from projects.access import (
    access_dependency,
    access_task,
    access_task_progress,
    can_report_progress,
)
from projects.calendars.selectors import task_day_length
from projects.forms import apply_service_errors
from projects.models import Dependency, Project, Task, WorkCalendar
from projects.plan import selectors as task_selectors
from projects.plan import services as task_services
from projects.plan.changes import LinkChanges, ProgressChanges, TaskChanges
from projects.plan.forms import (
    LinkAddForm,
    LinkEditForm,
    TaskPlanForm,
    TaskProgressForm,
    task_label,
)
from projects.plan.views.outline import PlanCalendar, plan_calendar
from projects.plan.views.pickers import link_candidates
from projects.quality import selectors as quality_selectors
from projects.schedule.durations import minutes_to_days
from projects.scope import selectors as scope_selectors
from projects.selectors import project_assignable_people
from projects.views._common import project_page
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction, project_role_can

PAGE = "projects/task_detail.html"
# A summary lists its first subtasks only (the outline shows the rest): the page stays the same
# size however large the plan.
CHILDREN_SHOWN = 50
STALE_LINK = (
    "That link was changed by someone else while you were editing; nothing was overwritten. "
    "The row shows what it says now."
)
STALE = (
    "This task was changed by someone else while you were editing; nothing was overwritten. "
    "The form shows what it says now: make your change again if it is still needed."
)


@dataclass
class LinkRow:
    link: Dependency
    other: Task  # the task at the other end
    label: str
    lag: Decimal
    can_remove: bool
    form: LinkEditForm | None = None  # type and lag, where the user may change them


def _in_project(access: Access[Task], project_id: int) -> Access[Task]:
    if access.obj.project_id != project_id:
        raise Http404("No such task in this project.")
    return access


def _calendars(project: Project) -> QuerySet[WorkCalendar]:
    """Calendars a task of `project` may use: the organisation's shared ones and its own."""
    return WorkCalendar.objects.filter(organisation_id=project.organisation_id).filter(
        Q(project__isnull=True) | Q(project=project)
    )


def _link_rows(
    task: Task, per_day: int, can_plan: bool, edited: LinkEditForm | None = None
) -> dict[str, list[LinkRow]]:
    def row(link: Dependency, other: Task, editable: bool) -> LinkRow:
        lag = minutes_to_days(link.lag_minutes, per_day)
        label = task_label(other, with_project=other.project_id != task.project_id)
        form = None
        if editable:
            mine = edited is not None and edited.prefix == f"link{link.pk}"
            form = edited if mine else LinkEditForm.for_link(link, per_day)
        return LinkRow(link, other, label, lag, editable, form)

    return {
        "predecessors": [
            row(link, link.predecessor, can_plan) for link in task.predecessor_links.all()
        ],
        "successors": [
            # the link belongs to the successor's plan: removable here when that is this plan
            row(link, link.successor, can_plan and link.successor.project_id == task.project_id)
            for link in task.successor_links.all()
        ],
    }


def _figures(task: Task, calendar: PlanCalendar, per_day: int) -> dict[str, Any]:
    minutes = task.duration_minutes  # a summary's: the span of its tasks (schedule/rollup.py)
    total = task.total_float_minutes
    return {
        "duration_days": minutes_to_days(minutes, per_day),
        "total_float": minutes_to_days(total, per_day) if total is not None else None,
        "free_float": minutes_to_days(task.free_float_minutes, per_day)
        if task.free_float_minutes is not None
        else None,
        "late_by": minutes_to_days(-total, per_day) if total is not None and total < 0 else None,
    }


def _scope_quality(task: Task, role: str) -> dict[str, Any]:
    """The gates on a milestone or phase and the deliverables the task serves (3 queries)."""
    gates = quality_selectors.task_gates(task)
    return {
        "task_gates": gates,
        "gates_holding": sum(1 for gate in gates if not gate.is_cleared),
        "task_deliverables": scope_selectors.task_deliverables(task),
        "can_edit_scope": project_role_can(role, ProjectAction.EDIT_SCOPE),
    }


def _render_task(
    request: AuthedHttpRequest,
    task_id: int,
    role: str,
    *,
    status: int = 200,
    plan_form: TaskPlanForm | None = None,
    progress_form: TaskProgressForm | None = None,
    link_form: LinkAddForm | None = None,
    link_edit: LinkEditForm | None = None,
    stale: str = "",
) -> HttpResponse:
    task = task_selectors.task_detail(task_id=task_id)
    children = task_selectors.task_children(task=task, limit=CHILDREN_SHOWN + 1)
    project = task.project
    can_plan = project_role_can(role, ProjectAction.PLAN)
    can_progress = can_report_progress(Access(task, role), request.user)
    calendar = plan_calendar(project)
    per_day = calendar.task_minutes_per_day(task)  # task_detail selects its calendar
    extra: dict[str, Any] = {}
    if can_plan:
        extra["plan_form"] = plan_form or TaskPlanForm(
            initial=TaskPlanForm.initial_for(task, per_day),
            task=task,
            calendars=_calendars(project),
            people=project_assignable_people(project=project),
            minutes_per_day=per_day,
        )
        extra["link_form"] = link_form or LinkAddForm(
            candidates=link_candidates(request.user, task),
            home_project_id=project.pk,
            minutes_per_day=per_day,
        )
    if can_progress:
        extra["progress_form"] = progress_form or TaskProgressForm(
            initial=TaskProgressForm.initial_for(task)
        )
    context = project_page(
        Access(project, role),
        "plan",
        task=task,
        can_plan=can_plan,
        can_progress=can_progress,
        minutes_per_day=per_day,
        assignees=[user.display_name for user in task.assignees.all()],
        children=children[:CHILDREN_SHOWN],
        more_children=len(children) > CHILDREN_SHOWN,
        stale=stale,
        **_figures(task, calendar, per_day),
        **_link_rows(task, per_day, can_plan, link_edit),
        **_scope_quality(task, role),
        **extra,
    )
    return render(request, PAGE, context, status=status)


def _back(request: HttpRequest, task: Task, notice: str) -> HttpResponse:
    messages.success(request, notice)
    return redirect("task-detail", project_id=task.project_id, task_id=task.pk)


@login_required
@require_GET
def task_detail(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    access = _in_project(access_task(request.user, task_id), project_id)
    return _render_task(request, access.obj.pk, access.role)


@login_required
@require_POST
def task_edit(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    access = _in_project(access_task(request.user, task_id, write=True), project_id)
    task, role = access.obj, access.role
    per_day = task_day_length(task)
    calendars = _calendars(task.project)
    people = project_assignable_people(project=task.project)
    form = TaskPlanForm(
        request.POST, task=task, calendars=calendars, people=people, minutes_per_day=per_day
    )
    if form.is_valid():
        try:
            task_services.task_update(
                task=task,
                actor=request.user,
                version=form.cleaned_data["version"],
                changes=TaskChanges.from_dict(form.changes(task)),
            )
        except StaleVersionError as exc:
            current = exc.current
            assert isinstance(current, Task)
            fresh = TaskPlanForm(
                initial=TaskPlanForm.initial_for(current, per_day),
                task=current,
                calendars=calendars,
                people=people,
                minutes_per_day=per_day,
            )
            return _render_task(request, task.pk, role, status=409, plan_form=fresh, stale=STALE)
        except ValidationError as exc:
            apply_service_errors(form, exc, duration_minutes="duration_days")
        else:
            return _back(request, task, "Saved the plan of this task; its dates follow.")
    return _render_task(request, task.pk, role, status=422, plan_form=form)


@login_required
@require_POST
def task_progress(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    access = _in_project(access_task_progress(request.user, task_id), project_id)
    task, role = access.obj, access.role
    form = TaskProgressForm(request.POST)
    if form.is_valid():
        try:
            task_services.task_update_progress(
                task=task,
                actor=request.user,
                version=form.cleaned_data["version"],
                changes=ProgressChanges.from_dict(form.changes(task)),
            )
        except StaleVersionError as exc:
            current = exc.current
            assert isinstance(current, Task)
            fresh = TaskProgressForm(initial=TaskProgressForm.initial_for(current))
            return _render_task(
                request, task.pk, role, status=409, progress_form=fresh, stale=STALE
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _back(request, task, "Saved your progress report.")
    return _render_task(request, task.pk, role, status=422, progress_form=form)


@login_required
@require_POST
def task_link_add(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    access = _in_project(access_task(request.user, task_id, write=True), project_id)
    task, role = access.obj, access.role
    per_day = task_day_length(task)  # a lag is working time of the successor: this task
    form = LinkAddForm(
        request.POST,
        candidates=link_candidates(request.user, task),
        home_project_id=task.project_id,
        minutes_per_day=per_day,
    )
    if form.is_valid():
        predecessor = form.cleaned_data["predecessor"]
        try:
            task_services.dependency_create(
                predecessor=predecessor,
                successor=task,
                actor=request.user,
                type=form.cleaned_data["type"],
                lag_minutes=form.cleaned_data["lag_days"] or 0,  # cleaned to minutes
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, lag_minutes="lag_days", successor="predecessor")
        else:
            return _back(request, task, f"{task.name} now follows {predecessor.name}.")
    return _render_task(request, task.pk, role, status=422, link_form=form)


@login_required
@require_POST
def task_link_remove(
    request: AuthedHttpRequest, project_id: int, task_id: int, link_id: int
) -> HttpResponse:
    task = _in_project(access_task(request.user, task_id, write=True), project_id).obj
    link = access_dependency(request.user, link_id, write=True).obj
    if task.pk not in (link.predecessor_id, link.successor_id):
        raise Http404("No such link on this task.")
    other = link.predecessor if link.successor_id == task.pk else link.successor
    task_services.dependency_delete(link=link, actor=request.user)
    return _back(request, task, f"Removed the link between {task.name} and {other.name}.")


@login_required
@require_POST
def task_link_edit(
    request: AuthedHttpRequest, project_id: int, task_id: int, link_id: int
) -> HttpResponse:
    """Change a link's type or lag from its row; the plan reschedules."""
    access = _in_project(access_task(request.user, task_id, write=True), project_id)
    task, role = access.obj, access.role
    link = access_dependency(request.user, link_id, write=True).obj
    if task.pk not in (link.predecessor_id, link.successor_id):
        raise Http404("No such link on this task.")
    successor = link.successor
    per_day = task_day_length(successor)  # a lag is working time of the successor
    form = LinkEditForm.for_link(link, per_day, data=request.POST)
    if form.is_valid():
        try:
            task_services.dependency_update(
                link=link,
                actor=request.user,
                version=form.cleaned_data["version"],
                changes=LinkChanges(
                    type=form.cleaned_data["type"],
                    lag_minutes=form.cleaned_data["lag_days"] or 0,  # cleaned to minutes
                ),
            )
        except StaleVersionError:
            return _render_task(request, task.pk, role, status=409, stale=STALE_LINK)
        except ValidationError as exc:
            apply_service_errors(form, exc, lag_minutes="lag_days")
        else:
            other = link.predecessor if link.successor_id == task.pk else successor
            return _back(request, task, f"Changed the link with {other.name}; dates follow.")
    return _render_task(request, task.pk, role, status=422, link_edit=form)
