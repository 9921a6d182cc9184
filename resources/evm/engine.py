"""Earned value at a status date, per project and per WBS branch (pure: no Django imports).

Data in (`EvmInput` of `EvmTask` rows), data out (`EvmResult`): the figures of the whole project,
of every branch of the work breakdown (each task with everything under it), and the S-curve.
Everything is computed exactly, with `fractions.Fraction`; the figures derived from the four
measured amounts (their formulas, rounding for display, "not defined yet") are `EvmFigures`, in
resources/evm/figures.py.

The status date
    Figures are "as of the end of the status date": the whole status day counts (time-phased
    amounts dated on it, working time until midnight).

Planned value (PV), from the baseline
    A task's budget at completion (BAC) is its baseline cost. Its planned value at an instant is
    either its baseline *time-phased* cost (`planned_by_day`, an amount per day counted at the end
    of that day; it must add up to BAC), or, when none is given, BAC spread *linearly over
    working time* between its baseline start and finish, on the task's calendar (else the
    project's): PV(t) = BAC x working minutes of [start, min(t, finish)] / working minutes of
    [start, finish]. A task with no working time in its baseline span (a milestone) plans its
    whole cost at its finish.

Earned value (EV)
    EV = BAC x percent complete / 100, with the percent the caller gives (physical % complete
    or duration-based % complete: the caller chooses, the engine does not mix them). For the
    S-curve, EV before the status date comes from each task's `progress_history` (percent
    complete as of the end of a day: recorded changes). A task without recorded progress is
    placed in time by its dated work instead: it reaches its percent at the status date in step
    with its dated actual cost (approved time, by day), else linearly over its worked time
    (actual, else baseline, start to actual finish or the status date); a task nothing was
    worked on before the status date earns its percent at the status date. So EV has a real
    history wherever dated work exists, and no progress is placed before work was done.

Actual cost (AC): cumulative versus per period
    `actual_cost_by_day` holds the amounts *spent on* each day (per-day, not running totals).
    AC at the status date is *cumulative*: every amount dated on or before the status date, plus
    `actual_cost_undated` (a total without dates, such as an imported `Task.actual_cost`). On the
    S-curve every point has both `ac_cumulative` and `ac_in_period` (spent since the previous
    point); undated actual cost is spread linearly over the task's working time from its actual
    (else baseline) start until its actual finish or the status date, whichever is first (at
    the status date when that span is empty).

Branches
    Every task counts its own amounts, for itself and for every task above it. Summary rows
    normally carry none (a rolled-up sum passed as a summary's own amount would count twice):
    they group their tasks into a branch, and `EvmResult.branches[summary_id]` is that branch.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Context, Decimal, Inexact, localcontext
from fractions import Fraction
from typing import Literal

from projects.calendars.timeline import WorkingCalendar, WorkingTime, WorkingTimeline
from resources.evm.figures import ZERO, EvmFigures

Number = Decimal | Fraction | int
Period = Literal["week", "month"]
PERIODS: tuple[Period, ...] = ("week", "month")

# Every hour of every day: for callers who have no calendar (PV then spreads over elapsed time).
CONTINUOUS = WorkingCalendar.weekly(
    working_days=range(7), times=(WorkingTime(0, 24 * 60),), name="Continuous"
).timeline()


def _exact(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


# Additions of Decimal amounts are done in Decimal (fast) but exactly: this context would raise
# `decimal.Inexact` rather than round (200 digits: no amount of money comes near).
_EXACT_SUMS = Context(prec=200, traps=[Inexact])


def _exact_sum(values: Iterable[Number]) -> Fraction:
    """The exact sum of Decimal, int or Fraction values."""
    decimals, fractions = Decimal(0), ZERO
    with localcontext(_EXACT_SUMS):
        for value in values:
            if isinstance(value, Fraction):
                fractions += value
            else:
                decimals += value
    return Fraction(decimals) + fractions if fractions else Fraction(decimals)


# -- input ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DatedAmount:
    """An amount of money on one day (planned on it, or spent on it: never a running total)."""

    day: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """Percent complete as of the end of `day` (0-100)."""

    day: date
    percent: Number


@dataclass(frozen=True)
class EvmTask:
    """One task of the plan. Datetimes are naive wall-clock times in the project's zone."""

    id: int
    parent_id: int | None = None
    name: str = ""
    bac: Number = 0  # budget at completion: the task's baseline cost
    baseline_start: datetime | None = None
    baseline_finish: datetime | None = None
    planned_by_day: tuple[DatedAmount, ...] = ()  # time-phased baseline cost; () -> linear
    percent_complete: Number = 0  # as of the status date (physical or duration-based)
    progress_history: tuple[ProgressPoint, ...] = ()  # earlier percents, for the S-curve
    actual_cost_by_day: tuple[DatedAmount, ...] = ()  # spent per day (not cumulative)
    actual_cost_undated: Number = 0  # spent, day unknown (an imported total)
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    timeline: WorkingTimeline | None = None  # the task's calendar; None: the project's


