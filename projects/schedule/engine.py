"""Critical path scheduling: forward and backward pass, floats and the critical path.

Pure domain code (no Django): `schedule(ScheduleInput) -> Schedule`, the types being in
`projects.schedule.network`. All arithmetic is on integer
positions in working minutes (see `projects.calendars.timeline`); every task's dates and floats are
in its own calendar. Conventions follow Microsoft Project where it is cheap to do so:

- Links FS/SS/FF/SF with a lag in working minutes of the successor's calendar (negative = lead).
- Early dates follow the logic, the project start and the "soft" early bounds (SNET, FNET and the
  early side of MSO/MFO). Late dates are bounded by the project finish, the successors, SNLT,
  FNLT, MSO, MFO and deadlines. A bound that the logic cannot meet shows up as *negative total
  float*; dates are never moved to hide it.
- ALAP tasks get the usual early and late dates; their scheduled start/finish are the late dates
  (their successors are still driven by the early dates, a simplification).
- Manually scheduled tasks keep their dates (links do not move them) but have late dates and
  floats like any other task. Completed tasks keep their actual dates; a task in progress keeps
  its actual start and its remaining duration runs from the status date (or from where the work
  done so far ends, if later). With a status date, tasks not started cannot start before it.
- Summary tasks roll up their children (min start, max finish). Links on a summary apply to its
  span: FS/SS into a summary hold back every task inside it; FS/FF out of a summary start from its
  last finish; SS/SF out of a summary use the start its own links and constraints give it (not
  the rolled-up earliest child start). FF/SF into a summary are rejected, as in Microsoft Project.

Internally a summary is two zero-length "gate" nodes (start and finish) joined to its children by
synthetic SS/FF links, so summaries cost O(children) rather than O(children x links).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from projects.calendars.timeline import WorkingTimeline, moment_at
from projects.schedule.network import (
    Constraint,
    LinkType,
    Schedule,
    ScheduleCycleError,
    ScheduleInput,
    ScheduleLink,
    ScheduleTask,
    TaskId,
    TaskSchedule,
)

_FAR = 1 << 62  # an "unbounded" position, far beyond any real date
_TASK, _START_GATE, _FINISH_GATE = 0, 1, 2
# Link types as small ints for the hot loops; the predicate sets say which end each uses.
_FS, _SS, _FF, _SF = 0, 1, 2, 3
_FROM_FINISH = frozenset((_FS, _FF))  # predecessor's finish drives the link
_TO_START = frozenset((_FS, _SS))  # the link bounds the successor's start
_LINK_CODES = {LinkType.FS: _FS, LinkType.SS: _SS, LinkType.FF: _FF, LinkType.SF: _SF}


def schedule(data: ScheduleInput) -> Schedule:
    """Run the whole calculation: network, forward pass, backward pass, floats, critical path."""
    network = _Network(data)
    order = network.topological_order()
    passes = _Passes(network, order)
    results = passes.results()
    finish_minute = passes.project_finish_minute
    return Schedule(
        tasks=results,
        critical_path=passes.critical_path(),
        project_start=data.project_start,
        project_finish=moment_at(finish_minute),
        timelines={task.id: network.timeline_of(task.id) for task in data.tasks},
    )


# -- the network: tasks and summary gates as nodes, links as edges ------------------------------


@dataclass(frozen=True, slots=True)
class _Bounds:
    """Per-node limits in the node's calendar, from project start, status date and constraints."""

    early_start: int
    early_finish: int
    late_start: int = _FAR
    late_finish: int = _FAR


