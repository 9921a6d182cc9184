"""A change request's proposal: what it does to the plan, as data, as JSON and applied to a copy.

Pure domain code (no Django): a plan as the engine sees it (`ScheduleInput`, from
`projects.schedule.input`) plus what the engine does not need (names, effort, cost), and a list
of proposed operations. `projects.changes.impact` runs the engine on the plan before and after
and compares the two.

Operations apply in order. Tasks are named by id; a task the proposal adds is named by its `key`
(for example "new-1"), so later operations can link to it. A proposal that names tasks the plan
does not hold, or that would close a loop of links, is refused with a `ProposalError` saying
which tasks (the loop in link order, as the engine finds it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, ClassVar

from projects.schedule.network import (
    LinkType,
    ScheduleInput,
    ScheduleLink,
    ScheduleTask,
    TaskId,
)

_CENT = Decimal("0.01")


class ProposalError(ValueError):
    """The proposal cannot be analysed (or applied); the message says why, in the TPM's words."""

    def __init__(
        self, message: str, *, unknown: Sequence[TaskId] = (), loop: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.unknown = tuple(unknown)
        self.loop = tuple(loop)


class OperationKind(StrEnum):
    ADD_TASK = "add_task"
    REMOVE_TASK = "remove_task"
    CHANGE_DURATION = "change_duration"
    ADD_LINK = "add_link"
    REMOVE_LINK = "remove_link"
    CHANGE_LINK = "change_link"


@dataclass(frozen=True)
class LinkSpec:
    """One end of a link of an added task: the other task, the link type and the lag."""

    task_id: TaskId
    type: LinkType = LinkType.FS
    lag: int = 0  # working minutes; negative is a lead


@dataclass(frozen=True)
class AddTask:
    key: str  # how the rest of the proposal names this task, e.g. "new-1"
    name: str
    duration: int = 0  # working minutes
    milestone: bool = False
    effort_hours: Decimal | None = None
    cost: Decimal | None = None
    parent_id: TaskId | None = None
    predecessors: tuple[LinkSpec, ...] = ()
    successors: tuple[LinkSpec, ...] = ()
    kind: ClassVar[OperationKind] = OperationKind.ADD_TASK


@dataclass(frozen=True)
class RemoveTask:
    """Remove a task, its subtasks and every link that touches them."""

    task_id: TaskId
    kind: ClassVar[OperationKind] = OperationKind.REMOVE_TASK


@dataclass(frozen=True)
class ChangeDuration:
    task_id: TaskId
    duration: int  # working minutes
    kind: ClassVar[OperationKind] = OperationKind.CHANGE_DURATION


@dataclass(frozen=True)
class AddLink:
    predecessor_id: TaskId
    successor_id: TaskId
    type: LinkType = LinkType.FS
    lag: int = 0
    kind: ClassVar[OperationKind] = OperationKind.ADD_LINK


@dataclass(frozen=True)
class RemoveLink:
    predecessor_id: TaskId
    successor_id: TaskId
    kind: ClassVar[OperationKind] = OperationKind.REMOVE_LINK


@dataclass(frozen=True)
class ChangeLink:
    predecessor_id: TaskId
    successor_id: TaskId
    type: LinkType = LinkType.FS
    lag: int = 0
    kind: ClassVar[OperationKind] = OperationKind.CHANGE_LINK


Operation = AddTask | RemoveTask | ChangeDuration | AddLink | RemoveLink | ChangeLink


@dataclass(frozen=True)
class TaskFacts:
    """What the engine does not need about a task of the project."""

    name: str
    effort_hours: Decimal | None = None
    cost: Decimal | None = None


@dataclass(frozen=True)
class Plan:
    """The engine's input plus the facts of the project's own tasks.

    Tasks of the input without facts are predecessors from other projects: a proposal may link
    from them but not change or remove them.
    """

    input: ScheduleInput
    facts: Mapping[TaskId, TaskFacts]

    def name_of(self, task_id: TaskId) -> str:
        facts = self.facts.get(task_id)
        return facts.name if facts else f"task {task_id}"


# -- the proposal as JSON (what a ChangeRequest stores) -----------------------------------------


def _task_ref(value: Any, where: str) -> TaskId:
    if isinstance(value, bool):
        raise ProposalError(f"{where}: {value!r} is not a task")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip():
        text = value.strip()
        return int(text) if text.isdigit() else text
    raise ProposalError(f"{where}: a task is needed")


def _minutes(value: Any, where: str, *, signed: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ProposalError(f"{where}: {value!r} is not a whole number of minutes")
    try:
        minutes = int(value)
    except ValueError:
        raise ProposalError(f"{where}: {value!r} is not a whole number of minutes") from None
    if minutes < 0 and not signed:
        raise ProposalError(f"{where}: a duration cannot be negative")
    return minutes


def _link_type(value: Any, where: str) -> LinkType:
    try:
        return LinkType(value or LinkType.FS)
    except ValueError:
        raise ProposalError(
            f"{where}: “{value}” is not a link type; use FS, SS, FF or SF"
        ) from None


def _money(value: Any, where: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ProposalError(f"{where}: {value!r} is not an amount") from None
    if not amount.is_finite() or amount < 0:
        raise ProposalError(f"{where}: {value!r} is not an amount")
    return amount.quantize(_CENT)


def _link_specs(items: Any, where: str) -> tuple[LinkSpec, ...]:
    if items in (None, ""):
        return ()
    if not isinstance(items, list):
        raise ProposalError(f"{where}: a list of links is needed")
    return tuple(
        LinkSpec(
            _task_ref(item.get("task"), where),
            _link_type(item.get("type"), where),
            _minutes(item.get("lag_minutes", 0), where, signed=True),
        )
        for item in items
        if isinstance(item, dict)
    )


def _parse_one(item: Any, index: int) -> Operation:
    where = f"operation {index}"
    if not isinstance(item, dict):
        raise ProposalError(f"{where}: an operation is needed")
    try:
        kind = OperationKind(str(item.get("op")))
    except ValueError:
        raise ProposalError(f"{where}: “{item.get('op')}” is not an operation") from None
    if kind is OperationKind.ADD_TASK:
        name = str(item.get("name") or "").strip()
        if not name:
            raise ProposalError(f"{where}: a new task needs a name")
        milestone = bool(item.get("is_milestone", False))
        parent = item.get("parent")
        return AddTask(
            key=str(item.get("key") or "").strip() or f"new-{index}",
            name=name,
            duration=0 if milestone else _minutes(item.get("duration_minutes", 0), where),
            milestone=milestone,
            effort_hours=_money(item.get("effort_hours"), where),
            cost=_money(item.get("cost"), where),
            parent_id=None if parent in (None, "") else _task_ref(parent, where),
            predecessors=_link_specs(item.get("predecessors"), where),
            successors=_link_specs(item.get("successors"), where),
        )
    if kind is OperationKind.REMOVE_TASK:
        return RemoveTask(_task_ref(item.get("task"), where))
    if kind is OperationKind.CHANGE_DURATION:
        return ChangeDuration(
            _task_ref(item.get("task"), where), _minutes(item.get("duration_minutes"), where)
        )
    predecessor = _task_ref(item.get("predecessor"), where)
    successor = _task_ref(item.get("successor"), where)
    if kind is OperationKind.REMOVE_LINK:
        return RemoveLink(predecessor, successor)
    link_type = _link_type(item.get("type"), where)
    lag = _minutes(item.get("lag_minutes", 0), where, signed=True)
    if kind is OperationKind.ADD_LINK:
        return AddLink(predecessor, successor, link_type, lag)
    return ChangeLink(predecessor, successor, link_type, lag)


def parse_proposal(data: Any) -> list[Operation]:
    """The operations of a stored proposal (a JSON list); a malformed one is a ProposalError."""
    if data in (None, ""):
        return []
    if not isinstance(data, list):
        raise ProposalError("a proposal is a list of operations")
    return [_parse_one(item, index) for index, item in enumerate(data, 1)]


def _spec_json(spec: LinkSpec) -> dict[str, Any]:
    return {"task": spec.task_id, "type": str(spec.type), "lag_minutes": spec.lag}


def _money_json(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def operation_json(operation: Operation) -> dict[str, Any]:
    """The JSON form `parse_proposal` reads back."""
    if isinstance(operation, AddTask):
        return {
            "op": operation.kind.value,
            "key": operation.key,
            "name": operation.name,
            "duration_minutes": operation.duration,
            "is_milestone": operation.milestone,
            "effort_hours": _money_json(operation.effort_hours),
            "cost": _money_json(operation.cost),
            "parent": operation.parent_id,
            "predecessors": [_spec_json(spec) for spec in operation.predecessors],
            "successors": [_spec_json(spec) for spec in operation.successors],
        }
    if isinstance(operation, RemoveTask):
        return {"op": operation.kind.value, "task": operation.task_id}
    if isinstance(operation, ChangeDuration):
        return {
            "op": operation.kind.value,
            "task": operation.task_id,
            "duration_minutes": operation.duration,
        }
    body: dict[str, Any] = {
        "op": operation.kind.value,
        "predecessor": operation.predecessor_id,
        "successor": operation.successor_id,
    }
    if isinstance(operation, AddLink | ChangeLink):
        body.update(type=str(operation.type), lag_minutes=operation.lag)
    return body


def proposal_json(operations: Iterable[Operation]) -> list[dict[str, Any]]:
    return [operation_json(operation) for operation in operations]


# -- applying a proposal to a copy of the plan ---------------------------------------------------


def referenced_ids(operation: Operation) -> list[TaskId]:
    """Every task an operation names (an added task's own key excluded)."""
    if isinstance(operation, AddTask):
        ids = [spec.task_id for spec in (*operation.predecessors, *operation.successors)]
        return [operation.parent_id, *ids] if operation.parent_id is not None else ids
    if isinstance(operation, RemoveTask | ChangeDuration):
        return [operation.task_id]
    return [operation.predecessor_id, operation.successor_id]


def unknown_ids(plan: Plan, operations: Sequence[Operation]) -> list[TaskId]:
    """Tasks the proposal names that are neither in the plan nor added by the proposal."""
    known = {task.id for task in plan.input.tasks}
    known |= {op.key for op in operations if isinstance(op, AddTask)}
    unknown: list[TaskId] = []
    for operation in operations:
        for task_id in referenced_ids(operation):
            if task_id not in known and task_id not in unknown:
                unknown.append(task_id)
    return unknown


class _Editor:
    """The plan being edited: tasks and links by key, in their original order."""

    def __init__(self, plan: Plan) -> None:
        self.tasks: dict[TaskId, ScheduleTask] = {task.id: task for task in plan.input.tasks}
        self.links: dict[tuple[TaskId, TaskId], ScheduleLink] = {
            (link.predecessor_id, link.successor_id): link for link in plan.input.links
        }
        self.facts: dict[TaskId, TaskFacts] = dict(plan.facts)
        self.removed: dict[TaskId, str] = {}
        self.original = plan

    def name(self, task_id: TaskId) -> str:
        facts = self.facts.get(task_id)
        return facts.name if facts else self.original.name_of(task_id)

    def alive(self, task_id: TaskId, where: str) -> ScheduleTask:
        if task_id in self.removed:
            raise ProposalError(
                f"{where}: “{self.removed[task_id]}” is removed earlier in the proposal"
            )
        task = self.tasks.get(task_id)
        if task is None:  # an added task named before the operation that adds it
            raise ProposalError(f"{where}: task {task_id} is added only later in the proposal")
        return task

    def own(self, task_id: TaskId, where: str) -> ScheduleTask:
        task = self.alive(task_id, where)
        if task_id not in self.facts:
            raise ProposalError(f"{where}: task {task_id} belongs to another project")
        return task

    def children(self, task_id: TaskId) -> list[TaskId]:
        return [task.id for task in self.tasks.values() if task.parent_id == task_id]

    def add_link(self, link: ScheduleLink, where: str) -> None:
        predecessor = self.alive(link.predecessor_id, where)
        successor = self.own(link.successor_id, where)
        if predecessor.id == successor.id:
            raise ProposalError(f"{where}: a task cannot depend on itself")
        if (predecessor.id, successor.id) in self.links:
            raise ProposalError(
                f"{where}: “{self.name(successor.id)}” already follows "
                f"“{self.name(predecessor.id)}”"
            )
        self.links[(predecessor.id, successor.id)] = link

    def existing_link(self, predecessor_id: TaskId, successor_id: TaskId, where: str) -> None:
        self.alive(predecessor_id, where)
        self.alive(successor_id, where)
        if (predecessor_id, successor_id) not in self.links:
            raise ProposalError(
                f"{where}: “{self.name(successor_id)}” does not follow "
                f"“{self.name(predecessor_id)}”"
            )

    def apply(self, operation: Operation, where: str) -> None:
        if isinstance(operation, AddTask):
            self._add_task(operation, where)
        elif isinstance(operation, RemoveTask):
            self._remove_task(operation.task_id, where)
        elif isinstance(operation, ChangeDuration):
            task = self.own(operation.task_id, where)
            if self.children(task.id):
                raise ProposalError(
                    f"{where}: the duration of “{self.name(task.id)}” comes from its subtasks"
                )
            if task.milestone and operation.duration:
                raise ProposalError(f"{where}: “{self.name(task.id)}” is a milestone")
            self.tasks[task.id] = replace(task, duration=operation.duration)
        elif isinstance(operation, AddLink):
            self.add_link(
                ScheduleLink(
                    operation.predecessor_id, operation.successor_id, operation.type, operation.lag
                ),
                where,
            )
        elif isinstance(operation, RemoveLink):
            self.existing_link(operation.predecessor_id, operation.successor_id, where)
            del self.links[(operation.predecessor_id, operation.successor_id)]
        else:
            self.existing_link(operation.predecessor_id, operation.successor_id, where)
            key = (operation.predecessor_id, operation.successor_id)
            self.links[key] = replace(self.links[key], type=operation.type, lag=operation.lag)

    def _add_task(self, operation: AddTask, where: str) -> None:
        if operation.key in self.tasks or operation.key in self.removed:
            raise ProposalError(f"{where}: “{operation.key}” already names a task")
        if operation.parent_id is not None:
            parent = self.own(operation.parent_id, where)
            if parent.milestone:
                raise ProposalError(
                    f"{where}: the milestone “{self.name(parent.id)}” cannot hold other tasks"
                )
        self.tasks[operation.key] = ScheduleTask(
            id=operation.key,
            duration=0 if operation.milestone else operation.duration,
            milestone=operation.milestone,
            parent_id=operation.parent_id,
        )
        self.facts[operation.key] = TaskFacts(
            operation.name, operation.effort_hours, operation.cost
        )
        for spec in operation.predecessors:
            self.add_link(ScheduleLink(spec.task_id, operation.key, spec.type, spec.lag), where)
        for spec in operation.successors:
            self.add_link(ScheduleLink(operation.key, spec.task_id, spec.type, spec.lag), where)

    def _remove_task(self, task_id: TaskId, where: str) -> None:
        self.own(task_id, where)
        doomed, queue = set(), [task_id]
        while queue:
            current = queue.pop()
            doomed.add(current)
            queue.extend(self.children(current))
        for doomed_id in doomed:
            self.removed[doomed_id] = self.name(doomed_id)
            del self.tasks[doomed_id]
            self.facts.pop(doomed_id, None)
        self.links = {
            key: link
            for key, link in self.links.items()
            if key[0] not in doomed and key[1] not in doomed
        }

    def check_summary_links(self) -> None:
        summaries = {task.parent_id for task in self.tasks.values() if task.parent_id is not None}
        for (predecessor_id, successor_id), link in self.links.items():
            if successor_id in summaries and link.type in (LinkType.FF, LinkType.SF):
                raise ProposalError(
                    f"the {link.type} link from “{self.name(predecessor_id)}” to "
                    f"“{self.name(successor_id)}”: a summary task can only follow through "
                    "finish-to-start or start-to-start links"
                )

    def plan(self) -> Plan:
        data = replace(
            self.original.input,
            tasks=list(self.tasks.values()),
            links=list(self.links.values()),
        )
        return Plan(input=data, facts=self.facts)


def apply_proposal(plan: Plan, operations: Sequence[Operation]) -> Plan:
    """The plan with the operations applied, on a copy (the given plan is left as it is)."""
    unknown = unknown_ids(plan, operations)
    if unknown:
        listed = ", ".join(str(task_id) for task_id in unknown)
        raise ProposalError(
            f"the proposal names tasks that are not in the plan: {listed}", unknown=unknown
        )
    editor = _Editor(plan)
    for index, operation in enumerate(operations, 1):
        editor.apply(operation, f"operation {index}")
    editor.check_summary_links()
    return editor.plan()
