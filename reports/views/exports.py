"""Downloads of a project: tasks and risks (CSV, XLSX) and milestones (iCalendar)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from projects.access import access_project
from tpm.http import AuthedHttpRequest
from tpm.money import sees_money
from tpm.roles import ProjectAction

from .. import exports
from ..access import project_for_reading
from ._common import today


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def tasks_csv(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    project = project_for_reading(request.user, project_id).obj
    body = exports.to_csv(exports.TASK_COLUMNS, exports.task_rows(project))
    return _download(body, "text/csv; charset=utf-8", f"{project.key}-tasks-{today()}.csv")


@login_required
@require_GET
def tasks_xlsx(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    project = project_for_reading(request.user, project_id).obj
    body = exports.to_xlsx("Tasks", exports.TASK_COLUMNS, exports.task_rows(project))
    return _download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{project.key}-tasks-{today()}.xlsx",
    )


@login_required
@require_GET
def milestones_ics(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    project = project_for_reading(request.user, project_id).obj
    return _download(
        exports.milestones_ical(project),
        "text/calendar; charset=utf-8",
        f"{project.key}-milestones.ics",
    )


@login_required
@require_GET
def risks_export(request: AuthedHttpRequest, project_id: int, fmt: str) -> HttpResponse:
    """The risk register as CSV or XLSX: the risks app's own export, from the dashboard."""
    if fmt not in exports.RISK_FORMATS:
        raise Http404("Export the risks as csv or xlsx.")
    access = access_project(request.user, project_id, action=ProjectAction.VIEW_RISKS)
    return exports.risks_export(access.obj, fmt, with_money=sees_money(access))


def _table(project: Any, fmt: str, title: str, columns: Any, rows: Any) -> HttpResponse:
    slug = title.lower().replace(" ", "-")
    if fmt == "csv":
        body = exports.to_csv(columns, rows)
        return _download(body, "text/csv; charset=utf-8", f"{project.key}-{slug}-{today()}.csv")
    return _download(
        exports.to_xlsx(title, columns, rows),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{project.key}-{slug}-{today()}.xlsx",
    )


@login_required
@require_GET
def budget_lines_export(request: AuthedHttpRequest, project_id: int, fmt: str) -> HttpResponse:
    """The budget lines with their monthly plan and expenses (those who see the money)."""
    if fmt not in exports.TABLE_FORMATS:
        raise Http404("Export the budget lines as csv or xlsx.")
    project = access_project(request.user, project_id, action=ProjectAction.VIEW_MONEY).obj
    rows = exports.budget_line_rows(project)
    return _table(project, fmt, "Budget lines", exports.BUDGET_LINE_COLUMNS, rows)


@login_required
@require_GET
def time_entries_export(request: AuthedHttpRequest, project_id: int, fmt: str) -> HttpResponse:
    """Every time entry with its rate and cost (those who see the money)."""
    if fmt not in exports.TABLE_FORMATS:
        raise Http404("Export the time entries as csv or xlsx.")
    project = access_project(request.user, project_id, action=ProjectAction.VIEW_MONEY).obj
    rows = exports.time_entry_rows(project)
    return _table(project, fmt, "Time entries", exports.TIME_ENTRY_COLUMNS, rows)