class _Network:
    """Parallel lists indexed by node (hot loops avoid attribute lookups on objects)."""

    def __init__(self, data: ScheduleInput) -> None:
        self.data = data
        self.tasks = {task.id: task for task in data.tasks}
        if len(self.tasks) != len(data.tasks):
            raise ValueError("task ids must be unique")
        self.children = _children_of(data.tasks, self.tasks)
        self._calendars(data)
        self.owner: list[TaskId] = []
        self.kind: list[int] = []
        self.cal: list[int] = []
        self.duration: list[int] = []
        self.bounds: list[_Bounds] = []
        self.fixed: list[tuple[int, int] | None] = []
        self.alap: list[bool] = []
        self.node_of: dict[TaskId, int] = {}  # leaf task -> node
        self.gates: dict[TaskId, tuple[int, int]] = {}  # summary -> (start gate, finish gate)
        self.edge_from: list[int] = []
        self.edge_to: list[int] = []
        self.edge_type: list[int] = []
        self.edge_lag: list[int] = []
        for task in data.tasks:
            self._add_task(task)
        self.in_edges: list[list[int]] = [[] for _ in self.owner]
        self.out_edges: list[list[int]] = [[] for _ in self.owner]
        self._hierarchy_edges()
        for link in data.links:
            self._add_link(link)

    def _calendars(self, data: ScheduleInput) -> None:
        self.timelines: list[WorkingTimeline] = [data.calendar.timeline()]
        self.cal_index: dict[str | None, int] = {None: 0}
        for calendar_id, calendar in data.calendars.items():
            self.cal_index[calendar_id] = len(self.timelines)
            self.timelines.append(calendar.timeline())
        self.start_at = [tl.position(data.project_start) for tl in self.timelines]
        status = data.status_date
        self.status_at = [tl.position(status) for tl in self.timelines] if status else None

    def timeline_of(self, task_id: TaskId) -> WorkingTimeline:
        return self.timelines[self._cal_of(self.tasks[task_id])]

    def _cal_of(self, task: ScheduleTask) -> int:
        try:
            return self.cal_index[task.calendar_id]
        except KeyError:
            raise ValueError(f"task {task.id}: unknown calendar {task.calendar_id!r}") from None

    def _new_node(self, task: ScheduleTask, kind: int, cal: int, bounds: _Bounds) -> int:
        node = len(self.owner)
        self.owner.append(task.id)
        self.kind.append(kind)
        self.cal.append(cal)
        self.bounds.append(bounds)
        leaf = kind == _TASK
        self.duration.append(task.duration if leaf else 0)
        timeline, status = self.timelines[cal], self._status(cal)
        self.fixed.append(_fixed_dates(task, timeline, status) if leaf else None)
        self.alap.append(leaf and task.constraint is Constraint.ALAP)
        return node

    def _status(self, cal: int) -> int | None:
        return None if self.status_at is None else self.status_at[cal]

    def _add_task(self, task: ScheduleTask) -> None:
        cal = self._cal_of(task)
        bounds = _task_bounds(task, self.timelines[cal], self.start_at[cal], self._status(cal))
        if task.id not in self.children:
            self.node_of[task.id] = self._new_node(task, _TASK, cal, bounds)
            return
        # A summary's start-side constraints hold its start gate, finish-side its finish gate.
        start_side = _Bounds(bounds.early_start, -_FAR, late_start=bounds.late_start)
        finish_side = _Bounds(
            self.start_at[cal], bounds.early_finish, late_finish=bounds.late_finish
        )
        self.gates[task.id] = (
            self._new_node(task, _START_GATE, cal, start_side),
            self._new_node(task, _FINISH_GATE, cal, finish_side),
        )

    def _entry(self, task_id: TaskId) -> int:
        gates = self.gates.get(task_id)
        return self.node_of[task_id] if gates is None else gates[0]

    def _exit(self, task_id: TaskId) -> int:
        gates = self.gates.get(task_id)
        return self.node_of[task_id] if gates is None else gates[1]

    def _add_edge(self, source: int, target: int, link_type: int, lag: int) -> None:
        edge = len(self.edge_from)
        self.edge_from.append(source)
        self.edge_to.append(target)
        self.edge_type.append(link_type)
        self.edge_lag.append(lag)
        self.out_edges[source].append(edge)
        self.in_edges[target].append(edge)

    def _hierarchy_edges(self) -> None:
        for summary_id, child_ids in self.children.items():
            start_gate, finish_gate = self.gates[summary_id]
            for child_id in child_ids:
                self._add_edge(start_gate, self._entry(child_id), _SS, 0)
                self._add_edge(self._exit(child_id), finish_gate, _FF, 0)

    def _add_link(self, link: ScheduleLink) -> None:
        code = _LINK_CODES[link.type]
        if code not in _TO_START and link.successor_id in self.gates:
            raise ValueError(
                f"link {link.predecessor_id}->{link.successor_id}: a summary task can only be "
                "the successor of a finish-to-start or start-to-start link"
            )
        source = self._endpoint(link.predecessor_id, code in _FROM_FINISH, link)
        self._add_edge(source, self._endpoint(link.successor_id, False, link), code, link.lag)

    def _endpoint(self, task_id: TaskId, finish: bool, link: ScheduleLink) -> int:
        """The node a link attaches to: the task, or its summary's start or finish gate."""
        node = self.node_of.get(task_id)
        if node is not None:
            return node
        gates = self.gates.get(task_id)
        if gates is None:
            raise ValueError(f"link {link.predecessor_id}->{link.successor_id}: no task {task_id}")
        return gates[1] if finish else gates[0]

    def topological_order(self) -> list[int]:
        """Kahn's algorithm (iterative: deep networks must not hit the recursion limit)."""
        waiting = [len(edges) for edges in self.in_edges]
        ready = deque(node for node, count in enumerate(waiting) if count == 0)
        order: list[int] = []
        edge_to, out_edges = self.edge_to, self.out_edges
        while ready:
            node = ready.popleft()
            order.append(node)
            for edge in out_edges[node]:
                target = edge_to[edge]
                waiting[target] -= 1
                if waiting[target] == 0:
                    ready.append(target)
        if len(order) < len(self.owner):
            raise ScheduleCycleError(self._find_cycle(waiting))
        return order

    def _find_cycle(self, waiting: list[int]) -> list[TaskId]:
        """Walk back along unscheduled predecessors until a node repeats: that loop is a cycle."""
        node = next(n for n, count in enumerate(waiting) if count > 0)
        seen: dict[int, int] = {}
        walk: list[int] = []
        while node not in seen:
            seen[node] = len(walk)
            walk.append(node)
            node = next(
                self.edge_from[e] for e in self.in_edges[node] if waiting[self.edge_from[e]] > 0
            )
        loop = walk[seen[node] :][::-1]  # predecessor -> successor order
        ids: list[TaskId] = []
        for owner in (self.owner[n] for n in loop):
            if not ids or ids[-1] != owner:
                ids.append(owner)
        if len(ids) > 1 and ids[0] == ids[-1]:
            ids.pop()
        return ids

    def carry(self, point: int, source: int, target: int, finish: bool) -> int:
        """A start (or finish) position in calendar `source` as a position in `target`."""
        timeline = self.timelines[source]
        minute = timeline.finish_minute(point) if finish else timeline.start_minute(point)
        return self.timelines[target].position_at(minute)

    def carry_back(self, bound: int, source: int, target: int) -> int:
        """A latest-allowed position in `source` as the latest position in `target`."""
        return self.timelines[target].position_at(self.timelines[source].start_minute(bound))


