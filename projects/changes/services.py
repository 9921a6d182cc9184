"""Writes for change requests: draft, submit, review, approve (applying the change to the plan and
saving a new baseline when asked), reject, implement, and (re)analyse. Each is one transaction.

The workflow:

    draft -> submitted -> under review -> approved -> implemented
                      \\-> approved / rejected (a decision straight from submitted)

Who may do what: the team (ProjectAction.SUBMIT_CHANGES) drafts and submits (a draft is edited
by the person who raised it, or by someone who may approve); deciding needs
ProjectAction.APPROVE_CHANGES *and* a role the request names in `required_approver_roles`.
Every transition is a ChangeRequestEvent (the change log) and a history entry.

The impact analysis (projects/changes/impact.py, the scheduling engine on the plan and on a copy
edited by the proposal, projects/changes/proposal.py) is computed on submit, on demand, and again
when the change is applied, so the plan the change lands on is the plan it was checked against;
a proposal that no longer fits (a loop, a task that is gone) is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from projects.access import with_my_role
from projects.baselines import services as baseline_services
from projects.changes import impact as change_impact
from projects.changes import proposal as change_proposal
from projects.changes.selectors import impact_plan
from projects.models import (
    Baseline,
    ChangePriority,
    ChangeRequest,
    ChangeRequestEvent,
    ChangeStatus,
    Dependency,
    Project,
    Task,
)
from projects.plan import services as task_services
from projects.plan.changes import LinkChanges, TaskChanges
from projects.schedule.network import TaskId
from tpm import history
from tpm.concurrency import lock_current_version, lock_row, lock_rows
from tpm.models import Organisation, User
from tpm.roles import ProjectAction, ProjectRole, project_role_can

EDITABLE_FIELDS = (
    "title",
    "description",
    "reason",
    "priority",
    "proposal",
    "rebaseline",
    "required_approver_roles",
)
# Which statuses each transition leaves from, and where it goes.
TRANSITIONS: dict[str, tuple[tuple[ChangeStatus, ...], ChangeStatus]] = {
    "submit": ((ChangeStatus.DRAFT,), ChangeStatus.SUBMITTED),
    "review": ((ChangeStatus.SUBMITTED,), ChangeStatus.UNDER_REVIEW),
    "approve": ((ChangeStatus.SUBMITTED, ChangeStatus.UNDER_REVIEW), ChangeStatus.APPROVED),
    "reject": ((ChangeStatus.SUBMITTED, ChangeStatus.UNDER_REVIEW), ChangeStatus.REJECTED),
    "implement": ((ChangeStatus.APPROVED,), ChangeStatus.IMPLEMENTED),
}


_VERBS = {
    "submit": "submitted",
    "review": "taken under review",
    "approve": "approved",
    "reject": "rejected",
    "implement": "implemented",
}


# -- who may do what -----------------------------------------------------------------------------


def role_of(project: Project, user: User, role: str | None = None) -> str | None:
    """The user's effective role: `role` when the caller has it (the fetcher's Access), else
    the one a scoped queryset annotated on the project, else one query."""
    if role:
        return role
    annotated = getattr(project, "my_role", None)
    if annotated is not None:
        return str(annotated)
    row = with_my_role(Project.objects.filter(pk=project.pk), user).values("my_role").first()
    return row["my_role"] if row else None


def can_submit(change_request: ChangeRequest, user: User, role: str | None = None) -> bool:
    role = role_of(change_request.project, user, role)
    if not project_role_can(role, ProjectAction.SUBMIT_CHANGES):
        return False
    return change_request.requested_by_id == user.pk or project_role_can(
        role, ProjectAction.APPROVE_CHANGES
    )


def can_decide(change_request: ChangeRequest, user: User, role: str | None = None) -> bool:
    """May approve or reject: APPROVE_CHANGES and a role the request names as approver."""
    role = role_of(change_request.project, user, role)
    return project_role_can(role, ProjectAction.APPROVE_CHANGES) and (
        role in (change_request.required_approver_roles or [ProjectRole.MANAGER])
    )


def _approver_words(change_request: ChangeRequest) -> str:
    roles = change_request.required_approver_roles or [ProjectRole.MANAGER]
    labels = [str(ProjectRole(role).label).lower() for role in roles if role in ProjectRole]
    return " or ".join(labels) or "manager"


def _require_decider(change_request: ChangeRequest, user: User, role: str | None) -> None:
    if not can_decide(change_request, user, role):
        raise PermissionDenied(
            f"Only a project {_approver_words(change_request)} can approve or reject "
            f"{change_request.key}."
        )


def _require_submitter(change_request: ChangeRequest, user: User, role: str | None) -> None:
    if not can_submit(change_request, user, role):
        raise PermissionDenied(
            f"Only the person who raised {change_request.key} or a project manager can change it."
        )


# -- helpers -------------------------------------------------------------------------------------


def _record(change_request: ChangeRequest, actor: User, action: str, changes: dict) -> None:
    history.record(
        actor=actor,
        organisation=change_request.project.organisation,
        target=change_request,
        action=action,
        scope=f"project:{change_request.project_id}",
        changes=changes,
    )


def _event(
    change_request: ChangeRequest,
    actor: User,
    from_status: str,
    to_status: str,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> ChangeRequestEvent:
    return ChangeRequestEvent.objects.create(
        change_request=change_request,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        data=data or {},
    )


def _operations(proposal: Any) -> list[change_proposal.Operation]:
    try:
        return change_proposal.parse_proposal(proposal)
    except change_proposal.ProposalError as error:
        raise ValidationError({"proposal": str(error)}) from error


def _check_roles(roles: Any) -> list[str]:
    if not isinstance(roles, list) or not roles:
        raise ValidationError({"required_approver_roles": "Name at least one project role."})
    unknown = [role for role in roles if role not in ProjectRole.values]
    if unknown:
        raise ValidationError(
            {"required_approver_roles": f"Not project roles: {', '.join(map(str, unknown))}."}
        )
    if not any(project_role_can(role, ProjectAction.APPROVE_CHANGES) for role in roles):
        raise ValidationError(
            {"required_approver_roles": "None of these roles may approve changes: add manager."}
        )
    return list(dict.fromkeys(roles))


def _check_approver_change(
    project: Project, actor: User, roles: Any, role: str | None = None
) -> None:
    """Only someone who may approve changes chooses who approves."""
    if roles is None or list(roles) == [ProjectRole.MANAGER.value]:
        return
    if not project_role_can(role_of(project, actor, role), ProjectAction.APPROVE_CHANGES):
        raise PermissionDenied("Only a project manager chooses who approves a change.")


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    if "title" in fields:
        fields["title"] = str(fields["title"]).strip()
        if not fields["title"]:
            raise ValidationError({"title": "Say in a few words what changes."})
    if "priority" in fields and fields["priority"] not in ChangePriority.values:
        raise ValidationError({"priority": f"“{fields['priority']}” is not a priority."})
    if "proposal" in fields:
        fields["proposal"] = change_proposal.proposal_json(_operations(fields["proposal"]))
    if "required_approver_roles" in fields:
        fields["required_approver_roles"] = _check_roles(fields["required_approver_roles"])
    return fields


def _move(
    change_request: ChangeRequest, transition: str, actor: User, comment: str = "", **data: Any
) -> ChangeRequestEvent:
    """Check that `transition` may leave the current status, then take it (not saved)."""
    sources, target = TRANSITIONS[transition]
    if change_request.status not in sources:
        allowed = " or ".join(ChangeStatus(status).label.lower() for status in sources)
        raise ValidationError(
            f"{change_request.key} is {change_request.get_status_display().lower()}; "
            f"only {allowed} requests can be {_VERBS[transition]}."
        )
    before = change_request.status
    change_request.status = target
    change_request.version += 1
    change_request.save()
    _record(change_request, actor, transition, {"status": [before, target.value]})
    return _event(change_request, actor, before, target, comment, data)


def _analyse(change_request: ChangeRequest) -> change_impact.Analysis:
    """Run the impact analysis on the plan as it is now and store it on the request."""
    operations = _operations(change_request.proposal)
    try:
        analysis = change_impact.analyse(impact_plan(change_request.project), operations)
    except change_proposal.ProposalError as error:
        raise ValidationError({"proposal": str(error)}) from error
    change_request.impact = analysis.impact.to_json()
    change_request.analysed_at = timezone.now()
    return analysis


# -- drafting ------------------------------------------------------------------------------------


@transaction.atomic
def change_request_create(
    *,
    project: Project,
    actor: User,
    title: str,
    description: str = "",
    reason: str = "",
    priority: str = ChangePriority.MEDIUM,
    proposal: Sequence[dict[str, Any]] = (),
    rebaseline: bool = False,
    required_approver_roles: Sequence[str] | None = None,
    role: str | None = None,
) -> ChangeRequest:
    """A new draft, numbered CR-<n> in its project. `role`: the actor's, when the caller has it
    (every service here takes it; without it the role is looked up)."""
    if not project_role_can(role_of(project, actor, role), ProjectAction.SUBMIT_CHANGES):
        raise PermissionDenied("Your role in this project does not allow raising change requests.")
    _check_approver_change(project, actor, required_approver_roles, role)
    fields = _clean(
        {
            "title": title,
            "description": description.strip(),
            "reason": reason.strip(),
            "priority": priority,
            "proposal": list(proposal),
            "rebaseline": rebaseline,
            "required_approver_roles": list(required_approver_roles or [ProjectRole.MANAGER]),
        }
    )
    Project.objects.select_for_update().filter(pk=project.pk).first()  # numbers in turn
    last = ChangeRequest.objects.filter(project=project).aggregate(last=Max("number"))["last"]
    change_request = ChangeRequest.objects.create(
        project=project, number=(last or 0) + 1, requested_by=actor, **fields
    )
    _record(change_request, actor, "created", {"title": [None, change_request.title]})
    _event(change_request, actor, "", ChangeStatus.DRAFT)
    return change_request


@transaction.atomic
def change_request_update(
    *,
    change_request: ChangeRequest,
    actor: User,
    version: int | None,
    role: str | None = None,
    **changes: Any,
) -> ChangeRequest:
    """Edit a draft (what, why, priority, the proposal); a stale version is a 409."""
    _require_submitter(change_request, actor, role)
    current = lock_current_version(change_request, version)
    current.project = change_request.project
    if current.status != ChangeStatus.DRAFT:
        raise ValidationError(
            f"{current.key} is {current.get_status_display().lower()}; only a draft can be edited."
        )
    _check_approver_change(current.project, actor, changes.get("required_approver_roles"), role)
    fields = _clean(dict(changes))
    before = history.snapshot(current, fields)
    for name, value in fields.items():
        setattr(current, name, value)
    diff = history.diff(before, history.snapshot(current, fields))
    if "proposal" in diff:
        current.impact, current.analysed_at = None, None  # the old analysis no longer applies
    current.version += 1
    current.save()
    if diff:
        _record(current, actor, "updated", diff)
    return current


@transaction.atomic
def change_request_analyse(
    *, change_request: ChangeRequest, actor: User, role: str | None = None
) -> ChangeRequest:
    """(Re)compute the impact on the plan as it is now; an implemented change keeps its own."""
    role = role_of(change_request.project, actor, role)
    if not project_role_can(role, ProjectAction.SUBMIT_CHANGES):
        raise PermissionDenied("Your role in this project does not allow analysing changes.")
    current = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    current.project = change_request.project
    if current.status in (ChangeStatus.IMPLEMENTED, ChangeStatus.REJECTED):
        raise ValidationError(
            f"{current.key} is {current.get_status_display().lower()}: its analysis is kept "
            "as it was decided."
        )
    _analyse(current)
    current.save(update_fields=["impact", "analysed_at", "updated_at"])
    return current


# -- the workflow --------------------------------------------------------------------------------


@transaction.atomic
def change_request_submit(
    *,
    change_request: ChangeRequest,
    actor: User,
    version: int | None,
    comment: str = "",
    role: str | None = None,
) -> ChangeRequest:
    """Send a draft for decision; the impact is computed now (a loop or a gone task refuses)."""
    _require_submitter(change_request, actor, role)
    current = lock_current_version(change_request, version)
    current.project = change_request.project
    _analyse(current)
    current.submitted_at = timezone.now()
    _move(current, "submit", actor, comment)
    return current


@transaction.atomic
def change_request_start_review(
    *,
    change_request: ChangeRequest,
    actor: User,
    version: int | None,
    comment: str = "",
    role: str | None = None,
) -> ChangeRequest:
    _require_decider(change_request, actor, role)
    current = lock_current_version(change_request, version)
    current.project = change_request.project
    _move(current, "review", actor, comment)
    return current


@transaction.atomic
def change_request_reject(
    *,
    change_request: ChangeRequest,
    actor: User,
    version: int | None,
    comment: str,
    role: str | None = None,
) -> ChangeRequest:
    _require_decider(change_request, actor, role)
    if not comment.strip():
        raise ValidationError({"comment": "Say why the change is rejected."})
    current = lock_current_version(change_request, version)
    current.project = change_request.project
    current.decided_by, current.decided_at = actor, timezone.now()
    current.decision_comment = comment.strip()
    _move(current, "reject", actor, comment.strip())
    return current


@transaction.atomic
def change_request_approve(
    *,
    change_request: ChangeRequest,
    actor: User,
    version: int | None,
    comment: str = "",
    apply: bool = True,
    rebaseline: bool | None = None,
    role: str | None = None,
) -> ChangeRequest:
    """Approve; by default apply the change to the plan at once (implemented), saving a new
    baseline in the same transaction when `rebaseline` (or the request) asks for one."""
    _require_decider(change_request, actor, role)
    current = lock_current_version(change_request, version)
    current.project = change_request.project
    _analyse(current)  # the plan may have moved since submission: check against it now
    current.decided_by, current.decided_at = actor, timezone.now()
    current.decision_comment = comment.strip()
    if rebaseline is not None:
        current.rebaseline = rebaseline
    _move(current, "approve", actor, comment.strip())
    if apply:
        _implement(current, actor)
    return current


@transaction.atomic
def change_request_implement(
    *, change_request: ChangeRequest, actor: User, version: int | None, role: str | None = None
) -> ChangeRequest:
    """Apply an approved change to the plan (and save the baseline it asks for)."""
    _require_decider(change_request, actor, role)
    current = lock_current_version(change_request, version)
    current.project = change_request.project
    if current.status != ChangeStatus.APPROVED:
        _move(current, "implement", actor)  # raises: says which status it is in
    _analyse(current)
    _implement(current, actor)
    return current


def _implement(change_request: ChangeRequest, actor: User) -> None:
    operations = _operations(change_request.proposal)
    created = apply_to_plan(change_request.project, operations, actor)
    if change_request.rebaseline:
        change_request.baseline = _save_baseline(change_request, actor)
    change_request.implemented_by, change_request.implemented_at = actor, timezone.now()
    _move(
        change_request,
        "implement",
        actor,
        created_tasks=created,
        baseline=change_request.baseline_id,
    )


def _save_baseline(change_request: ChangeRequest, actor: User) -> Baseline:
    stem = f"{change_request.key} {change_request.title}"[:110]
    name, counter = stem, 1
    taken = set(
        Baseline.objects.filter(project=change_request.project, name__startswith=stem)
        .values_list("name", flat=True)
        .iterator()
    )
    while name in taken:
        counter += 1
        name = f"{stem} ({counter})"
    return baseline_services.baseline_save(
        project=change_request.project,
        actor=actor,
        name=name,
        note=f"Saved when {change_request.key} was applied.",
    )


# -- applying a proposal to the real plan, through the plan's own services ------------------------


class _PlanWriter:
    def __init__(self, project: Project, actor: User) -> None:
        self.project, self.actor = project, actor
        self.created: dict[str, int] = {}

    def task(self, ref: TaskId) -> Task:
        pk = self.created[ref] if isinstance(ref, str) else ref
        task = (
            Task.objects.alive()
            .select_related("project")
            .filter(pk=pk, project__organisation_id=self.project.organisation_id)
            .first()
        )
        if task is None:
            raise ValidationError({"proposal": f"Task {ref} is no longer in the plan."})
        return task

    def link(self, predecessor: TaskId, successor: TaskId) -> Dependency:
        link = (
            Dependency.objects.select_related("successor__project")
            .filter(predecessor=self.task(predecessor), successor=self.task(successor))
            .first()
        )
        if link is None:
            raise ValidationError({"proposal": "A link the change removes is already gone."})
        return link

    def add_link(self, predecessor: Task, successor: Task, spec_type: str, lag: int) -> None:
        task_services.dependency_create(
            predecessor=predecessor,
            successor=successor,
            actor=self.actor,
            type=spec_type,
            lag_minutes=lag,
        )

    def add_task(self, operation: change_proposal.AddTask) -> None:
        parent = self.task(operation.parent_id) if operation.parent_id is not None else None
        task = task_services.task_create(
            project=self.project,
            actor=self.actor,
            name=operation.name,
            parent=parent,
            duration_minutes=operation.duration,
            is_milestone=operation.milestone,
            effort_hours=operation.effort_hours,
            cost=operation.cost,
        )
        self.created[operation.key] = task.pk
        for spec in operation.predecessors:
            self.add_link(self.task(spec.task_id), task, spec.type, spec.lag)
        for spec in operation.successors:
            self.add_link(task, self.task(spec.task_id), spec.type, spec.lag)

    def apply(self, operation: change_proposal.Operation) -> None:
        if isinstance(operation, change_proposal.AddTask):
            self.add_task(operation)
        elif isinstance(operation, change_proposal.RemoveTask):
            task_services.task_delete(task=self.task(operation.task_id), actor=self.actor)
        elif isinstance(operation, change_proposal.ChangeDuration):
            task = self.task(operation.task_id)
            task_services.task_update(
                task=task,
                actor=self.actor,
                version=task.version,
                changes=TaskChanges(duration_minutes=operation.duration),
            )
        elif isinstance(operation, change_proposal.AddLink):
            predecessor, successor = (
                self.task(operation.predecessor_id),
                self.task(operation.successor_id),
            )
            self.add_link(predecessor, successor, operation.type, operation.lag)
        elif isinstance(operation, change_proposal.RemoveLink):
            link = self.link(operation.predecessor_id, operation.successor_id)
            task_services.dependency_delete(link=link, actor=self.actor)
        else:
            link = self.link(operation.predecessor_id, operation.successor_id)
            task_services.dependency_update(
                link=link,
                actor=self.actor,
                version=link.version,
                changes=LinkChanges(type=operation.type, lag_minutes=operation.lag),
            )


@transaction.atomic
def apply_to_plan(
    project: Project, operations: Sequence[change_proposal.Operation], actor: User
) -> dict[str, int]:
    """Apply the operations in order with the task and link services (each reschedules, each is
    recorded in the plan's history); returns the ids of the tasks it created, by proposal key."""
    # New links take the organisation before the project (tpm/concurrency.py): take both now,
    # before the first task edit locks the project.
    lock_rows(Organisation, [project.organisation_id])
    lock_row(project)
    writer = _PlanWriter(project, actor)
    for operation in operations:
        writer.apply(operation)
    return writer.created
