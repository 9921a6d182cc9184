"""Reads for change requests: the fetcher, the list, the change log, the plan as the impact
engine sees it, the scope-creep measure, and the hook through which risks name affected risks.

Each read costs a fixed number of queries, however many change requests or tasks there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.fields.json import KT
from django.http import Http404

from projects.access import checked, with_my_role
from projects.changes import proposal as change_proposal
from projects.models import (
    Baseline,
    BaselineTask,
    ChangeRequest,
    ChangeRequestEvent,
    ChangeStatus,
    Project,
    Task,
)
from projects.schedule.input import load_plan, schedule_input
from projects.schedule.network import TaskId
from tpm.access import Access
from tpm.models import User
from tpm.roles import ProjectAction

PENDING_STATUSES = (ChangeStatus.SUBMITTED, ChangeStatus.UNDER_REVIEW)
_ZERO = Decimal("0.00")


# -- fetching ------------------------------------------------------------------------------------


def change_requests_for(user: User) -> QuerySet[ChangeRequest]:
    """Change requests of live projects the user has a role in, with `my_role`."""
    return with_my_role(
        ChangeRequest.objects.filter(project__deleted_at__isnull=True), user, "project"
    )


def access_change_request(
    user: User, change_request_id: int, *, action: ProjectAction = ProjectAction.VIEW
) -> Access[ChangeRequest]:
    """One change request with its project, and the user's role, in one query.

    Outside the user's projects: 404; visible but the role does not allow `action`: 403.
    """
    change_request = (
        change_requests_for(user)
        .select_related("project__organisation", "requested_by", "decided_by", "baseline")
        .filter(pk=change_request_id)
        .first()
    )
    return checked(change_request, action, "change request")


def project_change_request(project: Project, number: int) -> ChangeRequest:
    """A change request of a project the caller already fetched (CR-<number>); else 404."""
    change_request = (
        ChangeRequest.objects.filter(project=project, number=number)
        .select_related("requested_by", "decided_by", "implemented_by", "baseline")
        .first()
    )
    if change_request is None:
        raise Http404("No such change request in this project.")
    change_request.project = project  # keeps the organisation loaded
    return change_request


# -- lists ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeFilters:
    status: str = ""  # "", "open" (draft and pending) or a ChangeStatus
    priority: str = ""


def project_change_requests(
    *, project: Project, filters: ChangeFilters | None = None
) -> QuerySet[ChangeRequest]:
    """The project's change requests, newest first, with the people shown in the list and the
    analysed finish-date change as `finish_slip` (working days, text; None until analysed)."""
    filters = filters or ChangeFilters()
    queryset = (
        ChangeRequest.objects.filter(project=project)
        .select_related("requested_by", "decided_by")
        .annotate(finish_slip=KT("impact__finish_slip_days"))
        .defer("proposal", "impact")  # large JSON: the list shows one number of it
    )
    if filters.status == "open":
        queryset = queryset.filter(status__in=(ChangeStatus.DRAFT, *PENDING_STATUSES))
    elif filters.status in ChangeStatus.values:
        queryset = queryset.filter(status=filters.status)
    if filters.priority:
        queryset = queryset.filter(priority=filters.priority)
    return queryset.order_by("-number")


def change_log(*, change_request: ChangeRequest) -> QuerySet[ChangeRequestEvent]:
    return change_request.events.select_related("actor").order_by("at", "pk")


def project_change_log(*, project: Project, limit: int = 50) -> QuerySet[ChangeRequestEvent]:
    """The latest events of every change request of the project, newest first."""
    return (
        ChangeRequestEvent.objects.filter(change_request__project=project)
        .select_related("actor", "change_request")
        .order_by("-at", "-pk")[:limit]
    )


# -- the plan as the impact engine sees it -------------------------------------------------------


def impact_plan(project: Project) -> change_proposal.Plan:
    """The stored plan with names, effort and planned cost (the queries of one reschedule)."""
    plan = load_plan(project)
    facts: dict[TaskId, change_proposal.TaskFacts] = {
        task.pk: change_proposal.TaskFacts(task.name, task.effort_hours, task.cost)
        for task in plan.tasks
    }
    return change_proposal.Plan(input=schedule_input(plan), facts=facts)


def task_choices(project: Project) -> list[tuple[int, str]]:
    """(id, "1.2 Design") for the proposal editor's task pickers, in outline order."""
    rows = (
        Task.objects.alive()
        .filter(project=project)
        .order_by("outline_key", "pk")
        .values_list("pk", "wbs_code", "name")
    )
    return [(pk, f"{code} {name}".strip()) for pk, code, name in rows]


