"""A project's team: allocations (who gives what share of their capacity over which dates,
the "Team allocation" tab) and the assignments of resources to a task (a section of the task
page, loaded with htmx and usable without it).

Everyone with a role reads them; planners (ProjectAction.PLAN) change them. Forms redirect back,
or re-render with 422 (errors) or 409 (someone else saved first).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.access import access_project, access_task
from projects.models import Project, Task
from projects.views._common import is_htmx, project_page, redirect_to
from resources.access import access_allocation, access_assignment
from resources.models import Allocation, Assignment
from resources.pool import selectors as pool_selectors
from resources.pool.forms import AllocationForm, AssignmentEditForm, AssignmentForm, show_errors
from resources.pool.services import allocations as allocation_services
from resources.pool.services import assignments as assignment_services
from resources.pool.views.pool import STALE
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction

TAB = "team"
ASSIGNMENTS = "resources/partials/pool_assignments.html"
ASSIGNMENTS_PAGE = "resources/pool_assignments_page.html"


def _render_team(
    request: AuthedHttpRequest,
    access: Access[Project],
    *,
    form: AllocationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project = access.obj
    can_plan = access.can(ProjectAction.PLAN)
    context = project_page(
        access,
        TAB,
        rows=pool_selectors.project_allocations(project),
        can_plan=can_plan,
        form=form or (AllocationForm(project=project) if can_plan else None),
    )
    return render(request, "resources/pool_team.html", context, status=status)


@login_required
@require_GET
def project_team(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    return _render_team(request, access_project(request.user, project_id))


@login_required
@require_POST
def project_allocation_add(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    form = AllocationForm(request.POST, project=project)
    if form.is_valid():
        try:
            allocation = allocation_services.allocation_create(
                project=project, actor=request.user, **form.changes()
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request, f"Allocated {allocation.resource.name} at {allocation.percent} %."
            )
            return redirect_to(request, reverse("project-team", args=[project.pk]))
    return _render_team(request, access, form=form, status=422)


def _project_allocation(
    request: AuthedHttpRequest, project_id: int, allocation_id: int, *, write: bool
) -> Access[Allocation]:
    allocation = access_allocation(request.user, allocation_id, write=write)
    if allocation.obj.project_id != project_id:
        raise Http404("No such allocation in this project.")
    return allocation


def _allocation_initial(allocation: Allocation) -> dict[str, Any]:
    return {
        "resource": allocation.resource_id,
        "start_date": allocation.start_date,
        "end_date": allocation.end_date,
        "percent": allocation.percent,
        "note": allocation.note,
        "version": allocation.version,
    }


def _render_allocation_form(
    request: AuthedHttpRequest, access: Access[Allocation], form: AllocationForm, status: int
) -> HttpResponse:
    allocation = access.obj
    context = project_page(access.on(allocation.project), TAB, allocation=allocation, form=form)
    return render(request, "resources/pool_allocation_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_allocation_edit(
    request: AuthedHttpRequest, project_id: int, allocation_id: int
) -> HttpResponse:
    access = _project_allocation(request, project_id, allocation_id, write=True)
    allocation = access.obj
    project = allocation.project
    if request.method == "GET":
        form = AllocationForm(project=project, initial=_allocation_initial(allocation))
        return _render_allocation_form(request, access, form, 200)
    form = AllocationForm(request.POST, project=project)
    if form.is_valid():
        try:
            allocation_services.allocation_update(
                allocation=allocation,
                actor=request.user,
                version=form.cleaned_data.get("version"),
                **form.changes(),
            )
        except StaleVersionError as exc:
            current = exc.current
            assert isinstance(current, Allocation)
            fresh = AllocationForm(project=project, initial=_allocation_initial(current))
            messages.error(request, STALE)
            return _render_allocation_form(request, access, fresh, 409)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, "Saved the allocation.")
            return redirect_to(request, reverse("project-team", args=[project.pk]))
    return _render_allocation_form(request, access, form, 422)


@login_required
@require_POST
def project_allocation_delete(
    request: AuthedHttpRequest, project_id: int, allocation_id: int
) -> HttpResponse:
    allocation = _project_allocation(request, project_id, allocation_id, write=True).obj
    allocation_services.allocation_delete(allocation=allocation, actor=request.user)
    messages.success(request, f"Removed {allocation.resource.name}'s allocation.")
    return redirect_to(request, reverse("project-team", args=[project_id]))


# --- assignments (a section of the task page) -------------------------------------------------


def _task_in_project(access: Access[Task], project_id: int) -> Access[Task]:
    if access.obj.project_id != project_id:
        raise Http404("No such task in this project.")
    return access


def _render_assignments(
    request: AuthedHttpRequest,
    access: Access[Task],
    *,
    form: AssignmentForm | None = None,
    edit_forms: dict[int, AssignmentEditForm] | None = None,
    stale: str = "",
    status: int = 200,
) -> HttpResponse:
    task = access.obj
    can_plan = access.can(ProjectAction.PLAN)
    data = pool_selectors.task_assignments(task)
    edit_forms = edit_forms or {}
    rows = [
        (
            assignment,
            edit_forms.get(assignment.pk)
            or AssignmentEditForm(
                initial={
                    "units": assignment.units,
                    "work_hours": assignment.work_hours,
                    "version": assignment.version,
                },
                prefix=f"a{assignment.pk}",
            ),
        )
        for assignment in data.assignments
    ]
    context: dict[str, Any] = {
        "task": task,
        "project": task.project,
        "rows": rows,
        "implicit": data.implicit,
        "unlinked": data.unlinked,
        "can_plan": can_plan and not task.is_summary and not task.is_milestone,
        "form": form or AssignmentForm(organisation_id=task.project.organisation_id),
        "stale": stale,
    }
    if is_htmx(request):
        return render(request, ASSIGNMENTS, context, status=status)
    # Without JavaScript: the section on a page of its own, under the project's header.
    context |= project_page(access.on(task.project), "plan", task=task)
    return render(request, ASSIGNMENTS_PAGE, context, status=status)


def _back_to_task(request: AuthedHttpRequest, access: Access[Task], notice: str) -> HttpResponse:
    task = access.obj
    if is_htmx(request):
        return _render_assignments(request, access)
    messages.success(request, notice)
    return redirect_to(request, reverse("task-detail", args=[task.project_id, task.pk]))


@login_required
@require_GET
def task_assignments(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    return _render_assignments(
        request, _task_in_project(access_task(request.user, task_id), project_id)
    )


@login_required
@require_POST
def task_assignment_add(request: AuthedHttpRequest, project_id: int, task_id: int) -> HttpResponse:
    access = _task_in_project(access_task(request.user, task_id, write=True), project_id)
    task = access.obj
    form = AssignmentForm(request.POST, organisation_id=task.project.organisation_id)
    if form.is_valid():
        try:
            assignment_services.assignment_create(
                task=task, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            return _back_to_task(request, access, "Assigned.")
    return _render_assignments(request, access, form=form, status=422)


def _task_assignment(
    request: AuthedHttpRequest, project_id: int, task_id: int, assignment_id: int
) -> Access[Assignment]:
    access = access_assignment(request.user, assignment_id, write=True)
    if access.obj.task_id != task_id or access.obj.task.project_id != project_id:
        raise Http404("No such assignment on this task.")
    return access


@login_required
@require_POST
def task_assignment_edit(
    request: AuthedHttpRequest, project_id: int, task_id: int, assignment_id: int
) -> HttpResponse:
    access = _task_assignment(request, project_id, task_id, assignment_id)
    assignment = access.obj
    task = access.on(assignment.task)
    form = AssignmentEditForm(request.POST, prefix=f"a{assignment.pk}")
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            assignment_services.assignment_update(
                assignment=assignment, actor=request.user, version=version, **data
            )
        except StaleVersionError:
            return _render_assignments(request, task, stale=STALE, status=409)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            return _back_to_task(request, task, "Saved the assignment.")
    return _render_assignments(request, task, edit_forms={assignment.pk: form}, status=422)


@login_required
@require_POST
def task_assignment_delete(
    request: AuthedHttpRequest, project_id: int, task_id: int, assignment_id: int
) -> HttpResponse:
    access = _task_assignment(request, project_id, task_id, assignment_id)
    assignment = access.obj
    task = access.on(assignment.task)
    assignment_services.assignment_delete(assignment=assignment, actor=request.user)
    return _back_to_task(request, task, f"Removed {assignment.resource.name} from the task.")
