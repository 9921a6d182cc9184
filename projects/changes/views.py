"""Change requests: the list (with the scope-creep measure and the change log), a draft and its
proposal editor, the computed impact, and the workflow buttons each role may use.

Everyone with a role reads them; the team (SUBMIT_CHANGES) raises, edits its drafts and submits;
approvers decide (projects/changes/services.py says who). A refused action re-renders the page
with the reason: 422 for a rule, 403 for a role, 409 for a stale version.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.access import access_project
from projects.baselines.selectors import plan_clock
from projects.baselines.views import Variance, variance
from projects.changes import selectors as change_selectors
from projects.changes import services as change_services
from projects.changes.forms import ChangeFilterForm, ChangeRequestForm, DecisionForm, OperationForm
from projects.changes.proposal import OperationKind
from projects.forms import apply_service_errors
from projects.models import ChangeRequest, ChangeStatus, Project
from projects.schedule.durations import minutes_to_days
from projects.views._common import project_page
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.money import sees_money
from tpm.roles import ProjectAction

TAB = "changes"
STALE = "Someone changed this change request while you were looking at it: here it is as it is now."
MOVED_SHOWN = 50


# -- presenting the stored impact ----------------------------------------------------------------


def _at(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _decimal(text: Any) -> Decimal:
    return Decimal(str(text or "0"))


@dataclass(frozen=True)
class ShiftRow:
    name: str
    milestone: bool
    before: datetime | None
    after: datetime | None
    slip: Variance


@dataclass(frozen=True)
class ImpactView:
    finish_before: datetime | None
    finish_after: datetime | None
    finish: Variance
    calendar_days: int
    path_before: list[str]
    path_after: list[str]
    critical_added: list[str]
    critical_removed: list[str]
    effort_change: Decimal
    effort_after: Decimal
    cost_change: Decimal
    cost_after: Decimal
    milestones: list[ShiftRow]
    moved: list[ShiftRow]
    moved_count: int
    added: list[str]
    removed: list[str]


def impact_view(impact: dict[str, Any] | None) -> ImpactView | None:
    if not impact:
        return None
    names = impact.get("names", {})

    def name(task_id: Any) -> str:
        return str(names.get(str(task_id), f"task {task_id}"))

    def row(shift: dict[str, Any]) -> ShiftRow:
        slip = shift.get("finish_slip_days")
        return ShiftRow(
            name=shift["name"],
            milestone=shift["milestone"],
            before=_at(shift.get("finish_before")),
            after=_at(shift.get("finish_after")),
            slip=variance(Decimal(slip) if slip is not None else None),
        )

    return ImpactView(
        finish_before=_at(impact.get("finish_before")),
        finish_after=_at(impact.get("finish_after")),
        finish=variance(_decimal(impact.get("finish_slip_days"))),
        calendar_days=int(impact.get("finish_slip_calendar_days", 0)),
        path_before=[name(i) for i in impact.get("critical_path_before", [])],
        path_after=[name(i) for i in impact.get("critical_path_after", [])],
        critical_added=[name(i) for i in impact.get("critical_added", [])],
        critical_removed=[name(i) for i in impact.get("critical_removed", [])],
        effort_change=_decimal(impact.get("effort_change")),
        effort_after=_decimal(impact.get("effort_after")),
        cost_change=_decimal(impact.get("cost_change")),
        cost_after=_decimal(impact.get("cost_after")),
        milestones=[row(shift) for shift in impact.get("milestones", [])],
        moved=[row(shift) for shift in impact.get("moved_tasks", [])[:MOVED_SHOWN]],
        moved_count=int(impact.get("moved_count", 0)),
        added=[name(i) for i in impact.get("added_tasks", [])],
        removed=[name(i) for i in impact.get("removed_tasks", [])],
    )


# -- the proposal in words ------------------------------------------------------------------------


def _picker(project: Project, change_request: ChangeRequest | None) -> list[tuple[str, str]]:
    """Tasks a proposal can name: the plan's, then the ones the proposal adds ("new-1")."""
    choices = [(str(pk), label) for pk, label in change_selectors.task_choices(project)]
    for operation in (change_request.proposal if change_request else None) or []:
        if operation.get("op") == OperationKind.ADD_TASK:
            choices.append((operation["key"], f"New: {operation['name']}"))
    return choices


