"""Applying a levelling proposal: each delayed task gets a start-no-earlier-than constraint.

The dates are never taken from the browser: the preview is computed again here, and only its
proposals for the tasks the manager ticked are applied, each through the scheduling service
(`projects.plan.services.task_update`), so successors move and the history records it. All of
them in one transaction: one refused task (a stale version, a role that may not plan it)
leaves the plan as it was.
"""

from collections.abc import Mapping
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from projects.access import with_my_role
from projects.models import ConstraintType, Project, Task
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.schedule.input import from_wall_clock, project_zone
from resources.models import Resource
from resources.workload.levelling import Granularity, Proposal
from resources.workload.selectors import levelling_preview
from tpm.concurrency import lock_rows
from tpm.models import Organisation, User
from tpm.roles import ProjectAction, project_role_can


def _chosen(proposals: Mapping[int, Proposal], expected: Mapping[int, date]) -> list[Proposal]:
    """The current proposals for the ticked tasks, refusing any that changed since shown."""
    chosen = []
    for task_id, new_start in expected.items():
        proposal = proposals.get(task_id)
        if proposal is None or proposal.new_start != new_start:
            raise ValidationError(
                "The plan changed since the proposal was shown: review the new proposal "
                "and apply it again."
            )
        chosen.append(proposal)
    return chosen


@transaction.atomic
def levelling_apply(
    *,
    organisation: Organisation,
    resource: Resource,
    actor: User,
    expected: Mapping[int, date],
    versions: Mapping[int, int],
    today: date | None = None,
    granularity: Granularity = "week",
) -> list[Task]:
    """Delay the ticked tasks (task id -> the new start the manager saw) as proposed."""
    if not expected:
        raise ValidationError("Tick at least one proposed change to apply.")
    preview = levelling_preview(organisation, actor, resource, today=today, granularity=granularity)
    chosen = _chosen({p.task_id: p for p in preview.result.proposals}, expected)
    tasks = {
        task.pk: task
        for task in with_my_role(Task.objects.alive(), actor, "project")
        .select_related("project")
        .filter(pk__in=[p.task_id for p in chosen], project__organisation=organisation)
    }
    # Several projects: take them all now, in id order, not one by one as the tasks come.
    lock_rows(Project, {task.project_id for task in tasks.values()})
    updated = []
    for proposal in chosen:
        task = tasks.get(proposal.task_id)
        if task is None or not project_role_can(task.my_role, ProjectAction.PLAN):
            raise PermissionDenied(f"You may not plan {proposal.name}.")
        zone = project_zone(task.project)
        start = from_wall_clock(datetime.combine(proposal.new_start, time(0)), zone)
        updated.append(
            task_services.task_update(
                task=task,
                actor=actor,
                version=versions.get(task.pk),
                changes=TaskChanges(constraint_type=ConstraintType.SNET, constraint_date=start),
            ).task
        )
    return updated
