"""Summary tasks take their progress and effort from the tasks under them (pure; no Django).

Progress is the duration-weighted average of the working tasks below a summary (milestones and
zero-length tasks only count when nothing below has a duration); effort is their sum.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class RollupRow:
    id: int
    parent_id: int | None
    duration: int  # working minutes
    percent_complete: int
    effort_hours: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Rollup:
    percent_complete: int
    effort_hours: Decimal | None


@dataclass
class _Totals:
    weight: int = 0
    weighted: int = 0
    count: int = 0
    percents: int = 0
    effort: Decimal | None = None

    def add_leaf(self, row: RollupRow) -> None:
        self.weight += row.duration
        self.weighted += row.duration * row.percent_complete
        self.count += 1
        self.percents += row.percent_complete
        if row.effort_hours is not None:
            self.effort = (self.effort or Decimal(0)) + row.effort_hours

    def merge(self, other: "_Totals") -> None:
        self.weight += other.weight
        self.weighted += other.weighted
        self.count += other.count
        self.percents += other.percents
        if other.effort is not None:
            self.effort = (self.effort or Decimal(0)) + other.effort

    def result(self) -> Rollup:
        if self.weight:
            percent = round(self.weighted / self.weight)
        else:
            percent = round(self.percents / self.count) if self.count else 0
        return Rollup(percent, self.effort)


def roll_up(rows: Iterable[RollupRow]) -> dict[int, Rollup]:
    """The rolled-up progress and effort of every row that has children."""
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
    return {row_id: total.result() for row_id, total in totals.items()}