def _days(minutes: int, per_day: int) -> str:
    amount = minutes_to_days(minutes, per_day)  # the durations rule: 2, 0.5, 1.25
    return f"{amount} day{'' if amount == 1 else 's'}"


def describe(
    operation: dict[str, Any], names: dict[str, str], per_day: int, *, money: bool = True
) -> str:
    """One operation in the TPM's words."""
    kind = operation.get("op")

    def name(ref: Any) -> str:
        return f"“{names.get(str(ref), f'task {ref}')}”"

    if kind == OperationKind.ADD_TASK:
        size = (
            "milestone"
            if operation.get("is_milestone")
            else _days(operation.get("duration_minutes", 0), per_day)
        )
        extras = [f"after {name(link['task'])}" for link in operation.get("predecessors", [])] + [
            f"before {name(link['task'])}" for link in operation.get("successors", [])
        ]
        if operation.get("effort_hours"):
            extras.append(f"{operation['effort_hours']} h of effort")
        if money and operation.get("cost"):
            extras.append(f"cost {operation['cost']}")
        tail = f", {', '.join(extras)}" if extras else ""
        return f"Add the task “{operation['name']}” ({size}){tail}"
    if kind == OperationKind.REMOVE_TASK:
        return f"Remove {name(operation['task'])} (with its subtasks and links)"
    if kind == OperationKind.CHANGE_DURATION:
        minutes = operation["duration_minutes"]
        return f"Change the duration of {name(operation['task'])} to {_days(minutes, per_day)}"
    link = f"{name(operation['predecessor'])} → {name(operation['successor'])}"
    if kind == OperationKind.REMOVE_LINK:
        return f"Remove the link {link}"
    lag = operation.get("lag_minutes", 0)
    detail = f"{operation.get('type', 'FS')}{f', lag {_days(lag, per_day)}' if lag else ''}"
    verb = "Link" if kind == OperationKind.ADD_LINK else "Change the link"
    return f"{verb} {link} ({detail})"


# -- rendering ------------------------------------------------------------------------------------


def _actions(access: Access[ChangeRequest], request: AuthedHttpRequest) -> dict[str, bool]:
    change_request = access.obj
    user, status = request.user, change_request.status
    submitter = change_services.can_submit(change_request, user, access.role)
    decider = change_services.can_decide(change_request, user, access.role)
    pending = status in (ChangeStatus.SUBMITTED, ChangeStatus.UNDER_REVIEW)
    return {
        "edit": submitter and status == ChangeStatus.DRAFT,
        "submit": submitter and status == ChangeStatus.DRAFT,
        "review": decider and status == ChangeStatus.SUBMITTED,
        "decide": decider and pending,
        "implement": decider and status == ChangeStatus.APPROVED,
        "analyse": access.can(ProjectAction.SUBMIT_CHANGES)
        and status not in (ChangeStatus.IMPLEMENTED, ChangeStatus.REJECTED),
        "waiting": pending and not decider,
    }


def _render_detail(
    request: AuthedHttpRequest,
    access: Access[ChangeRequest],
    *,
    status: int = 200,
    error: str = "",
    operation_form: OperationForm | None = None,
    decision_form: DecisionForm | None = None,
) -> HttpResponse:
    change_request = access.obj
    project = change_request.project
    per_day = plan_clock(project).minutes_per_day
    picker = _picker(project, change_request)
    names = dict(picker) | {
        str(key): str(name)
        for key, name in ((change_request.impact or {}).get("names") or {}).items()
    }
    names.update({key: label.removeprefix("New: ") for key, label in picker})
    actions = _actions(access, request)
    context = project_page(
        access.on(project),
        TAB,
        change=change_request,
        actions=actions,
        approvers=change_services._approver_words(change_request),
        error=error,
        impact=impact_view(change_request.impact),
        risks=change_selectors.affected_risks(project, change_request.impact),
        operations=[
            describe(operation, names, per_day, money=sees_money(access))
            for operation in change_request.proposal or []
        ],
        operation_form=operation_form
        or OperationForm(tasks=picker, minutes_per_day=per_day, initial={"type": "FS"}),
        operation_kinds=OperationKind,
        decision_form=decision_form
        or DecisionForm(
            initial={"version": change_request.version, "rebaseline": change_request.rebaseline}
        ),
        events=change_selectors.change_log(change_request=change_request),
    )
    return render(request, "projects/change_detail.html", context, status=status)


