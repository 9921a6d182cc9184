"""The Scope tab: the charter (versioned, approved by its sponsor), objectives and KPIs with
their trend, deliverables with their acceptance checklist (issue 7).

Everyone with a role reads; managers write (ProjectAction.EDIT_SCOPE); members record
measurements (RECORD_QUALITY); the named acceptor accepts a deliverable and the sponsor
approves the charter. Forms redirect back, or re-render with 422 (errors) or 409 (stale).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.access import access_project
from projects.forms import apply_service_errors
from projects.models import (
    CHARTER_TEXT_FIELDS,
    AcceptanceCriterion,
    Deliverable,
    MeasurementSource,
    Objective,
    Project,
)
from projects.scope import charts as scope_charts
from projects.scope import selectors as scope_selectors
from projects.scope.access import fetch
from projects.scope.forms import (
    TEXT_LABELS,
    AcceptForm,
    CharterApproveForm,
    CharterForm,
    CriterionAddForm,
    DeliverableCreateForm,
    DeliverableForm,
    MeasurementForm,
    ObjectiveForm,
)
from projects.scope.services import charter as scope_services
from projects.scope.services import deliverables as deliverable_services
from projects.views._common import project_page
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction

TAB = "scope"
S = TypeVar("S", Objective, Deliverable)
STALE = (
    "This was changed by someone else while you were editing; nothing was overwritten. "
    "The page shows what it says now: make your change again if it is still needed."
)


def _save(
    request: AuthedHttpRequest, form: Any, update: Callable[..., Any], **target: Any
) -> int | None:
    """Run a versioned update from a valid edit form: None once saved, else the status to
    answer with (409 stale, with a message; 422 with the service's errors on the form)."""
    try:
        update(
            actor=request.user,
            version=form.cleaned_data.get("version"),
            **target,
            **form.changes(),
        )
    except StaleVersionError:
        messages.error(request, STALE)
        return 409
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return 422
    return None


def scope_page(access: Access[Project], **extra: Any) -> dict[str, Any]:
    return project_page(
        access,
        TAB,
        can_edit_scope=access.can(ProjectAction.EDIT_SCOPE),
        can_record=access.can(ProjectAction.RECORD_QUALITY),
        can_accept=access.can(ProjectAction.ACCEPT_DELIVERABLES),
        **extra,
    )


def _in_project(access: Access[S], project_id: int) -> Access[S]:
    if access.obj.project_id != project_id:
        raise Http404("Not in this project.")
    return access


def _scope_url(project: Project | int) -> str:
    return reverse("project-scope", args=[getattr(project, "pk", project)])


# --- the tab ----------------------------------------------------------------------------------


@login_required
@require_GET
def project_scope(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id)
    project = access.obj
    charter = scope_selectors.charter_of(project)
    today = timezone.localdate()
    deliverables = list(scope_selectors.deliverables(project))
    context = scope_page(
        access,
        charter=charter,
        charter_texts=[
            (TEXT_LABELS[name], getattr(charter, name) if charter else "")
            for name in CHARTER_TEXT_FIELDS
        ],
        objectives=list(scope_selectors.objectives(project)),
        deliverables=[(d, d.is_overdue(today)) for d in deliverables],
        today=today,
    )
    return render(request, "projects/scope.html", context)


# --- charter ----------------------------------------------------------------------------------


def _charter_initial(charter: Any) -> dict[str, Any]:
    if charter is None:
        return {}
    return {name: getattr(charter, name) for name in CHARTER_TEXT_FIELDS} | {
        "sponsor": charter.sponsor_id,
        "stakeholders": [p.pk for p in charter.stakeholders.all()],
        "version": charter.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def charter_edit(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.EDIT_SCOPE)
    project = access.obj
    charter = scope_selectors.charter_of(project)
    if request.method == "GET":
        form = CharterForm(project=project, initial=_charter_initial(charter))
        return render(request, "projects/charter_form.html", scope_page(access, form=form))
    form = CharterForm(request.POST, project=project)
    status = 422
    if form.is_valid():
        try:
            saved = scope_services.charter_save(
                project=project,
                actor=request.user,
                version=form.cleaned_data.get("version"),
                **form.changes(),
            )
        except StaleVersionError:
            messages.error(request, STALE)
            form = CharterForm(
                project=project, initial=_charter_initial(scope_selectors.charter_of(project))
            )
            status = 409
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            number = saved.current_version.number if saved.current_version else 1
            messages.success(request, f"Saved the charter as version {number}.")
            return redirect(_scope_url(project))
    context = scope_page(access, form=form)
    return render(request, "projects/charter_form.html", context, status=status)


@login_required
@require_POST
def charter_approve(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id).obj
    charter = scope_selectors.charter_of(project)
    form = CharterApproveForm(request.POST)
    if charter is None or not form.is_valid():
        messages.error(request, "There is no charter version to approve.")
        return redirect(_scope_url(project))
    try:
        approved = scope_services.charter_approve(
            charter=charter,
            actor=request.user,
            version_number=form.cleaned_data["version_number"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"You approved version {approved.number} of the charter.")
    return redirect(_scope_url(project))


@login_required
@require_GET
def charter_history(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id)
    project = access.obj
    charter = scope_selectors.charter_of(project)
    versions = list(scope_selectors.charter_versions(charter)) if charter else []
    rows = [
        (
            version,
            [(TEXT_LABELS[name], version.content.get(name, "")) for name in CHARTER_TEXT_FIELDS],
        )
        for version in versions
    ]
    context = scope_page(access, charter=charter, rows=rows)
    return render(request, "projects/charter_history.html", context)


# --- objectives -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.EDIT_SCOPE)
    project = access.obj
    if request.method == "GET":
        form = ObjectiveForm(project=project, initial={"owner": request.user.pk})
        return render(request, "projects/objective_form.html", scope_page(access, form=form))
    form = ObjectiveForm(request.POST, project=project)
    if form.is_valid():
        try:
            objective = scope_services.objective_create(
                project=project, actor=request.user, **form.changes()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Added the objective “{objective.title}”.")
            return redirect(_scope_url(project))
    context = scope_page(access, form=form)
    return render(request, "projects/objective_form.html", context, status=422)


def _objective(
    request: AuthedHttpRequest, project_id: int, objective_id: int, **kw: Any
) -> Access[Objective]:
    return _in_project(fetch(Objective, request.user, objective_id, **kw), project_id)


def _objective_chart(objective: Objective, measurements: list) -> scope_charts.TrendChart:
    return scope_charts.trend_chart(
        {"measured": [(m.measured_at, float(m.value)) for m in measurements]},
        lines={
            "baseline": float(objective.baseline_value),
            "target": float(objective.target_value),
        },
    )


def _render_objective(
    request: AuthedHttpRequest,
    access: Access[Objective],
    *,
    form: MeasurementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    objective = access.obj
    measurements = list(scope_selectors.objective_measurements(objective))
    context = scope_page(
        access.on(objective.project),
        objective=objective,
        measurements=list(reversed(measurements)),
        chart=_objective_chart(objective, measurements),
        form=form or MeasurementForm(),
        linked=list(objective.deliverables.order_by("number")),
    )
    return render(request, "projects/objective_detail.html", context, status=status)


@login_required
@require_GET
def objective_detail(request: AuthedHttpRequest, project_id: int, objective_id: int):
    return _render_objective(request, _objective(request, project_id, objective_id))


@login_required
@require_POST
def objective_measure(request: AuthedHttpRequest, project_id: int, objective_id: int):
    access = _objective(request, project_id, objective_id, action=ProjectAction.RECORD_QUALITY)
    objective = access.obj
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            scope_services.objective_measure(
                objective=objective,
                actor=request.user,
                source=MeasurementSource.MANUAL,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Recorded {form.cleaned_data['value']} {objective.unit}.")
            return redirect("objective-detail", project_id, objective.pk)
    return _render_objective(request, access, form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: AuthedHttpRequest, project_id: int, objective_id: int):
    access = _objective(request, project_id, objective_id, action=ProjectAction.EDIT_SCOPE)
    objective = access.obj
    project = objective.project
    if request.method == "GET":
        form = ObjectiveForm(project=project, initial=_objective_initial(objective))
        context = scope_page(access.on(project), form=form, objective=objective)
        return render(request, "projects/objective_form.html", context)
    form = ObjectiveForm(request.POST, project=project)
    status: int | None = 422
    if form.is_valid():
        status = _save(request, form, scope_services.objective_update, objective=objective)
        if status is None:
            messages.success(request, f"Saved the objective “{objective.title}”.")
            return redirect("objective-detail", project_id, objective.pk)
        if status == 409:  # show the objective as it is now, with its current version
            objective.refresh_from_db()
            form = ObjectiveForm(project=project, initial=_objective_initial(objective))
    context = scope_page(access.on(project), form=form, objective=objective)
    return render(request, "projects/objective_form.html", context, status=status or 422)


def _objective_initial(objective: Objective) -> dict[str, Any]:
    return {
        name: getattr(objective, name)
        for name in ObjectiveForm.base_fields
        if name not in ("deliverables", "owner")
    } | {
        "owner": objective.owner_id,
        "deliverables": list(objective.deliverables.values_list("pk", flat=True)),
    }


@login_required
@require_POST
def objective_delete(request: AuthedHttpRequest, project_id: int, objective_id: int):
    objective = _objective(request, project_id, objective_id, action=ProjectAction.EDIT_SCOPE).obj
    scope_services.objective_delete(objective=objective, actor=request.user)
    messages.success(request, f"Removed the objective “{objective.title}”.")
    return redirect(_scope_url(project_id))


# --- deliverables -----------------------------------------------------------------------------


def _deliverable(
    request: AuthedHttpRequest, project_id: int, pk: int, **kw: Any
) -> Access[Deliverable]:
    return _in_project(fetch(Deliverable, request.user, pk, **kw), project_id)


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_create(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.EDIT_SCOPE)
    project = access.obj
    if request.method == "GET":
        form = DeliverableCreateForm(project=project, initial={"owner": request.user.pk})
        return render(request, "projects/deliverable_form.html", scope_page(access, form=form))
    form = DeliverableCreateForm(request.POST, project=project)
    if form.is_valid():
        try:
            deliverable = deliverable_services.deliverable_create(
                project=project, actor=request.user, **form.changes()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Added {deliverable.key} “{deliverable.name}”.")
            return redirect("deliverable-detail", project.pk, deliverable.pk)
    context = scope_page(access, form=form)
    return render(request, "projects/deliverable_form.html", context, status=422)


def _render_deliverable(
    request: AuthedHttpRequest,
    access: Access[Deliverable],
    *,
    criterion_form: CriterionAddForm | None = None,
    accept_form: AcceptForm | None = None,
    status: int = 200,
) -> HttpResponse:
    deliverable = access.obj
    detail = scope_selectors.deliverable_detail(deliverable.pk)
    criteria = list(detail.criteria.all())
    context = scope_page(
        access.on(deliverable.project),
        deliverable=detail,
        criteria=criteria,
        open_criteria=[c for c in criteria if not c.is_met],
        open_gates=[g for g in detail.quality_gates.all() if not g.is_cleared],
        is_acceptor=detail.acceptor_id == request.user.pk,
        criterion_form=criterion_form or CriterionAddForm(),
        accept_form=accept_form or AcceptForm(initial={"version": detail.version}),
        overdue=detail.is_overdue(timezone.localdate()),
    )
    return render(request, "projects/deliverable_detail.html", context, status=status)


@login_required
@require_GET
def deliverable_detail(request: AuthedHttpRequest, project_id: int, deliverable_id: int):
    return _render_deliverable(request, _deliverable(request, project_id, deliverable_id))


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_edit(request: AuthedHttpRequest, project_id: int, deliverable_id: int):
    access = _deliverable(request, project_id, deliverable_id, action=ProjectAction.EDIT_SCOPE)
    deliverable = access.obj
    project = deliverable.project
    accepted = deliverable.status == "accepted"
    if request.method == "GET":
        initial = _deliverable_initial(deliverable)
        form = DeliverableForm(project=project, accepted=accepted, initial=initial)
        context = scope_page(access.on(project), form=form, deliverable=deliverable)
        return render(request, "projects/deliverable_form.html", context)
    form = DeliverableForm(request.POST, project=project, accepted=accepted)
    status: int | None = 422
    if form.is_valid():
        status = _save(
            request, form, deliverable_services.deliverable_update, deliverable=deliverable
        )
        if status is None:
            messages.success(request, f"Saved {deliverable.key}.")
            return redirect("deliverable-detail", project_id, deliverable.pk)
        if status == 409:  # show the deliverable as it is now, with its current version
            deliverable.refresh_from_db()
            initial = _deliverable_initial(deliverable)
            form = DeliverableForm(project=project, accepted=accepted, initial=initial)
    context = scope_page(access.on(project), form=form, deliverable=deliverable)
    return render(request, "projects/deliverable_form.html", context, status=status or 422)


def _deliverable_initial(deliverable: Deliverable) -> dict[str, Any]:
    return {
        "name": deliverable.name,
        "description": deliverable.description,
        "owner": deliverable.owner_id,
        "due_date": deliverable.due_date,
        "status": deliverable.status,
        "acceptor": deliverable.acceptor_id,
        "milestone": deliverable.milestone_id,
        "tasks": list(deliverable.tasks.values_list("pk", flat=True)),
        "version": deliverable.version,
    }


@login_required
@require_POST
def deliverable_delete(request: AuthedHttpRequest, project_id: int, deliverable_id: int):
    deliverable = _deliverable(
        request, project_id, deliverable_id, action=ProjectAction.EDIT_SCOPE
    ).obj
    deliverable_services.deliverable_delete(deliverable=deliverable, actor=request.user)
    messages.success(request, f"Removed {deliverable.key} “{deliverable.name}”.")
    return redirect(_scope_url(project_id))


@login_required
@require_POST
def deliverable_criterion_add(request: AuthedHttpRequest, project_id: int, deliverable_id: int):
    access = _deliverable(request, project_id, deliverable_id, action=ProjectAction.EDIT_SCOPE)
    deliverable = access.obj
    form = CriterionAddForm(request.POST)
    if form.is_valid():
        try:
            deliverable_services.acceptance_criterion_add(
                deliverable=deliverable, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("deliverable-detail", project_id, deliverable.pk)
    return _render_deliverable(request, access, criterion_form=form, status=422)


@login_required
@require_POST
def deliverable_criterion_set(
    request: AuthedHttpRequest, project_id: int, deliverable_id: int, criterion_id: int
) -> HttpResponse:
    """Tick or untick a checklist item (the team: members and managers)."""
    criterion = fetch(
        AcceptanceCriterion, request.user, criterion_id, action=ProjectAction.RECORD_QUALITY
    ).obj
    access = _deliverable(request, project_id, deliverable_id)
    deliverable = access.obj
    if criterion.deliverable_id != deliverable.pk:
        raise Http404("No such criterion on this deliverable.")
    try:
        deliverable_services.acceptance_criterion_set(
            criterion=criterion,
            actor=request.user,
            version=int(request.POST.get("version") or 0),
            is_met=request.POST.get("is_met") == "on",
        )
    except StaleVersionError:
        messages.error(request, STALE)
        return _render_deliverable(request, access, status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_deliverable(request, access, status=422)
    return redirect("deliverable-detail", project_id, deliverable.pk)


@login_required
@require_POST
def deliverable_accept(request: AuthedHttpRequest, project_id: int, deliverable_id: int):
    access = _deliverable(
        request, project_id, deliverable_id, action=ProjectAction.ACCEPT_DELIVERABLES
    )
    deliverable = access.obj
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            deliverable_services.deliverable_accept(
                deliverable=deliverable,
                actor=request.user,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except StaleVersionError:
            messages.error(request, STALE)
            return _render_deliverable(request, access, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"You accepted {deliverable.key} “{deliverable.name}”.")
            return redirect("deliverable-detail", project_id, deliverable.pk)
    return _render_deliverable(request, access, accept_form=form, status=422)