def _children_of(
    tasks: Sequence[ScheduleTask], by_id: Mapping[TaskId, ScheduleTask]
) -> dict[TaskId, list[TaskId]]:
    children: dict[TaskId, list[TaskId]] = {}
    for task in tasks:
        if task.parent_id is None:
            continue
        if task.parent_id not in by_id:
            raise ValueError(f"task {task.id}: no parent task {task.parent_id}")
        children.setdefault(task.parent_id, []).append(task.id)
    for task in tasks:  # a parent loop would make every ancestor walk endless
        seen = {task.id}
        parent = task.parent_id
        while parent is not None:
            if parent in seen:
                raise ValueError(f"task {task.id}: its parents form a loop")
            seen.add(parent)
            parent = by_id[parent].parent_id
    return children


def _task_bounds(
    task: ScheduleTask, timeline: WorkingTimeline, start: int, status: int | None
) -> _Bounds:
    constraint = task.constraint
    at = timeline.position(task.constraint_date) if task.constraint_date else 0
    early_start, early_finish, late_start, late_finish = start, -_FAR, _FAR, _FAR
    if status is not None and task.actual_start is None and task.actual_finish is None:
        early_start = max(early_start, status)  # remaining work starts at the status date
    if constraint in (Constraint.SNET, Constraint.MSO):
        early_start = max(early_start, at)
    if constraint in (Constraint.FNET, Constraint.MFO):
        early_finish = at
    if constraint in (Constraint.SNLT, Constraint.MSO):
        late_start = at
    if constraint in (Constraint.FNLT, Constraint.MFO):
        late_finish = at
    if task.deadline is not None:
        late_finish = min(late_finish, timeline.position(task.deadline))
    return _Bounds(early_start, early_finish, late_start, late_finish)


def _fixed_dates(
    task: ScheduleTask, timeline: WorkingTimeline, status: int | None
) -> tuple[int, int] | None:
    """Dates that logic does not move: actuals, and manually scheduled tasks."""
    duration = task.duration
    if task.actual_finish is not None:
        finish = timeline.position(task.actual_finish)
        start = timeline.position(task.actual_start) if task.actual_start else finish - duration
        return start, finish
    if task.actual_start is not None:
        start = timeline.position(task.actual_start)
        done = duration * task.percent_complete // 100
        resume = start + done
        if status is not None and task.percent_complete < 100:
            resume = max(resume, status)
        return start, resume + duration - done
    if task.manual and task.manual_start is not None:
        start = timeline.position(task.manual_start)
        finish = timeline.position(task.manual_finish) if task.manual_finish else start + duration
        return start, max(start, finish)
    return None


