"""The workload heat map (people x weeks), its drill-down and the levelling preview.

Every member of the organisation sees the heat map (the pool is the organisation's). The
levelling preview proposes delays only for tasks of projects where the viewer may plan
(ProjectAction.PLAN); applying re-computes the proposal and goes through the scheduling
service (resources/workload/services.py).
"""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from projects.views._common import is_htmx
from resources.access import access_resource
from resources.models import Resource
from resources.workload import selectors as workload_selectors
from resources.workload.engine import WeekLoad
from resources.workload.forms import WorkloadFilterForm
from resources.workload.levelling import Granularity
from resources.workload.services import levelling_apply
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.models import Organisation
from tpm.roles import OrgAction
from tpm.views.common import current_organisation_required

NAV = "workload"
STALE = (
    "A task changed while you were looking at the proposal; nothing was applied. "
    "Here is the proposal for the plan as it is now."
)


def load_class(week: WeekLoad) -> str:
    """The heat map's colour band of a week (see partials/workload_styles.html)."""
    percent = week.load_percent
    if week.over_allocated:
        return "load-over"
    if percent is None or not week.assigned_hours:
        return "load-none"
    return "load-full" if percent > 80 else "load-mid" if percent > 40 else "load-low"


def _cells(row: workload_selectors.PersonRow, url_pattern: str) -> str:
    """A row's week cells as HTML, built here rather than by a template loop: a page holds
    thousands and each is one plain link (the drill-down; frontend/work.js loads it in place),
    so the cell markup stays small and cheap. Only the name is text from people: escaped once.
    """
    cells = []
    name = escape(row.name)
    person_url = url_pattern.replace("/0/", f"/{row.resource_id}/", 1)
    for week in row.load.weeks:
        percent = week.load_percent
        if percent is not None:
            text = f"{percent:.0f}%"
        else:
            text = f"{week.assigned_hours:.0f} h" if week.assigned_hours else "\u2013"
        over = ", over-allocated" if week.over_allocated else ""
        label = (
            f"{name}, week of {week.week:%-d %b}: {week.assigned_hours:.1f} of "
            f"{week.capacity_hours:.1f} hours{over}"
        )
        url = person_url.replace("MONDAY", week.week.isoformat())
        cells.append(
            f'<td><a class="{load_class(week)}" href="{url}" aria-label="{label}">{text}</a></td>'
        )
    # safe: numbers, dates, our URLs and the escaped name
    return mark_safe("".join(cells))


def _page_number(request: AuthedHttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


@current_organisation_required(OrgAction.VIEW)
@require_GET
def workload(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    projects = workload_selectors.visible_projects(organisation, request.user)
    form = WorkloadFilterForm(request.GET or None, organisation=organisation, projects=projects)
    filters = form.filters()
    page = workload_selectors.workload_page(
        organisation,
        request.user,
        filters,
        page=_page_number(request),
        per_page=workload_selectors.PEOPLE_PER_PAGE,
    )
    url_pattern = reverse("workload-cell", args=[0, "MONDAY"])
    rows = [(row, _cells(row, url_pattern)) for row in page.rows]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": NAV,
        "organisation": organisation,
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),  # the filters, for the page links
    }
    template = "resources/partials/workload_grid.html" if is_htmx(request) else None
    return render(request, template or "resources/workload.html", context)


def _resource(request: AuthedHttpRequest, resource_id: int) -> Resource:
    resource = access_resource(request.user, resource_id).obj
    if not resource.is_labour:
        raise Http404("Only people have a workload.")
    return resource


@login_required
@require_GET
def workload_cell(request: AuthedHttpRequest, resource_id: int, week: str) -> HttpResponse:
    """The tasks behind one person's week (an htmx fragment; a small page without htmx)."""
    resource = _resource(request, resource_id)
    try:
        monday = date.fromisoformat(week)
    except ValueError as error:
        raise Http404("No such week.") from error
    detail = workload_selectors.workload_cell(resource.organisation, request.user, resource, monday)
    context = {"nav": NAV, "detail": detail, "resource": resource}
    if is_htmx(request):
        return render(request, "resources/partials/workload_cell.html", context)
    return render(request, "resources/workload_cell.html", context)


def _granularity(request: AuthedHttpRequest) -> Granularity:
    """Level per ISO week (as the heat map shows) or, with by=day, per day."""
    return "day" if (request.GET.get("by") or request.POST.get("by")) == "day" else "week"


def _render_preview(
    request: AuthedHttpRequest,
    resource: Resource,
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    granularity = _granularity(request)
    preview = workload_selectors.levelling_preview(
        resource.organisation, request.user, resource, granularity=granularity
    )
    rows = _proposal_rows(preview)
    context: dict[str, Any] = {
        "nav": NAV,
        "resource": resource,
        "preview": preview,
        "proposals": rows,
        "granularity": granularity,
        "error": error,
        "versions": preview.versions,
    }
    return render(request, "resources/workload_levelling.html", context, status=status)


def _proposal_rows(preview: workload_selectors.LevellingPreview) -> list[dict[str, Any]]:
    rows = []
    for proposal in preview.result.proposals:
        key, wbs, name = preview.names.get(proposal.task_id, ("", "", proposal.name))
        rows.append(
            {
                "proposal": proposal,
                "label": f"{key} {wbs} {name}".strip(),
                "version": preview.versions.get(proposal.task_id),
                "value": f"{proposal.task_id}:{proposal.new_start.isoformat()}",
            }
        )
    return rows


@login_required
@require_GET
def workload_levelling(request: AuthedHttpRequest, resource_id: int) -> HttpResponse:
    return _render_preview(request, _resource(request, resource_id))


def _parse_choices(request: AuthedHttpRequest) -> tuple[dict[int, date], dict[int, int]]:
    expected: dict[int, date] = {}
    versions: dict[int, int] = {}
    for value in request.POST.getlist("change"):
        try:
            task_text, day_text = value.split(":", 1)
            task_id = int(task_text)
            expected[task_id] = date.fromisoformat(day_text)
            versions[task_id] = int(request.POST.get(f"version-{task_id}", ""))
        except ValueError as error:
            raise ValidationError(f"{value!r} is not a proposed change.") from error
    return expected, versions


@login_required
@require_POST
def workload_levelling_apply(request: AuthedHttpRequest, resource_id: int) -> HttpResponse:
    resource = _resource(request, resource_id)
    if not any(
        workload_selectors.may_plan(p["my_role"])
        for p in workload_selectors.visible_projects(resource.organisation, request.user)
    ):
        raise PermissionDenied("You do not plan any project of this organisation.")
    try:
        expected, versions = _parse_choices(request)
        updated = levelling_apply(
            organisation=resource.organisation,
            resource=resource,
            actor=request.user,
            expected=expected,
            versions=versions,
            granularity=_granularity(request),
        )
    except StaleVersionError:
        return _render_preview(request, resource, status=409, error=STALE)
    except ValidationError as error:
        return _render_preview(request, resource, status=422, error=" ".join(error.messages))
    messages.success(
        request, f"Delayed {len(updated)} task(s) of {resource.name}; the plans were rescheduled."
    )
    return redirect("workload")
