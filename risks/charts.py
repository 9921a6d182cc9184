"""Small inline SVG charts (no library): points of a polyline scaled into a box. No Django."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: float


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: list[Point]
    max_value: float

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def line_chart(
    values: Sequence[tuple[str, float]],
    *,
    width: int = 480,
    height: int = 160,
    pad: int = 24,
    max_value: float | None = None,
) -> LineChart:
    """Evenly spaced points, the largest value (or `max_value`) at the top of the box."""
    top = max_value if max_value is not None else max((v for _, v in values), default=0)
    top = top or 1
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = [
        Point(
            x=pad + index * step,
            y=height - pad - (value / top) * (height - 2 * pad),
            label=label,
            value=value,
        )
        for index, (label, value) in enumerate(values)
    ]
    return LineChart(width, height, points, top)