def _fetch(request: AuthedHttpRequest, project_id: int, number: int) -> Access[ChangeRequest]:
    access = access_project(request.user, project_id)
    return access.on(change_selectors.project_change_request(access.obj, number))


def _detail_url(change_request: ChangeRequest) -> str:
    return reverse("change-detail", args=[change_request.project_id, change_request.number])


def _not_editable(request: AuthedHttpRequest, access: Access[ChangeRequest]) -> HttpResponse | None:
    """Why this user cannot edit this draft now (403 for the role, 422 past draft), or None."""
    change_request = access.obj
    if not change_services.can_submit(change_request, request.user, access.role):
        raise PermissionDenied(
            f"Only the person who raised {change_request.key}, or a manager, edits it."
        )
    if change_request.status != ChangeStatus.DRAFT:
        error = (
            f"{change_request.key} is {change_request.get_status_display().lower()}; "
            "only a draft can be edited."
        )
        return _render_detail(request, access, status=422, error=error)
    return None


# -- the list --------------------------------------------------------------------------------------


@login_required
@require_GET
def project_changes(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id)
    project = access.obj
    form = ChangeFilterForm(request.GET)
    values = form.cleaned_data if form.is_valid() else {}
    filters = change_selectors.ChangeFilters(
        status=values.get("status", ""), priority=values.get("priority", "")
    )
    counts = change_selectors.status_counts([project.pk]).get(project.pk, {})
    context = project_page(
        access,
        TAB,
        changes=change_selectors.project_change_requests(project=project, filters=filters),
        filter_form=form,
        counts=[(label, counts.get(value, 0)) for value, label in ChangeStatus.choices],
        creep=change_selectors.scope_creep(project=project),
        log=change_selectors.project_change_log(project=project, limit=20),
        can_raise=access.can(ProjectAction.SUBMIT_CHANGES),
    )
    return render(request, "projects/change_list.html", context)


# -- drafts ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def change_create(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.SUBMIT_CHANGES)
    project = access.obj
    form = ChangeRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            change_request = change_services.change_request_create(
                project=project, actor=request.user, role=access.role, **form.values()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"Drafted {change_request.key}: now say what it changes in the plan."
            )
            return redirect(_detail_url(change_request))
    context = project_page(access, TAB, form=form, change=None)
    return render(
        request, "projects/change_form.html", context, status=422 if form.is_bound else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_edit(request: AuthedHttpRequest, project_id: int, number: int) -> HttpResponse:
    access = _fetch(request, project_id, number)
    change_request = access.obj
    project = change_request.project
    refused = _not_editable(request, access)
    if refused:
        return refused
    if request.method == "GET":
        form = ChangeRequestForm(initial=ChangeRequestForm.initial_for(change_request))
    else:
        form = ChangeRequestForm(request.POST)
        if form.is_valid():
            try:
                change_services.change_request_update(
                    change_request=change_request,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    role=access.role,
                    **form.values(),
                )
            except StaleVersionError:
                return _render_detail(request, access, status=409, error=STALE)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"Saved {change_request.key}.")
                return redirect(_detail_url(change_request))
    context = project_page(access.on(project), TAB, form=form, change=change_request)
    status = 422 if form.is_bound else 200
    return render(request, "projects/change_form.html", context, status=status)


@login_required
@require_GET
def change_detail(request: AuthedHttpRequest, project_id: int, number: int) -> HttpResponse:
    access = _fetch(request, project_id, number)
    return _render_detail(request, access)


def _save_proposal(
    request: AuthedHttpRequest, access: Access[ChangeRequest], proposal: list[dict[str, Any]]
) -> None:
    change_services.change_request_update(
        change_request=access.obj,
        actor=request.user,
        version=access.obj.version,
        role=access.role,
        proposal=proposal,
    )


def _next_key(proposal: list[dict[str, Any]]) -> str:
    used = {operation.get("key") for operation in proposal}
    number = 1
    while f"new-{number}" in used:
        number += 1
    return f"new-{number}"