# -- scope creep ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeCreep:
    """Work added since the first baseline, and how much of it came through approved changes."""

    baseline: Baseline | None  # the first baseline; None: nothing to measure against yet
    added_tasks: int = 0
    added_effort: Decimal = _ZERO
    approved_tasks: int = 0  # of the added tasks, those an implemented change request created
    approved_effort: Decimal = _ZERO

    @property
    def unapproved_tasks(self) -> int:
        return self.added_tasks - self.approved_tasks

    @property
    def unapproved_effort(self) -> Decimal:
        return self.added_effort - self.approved_effort

    @property
    def creep_share(self) -> Decimal | None:
        """The share of added effort (or of added tasks, without effort) no change approved."""
        if self.added_effort:
            return (self.unapproved_effort / self.added_effort * 100).quantize(Decimal("1"))
        if self.added_tasks:
            return (Decimal(self.unapproved_tasks) / self.added_tasks * 100).quantize(Decimal("1"))
        return None


def created_by_changes(project_ids: Iterable[int]) -> dict[int, set[int]]:
    """Per project, the ids of tasks that implemented change requests created (one query)."""
    created: dict[int, set[int]] = {}
    rows = ChangeRequestEvent.objects.filter(
        change_request__project_id__in=list(project_ids), to_status=ChangeStatus.IMPLEMENTED
    ).values_list("change_request__project_id", "data")
    for project_id, data in rows:
        ids = (data or {}).get("created_tasks", {})
        created.setdefault(project_id, set()).update(int(pk) for pk in ids.values())
    return created


def scope_creep(*, project: Project) -> ScopeCreep:
    """Tasks (leaves) and effort in the plan but not in the first baseline, against those that
    approved change requests added. Four queries."""
    first = Baseline.objects.filter(project=project).order_by("created_at", "pk").first()
    if first is None:
        return ScopeCreep(baseline=None)
    baselined = BaselineTask.objects.filter(baseline=first, task__isnull=False).values("task_id")
    added = list(
        Task.objects.alive()
        .filter(project=project, is_summary=False)
        .exclude(pk__in=baselined)
        .values_list("pk", "effort_hours")
    )
    approved_ids = created_by_changes([project.pk]).get(project.pk, set())
    approved = [(pk, effort) for pk, effort in added if pk in approved_ids]
    return ScopeCreep(
        baseline=first,
        added_tasks=len(added),
        added_effort=sum((effort or _ZERO for _, effort in added), _ZERO),
        approved_tasks=len(approved),
        approved_effort=sum((effort or _ZERO for _, effort in approved), _ZERO),
    )


# -- counts for the list header and the dashboards -----------------------------------------------


def status_counts(project_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per project, how many change requests are in each status (one query)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        ChangeRequest.objects.filter(project_id__in=list(project_ids))
        .values("project_id", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["project_id"], {})[row["status"]] = row["count"]
    return counts


# -- affected risks: the risks app answers through this hook (projects never imports risks) ----


@dataclass(frozen=True)
class AffectedRisk:
    id: int
    ref: str
    title: str
    score: int | None
    url: str
    task_ids: tuple[int, ...]


AffectedRisksProvider = Callable[[Project, list[int]], list[AffectedRisk]]
_risk_providers: list[AffectedRisksProvider] = []


def register_affected_risks(provider: AffectedRisksProvider) -> None:
    """Called by an app above projects (risks) to answer "which risks touch these tasks"."""
    if provider not in _risk_providers:
        _risk_providers.append(provider)


def affected_risks(project: Project, impact: dict[str, Any] | None) -> list[AffectedRisk]:
    """Risks linked to the tasks the analysed change affects (none without an analysis)."""
    task_ids = [int(pk) for pk in (impact or {}).get("affected_task_ids", [])]
    if not task_ids:
        return []
    found: list[AffectedRisk] = []
    for provider in _risk_providers:
        found.extend(provider(project, task_ids))
    return found
