"""Compare the current plan with a baseline: per-task and project variances in working days.

Pure domain code (no Django): dataclasses in, dataclasses out. Dates arrive as *positions* in
working minutes of one calendar (see projects/calendars/timeline.py), so a variance is a
subtraction and a day is `minutes_per_day` of them; a weekend between the two dates does not count.

Signs follow the TPM's reading: positive is late (or longer), negative early (or shorter).
Tasks are matched by `key` (the task id); a baseline row whose task is gone has key None.

A plan of thousands of tasks is read through `summarise` (figures over every row), `shown`
(the rows a filter keeps) and `sort_key` (one total order per `Order`, also the API's cursor),
so pages send a window of rows while their figures stay whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from projects.schedule.durations import minutes_to_days

_CENT = Decimal("0.01")


class RowKind(StrEnum):
    SAME = "same"  # in both: variances computed
    ADDED = "added"  # in the plan, not in the baseline
    REMOVED = "removed"  # in the baseline, gone from the plan


@dataclass(frozen=True, slots=True)  # slots: thousands are made per comparison
class PlanEntry:
    """One task as the plan (or the baseline) has it. `start`/`finish` are positions."""

    key: int | None
    wbs_code: str
    name: str
    start: int | None
    finish: int | None
    duration_minutes: int
    is_milestone: bool = False
    is_summary: bool = False
    outline_key: str = ""
    # The dates themselves, for showing; the comparison never reads them.
    start_at: datetime | None = None
    finish_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TaskVariance:
    kind: RowKind
    baseline: PlanEntry | None
    current: PlanEntry | None
    start_days: Decimal | None = None
    finish_days: Decimal | None = None
    duration_days: Decimal | None = None

    @property
    def entry(self) -> PlanEntry:
        entry = self.current or self.baseline
        assert entry is not None
        return entry

    @property
    def slipped(self) -> bool:
        return self.finish_days is not None and self.finish_days > 0


@dataclass(frozen=True)
class Comparison:
    rows: list[TaskVariance]
    project_finish_days: Decimal | None  # current finish against the baseline's; None if unknown
    slipped_milestones: list[TaskVariance] = field(default_factory=list)

    @property
    def added(self) -> list[TaskVariance]:
        return [row for row in self.rows if row.kind == RowKind.ADDED]

    @property
    def removed(self) -> list[TaskVariance]:
        return [row for row in self.rows if row.kind == RowKind.REMOVED]


@lru_cache(maxsize=4096)  # variances repeat (most are 0 or whole days): exact, so cached
def days(minutes: int, minutes_per_day: int) -> Decimal:
    """Working minutes as working days, to the hundredth (half up: the durations rule)."""
    if minutes_per_day <= 0:
        raise ValueError("minutes_per_day must be positive")
    return minutes_to_days(minutes, minutes_per_day).quantize(_CENT)


def _variance(current: int | None, baseline: int | None, per_day: int) -> Decimal | None:
    if current is None or baseline is None:
        return None
    return days(current - baseline, per_day)


def _project_finish(entries: Sequence[PlanEntry]) -> int | None:
    finishes = [entry.finish for entry in entries if entry.finish is not None]
    return max(finishes, default=None)


def compare(
    *,
    baseline: Sequence[PlanEntry],
    current: Sequence[PlanEntry],
    minutes_per_day: int,
    baseline_finish: int | None = None,
) -> Comparison:
    """Variances of every task, added and removed tasks, slipped milestones, project finish.

    Rows come in the current outline order, the removed ones after them in baseline order.
    `baseline_finish` defaults to the latest finish among the baseline's rows.
    """
    by_key = {entry.key: entry for entry in baseline if entry.key is not None}
    rows: list[TaskVariance] = []
    for entry in current:
        before = by_key.pop(entry.key, None) if entry.key is not None else None
        if before is None:
            rows.append(TaskVariance(RowKind.ADDED, None, entry))
            continue
        rows.append(
            TaskVariance(
                RowKind.SAME,
                before,
                entry,
                start_days=_variance(entry.start, before.start, minutes_per_day),
                finish_days=_variance(entry.finish, before.finish, minutes_per_day),
                duration_days=days(
                    entry.duration_minutes - before.duration_minutes, minutes_per_day
                ),
            )
        )
    matched = {row.baseline.key for row in rows if row.baseline is not None}
    rows += [
        TaskVariance(RowKind.REMOVED, entry, None)
        for entry in baseline
        if entry.key is None or entry.key not in matched
    ]
    slipped = [
        row
        for row in rows
        if row.kind == RowKind.SAME and row.baseline and row.baseline.is_milestone and row.slipped
    ]
    planned_finish = baseline_finish if baseline_finish is not None else _project_finish(baseline)
    return Comparison(
        rows=rows,
        project_finish_days=_variance(_project_finish(current), planned_finish, minutes_per_day),
        slipped_milestones=slipped,
    )


# --- reading a big comparison: figures over every row, a filtered and ordered window ----------


class Show(StrEnum):
    CHANGED = "changed"  # added, removed, or any variance other than zero
    SLIPPED = "slipped"  # finishes later than baselined
    ALL = "all"


class Order(StrEnum):
    FINISH = "finish"  # the biggest finish slip first, the earliest finish last, then no finish
    OUTLINE = "outline"  # the plan's outline, the removed tasks after it


def changed(row: TaskVariance) -> bool:
    if row.kind != RowKind.SAME:
        return True
    return any(v for v in (row.start_days, row.finish_days, row.duration_days))


def kept(row: TaskVariance, show: Show) -> bool:
    if show == Show.CHANGED:
        return changed(row)
    if show == Show.SLIPPED:
        return row.slipped
    return True


@dataclass(frozen=True)
class Summary:
    """Figures over every row of a comparison, whatever a page shows of it."""

    total: int
    added: int
    removed: int
    slipped: int  # in both, finishing later than baselined
    early: int  # in both, finishing earlier
    unchanged: int  # in both, no start, finish or duration variance
    changed: int  # every row but the unchanged ones (what `Show.CHANGED` keeps)
    biggest_slip: TaskVariance | None  # the task finishing latest against its baseline
    total_slip_days: Decimal  # the slipped tasks' finish variances added up

    def count(self, show: Show) -> int:
        return {Show.CHANGED: self.changed, Show.SLIPPED: self.slipped}.get(show, self.total)


def summarise(rows: Iterable[TaskVariance]) -> Summary:
    total = added = removed = slipped = early = unchanged = 0
    slip_total = Decimal(0)
    biggest: TaskVariance | None = None
    for row in rows:
        total += 1
        if row.kind == RowKind.ADDED:
            added += 1
            continue
        if row.kind == RowKind.REMOVED:
            removed += 1
            continue
        finish = row.finish_days
        if finish is not None and finish > 0:
            slipped += 1
            slip_total += finish
            if biggest is None or finish > (biggest.finish_days or 0):
                biggest = row
        elif finish is not None and finish < 0:
            early += 1
        if not changed(row):
            unchanged += 1
    return Summary(
        total=total,
        added=added,
        removed=removed,
        slipped=slipped,
        early=early,
        unchanged=unchanged,
        changed=total - unchanged,
        biggest_slip=biggest,
        total_slip_days=slip_total,
    )


# A row's place in an order, as plain ints and strings (so an API cursor can carry it).
SortKey = tuple[int | str, ...]
_UNKNOWN = 10**12  # after every real variance (hundredths of a day)
_KIND_RANK = {RowKind.SAME: 0, RowKind.ADDED: 1, RowKind.REMOVED: 2}


def sort_key(row: TaskVariance, order: Order) -> SortKey:
    """A total order: ties end on the outline key, the kind and the task id."""
    entry = row.entry
    tail: SortKey = (entry.outline_key, _KIND_RANK[row.kind], entry.key or 0, entry.wbs_code)
    if order == Order.OUTLINE:
        return (int(row.kind == RowKind.REMOVED), *tail)
    finish = row.finish_days
    slip = _UNKNOWN if finish is None else -int(finish * 100)
    return (slip, *tail)


def shown(rows: Iterable[TaskVariance], show: Show, order: Order) -> list[TaskVariance]:
    """The rows `show` keeps, in `order`."""
    return sorted((row for row in rows if kept(row, show)), key=lambda r: sort_key(r, order))
