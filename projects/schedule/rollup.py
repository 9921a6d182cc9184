"""Summary tasks take their duration, progress, effort and costs from the tasks under them
(pure; no Django).

A summary's duration is the working time its tasks span: from its rolled-up start to its
rolled-up finish, in working minutes of the summary's own calendar (its positions from the
engine), whatever the durations below add up to. `project_reschedule` stores it, so the pages,
the API, the exports and MS Project files all read the same figure.

Progress is the weighted average of the working tasks below a summary, weighted by duration or,
when the project chooses, by effort (a task without effort then weighs nothing; with no effort
anywhere below it falls back to duration). Milestones and zero-length tasks only count when
nothing below has a weight. Effort and costs are sums.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Weighting = Literal["duration", "effort"]


@dataclass(frozen=True, slots=True)
class RollupRow:
    id: int
    parent_id: int | None
    duration: int  # working minutes
    percent_complete: int
    effort_hours: Decimal | None = None
    cost: Decimal | None = None
    actual_cost: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Rollup:
    percent_complete: int
    effort_hours: Decimal | None
    cost: Decimal | None = None
    actual_cost: Decimal | None = None


def summary_minutes(start: int, finish: int) -> int:
    """A summary's duration from its start and finish positions (working minutes of its
    calendar): the span of its tasks, 0 when they are all milestones at one instant."""
    return max(0, finish - start)


def _plus(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    return total if value is None else (total or Decimal(0)) + value


@dataclass
class _Totals:
    duration: int = 0
    by_duration: int = 0
    effort_weight: Decimal = Decimal(0)
    by_effort: Decimal = Decimal(0)
    count: int = 0
    percents: int = 0
    sums: dict[str, Decimal | None] = field(
        default_factory=lambda: {"effort": None, "cost": None, "actual_cost": None}
    )

    def add_leaf(self, row: RollupRow) -> None:
        self.duration += row.duration
        self.by_duration += row.duration * row.percent_complete
        effort = row.effort_hours or Decimal(0)
        self.effort_weight += effort
        self.by_effort += effort * row.percent_complete
        self.count += 1
        self.percents += row.percent_complete
        for name, value in (
            ("effort", row.effort_hours),
            ("cost", row.cost),
            ("actual_cost", row.actual_cost),
        ):
            self.sums[name] = _plus(self.sums[name], value)

    def merge(self, other: "_Totals") -> None:
        self.duration += other.duration
        self.by_duration += other.by_duration
        self.effort_weight += other.effort_weight
        self.by_effort += other.by_effort
        self.count += other.count
        self.percents += other.percents
        for name, value in other.sums.items():
            self.sums[name] = _plus(self.sums[name], value)

    def result(self, weighting: Weighting) -> Rollup:
        if weighting == "effort" and self.effort_weight:
            percent = round(self.by_effort / self.effort_weight)
        elif self.duration:
            percent = round(self.by_duration / self.duration)
        else:
            percent = round(self.percents / self.count) if self.count else 0
        return Rollup(percent, self.sums["effort"], self.sums["cost"], self.sums["actual_cost"])


def roll_up(rows: Iterable[RollupRow], weighting: Weighting = "duration") -> dict[int, Rollup]:
    """The rolled-up progress, effort and costs of every row that has children."""
    rows = list(rows)
    children: dict[int | None, list[RollupRow]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    totals: dict[int, _Totals] = {}
    # Post-order without recursion: parents are finished after all their children.
    stack: list[tuple[RollupRow, bool]] = [(row, False) for row in children[None]]
    while stack:
        row, expanded = stack.pop()
        kids = children.get(row.id, [])
        if not kids:
            continue
        if not expanded:
            stack.append((row, True))
            stack.extend((kid, False) for kid in kids)
            continue
        total = _Totals()
        for kid in kids:
            if kid.id in totals:
                total.merge(totals[kid.id])
            else:
                total.add_leaf(kid)
        totals[row.id] = total
    return {row_id: total.result(weighting) for row_id, total in totals.items()}