# -- the passes ---------------------------------------------------------------------------------


class _Passes:
    """Forward pass, project finish, backward pass and free float over a topological order."""

    def __init__(self, network: _Network, order: list[int]) -> None:
        self.net = network
        self.order = order
        self.early_start, self.early_finish = self._forward()
        self.project_finish_minute, self.finish_at = self._project_finish()
        self.late_start, self.late_finish = self._backward()
        self.free = self._free_floats()

    def _forward(self) -> tuple[list[int], list[int]]:
        net = self.net
        es, ef = [0] * len(net.owner), [0] * len(net.owner)
        cal, fixed, bounds, duration = net.cal, net.fixed, net.bounds, net.duration
        edge_from, edge_type, edge_lag = net.edge_from, net.edge_type, net.edge_lag
        for node in self.order:
            dates = fixed[node]
            if dates is not None:
                es[node], ef[node] = dates
                continue
            own = cal[node]
            start, finish = bounds[node].early_start, bounds[node].early_finish
            for edge in net.in_edges[node]:
                source, kind = edge_from[edge], edge_type[edge]
                from_finish = kind in _FROM_FINISH
                point = ef[source] if from_finish else es[source]
                if cal[source] != own:
                    point = net.carry(point, cal[source], own, from_finish)
                point += edge_lag[edge]
                if kind in _TO_START:
                    if point > start:
                        start = point
                elif point > finish:
                    finish = point
            start = max(start, finish - duration[node])
            es[node], ef[node] = start, start + duration[node]
        return es, ef

    def _project_finish(self) -> tuple[int, list[int]]:
        """The latest finish over all tasks, as a minute and as a position in each calendar."""
        net = self.net
        latest: dict[int, int] = {}
        for node, finish in enumerate(self.early_finish):
            if finish > latest.get(net.cal[node], -_FAR):
                latest[net.cal[node]] = finish
        if not latest:
            minute = net.timelines[0].start_minute(net.start_at[0])
        else:
            minute = max(net.timelines[c].finish_minute(p) for c, p in latest.items())
        return minute, [timeline.position_at(minute) for timeline in net.timelines]

    def _backward(self) -> tuple[list[int], list[int]]:
        net = self.net
        ls, lf = [0] * len(net.owner), [0] * len(net.owner)
        es, ef, finish_at = self.early_start, self.early_finish, self.finish_at
        cal, bounds = net.cal, net.bounds
        edge_to, edge_type, edge_lag = net.edge_to, net.edge_type, net.edge_lag
        for node in reversed(self.order):
            own, span = cal[node], ef[node] - es[node]
            finish = min(finish_at[own], bounds[node].late_finish)
            start = bounds[node].late_start
            for edge in net.out_edges[node]:
                target, kind = edge_to[edge], edge_type[edge]
                bound = (ls[target] if kind in _TO_START else lf[target]) - edge_lag[edge]
                if cal[target] != own:
                    bound = net.carry_back(bound, cal[target], own)
                if kind in _FROM_FINISH:
                    if bound < finish:
                        finish = bound
                elif bound < start:
                    start = bound
            finish = min(finish, start + span)
            lf[node], ls[node] = finish, finish - span
        return ls, lf

    def _free_floats(self) -> list[int]:
        """Slack before the first successor moves; through a summary gate, plus the gate's own."""
        net = self.net
        es, ef, lf, finish_at = (
            self.early_start,
            self.early_finish,
            self.late_finish,
            self.finish_at,
        )
        cal, kind = net.cal, net.kind
        edge_to, edge_type, edge_lag = net.edge_to, net.edge_type, net.edge_lag
        free = [0] * len(net.owner)
        for node in reversed(self.order):
            own, edges = cal[node], net.out_edges[node]
            best = finish_at[own] - ef[node] if not edges else _FAR
            for edge in edges:
                target, link = edge_to[edge], edge_type[edge]
                bound = (es[target] if link in _TO_START else ef[target]) - edge_lag[edge]
                if cal[target] != own:
                    bound = net.carry_back(bound, cal[target], own)
                slack = bound - (ef[node] if link in _FROM_FINISH else es[node])
                if kind[target] != _TASK:
                    slack += free[target]
                best = min(best, slack)
            free[node] = min(best, lf[node] - ef[node])
        return free

    # -- results ------------------------------------------------------------------------------

    def results(self) -> dict[TaskId, TaskSchedule]:
        net = self.net
        results: dict[TaskId, TaskSchedule] = {}
        for task_id, node in net.node_of.items():
            results[task_id] = self._leaf_result(task_id, node)
        for summary_id in _deepest_first(net):
            results[summary_id] = self._summary_result(summary_id, results)
        return {task.id: results[task.id] for task in net.data.tasks}

    def _leaf_result(self, task_id: TaskId, node: int) -> TaskSchedule:
        es, ef = self.early_start[node], self.early_finish[node]
        ls, lf = self.late_start[node], self.late_finish[node]
        total = lf - ef
        late = self.net.alap[node] and self.net.fixed[node] is None
        task = self.net.tasks[task_id]
        # Finished work cannot delay anything any more: like Microsoft Project, never critical.
        done = task.actual_finish is not None or task.percent_complete >= 100
        return TaskSchedule(
            task_id=task_id,
            summary=False,
            early_start=es,
            early_finish=ef,
            late_start=ls,
            late_finish=lf,
            total_float=total,
            free_float=self.free[node],
            critical=total <= 0 and not done,
            start=ls if late else es,
            finish=lf if late else ef,
        )

    def _summary_result(
        self, summary_id: TaskId, results: Mapping[TaskId, TaskSchedule]
    ) -> TaskSchedule:
        """Roll up the children (deeper summaries come first) in the summary's calendar."""
        net = self.net
        finish_gate = net.gates[summary_id][1]
        own = net.cal[finish_gate]
        starts: list[tuple[int, int, int]] = []
        finishes: list[tuple[int, int, int]] = []
        for child_id in net.children[summary_id]:
            child = results[child_id]
            child_cal = net.cal[net._exit(child_id)]
            values = [child.early_start, child.late_start, child.start]
            ends = [child.early_finish, child.late_finish, child.finish]
            if child_cal != own:
                values = [net.carry(v, child_cal, own, False) for v in values]
                ends = [net.carry(v, child_cal, own, True) for v in ends]
            starts.append((values[0], values[1], values[2]))
            finishes.append((ends[0], ends[1], ends[2]))
        es, ls, start = (min(column) for column in zip(*starts, strict=True))
        ef, lf, finish = (max(column) for column in zip(*finishes, strict=True))
        total = min(ls - es, lf - ef)
        return TaskSchedule(
            task_id=summary_id,
            summary=True,
            early_start=es,
            early_finish=ef,
            late_start=ls,
            late_finish=lf,
            total_float=total,
            free_float=min(self.free[finish_gate], total),
            critical=total <= 0 and any(results[c].critical for c in net.children[summary_id]),
            start=start,
            finish=finish,
        )

    def critical_path(self) -> tuple[TaskId, ...]:
        """Walk back from the critical task finishing last along driving links between
        critical tasks; summary gates are passed through but not listed."""
        net = self.net
        ef, lf, finish_at = self.early_finish, self.late_finish, self.finish_at
        ends = [n for n in net.node_of.values() if lf[n] - ef[n] <= 0]
        if not ends:
            return ()
        rank = {node: index for index, node in enumerate(self.order)}
        # Finishing last first, then most critical, then last in logic (FF-linked finishers).
        node: int | None = min(
            ends, key=lambda n: (finish_at[net.cal[n]] - ef[n], lf[n] - ef[n], -rank[n])
        )
        path: list[TaskId] = []
        while node is not None:
            if net.kind[node] == _TASK:
                path.append(net.owner[node])
            node = self._driving_critical_predecessor(node)
        return tuple(reversed(path))

    def _driving_critical_predecessor(self, node: int) -> int | None:
        net = self.net
        es, ef, lf = self.early_start, self.early_finish, self.late_finish
        own = net.cal[node]
        for edge in net.in_edges[node]:
            source, kind = net.edge_from[edge], net.edge_type[edge]
            if lf[source] - ef[source] > 0:
                continue
            from_finish = kind in _FROM_FINISH
            point = ef[source] if from_finish else es[source]
            if net.cal[source] != own:
                point = net.carry(point, net.cal[source], own, from_finish)
            driven = es[node] if kind in _TO_START else ef[node]
            if point + net.edge_lag[edge] == driven:
                return source
        return None


def _deepest_first(network: _Network) -> list[TaskId]:
    """Summaries ordered so that every summary comes after the summaries inside it."""
    depth: dict[TaskId, int] = {}
    for summary_id in network.children:
        level, parent = 0, network.tasks[summary_id].parent_id
        while parent is not None:
            level, parent = level + 1, network.tasks[parent].parent_id
        depth[summary_id] = level
    return sorted(network.children, key=lambda summary_id: -depth[summary_id])
