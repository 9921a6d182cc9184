"""Writes to the plan: tasks, links and rescheduling. Each public function is one transaction.

Every change that can move dates ends in `project_reschedule`, which runs the pure engine
(projects/schedule/engine.py) on the stored plan and writes the computed fields back, then cascades
to the other projects whose tasks follow a task that moved. A link that would close a loop, in
one plan or through others, is refused naming the tasks in the loop.
"""

from collections import defaultdict, deque
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from psycopg2.extras import execute_values

from projects.models import (
    Dependency,
    LinkType,
    Project,
    ProjectMembership,
    Task,
    TaskStatus,
    WorkCalendar,
)
from projects.quality import services as quality_services
from projects.schedule import engine, link_graph
from projects.schedule.input import from_wall_clock, load_plan, project_zone, schedule_input
from projects.schedule.rollup import RollupRow, roll_up
from projects.work import events as work_events
from tpm import history
from tpm.concurrency import lock_current_version
from tpm.models import Membership, User
from tpm.roles import OrgRole

COMPUTED_FIELDS = (
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float_minutes",
    "free_float_minutes",
    "is_critical",
)


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


def wbs_codes(rows: list[tuple[int, int | None, int]]) -> dict[int, str]:
    """WBS codes (1, 1.1, 1.2, 2 ...) from (id, parent id, position) rows, depth first."""
    children: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for task_id, parent_id, position in rows:
        children[parent_id].append((position, task_id))
    codes: dict[int, str] = {}
    stack: list[tuple[int | None, str]] = [(None, "")]
    while stack:  # iterative: deep outlines must not hit the recursion limit
        parent_id, prefix = stack.pop()
        for index, (_, task_id) in enumerate(sorted(children.get(parent_id, [])), start=1):
            codes[task_id] = f"{prefix}{index}"
            stack.append((task_id, f"{prefix}{index}."))
    return codes


def outline_key(code: str) -> str:
    return ".".join(part.zfill(5) for part in code.split(".")) if code else ""


def renumber(project: Project) -> None:
    """Keep WBS codes, their sort keys and summary flags in step with the tree."""
    tasks = list(
        Task.objects.alive()
        .filter(project=project)
        .only("pk", "parent", "position", "wbs_code", "outline_key", "is_summary")
    )
    codes = wbs_codes([(t.pk, t.parent_id, t.position) for t in tasks])
    parents = {t.parent_id for t in tasks if t.parent_id}
    changed = []
    for task in tasks:
        code, summary = codes.get(task.pk, ""), task.pk in parents
        if task.wbs_code != code or task.is_summary != summary:
            task.wbs_code, task.outline_key, task.is_summary = code, outline_key(code), summary
            changed.append(task)
    Task.objects.bulk_update(changed, ["wbs_code", "outline_key", "is_summary"], batch_size=500)


def _cycle_error(error: engine.ScheduleCycleError) -> ValidationError:
    names = {
        str(pk): name
        for pk, name in Task.objects.filter(pk__in=error.task_ids).values_list("pk", "name")
    }
    loop = [names.get(str(task_id), str(task_id)) for task_id in error.task_ids]
    return ValidationError(
        {"predecessor": f"This link would close a loop: {' → '.join([*loop, loop[0]])}."}
    )


# Projects rescheduled in one cascade at most; links never loop (dependency_create refuses a
# loop across projects), so this only stops a cascade that data damage could make endless.
CASCADE_LIMIT = 200


@transaction.atomic
def project_reschedule(*, project: Project, cascade: bool = True) -> engine.Schedule:
    """Run the engine on the stored plan and store its dates, floats and critical flags; then
    reschedule every other project whose tasks follow a task that moved, and so on down."""
    result, moved = _reschedule_one(project)
    if cascade and moved:
        _reschedule_successor_projects(project, moved)
    return result


def _reschedule_successor_projects(origin: Project, moved: set[int]) -> None:
    queue = deque(link_graph.successor_project_ids(moved, exclude=origin.pk))
    runs = 0
    while queue and runs < CASCADE_LIMIT:
        project_id = queue.popleft()
        project = Project.objects.alive().filter(pk=project_id).first()
        if project is None:
            continue
        runs += 1
        _, now_moved = _reschedule_one(project)
        if now_moved:
            queue.extend(link_graph.successor_project_ids(now_moved, exclude=project_id))


