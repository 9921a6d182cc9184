"""Writes to the plan: tasks and the links between them. Each public function is one transaction.

Every change that can move dates ends in `projects.schedule.services.project_reschedule`, inside
the same transaction. A link that would close a loop, in one plan or through others, is refused
naming the tasks in the loop. Edits say what they change with a typed dataclass
(projects/plan/changes.py: `TaskChanges`, `ProgressChanges`, `LinkChanges`).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projects.models import (
    Dependency,
    LinkType,
    Project,
    ProjectMembership,
    Task,
    TaskStatus,
    WorkCalendar,
)
from projects.plan.changes import PLAN_FIELDS as PLAN_FIELDS
from projects.plan.changes import PROGRESS_FIELDS as PROGRESS_FIELDS
from projects.plan.changes import LinkChanges, NotGiven, ProgressChanges, TaskChanges
from projects.quality import rules as quality_rules
from projects.schedule import link_graph
from projects.schedule import services as schedule_services
from projects.work import events as work_events
from tpm import history
from tpm.concurrency import lock_project_then, lock_row, lock_rows
from tpm.models import Membership, Organisation, User
from tpm.roles import OrgRole


def _scope(project: Project) -> str:
    return f"project:{project.pk}"


def _record(project: Project, actor: User | None, target: Any, action: str, changes: dict) -> None:
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=target,
        action=action,
        scope=_scope(project),
        changes=changes,
    )
    work_events.recorded(project, actor, target, action, changes)  # notifications (issue 4)


def _check_parent(project: Project, parent: Task | None) -> None:
    if parent is not None and (parent.project_id != project.pk or parent.deleted_at):
        raise ValidationError({"parent": "The parent task must be a task of the same project."})
    if parent is not None and parent.is_milestone:
        raise ValidationError({"parent": "A milestone cannot hold other tasks."})


@transaction.atomic
def task_create(
    *,
    project: Project,
    actor: User,
    name: str,
    parent: Task | None = None,
    duration_minutes: int = 480,
    is_milestone: bool = False,
    assignees: Iterable[User] = (),
    **fields: Any,
) -> Task:
    """Add a task at the end of its parent's children; the plan is renumbered and rescheduled."""
    lock_row(project)  # before any task row (tpm/concurrency.py: the one lock order)
    _check_parent(project, parent)
    _check_calendar(project, fields.get("calendar"))
    people = _check_assignees(project, assignees)
    siblings = Task.objects.alive().filter(project=project, parent=parent)
    last = siblings.order_by("-position").values_list("position", flat=True).first()
    task = Task(
        project=project,
        parent=parent,
        name=name.strip(),
        position=(last + 1) if last is not None else 0,
        duration_minutes=0 if is_milestone else duration_minutes,
        is_milestone=is_milestone,
        **fields,
    )
    task.full_clean(exclude=["wbs_code"])
    task.save()
    changes: dict[str, list] = {"name": [None, task.name]}
    if people:
        task.assignees.set(people)
        changes["assignees"] = [None, sorted(person.email for person in people)]
    schedule_services.renumber(project)
    schedule_services.project_reschedule(project=project)
    task.refresh_from_db()
    _record(project, actor, task, "created", changes)
    return task


def _check_calendar(project: Project, calendar: WorkCalendar | None) -> None:
    if calendar is not None and calendar.organisation_id != project.organisation_id:
        raise ValidationError({"calendar": "Choose a calendar of this organisation."})