@dataclass(frozen=True)
class EvmInput:
    tasks: Sequence[EvmTask]
    status_date: date
    timeline: WorkingTimeline = CONTINUOUS  # the project's calendar, compiled
    period: Period = "week"  # S-curve points at the end of each ISO week or calendar month


# -- output (the figures of a branch: resources/evm/figures.py) ------------------------------


@dataclass(frozen=True)
class CurvePoint:
    """The S-curve at the end of `day`: cumulative PV, EV, AC; EV and AC None after the status.

    `pv_in_period` and `ac_in_period` are the amounts since the previous point (a period, or the
    part of one before or after the status date); the first point (the day before anything) is
    all zeros.
    """

    day: date
    pv_cumulative: Fraction
    ev_cumulative: Fraction | None
    ac_cumulative: Fraction | None
    pv_in_period: Fraction
    ac_in_period: Fraction | None
    is_status_date: bool = False


@dataclass(frozen=True)
class EvmResult:
    status_date: date
    project: EvmFigures
    branches: dict[int, EvmFigures]  # every task id -> that task and everything below it
    curve: tuple[CurvePoint, ...]
    period: Period
    leaf_ids: frozenset[int] = field(default_factory=frozenset)


# -- the engine -----------------------------------------------------------------------------


def _day_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time())


class _Linear:
    """An amount spread linearly over the working time between two instants."""

    __slots__ = ("amount", "finish", "finish_day", "first", "span", "start_day", "timeline")

    def __init__(
        self, amount: Fraction, start: datetime, finish: datetime, timeline: WorkingTimeline
    ) -> None:
        if finish < start:
            raise ValueError(f"finish {finish} is before start {start}")
        self.amount, self.finish, self.timeline = amount, finish, timeline
        self.first = timeline.position(start)
        self.span = timeline.position(finish) - self.first
        self.start_day, self.finish_day = start.date(), finish.date()

    def at_day_end(self, day: date) -> Fraction:
        end = _day_end(day)
        if self.span <= 0:
            return self.amount if end >= self.finish else ZERO
        worked = min(max(self.timeline.position(end) - self.first, 0), self.span)
        return self.amount * worked / self.span


def _check(task: EvmTask) -> None:
    percent = _exact(task.percent_complete)
    if not 0 <= percent <= 100:
        raise ValueError(f"task {task.id}: percent complete {percent} is not within 0-100")
    if _exact(task.bac) < 0:
        raise ValueError(f"task {task.id}: a negative baseline cost ({task.bac})")
    for point in task.progress_history:
        if not 0 <= _exact(point.percent) <= 100:
            raise ValueError(f"task {task.id}: percent {point.percent} on {point.day} not 0-100")
    if task.planned_by_day:
        planned = _exact_sum(a.amount for a in task.planned_by_day)
        if planned != _exact(task.bac):
            raise ValueError(
                f"task {task.id}: its time-phased baseline cost adds up to {float(planned):.2f},"
                f" not its baseline cost {task.bac}"
            )
    elif task.bac and (task.baseline_start is None or task.baseline_finish is None):
        raise ValueError(f"task {task.id}: a baseline cost without baseline dates")


def _planned(task: EvmTask, timeline: WorkingTimeline) -> _Linear | None:
    if task.planned_by_day or not task.bac:
        return None
    assert task.baseline_start is not None and task.baseline_finish is not None
    return _Linear(_exact(task.bac), task.baseline_start, task.baseline_finish, timeline)