def _reschedule_one(project: Project) -> tuple[engine.Schedule, set[int]]:
    """One project's run; returns the engine's result and the ids of tasks whose dates moved."""
    Project.objects.select_for_update().filter(pk=project.pk).first()  # one run at a time
    plan = load_plan(project)
    before = {task.pk: (task.start, task.finish) for task in plan.tasks}
    try:
        result = engine.schedule(schedule_input(plan))
    except engine.ScheduleCycleError as error:
        raise _cycle_error(error) from error
    except ValueError as error:  # the engine refuses an impossible input with a message
        raise ValidationError(str(error)) from error
    zone = project_zone(project)
    stored = {task.pk: _computed(task) for task in plan.tasks}
    for task in plan.tasks:
        computed = result.tasks[task.pk]
        dates = result.dates(task.pk)
        task.start = from_wall_clock(dates.start, zone)
        task.finish = from_wall_clock(dates.finish, zone)
        task.early_start = from_wall_clock(dates.early_start, zone)
        task.early_finish = from_wall_clock(dates.early_finish, zone)
        task.late_start = from_wall_clock(dates.late_start, zone)
        task.late_finish = from_wall_clock(dates.late_finish, zone)
        task.total_float_minutes = computed.total_float
        task.free_float_minutes = computed.free_float
        task.is_critical = computed.critical
    _store_computed([task for task in plan.tasks if _computed(task) != stored[task.pk]])
    _roll_up_summaries(project, plan.tasks)
    moved = {task.pk for task in plan.tasks if (task.start, task.finish) != before[task.pk]}
    work_events.tasks_moved(project, plan.tasks, before)  # "my predecessor slipped" (issue 4)
    return result, moved


def _computed(task: Task) -> tuple[Any, ...]:
    return tuple(getattr(task, name) for name in COMPUTED_FIELDS)


def _store_computed(tasks: list[Task]) -> None:
    """Write the engine's fields of the tasks whose values changed. bulk_update's CASE
    expressions take seconds to build for thousands of rows, so this writes plain parameters:
    one UPDATE ... FROM (VALUES ...) per thousand rows on PostgreSQL, executemany elsewhere."""
    if not tasks:
        return
    ops = connection.ops
    concrete = {field.name: field for field in Task._meta.concrete_fields}
    fields = [concrete[name] for name in COMPUTED_FIELDS]
    columns = [ops.quote_name(str(field.column)) for field in fields]  # concrete: never None
    table = ops.quote_name(Task._meta.db_table)
    rows = [
        (
            task.pk,
            *(
                ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value
                for value in _computed(task)
            ),
        )
        for task in tasks
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = ", ".join(f"%s::{field.db_type(connection)}" for field in fields)
            sets = ", ".join(f"{column} = v.{column}" for column in columns)
            execute_values(
                cursor.cursor,
                f"UPDATE {table} AS t SET {sets} FROM (VALUES %s) AS v(id, {', '.join(columns)}) "
                "WHERE t.id = v.id",
                rows,
                template=f"(%s, {casts})",
                page_size=1000,
            )
        else:
            sets = ", ".join(f"{column} = %s" for column in columns)
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE id = %s", [(*row[1:], row[0]) for row in rows]
            )


def _roll_up_summaries(project: Project, tasks: list[Task]) -> None:
    """Summaries show the weighted progress (by the project's choice), and the total effort and
    costs, of their tasks."""
    rows = [
        RollupRow(
            t.pk,
            t.parent_id,
            t.duration_minutes,
            t.percent_complete,
            t.effort_hours,
            t.cost,
            t.actual_cost,
        )
        for t in tasks
    ]
    rolled = roll_up(rows, project.progress_weighting)  # type: ignore[arg-type]
    fields = ("percent_complete", "effort_hours", "cost", "actual_cost", "status")
    changed = []
    for task in tasks:
        if task.pk not in rolled:
            continue
        summary = rolled[task.pk]
        status = (
            TaskStatus.COMPLETED
            if summary.percent_complete == 100
            else TaskStatus.IN_PROGRESS
            if summary.percent_complete
            else TaskStatus.NOT_STARTED
        )
        new = (
            summary.percent_complete,
            summary.effort_hours,
            summary.cost,
            summary.actual_cost,
            status,
        )
        if tuple(getattr(task, name) for name in fields) != new:
            for name, value in zip(fields, new, strict=True):
                setattr(task, name, value)
            changed.append(task)
    Task.objects.bulk_update(changed, fields, batch_size=500)


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
    renumber(project)
    project_reschedule(project=project)
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
    _check_link(predecessor, successor, type)
    link = Dependency.objects.create(
        predecessor=predecessor, successor=successor, type=type, lag_minutes=lag_minutes
    )
    project_reschedule(project=successor.project)
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
    _record(successor.project, actor, link, "deleted", {"link": [str(link), None]})
    link.delete()
    project_reschedule(project=successor.project)