def _check_assignees(project: Project, assignees: Iterable[User]) -> list[User]:
    """Only people with a role in the project (org admins have one everywhere) take work."""
    people = list({person.pk: person for person in assignees}.values())
    if not people:
        return []
    ids = [person.pk for person in people]
    with_role = set(
        ProjectMembership.objects.filter(project=project, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    ) | set(
        Membership.objects.filter(
            organisation_id=project.organisation_id, user_id__in=ids, role=OrgRole.ADMIN
        ).values_list("user_id", flat=True)
    )
    members = set(
        Membership.objects.filter(
            organisation_id=project.organisation_id, user_id__in=ids
        ).values_list("user_id", flat=True)
    )
    strangers = [p for p in people if p.pk not in with_role or p.pk not in members]
    if strangers:
        names = ", ".join(sorted(p.email for p in strangers))
        raise ValidationError(
            {"assignees": f"Only people with a role in this project take its work: {names}."}
        )
    return people


def _set_assignees(task: Task, assignees: Iterable[User]) -> dict[str, list]:
    people = _check_assignees(task.project, assignees)
    before = sorted(task.assignees.values_list("email", flat=True))
    after = sorted(person.email for person in people)
    if before == after:
        return {}
    task.assignees.set(people)
    return {"assignees": [before, after]}


def _check_link(predecessor: Task, successor: Task, link_type: str) -> None:
    if predecessor.pk == successor.pk:
        raise ValidationError({"successor": "A task cannot depend on itself."})
    if predecessor.project.organisation_id != successor.project.organisation_id:
        raise ValidationError({"predecessor": "Links stay within one organisation."})
    if link_type not in LinkType.values:
        raise ValidationError({"type": f"“{link_type}” is not a link type; use FS, SS, FF or SF."})
    if Dependency.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise ValidationError(
            {"predecessor": f"{successor.name} already follows {predecessor.name}."}
        )
    loop = link_graph.loop_through(predecessor, successor)
    if loop:
        names = [_loop_label(task, successor.project_id) for task in loop]
        raise ValidationError(
            {"predecessor": f"This link would close a loop: {' → '.join([*names, names[0]])}."}
        )


def _loop_label(task: Task, home_project_id: int) -> str:
    return task.name if task.project_id == home_project_id else f"{task.project.key}: {task.name}"


@transaction.atomic
def dependency_create(
    *,
    predecessor: Task,
    successor: Task,
    actor: User,
    type: str = LinkType.FS,
    lag_minutes: int = 0,
) -> Dependency:
    """Link two tasks and reschedule; a link that closes a loop is refused, naming the loop."""
    # Two links that close a loop together must not both pass the check: one at a time per
    # organisation (a loop may run through other projects), then the project as every writer.
    lock_rows(Organisation, [successor.project.organisation_id])
    lock_row(successor.project)
    _check_link(predecessor, successor, type)
    link = Dependency.objects.create(
        predecessor=predecessor, successor=successor, type=type, lag_minutes=lag_minutes
    )
    schedule_services.project_reschedule(project=successor.project)
    _record(
        successor.project,
        actor,
        link,
        "created",
        {"link": [None, f"{predecessor.name} {type} {successor.name}"], "lag": [None, lag_minutes]},
    )
    return link


@transaction.atomic
def dependency_delete(*, link: Dependency, actor: User) -> None:
    successor = link.successor
    lock_row(successor.project)
    _record(successor.project, actor, link, "deleted", {"link": [str(link), None]})
    link.delete()
    schedule_services.project_reschedule(project=successor.project)


@dataclass(frozen=True)
class TaskUpdated:
    """A task_update's outcome: the task as saved, and which tasks of its project the
    reschedule moved (`moved_ids`) or rewrote in any way (`changed_ids`: dates, floats,
    critical flags, summaries' roll-ups); both empty when the edit changed nothing."""

    task: Task
    moved_ids: frozenset[int] = frozenset()
    changed_ids: frozenset[int] = frozenset()


def _apply(task: Task, changes: dict[str, Any]) -> dict[str, list]:
    before = history.snapshot(task, changes)
    for name, value in changes.items():
        setattr(task, name, value)
    if task.is_milestone:
        task.duration_minutes = 0
    task.full_clean(exclude=["wbs_code", "project", "parent"])
    return history.diff(before, history.snapshot(task, changes))


def _check_summary_duration(task: Task, fields: dict[str, Any]) -> None:
    # The reschedule stores a summary's duration (the span of its tasks): another one sent
    # would be overwritten at once, so it is refused rather than silently dropped.
    wanted = fields.get("duration_minutes", task.duration_minutes)
    if task.is_summary and wanted != task.duration_minutes:
        raise ValidationError(
            {"duration_minutes": "A summary lasts as long as its tasks span: change those."}
        )


@transaction.atomic
def task_update(
    *, task: Task, actor: User, version: int | None, changes: TaskChanges
) -> TaskUpdated:
    """Change what the plan says about a task (a manager's edit); dates follow."""
    current = lock_project_then(task.project, task, version)
    fields = changes.given()
    assignees = fields.pop("assignees", None)
    _check_calendar(current.project, fields.get("calendar"))
    _check_summary_duration(current, fields)
    diff = _apply(current, fields)
    if assignees is not None:
        diff.update(_set_assignees(current, assignees))
    current.version += 1
    current.save()
    if not diff:
        return TaskUpdated(current)
    _record(current.project, actor, current, "updated", diff)
    rescheduled = schedule_services.project_reschedule(project=current.project)
    current.refresh_from_db()
    return TaskUpdated(current, rescheduled.moved, rescheduled.changed)


@transaction.atomic
def task_update_progress(
    *, task: Task, actor: User, version: int | None, changes: ProgressChanges
) -> Task:
    """Report progress. Done means 100% and an actual finish; started means an actual start."""
    current = lock_project_then(task.project, task, version)
    if current.is_summary:
        raise ValidationError(
            {"percent_complete": "A summary's progress comes from its tasks; report on those."}
        )
    fields = _progress_implied(current, changes.given())
    diff = _apply(current, fields)
    if (
        current.actual_start
        and current.actual_finish
        and current.actual_finish < current.actual_start
    ):
        raise ValidationError({"actual_finish": "The actual finish is before the actual start."})
    current.version += 1
    current.save()
    if diff:
        _record(current.project, actor, current, "updated", diff)
        schedule_services.project_reschedule(project=current.project)
        current.refresh_from_db()
    return current


def _implied_actual_start(task: Task, now: datetime) -> datetime:
    """When work began on a task reported as started without saying when.

    Like Microsoft Project, its scheduled start once that has come. A task taken up early in
    a project under way started now (a card moved to "In progress", as on a Jira board). But
    before the project's start nothing can be assumed: now would put the work before the
    plan begins, so the report must give the date (a 400 / form error on `actual_start`).
    """
    if task.start is None or task.start <= now:
        return task.start or now  # never scheduled: the report itself is the only clue
    first_day = task.project.start_date
    if first_day is None or first_day <= timezone.localdate(now):
        return now
    raise ValidationError(
        {
            "actual_start": f"“{task.project.name}” starts on {first_day.day} "
            f"{first_day:%b %Y}, so “{task.name}” cannot have started by itself: "
            "give the date work actually started."
        }
    )


def _progress_implied(current: Task, fields: dict[str, Any]) -> dict[str, Any]:
    """The report with what follows from it: done is 100%, an actual finish and nothing left;
    any progress is started, with an actual start."""
    now = timezone.now()
    if fields.get("status") == TaskStatus.COMPLETED or fields.get("percent_complete") == 100:
        fields.setdefault("status", TaskStatus.COMPLETED)
        fields.setdefault("percent_complete", 100)
        fields.setdefault("actual_finish", current.actual_finish or now)
        if current.status != TaskStatus.COMPLETED:
            # A gate not passed on the milestone or phase holds it back (issue 7).
            quality_rules.check_gates_allow_completion(current)
        if current.remaining_hours:
            fields.setdefault("remaining_hours", Decimal(0))  # done: nothing left to do
    if fields.get("percent_complete", 0) > 0 or fields.get("status") == TaskStatus.IN_PROGRESS:
        if "actual_start" not in fields:
            fields["actual_start"] = current.actual_start or _implied_actual_start(current, now)
        if fields.get("status", current.status) == TaskStatus.NOT_STARTED:
            fields["status"] = TaskStatus.IN_PROGRESS
    return fields


def _descendant_ids(task: Task) -> set[int]:
    rows = Task.objects.filter(project_id=task.project_id).values_list("pk", "parent_id")
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in rows:
        children[parent_id].append(pk)
    found: set[int] = set()
    stack = [task.pk]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


@transaction.atomic
def task_move(
    *, task: Task, actor: User, parent: Task | None, position: int, version: int | None
) -> Task:
    """Put a task under `parent` at `position` among its siblings (indent, outdent, reorder)."""
    current = lock_project_then(task.project, task, version)
    _check_parent(current.project, parent)
    if parent is not None and (parent.pk == current.pk or parent.pk in _descendant_ids(current)):
        raise ValidationError(
            {"parent": "A task cannot be moved under itself or its own subtasks."}
        )
    siblings = list(
        Task.objects.alive()
        .filter(project_id=current.project_id, parent=parent)
        .exclude(pk=current.pk)
        .order_by("position", "pk")
    )
    position = max(0, min(position, len(siblings)))
    siblings.insert(position, current)
    for index, sibling in enumerate(siblings):
        sibling.position = index
    old_code = current.wbs_code
    current.parent = parent
    current.version += 1
    current.save()
    Task.objects.bulk_update([s for s in siblings if s.pk != current.pk], ["position"])
    schedule_services.renumber(current.project)
    schedule_services.project_reschedule(project=current.project)
    current.refresh_from_db()
    _record(current.project, actor, current, "updated", {"wbs_code": [old_code, current.wbs_code]})
    return current


@transaction.atomic
def task_delete(*, task: Task, actor: User) -> None:
    """Soft-delete a task and its subtasks; their links no longer drive the plan."""
    lock_row(task.project)
    ids = {task.pk, *_descendant_ids(task)}
    Task.objects.filter(pk__in=ids).update(deleted_at=timezone.now())
    _record(task.project, actor, task, "deleted", {"name": [task.name, None]})
    schedule_services.renumber(task.project)
    schedule_services.project_reschedule(project=task.project)


@transaction.atomic
def dependency_update(
    *, link: Dependency, actor: User, version: int | None, changes: LinkChanges
) -> Dependency:
    """A new type and/or lag for a link; what is not given stays."""
    current = lock_project_then(link.successor.project, link, version)
    link_type = current.type if isinstance(changes.type, NotGiven) else changes.type
    lag_minutes = (
        current.lag_minutes if isinstance(changes.lag_minutes, NotGiven) else changes.lag_minutes
    )
    if link_type not in LinkType.values:
        raise ValidationError({"type": f"“{link_type}” is not a link type; use FS, SS, FF or SF."})
    before = {"type": current.type, "lag": current.lag_minutes}
    current.type, current.lag_minutes = link_type, lag_minutes
    current.version += 1
    current.save()
    project = current.successor.project
    after = {"type": link_type, "lag": lag_minutes}
    _record(project, actor, current, "updated", history.diff(before, after))
    schedule_services.project_reschedule(project=project)
    return current


SHIFTS = ("up", "down", "indent", "outdent")


def _siblings(project_id: int, parent_id: int | None) -> list[Task]:
    return list(
        Task.objects.alive()
        .filter(project_id=project_id, parent_id=parent_id)
        .order_by("position", "pk")
    )


@transaction.atomic
def task_shift(*, task: Task, actor: User, direction: str, version: int | None) -> Task:
    """The outline's buttons: move up or down among siblings, indent under the task above
    (which becomes a summary), or outdent to just after the current parent."""
    lock_row(task.project)  # the siblings are read under the lock task_move takes
    siblings = _siblings(task.project_id, task.parent_id)
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == task.pk)
    parent: Task | None = task.parent
    if direction == "up":
        if index == 0:
            raise ValidationError(f"{task.name} is already first under its parent.")
        position = index - 1
    elif direction == "down":
        if index == len(siblings) - 1:
            raise ValidationError(f"{task.name} is already last under its parent.")
        position = index + 1
    elif direction == "indent":
        if index == 0:
            raise ValidationError(f"{task.name} has no task above it at its level to go under.")
        parent = siblings[index - 1]
        position = len(_siblings(task.project_id, parent.pk))
    elif direction == "outdent":
        if parent is None:
            raise ValidationError(f"{task.name} is already at the top level.")
        uncles = _siblings(task.project_id, parent.parent_id)
        position = next(i for i, uncle in enumerate(uncles) if uncle.pk == parent.pk) + 1
        parent = parent.parent
    else:
        raise ValidationError(f"“{direction}” is not a move; use up, down, indent or outdent.")
    return task_move(task=task, actor=actor, parent=parent, position=position, version=version)


