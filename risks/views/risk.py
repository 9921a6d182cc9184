"""One risk: raise it, read it, edit it, reassess it, respond with tasks of the plan, link it.

Members and managers (ProjectAction.EDIT_RISKS) write; a response action is a task of the plan,
so adding one also needs ProjectAction.PLAN. Forms are plain POSTs that redirect back, or
re-render with 422 (errors) or 409 (someone else saved first).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.models import Project
from projects.plan.forms import task_label
from projects.plan.views.pickers import QUERY_LENGTH
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.money import sees_money
from tpm.roles import ProjectAction

from .. import charts, scoring, selectors, services
from ..forms import ASSESSMENT, LinkForm, ReassessForm, ResponseForm, RiskForm, show_errors
from ..models import Risk
from .common import STALE, project_risk, risk_page, risk_project, risk_row

TAB = "risks"


def _detail_url(risk: Risk) -> str:
    return reverse("risk-detail", args=[risk.project_id, risk.pk])


def _render_form(
    request: AuthedHttpRequest,
    access: Access[Project],
    form: RiskForm,
    *,
    risk: Risk | None,
    status: int,
) -> HttpResponse:
    context = risk_page(access, TAB, form=form, risk=risk)
    return render(request, "risks/risk_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def risk_create(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = risk_project(request.user, project_id, write=True)
    project = access.obj
    if request.method == "GET":
        form = RiskForm(
            project=project, initial={"owner": request.user.pk}, money=sees_money(access)
        )
        return _render_form(request, access, form, risk=None, status=200)
    form = RiskForm(request.POST, project=project, money=sees_money(access))
    if form.is_valid():
        try:
            risk = services.risk_create(project=project, actor=request.user, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, f"Raised {risk.ref} “{risk.title}”, score {risk.score}.")
            return redirect(_detail_url(risk))
    return _render_form(request, access, form, risk=None, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request: AuthedHttpRequest, project_id: int, risk_id: int) -> HttpResponse:
    access = project_risk(request.user, project_id, risk_id, write=True)
    risk = access.obj
    project = risk.project
    page = access.on(project)
    if request.method == "GET":
        form = RiskForm(
            project=project,
            initial=model_to_dict(risk) | {"version": risk.version},
            money=sees_money(access),
        )
        return _render_form(request, page, form, risk=risk, status=200)
    form = RiskForm(request.POST, project=project, money=sees_money(access))
    if form.is_valid():
        try:
            services.risk_update(
                risk=risk,
                actor=request.user,
                version=form.cleaned_data.get("version"),
                **form.changes(),
            )
        except StaleVersionError as exc:
            fresh = RiskForm(
                project=project,
                money=sees_money(access),
                initial=model_to_dict(exc.current)
                | {"version": getattr(exc.current, "version", None)},
            )
            messages.error(request, STALE)
            return _render_form(request, page, fresh, risk=risk, status=409)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, f"Saved {risk.ref}.")
            return redirect(_detail_url(risk))
    return _render_form(request, page, form, risk=risk, status=422)


def _history_charts(history: list[tuple[date, int, int | None]]) -> tuple[Any, Any]:
    """The score and the residual score at each review (every review: a point is a few bytes)."""
    score = charts.line_chart(
        [(f"{day:%d %b %Y}", value) for day, value, _ in history], max_value=scoring.MAX_SCORE
    )
    residual = charts.line_chart(
        [(f"{day:%d %b %Y}", value or 0) for day, _, value in history],
        max_value=scoring.MAX_SCORE,
    )
    return score, residual


def _link_form(risk: Risk, data: Any = None) -> LinkForm:
    return LinkForm(data, tasks=selectors.linkable_tasks(risk=risk), project_id=risk.project_id)


def _render_detail(
    request: AuthedHttpRequest,
    access: Access[Risk],
    *,
    reassess: ReassessForm | None = None,
    response_form: ResponseForm | None = None,
    link_form: LinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    risk = access.obj
    project = risk.project
    detail = selectors.risk_detail(risk_id=risk.pk)
    detail.project = project
    context = risk_page(access.on(project), TAB)
    thresholds = context["thresholds"]
    history = selectors.risk_history(risk=detail)
    linked, linked_count = selectors.linked_tasks(risk=detail)
    today = timezone.localdate()
    can_edit = context["can_edit_risks"]
    score_chart, residual_chart = _history_charts(history)
    context.update(
        risk=detail,
        row=risk_row(detail, thresholds, today),
        impacts=[
            (dim.capitalize(), getattr(detail, f"impact_{dim}"), scoring.IMPACT_MEANINGS[dim])
            for dim in scoring.IMPACT_DIMENSIONS
        ],
        worst=detail.impacts().worst_dimensions(),
        probability_meaning=scoring.PROBABILITY_MEANINGS[detail.probability],
        reviews=selectors.latest_reviews(risk=detail),
        review_count=len(history),
        linked=linked,
        linked_more=linked_count - len(linked),
        score_chart=score_chart,
        residual_chart=residual_chart,
        expected_days=detail.expected_days(),
        issue=getattr(detail, "issue", None) if detail.status == "occurred" else None,
        reassess_form=reassess
        or (
            ReassessForm(
                money=sees_money(access),
                initial={
                    **{name: getattr(detail, name) for name in ASSESSMENT},
                    "reviewed_on": today,
                    "status": "assessed" if detail.status == "identified" else detail.status,
                    "next_review_on": detail.next_review_on,
                    "version": detail.version,
                },
            )
            if can_edit
            else None
        ),
        response_form=response_form or ResponseForm(),
        link_form=link_form or _link_form(detail),
    )
    return render(request, "risks/risk_detail.html", context, status=status)


@login_required
@require_GET
def risk_detail(request: AuthedHttpRequest, project_id: int, risk_id: int) -> HttpResponse:
    return _render_detail(request, project_risk(request.user, project_id, risk_id))


@login_required
@require_POST
def risk_reassess(request: AuthedHttpRequest, project_id: int, risk_id: int) -> HttpResponse:
    access = project_risk(request.user, project_id, risk_id, write=True)
    risk = access.obj
    form = ReassessForm(request.POST, money=sees_money(access))
    if form.is_valid():
        try:
            review = services.risk_reassess(
                risk=risk,
                actor=request.user,
                version=form.cleaned_data["version"],
                reviewed_on=form.cleaned_data["reviewed_on"],
                note=form.cleaned_data["note"],
                **form.changes(),
            )
        except StaleVersionError:
            messages.error(request, STALE)
            return _render_detail(request, access, status=409)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            residual = f", residual {review.residual_score}" if review.residual_score else ""
            messages.success(request, f"Reassessed {risk.ref}: score {review.score}{residual}.")
            return redirect(_detail_url(risk))
    return _render_detail(request, access, reassess=form, status=422)


@login_required
@require_POST
def risk_occurred(request: AuthedHttpRequest, project_id: int, risk_id: int) -> HttpResponse:
    access = project_risk(request.user, project_id, risk_id, write=True)
    risk = access.obj
    try:
        issue = services.risk_mark_occurred(
            risk=risk, actor=request.user, version=int(request.POST.get("version") or 0)
        )
    except StaleVersionError:
        messages.error(request, STALE)
        return _render_detail(request, access, status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_detail(request, access, status=422)
    messages.success(request, f"{risk.ref} occurred: it is now issue {issue.ref} of the RAID log.")
    return redirect(_detail_url(risk))


@login_required
@require_POST
def risk_response_add(request: AuthedHttpRequest, project_id: int, risk_id: int) -> HttpResponse:
    """A response action becomes a task of the plan (needs the right to plan)."""
    access = project_risk(request.user, project_id, risk_id, write=True)
    risk = access.obj
    if not access.can(ProjectAction.PLAN):
        raise PermissionDenied("Only the project's planners add tasks to the plan.")
    form = ResponseForm(request.POST)
    if form.is_valid():
        days: Decimal = form.cleaned_data["duration_days"]
        try:
            response = services.risk_add_response(
                risk=risk,
                actor=request.user,
                name=form.cleaned_data["name"],
                duration_minutes=int(days * 480),
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, f"Added “{response.task.name}” to the plan.")
            return redirect(_detail_url(risk))
    return _render_detail(request, access, response_form=form, status=422)


@login_required
@require_POST
def risk_link_add(request: AuthedHttpRequest, project_id: int, risk_id: int) -> HttpResponse:
    access = project_risk(request.user, project_id, risk_id, write=True)
    risk = access.obj
    form = _link_form(risk, request.POST)
    if form.is_valid():
        try:
            services.risk_link_task(risk=risk, actor=request.user, task=form.cleaned_data["task"])
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            return redirect(_detail_url(risk))
    return _render_detail(request, access, link_form=form, status=422)


@login_required
@require_POST
def risk_link_remove(
    request: AuthedHttpRequest, project_id: int, risk_id: int, task_id: int
) -> HttpResponse:
    risk = project_risk(request.user, project_id, risk_id, write=True).obj
    task = risk.linked_tasks.filter(pk=task_id).first()
    if task is not None:
        services.risk_unlink_task(risk=risk, actor=request.user, task=task)
    return redirect(_detail_url(risk))


@login_required
@require_GET
def risk_link_search(request: AuthedHttpRequest, project_id: int, risk_id: int) -> JsonResponse:
    """Tasks of the plan this risk may be linked to, by name or WBS code (for the picker)."""
    risk = project_risk(request.user, project_id, risk_id, write=True).obj
    query = " ".join(request.GET.get("q", "").split())[:QUERY_LENGTH]
    tasks = selectors.link_choices(risk=risk, query=query)
    results = [
        {"id": t.pk, "label": f"{task_label(t)}{' (milestone)' if t.is_milestone else ''}"}
        for t in tasks
    ]
    return JsonResponse({"results": results, "more": len(results) == selectors.LINK_CHOICES})
