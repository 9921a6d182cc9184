"""Milestones on one time axis: where the planned and forecast dates sit, as percentages.

Pure (no Django): reads the schedule section's milestone dicts (ISO dates) and returns rows a
template draws as two markers on a bar, so a slip is a visible gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class TimelineRow:
    name: str
    planned: float | None  # percent along the axis
    forecast: float | None
    slip_days: int | None
    done: bool

    @property
    def gap_left(self) -> float | None:
        if self.planned is None or self.forecast is None:
            return None
        return min(self.planned, self.forecast)

    @property
    def gap_width(self) -> float:
        if self.planned is None or self.forecast is None:
            return 0.0
        return abs(self.forecast - self.planned)


@dataclass(frozen=True)
class Timeline:
    first: date | None
    last: date | None
    rows: list[TimelineRow]


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def milestone_timeline(milestones: list[dict[str, Any]]) -> Timeline:
    days = [
        day
        for milestone in milestones
        for day in (_day(milestone.get("baseline")), _day(milestone.get("forecast")))
        if day is not None
    ]
    if not days:
        return Timeline(None, None, [])
    first, last = min(days), max(days)
    span = max((last - first).days, 1)

    def at(value: Any) -> float | None:
        day = _day(value)
        return None if day is None else round((day - first).days / span * 100, 1)

    rows = [
        TimelineRow(
            name=milestone["name"],
            planned=at(milestone.get("baseline")),
            forecast=at(milestone.get("forecast")),
            slip_days=milestone.get("slip_days"),
            done=bool(milestone.get("done")),
        )
        for milestone in milestones
    ]
    return Timeline(first, last, rows)
