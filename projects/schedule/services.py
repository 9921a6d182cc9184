"""The one write path for dates: every change that can move dates ends in `project_reschedule`,
inside the same transaction.

`project_reschedule` runs the pure engine (projects/schedule/engine.py) on the stored plan,
writes back only the computed fields that changed (plain batched UPDATEs), rolls summaries up
(projects/schedule/rollup.py), then reschedules every other project with a task that follows a
task that moved (projects/schedule/link_graph.py), and so on down the chain. It answers with
which of the project's tasks moved or changed, so a caller (the Gantt move) can answer from
those rows alone. `renumber` keeps the outline's WBS codes in step with the tree.
"""

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from psycopg2.extras import execute_values

from projects.models import Project, Task, TaskStatus
from projects.schedule import engine, link_graph, network
from projects.schedule.input import from_wall_clock, load_plan, project_zone, schedule_input
from projects.schedule.rollup import RollupRow, roll_up, summary_minutes
from projects.work import events as work_events
from tpm.concurrency import lock_row

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
    "duration_minutes",  # of summaries only: the span of their tasks (rollup.summary_minutes)
)
ROLLED_UP_FIELDS = ("percent_complete", "effort_hours", "cost", "actual_cost", "status")

# Projects rescheduled in one cascade at most; links never loop (dependency_create refuses a
# loop across projects), so this only stops a cascade that data damage could make endless.
CASCADE_LIMIT = 200


@dataclass(frozen=True)
class Rescheduled:
    """What one project's reschedule did (the cascade to other projects is not included).

    `moved`: ids of its tasks whose start or finish moved. `changed`: ids of its tasks with any
    stored value rewritten (dates, floats, critical flags, summaries' roll-ups); `moved` is a
    subset of it.
    """

    schedule: network.Schedule
    moved: frozenset[int]
    changed: frozenset[int]


# --- the outline's numbering ----------------------------------------------------------------


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


# --- rescheduling ---------------------------------------------------------------------------


def _cycle_error(error: network.ScheduleCycleError) -> ValidationError:
    names = {
        str(pk): name
        for pk, name in Task.objects.filter(pk__in=error.task_ids).values_list("pk", "name")
    }
    loop = [names.get(str(task_id), str(task_id)) for task_id in error.task_ids]
    return ValidationError(
        {"predecessor": f"This link would close a loop: {' → '.join([*loop, loop[0]])}."}
    )


@transaction.atomic
def project_reschedule(*, project: Project, cascade: bool = True) -> Rescheduled:
    """Run the engine on the stored plan and store its dates, floats and critical flags; then
    reschedule every other project whose tasks follow a task that moved, and so on down."""
    result = _reschedule_one(project)
    if cascade and result.moved:
        _reschedule_successor_projects(project, set(result.moved))
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
        now_moved = _reschedule_one(project).moved
        if now_moved:
            queue.extend(link_graph.successor_project_ids(set(now_moved), exclude=project_id))


def _reschedule_one(project: Project) -> Rescheduled:
    """One project's run: the engine's result and the ids of tasks that moved or changed."""
    lock_row(project)  # one run at a time; the project before its tasks (tpm/concurrency.py)
    plan = load_plan(project)
    before = {task.pk: (task.start, task.finish) for task in plan.tasks}
    try:
        result = engine.schedule(schedule_input(plan))
    except network.ScheduleCycleError as error:
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
        if computed.summary:
            task.duration_minutes = summary_minutes(computed.start, computed.finish)
    recomputed = [task for task in plan.tasks if _computed(task) != stored[task.pk]]
    _store_computed(recomputed)
    rolled = roll_up_summaries(project, plan.tasks)
    moved = {task.pk for task in plan.tasks if (task.start, task.finish) != before[task.pk]}
    work_events.tasks_moved(project, plan.tasks, before)  # "my predecessor slipped" (issue 4)
    changed = frozenset({task.pk for task in recomputed} | set(rolled))
    return Rescheduled(schedule=result, moved=frozenset(moved), changed=changed)


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


def roll_up_summaries(project: Project, tasks: list[Task]) -> list[int]:
    """Summaries show the weighted progress (by the project's choice), and the total effort and
    costs, of their tasks. Returns the ids of the summaries whose values changed."""
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
        if tuple(getattr(task, name) for name in ROLLED_UP_FIELDS) != new:
            for name, value in zip(ROLLED_UP_FIELDS, new, strict=True):
                setattr(task, name, value)
            changed.append(task)
    Task.objects.bulk_update(changed, ROLLED_UP_FIELDS, batch_size=500)
    return [task.pk for task in changed]
