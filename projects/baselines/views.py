"""Baselines: save the plan under a name, list and delete them, compare one with the plan now.

Everyone with a role in the project reads baselines and comparisons; planners
(ProjectAction.PLAN) save and delete them. Saving is a plain POST that redirects back to the
list (or re-renders it with 422); deleting asks for confirmation first.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from projects.access import access_project
from projects.baselines import compare as compare_engine
from projects.baselines import selectors as baseline_selectors
from projects.baselines import services as baseline_services
from projects.baselines.compare import TaskVariance
from projects.baselines.forms import BaselineSaveForm, CompareFilterForm
from projects.forms import apply_service_errors
from projects.models import Baseline, Project
from projects.views._common import project_page
from tpm.access import Access
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction

TAB = "baselines"


def _baseline(project: Project, baseline_id: int) -> Baseline:
    """A baseline of this project; one of another project is a 404 like a missing one."""
    baseline = Baseline.objects.filter(project=project, pk=baseline_id).first()
    if baseline is None:
        raise Http404("No such baseline in this project.")
    baseline.project = project  # keeps the user's role and the organisation already loaded
    return baseline


def _render_list(
    request: AuthedHttpRequest,
    access: Access[Project],
    *,
    form: BaselineSaveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_plan = access.can(ProjectAction.PLAN)
    context = project_page(
        access,
        TAB,
        baselines=baseline_selectors.project_baselines(project=access.obj),
        can_plan=can_plan,
        form=(form or BaselineSaveForm()) if can_plan else None,
    )
    return render(request, "projects/baselines.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_baselines(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """GET: the project's baselines; POST (planners): save the plan as a new baseline."""
    if request.method == "GET":
        return _render_list(request, access_project(request.user, project_id))
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    form = BaselineSaveForm(request.POST)
    if form.is_valid():
        try:
            baseline = baseline_services.baseline_save(
                project=project,
                actor=request.user,
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"Saved baseline “{baseline.name}” of {baseline.task_count} tasks."
            )
            return redirect(reverse("project-baselines", args=[project.pk]))
    return _render_list(request, access, form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def project_baseline_delete(
    request: AuthedHttpRequest, project_id: int, baseline_id: int
) -> HttpResponse:
    """GET: a confirmation page; POST: delete the baseline (the plan is untouched)."""
    access = access_project(request.user, project_id, action=ProjectAction.PLAN)
    project = access.obj
    baseline = _baseline(project, baseline_id)
    if request.method == "GET":
        context = project_page(access, TAB, baseline=baseline)
        return render(request, "projects/baseline_delete.html", context)
    baseline_services.baseline_delete(baseline=baseline, actor=request.user)
    messages.success(request, f"Deleted baseline “{baseline.name}”.")
    return redirect(reverse("project-baselines", args=[project.pk]))


# --- comparison --------------------------------------------------------------------------------


def _plural_days(days: Decimal) -> str:
    amount = abs(days).normalize()
    amount = amount.quantize(Decimal(1)) if amount == amount.to_integral() else amount
    return f"{amount} day{'' if amount == 1 else 's'}"


@dataclass(frozen=True)
class Variance:
    """A variance as the table shows it: words (“3 days late”) and a tone for its colour."""

    days: Decimal | None
    words: str
    tone: str  # "late", "early" or "" (on plan / unknown)


def variance(days: Decimal | None, *, later: str = "late", earlier: str = "early") -> Variance:
    if days is None:
        return Variance(None, "—", "")
    if days == 0:
        return Variance(days, "on plan", "")
    if days > 0:
        return Variance(days, f"{_plural_days(days)} {later}", "late")
    return Variance(days, f"{_plural_days(days)} {earlier}", "early")


@dataclass(frozen=True)
class CompareRow:
    kind: str
    wbs_code: str
    name: str
    depth: int
    is_milestone: bool
    is_summary: bool
    baseline_start: datetime | None
    baseline_finish: datetime | None
    current_start: datetime | None
    current_finish: datetime | None
    start: Variance
    finish: Variance
    duration: Variance


def compare_row(row: TaskVariance) -> CompareRow:
    entry = row.entry
    return CompareRow(
        kind=row.kind.value,
        wbs_code=entry.wbs_code,
        name=entry.name,
        depth=entry.wbs_code.count("."),
        is_milestone=entry.is_milestone,
        is_summary=entry.is_summary,
        baseline_start=row.baseline.start_at if row.baseline else None,
        baseline_finish=row.baseline.finish_at if row.baseline else None,
        current_start=row.current.start_at if row.current else None,
        current_finish=row.current.finish_at if row.current else None,
        start=variance(row.start_days),
        finish=variance(row.finish_days),
        duration=variance(row.duration_days, later="longer", earlier="shorter"),
    )


ROWS_PER_PAGE = 100  # a plan of 5,010 tasks was 3.6 MB of HTML; the figures stay whole


@login_required
@require_GET
def project_baseline_compare(
    request: AuthedHttpRequest, project_id: int, baseline_id: int
) -> HttpResponse:
    """The figures over every task, then a page of the rows the filter keeps (by default the
    changed ones, the biggest finish slip first)."""
    access = access_project(request.user, project_id)
    project = access.obj
    baseline = _baseline(project, baseline_id)
    comparison = baseline_selectors.baseline_comparison(baseline=baseline)
    result = comparison.result
    filters = CompareFilterForm(request.GET)
    show, order = filters.choice()
    summary = compare_engine.summarise(result.rows)
    page = Paginator(compare_engine.shown(result.rows, show, order), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    biggest = summary.biggest_slip
    context = project_page(
        access,
        TAB,
        baseline=baseline,
        comparison=comparison,
        finish=variance(result.project_finish_days),
        slipped=[compare_row(row) for row in result.slipped_milestones],
        summary=summary,
        biggest_slip=compare_row(biggest) if biggest else None,
        total_slip=variance(summary.total_slip_days),
        added_count=summary.added,
        removed_count=summary.removed,
        filter_form=filters,
        show=show.value,
        page=page,
        query=urlencode({"show": show.value, "sort": order.value}),
        rows=[compare_row(row) for row in page.object_list],
        minutes_per_day=comparison.minutes_per_day,
    )
    return render(request, "projects/baseline_compare.html", context)