def _pv_at(task: EvmTask, linear: _Linear | None, day: date) -> Fraction:
    if linear is not None:
        return linear.at_day_end(day)
    return _exact_sum(a.amount for a in task.planned_by_day if a.day <= day)


def _undated_spread(task: EvmTask, status: date, timeline: WorkingTimeline) -> _Linear | None:
    """Undated actual cost over the task's worked time until the status date (None: at it)."""
    amount = _exact(task.actual_cost_undated)
    start = task.actual_start or task.baseline_start
    if not amount or start is None:
        return None
    end = min(task.actual_finish or _day_end(status), _day_end(status))
    if end <= start or timeline.position(end) <= timeline.position(start):
        return None
    return _Linear(amount, start, end, timeline)


def _ancestry(tasks: Sequence[EvmTask]) -> dict[int, tuple[int, ...]]:
    """Each task id -> itself and its ancestors (nearest first); refuses loops, unknown parents."""
    parents = {task.id: task.parent_id for task in tasks}
    if len(parents) != len(tasks):
        raise ValueError("two tasks share an id")
    chains: dict[int, tuple[int, ...]] = {}
    for task_id in parents:
        path: list[int] = []
        current: int | None = task_id
        while current is not None and current not in chains:
            if current in path:
                raise ValueError(f"task {current} is its own ancestor")
            if current not in parents:
                raise ValueError(f"task {path[-1]} has an unknown parent {current}")
            path.append(current)
            current = parents[current]
        tail = chains[current] if current is not None else ()
        for index in range(len(path) - 1, -1, -1):
            tail = (path[index], *tail)
            chains[path[index]] = tail
    return chains


def _own_figures(task: EvmTask, linear: _Linear | None, status: date) -> EvmFigures:
    bac = _exact(task.bac)
    actual = _exact_sum(a.amount for a in task.actual_cost_by_day if a.day <= status)
    return EvmFigures(
        bac=bac,
        pv=_pv_at(task, linear, status),
        ev=bac * _exact(task.percent_complete) / 100,
        ac=actual + _exact(task.actual_cost_undated),
    )


def evaluate(data: EvmInput) -> EvmResult:
    """Earned value of every branch and of the project at the status date, and the S-curve."""
    for task in data.tasks:
        _check(task)
    chains = _ancestry(data.tasks)
    status = data.status_date
    linears = {task.id: _planned(task, task.timeline or data.timeline) for task in data.tasks}
    branches = {task.id: _own_figures(task, linears[task.id], status) for task in data.tasks}
    # deepest first, each branch adds itself to its parent's: one addition per task
    for task in sorted(data.tasks, key=lambda t: -len(chains[t.id])):
        if task.parent_id is not None:
            branches[task.parent_id] += branches[task.id]
    roots = [branches[task.id] for task in data.tasks if task.parent_id is None]
    project = sum(roots[1:], roots[0]) if roots else EvmFigures()
    has_children = {task.parent_id for task in data.tasks if task.parent_id is not None}
    leaves = frozenset(task.id for task in data.tasks if task.id not in has_children)
    curve = s_curve(data, linears)
    return EvmResult(status, project, branches, curve, data.period, leaves)


# -- the S-curve ----------------------------------------------------------------------------


def period_end(day: date, period: Period) -> date:
    """The last day of the ISO week (Sunday) or calendar month that holds `day`."""
    if period == "week":
        return day + timedelta(days=6 - day.weekday())
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _days_of(task: EvmTask) -> Iterable[date]:
    for moment in (task.baseline_start, task.baseline_finish, task.actual_start):
        if moment is not None:
            yield moment.date()
    for amount in (*task.planned_by_day, *task.actual_cost_by_day):
        yield amount.day
    for point in task.progress_history:
        yield point.day


def curve_days(data: EvmInput) -> list[date]:
    """The S-curve's points: the day before anything, each period end, and the status date."""
    days = [day for task in data.tasks for day in _days_of(task)]
    days.append(data.status_date)
    first, last = min(days), max(days)
    points = {first - timedelta(days=1), data.status_date}
    end = period_end(first, data.period)
    while True:
        points.add(end)
        if end >= last:
            break
        end = period_end(end + timedelta(days=1), data.period)
    return sorted(points)


