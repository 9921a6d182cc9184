"""What a change request would do to the plan, computed by the scheduling engine itself.

Pure domain code (no Django): the plan and its copy edited by the proposal
(`projects.changes.proposal`) are scheduled by the real engine, and the difference comes out:
project finish, critical path, effort and cost, milestones and every task whose dates move.

Signs follow the TPM's reading: positive is later (or more), negative earlier (or less).
Working days are working minutes of the task's (or the project's) calendar over its usual day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from projects.baselines.compare import days
from projects.calendars.timeline import WorkingCalendar
from projects.changes.proposal import Operation, Plan, ProposalError, apply_proposal
from projects.schedule.engine import schedule
from projects.schedule.network import (
    Schedule,
    ScheduleCycleError,
    ScheduleInput,
    ScheduleTask,
    TaskId,
)

_ZERO = Decimal("0.00")
_CENT = Decimal("0.01")
MAX_STORED_MOVES = 500  # moved tasks kept in the JSON form (the count is always complete)


def run_engine(plan: Plan) -> Schedule:
    """The engine on a plan; a loop is a ProposalError naming the tasks in link order."""
    try:
        return schedule(plan.input)
    except ScheduleCycleError as error:
        names = [plan.name_of(task_id) for task_id in error.task_ids]
        loop = " → ".join([*names, names[0]])
        raise ProposalError(
            f"the proposal would close a loop of links: {loop}", loop=names
        ) from None
    except ValueError as error:
        raise ProposalError(str(error)) from None


# -- the difference ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateShift:
    """One task's dates before and after; None on the side where the task does not exist."""

    task_id: TaskId
    name: str
    milestone: bool
    summary: bool
    start_before: datetime | None
    finish_before: datetime | None
    start_after: datetime | None
    finish_after: datetime | None
    start_slip_days: Decimal | None  # working days, positive = later
    finish_slip_days: Decimal | None


