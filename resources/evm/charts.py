"""The S-curve and budget-burn charts as plain geometry for inline SVG (pure: no Django imports).

Both are money over time on one drawing area of WIDTH x HEIGHT: x is a date scale (days), y a
money scale from 0 to a "nice" top (1, 2, 2.5 or 5 x 10^n above the largest value). The chart
module only places what it is given; the figures come from the earned-value selector
(resources/evm/selectors.py) and are never recomputed here. The template draws the polylines
and prints the same figures in a table beside the chart (the accessible version).

* S-curve: planned value (PV), earned value (EV) and actual cost (AC), cumulative, at each point
  the selector gives; EV and AC stop at the status date, which is marked by a vertical line.
* Budget burn: cumulative planned spend at the end of each month against cumulative actual
  spend, from 0 at the start of the first month, with the budget and the estimate at
  completion (EAC) as horizontal lines.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 20, 16, 36
MAX_X_TICKS = 8

Amount = Decimal | int | float


@dataclass(frozen=True)
class Tick:
    label: str
    position: float  # x for the time axis, y for the money axis


@dataclass(frozen=True)
class Series:
    name: str  # css class: pv, ev, ac, planned, actual
    label: str
    points: str  # "x,y x,y ..." for <polyline points>
    count: int


@dataclass(frozen=True)
class Marker:
    """A vertical line (the status date) or a horizontal one (budget, EAC)."""

    name: str
    label: str
    position: float
    anchor: str = "start"  # where its label sits against the line: "start" or "end"


@dataclass
class MoneyChart:
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    verticals: list[Marker] = field(default_factory=list)
    horizontals: list[Marker] = field(default_factory=list)
    top: Decimal = Decimal(1)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top_edge: int = TOP
    baseline: int = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not any(s.count for s in self.series)


@dataclass(frozen=True)
class CurvePoint:
    """Cumulative figures at the end of `day`; EV and AC are None after the status date."""

    day: date
    pv: Decimal
    ev: Decimal | None = None
    ac: Decimal | None = None


@dataclass(frozen=True)
class BurnMonth:
    """Cumulative spend at the end of the month that starts on `month`; actual None = future."""

    month: date
    planned: Decimal
    actual: Decimal | None = None


def nice_top(largest: Amount) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 x 10^n that is at least `largest` (1 for nothing)."""
    value = Decimal(str(largest))
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (value.adjusted())
    for step in (1, Decimal("2"), Decimal("2.5"), 5, 10):
        if value <= magnitude * step:
            return magnitude * step
    return magnitude * 10  # pragma: no cover - 10 always fits


def compact(value: Amount) -> str:
    """Axis labels: 950, 12.5k, 3M (never more than three significant digits)."""
    number = Decimal(str(value))
    for limit, suffix in ((Decimal(10**9), "G"), (Decimal(10**6), "M"), (Decimal(1000), "k")):
        if abs(number) >= limit:
            scaled = (number / limit).quantize(Decimal("0.1")).normalize()
            return f"{scaled:f}{suffix}"
    return f"{number.quantize(Decimal('0.1')).normalize():f}"


def cumulate(amounts: Iterable[Decimal | None]) -> list[Decimal | None]:
    """Running totals; None (no figure yet) stays None and stops the running total there."""
    total = Decimal(0)
    result: list[Decimal | None] = []
    stopped = False
    for amount in amounts:
        if amount is None or stopped:
            stopped = True
            result.append(None)
            continue
        total += amount
        result.append(total)
    return result


def month_end(month: date) -> date:
    """The first day of the next month: a month's cumulative figure is drawn where it ends."""
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


class _Scale:
    def __init__(self, first: date, last: date, top: Decimal) -> None:
        self.first = first
        self.days = max((last - first).days, 1)
        self.top = top

    def x(self, day: date) -> float:
        share = (day - self.first).days / self.days
        return round(LEFT + share * (WIDTH - LEFT - RIGHT), 1)

    def y(self, value: Amount) -> float:
        share = Decimal(str(value)) / self.top
        return round(float(HEIGHT - BOTTOM - share * (HEIGHT - TOP - BOTTOM)), 1)