@login_required
@require_POST
def change_operation_add(request: AuthedHttpRequest, project_id: int, number: int) -> HttpResponse:
    """Add one operation to a draft's proposal (the proposal editor)."""
    access = _fetch(request, project_id, number)
    change_request = access.obj
    project = change_request.project
    refused = _not_editable(request, access)
    if refused:
        return refused
    form = OperationForm(
        request.POST,
        tasks=_picker(project, change_request),
        minutes_per_day=plan_clock(project).minutes_per_day,
    )
    if form.is_valid():
        proposal = list(change_request.proposal or [])
        proposal.append(form.operation(_next_key(proposal)))
        try:
            _save_proposal(request, access, proposal)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Added to the proposal. Analyse it to see the impact.")
            return redirect(_detail_url(change_request) + "#proposal")
    return _render_detail(request, access, status=422, operation_form=form)


@login_required
@require_POST
def change_operation_remove(
    request: AuthedHttpRequest, project_id: int, number: int, index: int
) -> HttpResponse:
    access = _fetch(request, project_id, number)
    change_request = access.obj
    refused = _not_editable(request, access)
    if refused:
        return refused
    proposal = list(change_request.proposal or [])
    if not 0 <= index < len(proposal):
        raise Http404("No such operation in this proposal.")
    del proposal[index]
    try:
        _save_proposal(request, access, proposal)
    except ValidationError as exc:  # e.g. a later operation named the task this one added
        return _render_detail(
            request,
            access,
            status=422,
            error=" ".join(exc.messages),
        )
    messages.success(request, "Removed from the proposal.")
    return redirect(_detail_url(change_request) + "#proposal")


# -- analysis and the workflow ---------------------------------------------------------------------


@login_required
@require_POST
def change_analyse(request: AuthedHttpRequest, project_id: int, number: int) -> HttpResponse:
    access = _fetch(request, project_id, number)
    change_request = access.obj
    try:
        change_services.change_request_analyse(
            change_request=change_request, actor=request.user, role=access.role
        )
    except PermissionDenied as exc:
        return _render_detail(request, access, status=403, error=str(exc))
    except ValidationError as exc:
        return _render_detail(
            request,
            access,
            status=422,
            error=" ".join(exc.messages),
        )
    messages.success(request, f"Analysed {change_request.key} against the plan as it is now.")
    return redirect(_detail_url(change_request) + "#impact")


def _run(
    transition: str,
    access: Access[ChangeRequest],
    request: AuthedHttpRequest,
    form: DecisionForm,
) -> ChangeRequest:
    common: dict[str, Any] = {
        "change_request": access.obj,
        "actor": request.user,
        "version": form.cleaned_data["version"],
        "role": access.role,
    }
    comment = form.cleaned_data["comment"]
    if transition == "submit":
        return change_services.change_request_submit(**common, comment=comment)
    if transition == "review":
        return change_services.change_request_start_review(**common, comment=comment)
    if transition == "approve":
        return change_services.change_request_approve(
            **common, comment=comment, rebaseline=form.cleaned_data["rebaseline"]
        )
    if transition == "reject":
        return change_services.change_request_reject(**common, comment=comment)
    return change_services.change_request_implement(**common)


DONE = {
    "submit": "Submitted {key} for a decision.",
    "review": "{key} is under review.",
    "approve": "Approved {key} and applied it to the plan.",
    "reject": "Rejected {key}.",
    "implement": "Applied {key} to the plan.",
}


@login_required
@require_POST
def change_transition(
    request: AuthedHttpRequest, project_id: int, number: int, transition: str
) -> HttpResponse:
    """Submit, take under review, approve (and apply), reject or implement."""
    if transition not in change_services.TRANSITIONS:
        raise Http404("No such step in the workflow.")
    access = _fetch(request, project_id, number)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, access, status=422, decision_form=form)
    try:
        done = _run(transition, access, request, form)
    except PermissionDenied as exc:
        return _render_detail(request, access, status=403, error=str(exc))
    except StaleVersionError:
        return _render_detail(request, access, status=409, error=STALE)
    except ValidationError as exc:
        return _render_detail(request, access, status=422, error=" ".join(exc.messages))
    message = DONE[transition].format(key=done.key)
    if transition == "approve" and done.baseline_id:
        message += f" Saved the baseline “{done.baseline.name}”."  # type: ignore[union-attr]
    messages.success(request, message)
    return redirect(_detail_url(done))
