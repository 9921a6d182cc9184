"""Budget lines as earned-value input (pure: no Django imports).

Labour is budgeted on the tasks (their baseline cost, measured by their progress); every other
budget line (contractors, hardware, software, travel, other) is planned spend that no task
carries, so it joins BAC as a branch of its own:

* BAC: the line's amount.
* PV: its month plans, each spread evenly over its calendar month; what the months leave
  unplanned is spread over the project's start to target date (else placed on the first of
  them known, else on the status date). Months that plan more than the line are cut at it.
* AC: the paid expenses booked on the line, on their dates (committed ones are not spent).
* EV: what has been delivered of it, taken as paid / amount (at most all of it): a bought item
  is earned when it is paid for. Its history follows the payment dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from resources.evm.engine import CONTINUOUS, DatedAmount, EvmTask, ProgressPoint

LINES_BRANCH_BASE = -(10**12)  # pseudo-task ids of the lines: below every real and other id


LINE_SPACING = 1_000_000  # a line's parent id, then its months' ids below it


def line_branch(line_id: int) -> int:
    """The id of the pseudo-task that holds a budget line's branch (and its payments)."""
    return LINES_BRANCH_BASE - line_id * LINE_SPACING


def is_line_branch(task_id: int) -> bool:
    return task_id <= LINES_BRANCH_BASE and task_id % LINE_SPACING == 0


@dataclass(frozen=True)
class PlannedLine:
    """A non-labour budget line with its month plans (month = the first day) and payments."""

    id: int
    name: str
    amount: Decimal
    months: tuple[tuple[date, Decimal], ...] = ()
    paid: tuple[DatedAmount, ...] = ()  # paid expenses on the line, by day


@dataclass(frozen=True)
class ProjectSpan:
    start: date | None
    target: date | None
    status: date


def _month_after(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


Spread = tuple[Decimal, datetime, datetime]  # an amount planned evenly from one instant to another


def _spread(amount: Decimal, first: date, end: date) -> Spread:
    """`amount` spread evenly over the days [first, end) (a day at least)."""
    return amount, _midnight(first), _midnight(max(end, first + timedelta(days=1)))


def _unplanned_span(line: PlannedLine, span: ProjectSpan) -> tuple[date, date]:
    if span.start and span.target and span.start <= span.target:
        return span.start, span.target + timedelta(days=1)
    if line.months:
        return line.months[0][0], _month_after(line.months[-1][0])
    day = span.start or span.target or span.status
    return day, day + timedelta(days=1)


def _earned(line: PlannedLine, status: date) -> tuple[Fraction, tuple[ProgressPoint, ...]]:
    """Percent delivered at the status date (paid / amount, at most 100) and its history."""
    if not line.amount:
        return Fraction(0), ()
    points, paid, percent = [], Fraction(0), Fraction(0)
    for payment in sorted(line.paid, key=lambda p: p.day):
        if payment.day > status:
            break
        paid += Fraction(payment.amount)
        percent = min(paid * 100 / Fraction(line.amount), Fraction(100))
        points.append(ProgressPoint(payment.day, percent))
    return percent, tuple(points)


def line_tasks(lines: Sequence[PlannedLine], span: ProjectSpan) -> list[EvmTask]:
    """Each line as a branch: a parent holding its payments, a child per planned month."""
    result: list[EvmTask] = []
    for line in lines:
        parent = line_branch(line.id)
        percent, history = _earned(line, span.status)
        spreads: list[Spread] = []
        left = line.amount
        for month, planned in line.months:
            amount = min(planned, left)
            if amount <= 0:
                continue
            left -= amount
            spreads.append(_spread(amount, month, _month_after(month)))
        if left > 0:
            spreads.append(_spread(left, *_unplanned_span(line, span)))
        result.append(EvmTask(id=parent, name=line.name, actual_cost_by_day=line.paid))
        for number, (amount, start, finish) in enumerate(spreads, start=1):
            result.append(
                EvmTask(
                    id=parent - number,
                    parent_id=parent,
                    name=f"{line.name} ({start:%b %Y})",
                    bac=amount,
                    baseline_start=start,
                    baseline_finish=finish,
                    percent_complete=percent,
                    progress_history=history,
                    timeline=CONTINUOUS,
                )
            )
    return result