def _month_ticks(first: date, last: date, scale: _Scale) -> list[Tick]:
    months = []
    month = first.replace(day=1)
    if month < first:
        month = month_end(month)
    while month <= last:
        months.append(month)
        month = month_end(month)
    if len(months) < 3:  # a short plan: label the weeks (Mondays) instead
        monday = first + timedelta(days=-first.weekday() % 7)
        mondays = [monday + timedelta(weeks=n) for n in range((last - monday).days // 7 + 1)]
        if not mondays:  # less than a week: its first and last days
            mondays = sorted({first, last})
        step = -(-len(mondays) // MAX_X_TICKS)
        return [Tick(f"{d.day} {d:%b}", scale.x(d)) for d in mondays[::step]]
    step = -(-len(months) // MAX_X_TICKS)  # ceiling division
    chosen = months[::step]
    return [
        Tick(f"{m:%b %Y}" if m.month == 1 or n == 0 else f"{m:%b}", scale.x(m))
        for n, m in enumerate(chosen)
    ]


def _money_ticks(top: Decimal, scale: _Scale) -> list[Tick]:
    quarter = top / 4
    return [Tick(compact(quarter * n), scale.y(quarter * n)) for n in range(5)]


def _polyline(points: Sequence[tuple[date, Decimal | None]], scale: _Scale) -> tuple[str, int]:
    drawn = [(day, value) for day, value in points if value is not None]
    return " ".join(f"{scale.x(day)},{scale.y(value)}" for day, value in drawn), len(drawn)


def _frame(first: date, last: date, values: Iterable[Decimal | None]) -> tuple[MoneyChart, _Scale]:
    top = nice_top(max((v for v in values if v is not None), default=Decimal(0)))
    scale = _Scale(first, last, top)
    chart = MoneyChart(top=top)
    chart.x_ticks = _month_ticks(first, last, scale)
    chart.y_ticks = _money_ticks(top, scale)
    return chart, scale


def s_curve(points: Sequence[CurvePoint], status_date: date | None) -> MoneyChart:
    """PV, EV and AC over time; the status date as a vertical line when it is in range."""
    if not points:
        return MoneyChart()
    ordered = sorted(points, key=lambda p: p.day)
    first, last = ordered[0].day, ordered[-1].day
    values = [v for p in ordered for v in (p.pv, p.ev, p.ac)]
    chart, scale = _frame(first, last, values)
    for name, label in (
        ("pv", "Planned value (PV)"),
        ("ev", "Earned value (EV)"),
        ("ac", "Actual cost (AC)"),
    ):
        line, count = _polyline([(p.day, getattr(p, name)) for p in ordered], scale)
        chart.series.append(Series(name, label, line, count))
    if status_date is not None and first <= status_date <= last:
        x = scale.x(status_date)
        anchor = "end" if x > (LEFT + WIDTH - RIGHT) / 2 else "start"
        chart.verticals.append(Marker("status", f"Status date {status_date:%d %b %Y}", x, anchor))
    return chart


def budget_burn(
    months: Sequence[BurnMonth], *, budget: Decimal | None, eac: Decimal | None
) -> MoneyChart:
    """Cumulative planned against actual spend per month, with budget and EAC lines."""
    if not months:
        return MoneyChart()
    ordered = sorted(months, key=lambda m: m.month)
    first, last = ordered[0].month, month_end(ordered[-1].month)
    values = [v for m in ordered for v in (m.planned, m.actual)] + [budget, eac]
    chart, scale = _frame(first, last, values)
    start = [(first, Decimal(0))]
    planned = start + [(month_end(m.month), m.planned) for m in ordered]
    actual = start + [(month_end(m.month), m.actual) for m in ordered]
    for name, label, series in (
        ("planned", "Planned spend (cumulative)", planned),
        ("actual", "Actual spend (cumulative)", actual),
    ):
        line, count = _polyline(series, scale)
        chart.series.append(Series(name, label, line, count))
    for name, label, value in (
        ("budget", "Budget", budget),
        ("eac", "Forecast at completion (EAC)", eac),
    ):
        if value is not None:
            chart.horizontals.append(Marker(name, f"{label} {compact(value)}", scale.y(value)))
    return chart
