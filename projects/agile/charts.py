"""Burndown, burnup and velocity charts as plain data for inline SVG (no Django imports).

Each chart is a set of series on a fixed 600 x 240 drawing area; the template draws polylines
and bars and prints the same figures in a table beside it (the accessible version).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

WIDTH, HEIGHT, PAD = 600, 240, 32


@dataclass(frozen=True)
class DayFigures:
    day: date
    total: float
    done: float

    @property
    def remaining(self) -> float:
        return self.total - self.done


@dataclass
class LineChart:
    days: list[date]
    series: dict[str, list[float | None]]
    top: float
    points: dict[str, str] = field(default_factory=dict)  # series -> "x,y x,y ..."

    @property
    def y_ticks(self) -> list[tuple[float, float]]:
        """(value, y) for 0, half and the top of the scale."""
        return [(value, _y(value, self.top)) for value in (0, self.top / 2, self.top)]


@dataclass(frozen=True)
class Bar:
    label: str
    committed: float
    completed: float
    x: float
    committed_height: float
    completed_height: float


def _y(value: float, top: float) -> float:
    span = HEIGHT - 2 * PAD
    return round(HEIGHT - PAD - (value / top) * span, 1) if top else HEIGHT - PAD


def _x(index: int, count: int) -> float:
    span = WIDTH - 2 * PAD
    return round(PAD + (index / (count - 1)) * span, 1) if count > 1 else PAD


def _polyline(values: list[float | None], top: float) -> str:
    count = len(values)
    return " ".join(f"{_x(i, count)},{_y(v, top)}" for i, v in enumerate(values) if v is not None)


def sprint_days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _line_chart(days: list[date], series: dict[str, list[float | None]]) -> LineChart:
    top = max([v for values in series.values() for v in values if v is not None] + [1])
    chart = LineChart(days=days, series=series, top=top)
    chart.points = {name: _polyline(values, top) for name, values in series.items()}
    return chart


def _by_day(days: list[date], figures: list[DayFigures], today: date) -> list[DayFigures | None]:
    """Each day's figures; a day without a snapshot repeats the last known (until today)."""
    known = {f.day: f for f in figures}
    result: list[DayFigures | None] = []
    last: DayFigures | None = None
    for day in days:
        last = known.get(day, last)
        result.append(last if day <= today or day in known else None)
    return result


def burndown(start: date, end: date, figures: list[DayFigures], today: date) -> LineChart:
    """Remaining work per day against the ideal straight line from the committed scope."""
    days = sprint_days(start, end)
    daily = _by_day(days, figures, today)
    first = next((f for f in daily if f is not None), None)
    committed = first.total if first else 0.0
    count = len(days)
    ideal: list[float | None] = [
        round(committed * (1 - i / (count - 1)), 2) if count > 1 else 0.0 for i in range(count)
    ]
    remaining = [round(f.total - f.done, 2) if f else None for f in daily]
    return _line_chart(days, {"ideal": ideal, "remaining": remaining})


def burnup(start: date, end: date, figures: list[DayFigures], today: date) -> LineChart:
    """Scope and completed work per day (scope creep shows as a rising scope line)."""
    days = sprint_days(start, end)
    daily = _by_day(days, figures, today)
    return _line_chart(
        days,
        {
            "scope": [f.total if f else None for f in daily],
            "done": [f.done if f else None for f in daily],
        },
    )


def velocity(sprints: list[tuple[str, float, float]]) -> list[Bar]:
    """(name, committed, completed) per closed sprint -> bars on the same drawing area."""
    top = max([max(c, d) for _, c, d in sprints] + [1])
    span = HEIGHT - 2 * PAD
    slot = (WIDTH - 2 * PAD) / max(len(sprints), 1)
    return [
        Bar(
            label=name,
            committed=committed,
            completed=completed,
            x=round(PAD + i * slot, 1),
            committed_height=round(committed / top * span, 1),
            completed_height=round(completed / top * span, 1),
        )
        for i, (name, committed, completed) in enumerate(sprints)
    ]


def average_velocity(sprints: list[tuple[str, float, float]], last: int = 3) -> float | None:
    recent = [completed for _, _, completed in sprints[-last:]]
    return round(sum(recent) / len(recent), 1) if recent else None