def _decimal_ratio(value: Decimal) -> tuple[int, int]:
    """A finite Decimal as integers n, d with value == n / d (d a power of ten), exactly."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int), value  # amounts of money are finite
    number = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    if exponent >= 0:
        return number * 10**exponent, 1
    return number, 10**-exponent


def _balanced_sum(values: list[Fraction]) -> Fraction:
    """The exact sum, added in halves: two small fractions at a time rather than each into an
    ever larger running total (whose denominator grows with every term)."""
    while len(values) > 1:
        pairs = [a + b for a, b in zip(values[::2], values[1::2], strict=False)]
        values = [*pairs, values[-1]] if len(values) % 2 else pairs
    return values[0] if values else ZERO


class _Sums:
    """Exact sums per point of the curve: integer numerators per denominator until read, so
    thousands of tasks' increments (each with its own denominator: a total cost, a span of
    working minutes) cost an integer addition each, then one balanced sum per point."""

    __slots__ = ("parts",)

    def __init__(self, size: int) -> None:
        self.parts: list[dict[int, int]] = [{} for _ in range(size)]

    def add(self, index: int, value: Fraction) -> None:
        self.add_ratio(index, value.numerator, value.denominator)

    def add_ratio(self, index: int, numerator: int, denominator: int) -> None:
        """Add numerator / denominator (not necessarily in lowest terms)."""
        part = self.parts[index]
        part[denominator] = part.get(denominator, 0) + numerator

    def totals(self) -> list[Fraction]:
        return [_balanced_sum([Fraction(n, d) for d, n in part.items()]) for part in self.parts]


class _Curve:
    """Per-point increments of PV, EV and AC, summed into cumulative figures at the end."""

    def __init__(self, days: list[date], status: date) -> None:
        self.days, self.status = days, status
        self.status_index = days.index(status)
        size = len(days)
        self.pv, self.ev, self.ac = _Sums(size), _Sums(size), _Sums(size)
        # dated amounts add up in Decimal, exactly (see _EXACT_SUMS), then join the fractions
        self.pv_dated: list[Decimal] = [Decimal(0)] * size
        self.ac_dated: list[Decimal] = [Decimal(0)] * size

    def index(self, day: date) -> int:
        """The first point at or after `day` (amounts of a day count at its point)."""
        return bisect_left(self.days, day)

    def add_linear(self, target: _Sums, linear: _Linear) -> None:
        """The increments of a linear spread, at the points from its start to its finish day."""
        first = self.index(linear.start_day)
        last = min(self.index(linear.finish_day), len(self.days) - 1)
        previous = ZERO
        for index in range(first, last + 1):
            value = linear.at_day_end(self.days[index])
            target.add(index, value - previous)
            previous = value

    def add_task(
        self,
        task: EvmTask,
        timeline: WorkingTimeline,
        linear: _Linear | None,
        *,
        with_ev: bool = True,
    ) -> None:
        if linear is not None:
            self.add_linear(self.pv, linear)
        with localcontext(_EXACT_SUMS):
            for amount in task.planned_by_day:
                self.pv_dated[self.index(amount.day)] += amount.amount
            for amount in task.actual_cost_by_day:
                if amount.day <= self.status:
                    self.ac_dated[self.index(amount.day)] += amount.amount
        undated = _undated_spread(task, self.status, timeline)
        if undated is not None:
            self.add_linear(self.ac, undated)
        elif task.actual_cost_undated:
            self.ac.add(self.status_index, _exact(task.actual_cost_undated))
        if with_ev:
            self._add_progress(task, timeline)

    def _recorded_progress(self, history: Sequence[ProgressPoint]) -> dict[int, Fraction]:
        """Percent complete at each point before the status date where it was recorded: the
        last value recorded up to that point (points in insertion order, so by index)."""
        values: dict[int, Fraction] = {}
        for point in sorted(history, key=lambda p: p.day):
            if point.day >= self.status:
                break
            values[self.index(point.day)] = _exact(point.percent)
        return values

    def _linear_progress(self, task: EvmTask, timeline: WorkingTimeline) -> dict[int, Fraction]:
        """Without dated cost: the percent spread linearly over the task's worked time (actual,
        else baseline, start to actual finish or the status date), at each point before it."""
        percent = _exact(task.percent_complete)
        spread = _undated_spread(replace(task, actual_cost_undated=percent), self.status, timeline)
        if spread is None:
            return {}
        first = self.index(spread.start_day)
        return {
            index: spread.at_day_end(self.days[index]) for index in range(first, self.status_index)
        }

    def _add_progress(self, task: EvmTask, timeline: WorkingTimeline) -> None:
        """EV increments of a task: from its recorded percents; without any, from its dated
        work: its percent at the status date reached in step with its dated actual cost (a task
        half of whose cost was spent by a day was half as far along then as it is now), else
        linearly over its worked time. Nothing worked before the status date: no earlier
        progress, all its EV at the status date.

        Only each point's last value matters (the increments within a point add up to it), so
        the work is per point of the curve, not per recorded day or dated amount."""
        bac = _exact(task.bac)
        if not bac:
            return
        percent = _exact(task.percent_complete)
        if not task.progress_history and percent:
            dated = [a for a in task.actual_cost_by_day if a.day <= self.status]
            if dated:
                total = _exact_sum(a.amount for a in dated)
                if total > 0:
                    self._add_in_step_with_cost(bac * percent / 100 / total, dated, total)
                    return
        if task.progress_history:
            values = self._recorded_progress(task.progress_history)
        else:
            values = self._linear_progress(task, timeline) if percent else {}
        previous = ZERO
        for index, value in values.items():
            self.ev.add(index, bac * (value - previous) / 100)
            previous = value
        self.ev.add(self.status_index, bac * (percent - previous) / 100)

    def _add_in_step_with_cost(
        self, earned_per_cost: Fraction, dated: list[DatedAmount], total: Fraction
    ) -> None:
        """EV in step with the dated cost: each point before the status date earns
        `earned_per_cost` x the cost spent in it; the status date earns the rest (the cost
        dated on the status day itself, which counts there, not at an earlier point).

        Amounts add up in Decimal (exactly) per point, and each point's share goes in as an
        integer ratio: no fraction is reduced per amount."""
        spent_at: dict[int, Decimal] = {}
        with localcontext(_EXACT_SUMS):
            for amount in dated:
                if amount.day < self.status:
                    index = self.index(amount.day)
                    spent_at[index] = spent_at.get(index, Decimal(0)) + amount.amount
            spent = sum(spent_at.values(), Decimal(0))
        numerator, denominator = earned_per_cost.numerator, earned_per_cost.denominator
        for index, cost in spent_at.items():
            digits, scale = _decimal_ratio(cost)
            self.ev.add_ratio(index, numerator * digits, denominator * scale)
        self.ev.add(self.status_index, earned_per_cost * (total - Fraction(spent)))

    def points(self) -> tuple[CurvePoint, ...]:
        pv_in = [s + _exact(d) for s, d in zip(self.pv.totals(), self.pv_dated, strict=True)]
        ac_in = [s + _exact(d) for s, d in zip(self.ac.totals(), self.ac_dated, strict=True)]
        ev_in = self.ev.totals()
        result = []
        pv = ev = ac = ZERO
        for index, day in enumerate(self.days):
            pv += pv_in[index]
            ev += ev_in[index]
            ac += ac_in[index]
            known = index <= self.status_index
            result.append(
                CurvePoint(
                    day=day,
                    pv_cumulative=pv,
                    ev_cumulative=ev if known else None,
                    ac_cumulative=ac if known else None,
                    pv_in_period=pv_in[index],
                    ac_in_period=ac_in[index] if known else None,
                    is_status_date=index == self.status_index,
                )
            )
        return tuple(result)


def s_curve(
    data: EvmInput,
    linears: dict[int, _Linear | None] | None = None,
    *,
    with_ev: bool = True,
) -> tuple[CurvePoint, ...]:
    """Cumulative PV, EV and AC at the end of each period (and of the status date).

    `with_ev=False` leaves EV at zero (the points' `ev_cumulative` then means nothing), for
    callers that read only PV and AC, such as the budget burn: EV is most of the work."""
    if not data.tasks:
        return ()
    curve = _Curve(curve_days(data), data.status_date)
    for task in data.tasks:
        timeline = task.timeline or data.timeline
        linear = linears[task.id] if linears is not None else _planned(task, timeline)
        curve.add_task(task, timeline, linear, with_ev=with_ev)
    return curve.points()
