"""Invariants of the earned-value engine, checked with hypothesis on random plans."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from projects.calendars.timeline import WorkingCalendar
from resources.evm.engine import DatedAmount, EvmInput, EvmTask, evaluate

STANDARD = WorkingCalendar.standard().timeline()
FIRST = date(2024, 1, 1)

money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
percent = st.integers(min_value=0, max_value=100)


@st.composite
def plans(draw) -> EvmInput:
    count = draw(st.integers(min_value=1, max_value=12))
    tasks: list[EvmTask] = []
    for task_id in range(1, count + 1):
        parent = draw(st.one_of(st.none(), st.integers(1, task_id - 1))) if task_id > 1 else None
        start = FIRST + timedelta(days=draw(st.integers(0, 60)))
        finish = start + timedelta(days=draw(st.integers(0, 40)))
        spent = draw(st.lists(st.tuples(st.integers(0, 120), money), max_size=4))
        tasks.append(
            EvmTask(
                id=task_id,
                parent_id=parent,
                bac=draw(money),
                baseline_start=datetime.combine(start, datetime.min.time()).replace(hour=8),
                baseline_finish=datetime.combine(finish, datetime.min.time()).replace(hour=17),
                percent_complete=draw(percent),
                actual_cost_by_day=tuple(
                    DatedAmount(FIRST + timedelta(days=d), amount) for d, amount in spent
                ),
                actual_cost_undated=draw(st.one_of(st.just(Decimal(0)), money)),
            )
        )
    status = FIRST + timedelta(days=draw(st.integers(0, 120)))
    period = draw(st.sampled_from(["week", "month"]))
    return EvmInput(tasks, status, STANDARD, period)


@settings(max_examples=150, deadline=None)
@given(plans())
def test_earned_value_never_exceeds_the_budget(data):
    result = evaluate(data)
    assert 0 <= result.project.ev <= result.project.bac
    assert 0 <= result.project.pv <= result.project.bac
    for figures in result.branches.values():
        assert figures.ev <= figures.bac


@settings(max_examples=150, deadline=None)
@given(plans())
def test_indices_are_the_ratios_they_claim(data):
    figures = evaluate(data).project
    if figures.pv:
        assert figures.spi == figures.ev / figures.pv
    else:
        assert figures.spi is None
    if figures.ac:
        assert figures.cpi == figures.ev / figures.ac
        if figures.ev:
            # EAC by CPI leaves exactly CPI as the performance needed on the rest
            assert figures.tcpi_eac in (None, figures.cpi)
    assert figures.sv == figures.ev - figures.pv
    assert figures.eac_remaining_budget == figures.ac + figures.bac - figures.ev


@settings(max_examples=150, deadline=None)
@given(plans())
def test_top_level_branches_add_up_to_the_project(data):
    result = evaluate(data)
    roots = [task.id for task in data.tasks if task.parent_id is None]
    total = sum((result.branches[root] for root in roots[1:]), result.branches[roots[0]])
    assert total == result.project


@settings(max_examples=100, deadline=None)
@given(plans())
def test_the_curve_agrees_with_the_figures(data):
    result = evaluate(data)
    status_point = next(p for p in result.curve if p.is_status_date)
    assert status_point.day == data.status_date
    assert status_point.pv_cumulative == result.project.pv
    assert status_point.ev_cumulative == result.project.ev
    assert status_point.ac_cumulative == result.project.ac
    # PV at the end of the plan is BAC, exactly; cumulative PV never falls
    assert result.curve[-1].pv_cumulative == result.project.bac
    values = [p.pv_cumulative for p in result.curve]
    assert values == sorted(values)
    # cumulative figures are the running sums of the per-period ones
    running = 0
    for point in result.curve:
        running += point.pv_in_period
        assert running == point.pv_cumulative


@settings(max_examples=100, deadline=None)
@given(plans(), st.integers(1, 30))
def test_pv_never_falls_as_the_status_date_moves_on(data, days):
    earlier = evaluate(data).project.pv
    later_input = EvmInput(data.tasks, data.status_date + timedelta(days=days), data.timeline)
    assert evaluate(later_input).project.pv >= earlier


@settings(max_examples=100, deadline=None)
@given(plans())
def test_the_one_pass_figures_match_the_formulas(data):
    result = evaluate(data)
    for figures in (result.project, *result.branches.values()):
        exact = figures.exact()
        assert exact == {name: getattr(figures, name) for name in exact}
