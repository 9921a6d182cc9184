"""The S-curve's fast path (issue 14: EV added per point of the curve, sums kept as integer
ratios) gives exactly the curve of the straightforward model: every recorded or derived
progress point and every dated amount added one by one, as Fractions."""

from bisect import bisect_left
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from projects.calendars.timeline import WorkingCalendar
from resources.evm import engine
from resources.evm.engine import DatedAmount, EvmInput, EvmTask, ProgressPoint

STANDARD = WorkingCalendar.standard().timeline()
FIRST = date(2024, 1, 1)
money = st.decimals(min_value=-50, max_value=9000, places=2, allow_nan=False, allow_infinity=False)


def _reference_ev(data: EvmInput) -> list[Fraction]:
    """Cumulative EV at each point, one progress point at a time (the model the engine's
    docstring states: recorded progress, else in step with dated cost, else linear)."""
    days = engine.curve_days(data)
    status = data.status_date
    status_index = days.index(status)
    ev = [Fraction(0)] * len(days)
    for task in data.tasks:
        bac, percent = Fraction(task.bac), Fraction(task.percent_complete)
        if not bac:
            continue
        history = list(task.progress_history)
        if not history and percent:
            dated = sorted(
                (a for a in task.actual_cost_by_day if a.day <= status), key=lambda a: a.day
            )
            total = sum((Fraction(a.amount) for a in dated), Fraction(0))
            if total > 0:
                spent = Fraction(0)
                for amount in dated:
                    spent += Fraction(amount.amount)
                    history.append(ProgressPoint(amount.day, percent * spent / total))
            else:
                timeline = task.timeline or data.timeline
                task_as_cost = engine.replace(task, actual_cost_undated=percent)
                spread = engine._undated_spread(task_as_cost, status, timeline)
                if spread is not None:
                    first = bisect_left(days, spread.start_day)
                    history = [
                        ProgressPoint(day, spread.at_day_end(day))
                        for day in days[first:status_index]
                    ]
        previous = Fraction(0)
        for point in sorted(history, key=lambda p: p.day):
            if point.day >= status:
                break
            value = Fraction(point.percent)
            ev[bisect_left(days, point.day)] += bac * (value - previous) / 100
            previous = value
        ev[status_index] += bac * (percent - previous) / 100
    cumulative, total = [], Fraction(0)
    for increment in ev:
        total += increment
        cumulative.append(total)
    return cumulative[: status_index + 1]


@st.composite
def plans(draw) -> EvmInput:
    tasks = []
    for task_id in range(1, draw(st.integers(1, 8)) + 1):
        start = FIRST + timedelta(days=draw(st.integers(0, 60)))
        finish = start + timedelta(days=draw(st.integers(0, 40)))
        spent = draw(st.lists(st.tuples(st.integers(0, 120), money), max_size=6))
        recorded = draw(st.lists(st.tuples(st.integers(0, 120), st.integers(0, 100)), max_size=4))
        amounts: dict[date, Decimal] = {}
        for offset, amount in spent:  # one amount a day, as loading gives them
            amounts[FIRST + timedelta(days=offset)] = amount
        tasks.append(
            EvmTask(
                id=task_id,
                bac=draw(st.decimals(min_value=0, max_value=90000, places=2)),
                baseline_start=datetime.combine(start, datetime.min.time()).replace(hour=8),
                baseline_finish=datetime.combine(finish, datetime.min.time()).replace(hour=17),
                percent_complete=draw(st.integers(0, 100)),
                progress_history=tuple(
                    ProgressPoint(FIRST + timedelta(days=d), p) for d, p in recorded
                )
                if draw(st.booleans())
                else (),
                actual_cost_by_day=tuple(DatedAmount(d, a) for d, a in sorted(amounts.items())),
                actual_start=datetime.combine(start, datetime.min.time()).replace(hour=9)
                if draw(st.booleans())
                else None,
            )
        )
    status = FIRST + timedelta(days=draw(st.integers(0, 130)))
    return EvmInput(tasks, status, STANDARD, draw(st.sampled_from(["week", "month"])))


@settings(max_examples=200, deadline=None)
@given(plans())
def test_the_curve_matches_the_point_by_point_model_exactly(data):
    curve = engine.s_curve(data)
    known = [point.ev_cumulative for point in curve if point.ev_cumulative is not None]
    assert known == _reference_ev(data)


@settings(max_examples=100, deadline=None)
@given(plans())
def test_the_burn_curve_without_ev_keeps_pv_and_ac(data):
    full, lean = engine.s_curve(data), engine.s_curve(data, with_ev=False)
    assert [(p.day, p.pv_cumulative, p.ac_cumulative) for p in full] == [
        (p.day, p.pv_cumulative, p.ac_cumulative) for p in lean
    ]
