"""Trend charts of objectives and quality measures as plain data for inline SVG (pure: no
Django imports). Same drawing area as projects/agile/charts.py (600 x 240); points are placed
by time, reference lines (baseline, target) span the width. The page prints the figures too.
"""

from dataclasses import dataclass, field
from datetime import datetime

WIDTH, HEIGHT, PAD = 600, 240, 32


@dataclass(frozen=True)
class RefLine:
    name: str
    value: float
    y: float


@dataclass
class TrendChart:
    first: datetime | None
    last: datetime | None
    low: float
    high: float
    points: dict[str, str] = field(default_factory=dict)  # series -> "x,y x,y ..."
    dots: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)
    lines: list[RefLine] = field(default_factory=list)

    @property
    def y_ticks(self) -> list[tuple[float, float]]:
        middle = (self.low + self.high) / 2
        return [(v, _y(v, self.low, self.high)) for v in (self.low, middle, self.high)]

    @property
    def empty(self) -> bool:
        return not any(self.dots.values())


def _y(value: float, low: float, high: float) -> float:
    span = HEIGHT - 2 * PAD
    if high == low:
        return HEIGHT / 2
    return round(HEIGHT - PAD - (value - low) / (high - low) * span, 1)


def _x(moment: datetime, first: datetime, last: datetime) -> float:
    span = WIDTH - 2 * PAD
    total = (last - first).total_seconds()
    if total <= 0:
        return WIDTH / 2
    return round(PAD + (moment - first).total_seconds() / total * span, 1)


def trend_chart(
    series: dict[str, list[tuple[datetime, float]]],
    *,
    lines: dict[str, float] | None = None,
    low: float | None = None,
    high: float | None = None,
) -> TrendChart:
    """Series of (moment, value) on one time axis; `lines` are horizontal references.

    The scale spans every value and reference line unless `low`/`high` fix it (e.g. 0 to 100).
    """
    lines = lines or {}
    moments = [moment for points in series.values() for moment, _ in points]
    values = [value for points in series.values() for _, value in points] + list(lines.values())
    bottom = low if low is not None else min(values, default=0.0)
    top = high if high is not None else max(values, default=1.0)
    if top == bottom:
        bottom, top = bottom - 1, top + 1
    elif low is None or high is None:
        margin = (top - bottom) * 0.05
        bottom = bottom - margin if low is None else bottom
        top = top + margin if high is None else top
    bottom, top = round(bottom, 4), round(top, 4)
    first, last = (min(moments), max(moments)) if moments else (None, None)
    chart = TrendChart(first=first, last=last, low=bottom, high=top)
    for name, points in series.items():
        ordered = sorted(points)
        if first is None or last is None:
            chart.points[name], chart.dots[name] = "", []
            continue
        placed = [(_x(m, first, last), _y(v, bottom, top), v) for m, v in ordered]
        chart.dots[name] = placed
        chart.points[name] = " ".join(f"{x},{y}" for x, y, _ in placed)
    chart.lines = [RefLine(name, value, _y(value, bottom, top)) for name, value in lines.items()]
    return chart