# Actual costs worked out elsewhere --------------------------------------------------------


@transaction.atomic
def task_actual_costs_set(
    *, project: Project, actual_costs: dict[int, Decimal | None], actor: User | None
) -> list[int]:
    """Store actual costs computed outside the plan (resources/timesheets/services.py: approved time
    x rate) on leaf tasks of `project`, then roll the summaries up. Summaries and ids of other
    projects are ignored; each change bumps the task's version (a form opened before it is
    stale, so it cannot write the old cost back) and is recorded in its history. Returns the
    ids of the tasks whose actual cost changed."""
    lock_row(project)  # rewrites task rows: the project first, as every writer of the plan
    tasks = list(Task.objects.alive().filter(project=project))
    changed = []
    for task in tasks:
        if task.is_summary or task.pk not in actual_costs:
            continue
        before = history.snapshot(task, ["actual_cost"])
        task.actual_cost = actual_costs[task.pk]
        diff = history.diff(before, history.snapshot(task, ["actual_cost"]))
        if diff:
            task.version += 1
            changed.append(task)
            _record(project, actor, task, "updated", diff)
    Task.objects.bulk_update(changed, ["actual_cost", "version"], batch_size=500)
    schedule_services.roll_up_summaries(project, tasks)
    return [task.pk for task in changed]