@dataclass(frozen=True)
class Impact:
    finish_before: datetime
    finish_after: datetime
    finish_slip_days: Decimal  # working days of the project calendar
    finish_slip_calendar_days: int
    critical_path_before: tuple[TaskId, ...]
    critical_path_after: tuple[TaskId, ...]
    critical_added: tuple[TaskId, ...]  # critical after, not before (in plan order)
    critical_removed: tuple[TaskId, ...]  # critical before, not after (or gone)
    effort_before: Decimal
    effort_after: Decimal
    cost_before: Decimal
    cost_after: Decimal
    milestones: tuple[DateShift, ...]  # milestones whose date moves, added or removed
    moved_tasks: tuple[DateShift, ...]  # tasks in both plans whose dates move (the first 500)
    added_tasks: tuple[TaskId, ...]
    removed_tasks: tuple[TaskId, ...]
    names: Mapping[TaskId, str] = field(default_factory=dict)
    moved_task_ids: tuple[TaskId, ...] = ()  # every task whose dates move, in plan order

    @property
    def moved_count(self) -> int:
        return len(self.moved_task_ids)

    @property
    def effort_change(self) -> Decimal:
        return self.effort_after - self.effort_before

    @property
    def cost_change(self) -> Decimal:
        return self.cost_after - self.cost_before

    @property
    def changes_nothing(self) -> bool:
        return (
            self.finish_before == self.finish_after
            and not self.critical_added
            and not self.critical_removed
            and not self.effort_change
            and not self.cost_change
            and not self.milestones
            and not self.moved_tasks
            and not self.added_tasks
            and not self.removed_tasks
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready summary (dates in the plan's wall-clock time, amounts as strings)."""
        return {
            "finish_before": self.finish_before.isoformat(),
            "finish_after": self.finish_after.isoformat(),
            "finish_slip_days": str(self.finish_slip_days),
            "finish_slip_calendar_days": self.finish_slip_calendar_days,
            "critical_path_before": list(self.critical_path_before),
            "critical_path_after": list(self.critical_path_after),
            "critical_added": list(self.critical_added),
            "critical_removed": list(self.critical_removed),
            "effort_before": str(self.effort_before),
            "effort_after": str(self.effort_after),
            "effort_change": str(self.effort_change),
            "cost_before": str(self.cost_before),
            "cost_after": str(self.cost_after),
            "cost_change": str(self.cost_change),
            "milestones": [_shift_json(shift) for shift in self.milestones],
            "moved_tasks": [_shift_json(shift) for shift in self.moved_tasks],
            "moved_count": self.moved_count,
            "added_tasks": list(self.added_tasks),
            "removed_tasks": list(self.removed_tasks),
            "affected_task_ids": [
                task_id for task_id in affected_task_ids(self) if isinstance(task_id, int)
            ],
            "names": {
                str(task_id): self.names[task_id]
                for task_id in self._named_ids()
                if task_id in self.names
            },
        }

    def _named_ids(self) -> list[TaskId]:
        """The tasks the summary names by id (shifts carry their own names)."""
        return list(
            dict.fromkeys(
                (
                    *self.critical_path_before,
                    *self.critical_path_after,
                    *self.critical_added,
                    *self.critical_removed,
                    *self.added_tasks,
                    *self.removed_tasks,
                )
            )
        )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _days_json(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _shift_json(shift: DateShift) -> dict[str, Any]:
    return {
        "task_id": shift.task_id,
        "name": shift.name,
        "milestone": shift.milestone,
        "summary": shift.summary,
        "start_before": _iso(shift.start_before),
        "finish_before": _iso(shift.finish_before),
        "start_after": _iso(shift.start_after),
        "finish_after": _iso(shift.finish_after),
        "start_slip_days": _days_json(shift.start_slip_days),
        "finish_slip_days": _days_json(shift.finish_slip_days),
    }


def affected_task_ids(impact: Impact) -> list[TaskId]:
    """Tasks of the current plan the change touches: moved, removed, or leaving the critical
    path (the risks linked to them are the affected risks)."""
    added = set(impact.added_tasks)
    ids = dict.fromkeys(
        (
            *impact.moved_task_ids,
            *impact.removed_tasks,
            *impact.critical_removed,
            *impact.critical_added,
            *(shift.task_id for shift in impact.milestones),
        )
    )
    return [task_id for task_id in ids if task_id not in added]


@dataclass(frozen=True)
class Analysis:
    before: Schedule
    after: Schedule
    plan_after: Plan
    impact: Impact


def _calendar_of(data: ScheduleInput, task: ScheduleTask) -> WorkingCalendar:
    if task.calendar_id is None:
        return data.calendar
    return data.calendars.get(task.calendar_id, data.calendar)


def _leaves(plan: Plan) -> list[TaskId]:
    parents = {task.parent_id for task in plan.input.tasks if task.parent_id is not None}
    return [task_id for task_id in plan.facts if task_id not in parents]


def _total(plan: Plan, leaves: list[TaskId], attribute: str) -> Decimal:
    amounts = (getattr(plan.facts[task_id], attribute) for task_id in leaves)
    return sum((amount for amount in amounts if amount is not None), _ZERO).quantize(_CENT)


def _critical(plan: Plan, result: Schedule) -> list[TaskId]:
    return [
        task.id
        for task in plan.input.tasks
        if task.id in plan.facts
        and result.tasks[task.id].critical
        and not result.tasks[task.id].summary
    ]


def _dates(result: Schedule, task_id: TaskId) -> tuple[datetime, datetime]:
    """The scheduled start and finish alone (`Schedule.dates` converts all six dates)."""
    task = result.tasks[task_id]
    return result.span(task_id, task.start, task.finish)  # a milestone's rule lives there


class _Sides:
    """Both plans and both schedules, for comparing one task at a time."""

    def __init__(self, before: Plan, after: Plan, old: Schedule, new: Schedule) -> None:
        self.before, self.after, self.old, self.new = before, after, old, new
        self.old_tasks = {task.id: task for task in before.input.tasks}
        self.new_tasks = {task.id: task for task in after.input.tasks}

    def shift(self, task_id: TaskId) -> DateShift:
        old_task, new_task = self.old_tasks.get(task_id), self.new_tasks.get(task_id)
        task = new_task or old_task
        assert task is not None
        old = self.old.tasks[task_id] if old_task else None
        new = self.new.tasks[task_id] if new_task else None
        start_before, finish_before = _dates(self.old, task_id) if old else (None, None)
        start_after, finish_after = _dates(self.new, task_id) if new else (None, None)
        per_day = _calendar_of(self.after.input, task).minutes_per_day
        start_slip = finish_slip = None
        if old is not None and new is not None:
            start_slip = days(new.start - old.start, per_day)
            finish_slip = days(new.finish - old.finish, per_day)
        computed = new or old
        return DateShift(
            task_id=task_id,
            name=(self.after if new_task else self.before).name_of(task_id),
            milestone=task.milestone,
            summary=bool(computed and computed.summary),
            start_before=start_before,
            finish_before=finish_before,
            start_after=start_after,
            finish_after=finish_after,
            start_slip_days=start_slip,
            finish_slip_days=finish_slip,
        )

    def moved(self, task_id: TaskId) -> bool:
        old, new = self.old.tasks[task_id], self.new.tasks[task_id]
        return (old.start, old.finish) != (new.start, new.finish)


def _milestones(sides: _Sides, added: list[TaskId], removed: list[TaskId]) -> list[DateShift]:
    shifts: list[DateShift] = []
    for task in sides.before.input.tasks:
        if task.id not in sides.before.facts or not task.milestone:
            continue
        if task.id in removed or sides.moved(task.id):
            shifts.append(sides.shift(task.id))
    shifts += [sides.shift(task_id) for task_id in added if sides.new_tasks[task_id].milestone]
    return shifts


def compare(before: Plan, after: Plan, old: Schedule, new: Schedule) -> Impact:
    """The difference between two schedules of a plan and its edited copy."""
    sides = _Sides(before, after, old, new)
    added = [task_id for task_id in after.facts if task_id not in before.facts]
    removed = [task_id for task_id in before.facts if task_id not in after.facts]
    kept = [task_id for task_id in before.facts if task_id in after.facts]
    critical_old, critical_new = _critical(before, old), _critical(after, new)
    was_critical, is_critical = set(critical_old), set(critical_new)
    moved = [task_id for task_id in kept if sides.moved(task_id)]
    timeline = before.input.calendar.timeline()
    slip = timeline.position(new.project_finish) - timeline.position(old.project_finish)
    leaves_old, leaves_new = _leaves(before), _leaves(after)
    names = {task_id: before.name_of(task_id) for task_id in before.facts}
    names.update({task_id: after.name_of(task_id) for task_id in after.facts})
    return Impact(
        finish_before=old.project_finish,
        finish_after=new.project_finish,
        finish_slip_days=days(slip, before.input.calendar.minutes_per_day),
        finish_slip_calendar_days=(new.project_finish.date() - old.project_finish.date()).days,
        critical_path_before=tuple(i for i in old.critical_path if i in before.facts),
        critical_path_after=tuple(i for i in new.critical_path if i in after.facts),
        critical_added=tuple(i for i in critical_new if i not in was_critical),
        critical_removed=tuple(i for i in critical_old if i not in is_critical),
        effort_before=_total(before, leaves_old, "effort_hours"),
        effort_after=_total(after, leaves_new, "effort_hours"),
        cost_before=_total(before, leaves_old, "cost"),
        cost_after=_total(after, leaves_new, "cost"),
        milestones=tuple(_milestones(sides, added, removed)),
        moved_tasks=tuple(sides.shift(i) for i in moved[:MAX_STORED_MOVES]),
        moved_task_ids=tuple(moved),
        added_tasks=tuple(added),
        removed_tasks=tuple(removed),
        names=names,
    )


def analyse(plan: Plan, operations: Sequence[Operation]) -> Analysis:
    """Apply the proposal to a copy of the plan, schedule both, and compare them."""
    after = apply_proposal(plan, operations)
    before_schedule = run_engine(plan)
    after_schedule = run_engine(after)
    return Analysis(
        before=before_schedule,
        after=after_schedule,
        plan_after=after,
        impact=compare(plan, after, before_schedule, after_schedule),
    )
