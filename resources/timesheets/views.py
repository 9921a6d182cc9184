"""The weekly timesheet ("Timesheet" in the top bar) and each project's approvals page.

The timesheet is one form: a row per task, a column per day; "Save" stores the week as drafts,
"Save and submit" also sends it for approval. A refused post re-renders with status 422, what
was typed kept and each problem next to its cell. No money appears on these pages: members log
time without seeing rates or costs.

Approvals (ProjectAction.APPROVE_TIME): the project's time waiting for approval, by person and
week; approve, send back with a reason, or reopen approved time with a reason.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from projects.access import access_project, with_my_role
from projects.models import Project
from projects.views._common import no_organisation, project_page
from resources.timesheets import grid
from resources.timesheets import selectors as time_selectors
from resources.timesheets import services as time_services
from resources.timesheets.forms import DecisionForm, task_ids, week_from
from tpm.access import Access
from tpm.http import AuthedHttpRequest
from tpm.models import User
from tpm.roles import PROJECT_PERMISSIONS, ProjectAction

APPROVING_ROLES = [
    r for r, acts in PROJECT_PERMISSIONS.items() if ProjectAction.APPROVE_TIME in acts
]


def _week_url(monday: Any, extra: str = "") -> str:
    return f"{reverse('timesheet')}?week={monday.isoformat()}{extra}"


def _approvals_waiting(user: User, organisation: Any) -> list[tuple[Project, int]]:
    """Projects of the organisation where the user approves time and someone waits (2 queries)."""
    mine = with_my_role(Project.objects.alive(), user)
    projects = list(mine.filter(organisation=organisation, my_role__in=APPROVING_ROLES))
    counts = time_selectors.pending_by_project(projects)
    return [(p, counts[p.pk]) for p in projects if counts.get(p.pk)]


def _render_week(
    request: AuthedHttpRequest,
    monday: Any,
    *,
    extra: set[int],
    typed: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    assert request.membership is not None
    organisation = request.membership.organisation
    week = time_selectors.timesheet_week(
        person=request.user,
        organisation=organisation,
        monday=monday,
        extra_task_ids=extra,
        typed=typed,
        errors=errors,
        find=request.GET.get("find", "").strip()[:100],
    )
    errors = errors or {}
    context = {
        "nav": "timesheet",
        "week": week,
        "day_labels": [grid.day_label(d) for d in week.grid.days],
        "today": timezone.localdate(),
        "extra": ",".join(map(str, sorted(extra)[: time_selectors.ADD_LIMIT])),
        "errors": errors,
        "approvals": _approvals_waiting(request.user, organisation),
    }
    return render(request, "resources/timesheet.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def timesheet(request: AuthedHttpRequest) -> HttpResponse:
    membership = request.membership
    if not membership:
        return no_organisation(request)
    source = request.POST if request.method == "POST" else request.GET
    monday = week_from(source.get("week"))
    extra = task_ids(source.getlist("add") + source.getlist("tasks"))
    if request.method == "GET":
        return _render_week(request, monday, extra=extra)
    rows = task_ids(request.POST.getlist("rows"))
    typed = {k: str(v) for k, v in request.POST.items() if k[:2] in ("h-", "n-")}
    cells, problems = grid.read_cells(typed, rows, grid.week_days(monday))
    try:
        if problems:
            raise ValidationError({p.key: [p.message] for p in problems})
        changes = time_services.timesheet_save(
            person=request.user,
            organisation=membership.organisation,
            monday=monday,
            cells=cells,
            actor=request.user,
        )
        submitted = None
        if request.POST.get("action") == "submit":
            submitted = time_services.timesheet_submit(
                person=request.user,
                organisation=membership.organisation,
                monday=monday,
                actor=request.user,
            )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _render_week(request, monday, extra=extra, typed=typed, errors=errors, status=422)
    label = time_services.week_label(monday)
    if submitted:
        hours = sum(submitted.values(), Decimal(0))
        projects = ", ".join(sorted(p.key for p in submitted))
        messages.success(
            request,
            f"Submitted {grid.hours_text(hours)} h for the {label} for approval ({projects}).",
        )
    else:
        messages.success(
            request, f"Saved the {label}." if changes else f"Nothing changed in the {label}."
        )
    return redirect(_week_url(monday))


# Approvals --------------------------------------------------------------------------------


def _render_approvals(
    request: AuthedHttpRequest,
    access: Access[Project],
    *,
    status: str,
    form: DecisionForm | None = None,
    http_status: int = 200,
) -> HttpResponse:
    project = access.obj
    since = timezone.localdate() - timedelta(weeks=12) if status == "approved" else None
    groups = time_selectors.approval_groups(
        project=project, status=time_selectors.APPROVAL_STATUSES[status], since=since
    )
    context = project_page(
        access,
        "timesheet-approvals",
        status=status,
        groups=groups,
        form=form,
        failed=form.data.get("person", "") + "-" + form.data.get("week", "") if form else "",
    )
    return render(request, "resources/timesheet_approvals.html", context, status=http_status)


@login_required
@require_http_methods(["GET"])
def time_approvals(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.APPROVE_TIME)
    status = request.GET.get("status", "submitted")
    if status not in time_selectors.APPROVAL_STATUSES:
        status = "submitted"
    return _render_approvals(request, access, status=status)


_DONE = {
    "approve": "Approved {hours} h of {person}'s time ({week}).",
    "reject": "Sent {hours} h of {person}'s time back ({week}); they were told why.",
    "reopen": "Reopened {hours} h of {person}'s approved time ({week}); they were told why.",
}


@login_required
@require_POST
def time_decision(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.APPROVE_TIME)
    project = access.obj
    form = DecisionForm(request.POST)
    back = "approved" if request.POST.get("decision") == "reopen" else "submitted"
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        return _render_approvals(request, access, status=back, form=form, http_status=422)
    data = form.cleaned_data
    person = User.objects.filter(pk=data["person"]).first()
    if person is None:
        messages.error(request, "No such person.")
        return _render_approvals(request, access, status=back, form=form, http_status=422)
    common: dict[str, Any] = {
        "project": project,
        "person": person,
        "monday": data["week"],
        "actor": request.user,
        "entry_ids": form.entry_ids(),
    }
    try:
        if data["decision"] == "approve":
            result = time_services.time_approve(**common)
        elif data["decision"] == "reject":
            result = time_services.time_reject(reason=data["reason"], **common)
        else:
            result = time_services.time_reopen(reason=data["reason"], **common)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_approvals(request, access, status=back, form=form, http_status=422)
    messages.success(
        request,
        _DONE[data["decision"]].format(
            hours=grid.hours_text(result.hours),
            person=person.display_name,
            week=time_services.week_label(data["week"]),
        ),
    )
    return redirect(f"{reverse('time-approvals', args=[project.pk])}?status={back}")