PLAN_FIELDS = (
    "name",
    "notes",
    "duration_minutes",
    "effort_hours",
    "cost",
    "actual_cost",
    "deadline",
    "constraint_type",
    "constraint_date",
    "is_manual",
    "manual_start",
    "manual_finish",
    "calendar",
)
PROGRESS_FIELDS = (
    "status",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "remaining_hours",
)


def _apply(task: Task, changes: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, list]:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    before = history.snapshot(task, changes)
    for name, value in changes.items():
        setattr(task, name, value)
    if task.is_milestone:
        task.duration_minutes = 0
    task.full_clean(exclude=["wbs_code", "project", "parent"])
    return history.diff(before, history.snapshot(task, changes))


@transaction.atomic
def task_update(*, task: Task, actor: User, version: int | None, **changes: Any) -> Task:
    """Change what the plan says about a task (a manager's edit); dates follow."""
    current = lock_current_version(task, version)
    _check_calendar(current.project, changes.get("calendar"))
    assignees = changes.pop("assignees", None)
    diff = _apply(current, changes, PLAN_FIELDS)
    if assignees is not None:
        diff.update(_set_assignees(current, assignees))
    current.version += 1
    current.save()
    if diff:
        _record(current.project, actor, current, "updated", diff)
        project_reschedule(project=current.project)
        current.refresh_from_db()
    return current


@transaction.atomic
def task_update_progress(*, task: Task, actor: User, version: int | None, **changes: Any) -> Task:
    """Report progress. Done means 100% and an actual finish; started means an actual start."""
    current = lock_current_version(task, version)
    if current.is_summary:
        raise ValidationError(
            {"percent_complete": "A summary's progress comes from its tasks; report on those."}
        )
    now = timezone.now()
    if changes.get("status") == TaskStatus.COMPLETED or changes.get("percent_complete") == 100:
        changes.setdefault("status", TaskStatus.COMPLETED)
        changes.setdefault("percent_complete", 100)
        changes.setdefault("actual_finish", current.actual_finish or now)
        if current.status != TaskStatus.COMPLETED:
            # A gate not passed on the milestone or phase holds it back (issue 7).
            quality_services.check_gates_allow_completion(current)
        if current.remaining_hours:
            changes.setdefault("remaining_hours", Decimal(0))  # done: nothing left to do
    if changes.get("percent_complete", 0) > 0 or changes.get("status") == TaskStatus.IN_PROGRESS:
        changes.setdefault("actual_start", current.actual_start or now)
        if changes.get("status", current.status) == TaskStatus.NOT_STARTED:
            changes["status"] = TaskStatus.IN_PROGRESS
    diff = _apply(current, changes, PROGRESS_FIELDS)
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
        project_reschedule(project=current.project)
        current.refresh_from_db()
    return current


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
    current = lock_current_version(task, version)
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
    renumber(current.project)
    project_reschedule(project=current.project)
    current.refresh_from_db()
    _record(current.project, actor, current, "updated", {"wbs_code": [old_code, current.wbs_code]})
    return current


@transaction.atomic
def task_delete(*, task: Task, actor: User) -> None:
    """Soft-delete a task and its subtasks; their links no longer drive the plan."""
    ids = {task.pk, *_descendant_ids(task)}
    Task.objects.filter(pk__in=ids).update(deleted_at=timezone.now())
    _record(task.project, actor, task, "deleted", {"name": [task.name, None]})
    renumber(task.project)
    project_reschedule(project=task.project)


@transaction.atomic
def dependency_update(
    *, link: Dependency, actor: User, version: int | None, type: str, lag_minutes: int
) -> Dependency:
    current = lock_current_version(link, version)
    if type not in LinkType.values:
        raise ValidationError({"type": f"“{type}” is not a link type; use FS, SS, FF or SF."})
    before = {"type": current.type, "lag": current.lag_minutes}
    current.type, current.lag_minutes = type, lag_minutes
    current.version += 1
    current.save()
    project = current.successor.project
    _record(
        project, actor, current, "updated", history.diff(before, {"type": type, "lag": lag_minutes})
    )
    project_reschedule(project=project)
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
    _roll_up_summaries(project, tasks)
    return [task.pk for task in changed]
