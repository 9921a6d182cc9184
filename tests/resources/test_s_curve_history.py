"""Issue 22: the S-curve has a history. Before the status date PV, EV and AC come from dated
data: PV from the baseline's schedule, AC from approved time and paid expenses by day, EV from
recorded progress, else in step with each task's dated work (resources/evm/engine.py)."""

from datetime import UTC, date, datetime
from decimal import Decimal as D
from fractions import Fraction

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.models import Project, Task
from resources.evm.engine import (
    CONTINUOUS,
    DatedAmount,
    EvmInput,
    EvmTask,
    ProgressPoint,
    evaluate,
)
from resources.evm.figures import EvmFigures
from resources.evm.selectors import project_evm, s_curve_points
from tests.conftest import client_for

from .money_helpers import costed_plan
from .timesheet_helpers import approve, log, rate, submit

STATUS = date(2027, 3, 19)  # the Friday of the plan's third week
WEEK_2 = date(2027, 3, 8)


def _curve(points) -> dict[date, tuple]:
    return {p.day: (p.pv, p.ev, p.ac) for p in points}


# -- the engine (pure) ------------------------------------------------------------------------


def test_earned_value_follows_the_dated_work_of_a_task_without_recorded_progress():
    # given a task of 1,000 planned over two weeks, 60 % done at the status date, with no
    # recorded progress, and 300 then 300 spent on it in its first and second week
    task = EvmTask(
        id=1,
        bac=D(1000),
        baseline_start=datetime(2024, 1, 1),
        baseline_finish=datetime(2024, 1, 15),
        percent_complete=60,
        actual_cost_by_day=(
            DatedAmount(date(2024, 1, 2), D(300)),
            DatedAmount(date(2024, 1, 9), D(300)),
        ),
    )
    # when the S-curve is drawn at the status date, Wednesday 17 January
    curve = evaluate(EvmInput([task], date(2024, 1, 17), CONTINUOUS)).curve
    ev = {p.day: p.ev_cumulative for p in curve}
    # then EV reaches its 600 in step with the work: half by the first Sunday, all by the second
    assert ev[date(2024, 1, 7)] == 300
    assert ev[date(2024, 1, 14)] == 600
    assert ev[date(2024, 1, 17)] == 600


def test_recorded_progress_wins_over_the_dated_work():
    task = EvmTask(
        id=1,
        bac=D(1000),
        baseline_start=datetime(2024, 1, 1),
        baseline_finish=datetime(2024, 1, 15),
        percent_complete=60,
        progress_history=(ProgressPoint(date(2024, 1, 12), 60),),
        actual_cost_by_day=(DatedAmount(date(2024, 1, 2), D(300)),),
    )
    ev = {p.day: p.ev_cumulative for p in evaluate(EvmInput([task], date(2024, 1, 17))).curve}
    assert ev[date(2024, 1, 7)] == 0 and ev[date(2024, 1, 14)] == 600


def test_without_dated_cost_progress_spreads_over_the_worked_time():
    # an imported total (undated) worked from Monday 1 to Sunday 14 January, 100 % done
    task = EvmTask(
        id=1,
        bac=D(1400),
        baseline_start=datetime(2024, 1, 1),
        baseline_finish=datetime(2024, 1, 15),
        percent_complete=100,
        actual_cost_undated=D(1400),
        actual_start=datetime(2024, 1, 1),
        actual_finish=datetime(2024, 1, 15),
    )
    curve = evaluate(EvmInput([task], date(2024, 1, 17), CONTINUOUS)).curve
    ev = {p.day: p.ev_cumulative for p in curve}
    assert ev[date(2024, 1, 7)] == 700 and ev[date(2024, 1, 14)] == 1400


@settings(max_examples=200, deadline=None)
@given(
    bac=st.integers(0, 10**6),
    earned=st.integers(0, 100),
    pv=st.integers(0, 10**6),
    ac=st.integers(0, 10**6),
)
def test_the_forecast_is_never_below_actual_cost(bac, earned, pv, ac):
    figures = EvmFigures(
        bac=Fraction(bac),
        pv=Fraction(min(pv, bac)),
        ev=Fraction(bac * earned, 100),
        ac=Fraction(ac),
    )
    assert figures.eac >= figures.ac
    assert figures.exact()["eac"] == figures.eac
    assert figures.vac == figures.bac - figures.eac


# -- the project's S-curve, from the database --------------------------------------------------


def _logged(world, first: Task, second: Task) -> None:
    """The member at 50/h: 8 h on the first task on Monday and Wednesday of week 1, 8 h on the
    second on Tuesday of week 2 (approved): 400 + 400, then 400."""
    rate(world, world.member, "50")
    log(world, world.member, {(first, 0): "8", (first, 2): "8"})
    submit(world, world.member)
    approve(world, world.member)
    log(world, world.member, {(second, 8): "8"}, monday=WEEK_2)
    submit(world, world.member, monday=WEEK_2)
    approve(world, world.member, monday=WEEK_2)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2027, 3, 19, 16, tzinfo=UTC), tick=False):
        yield


@pytest.mark.django_db
def test_the_s_curve_has_the_history_of_the_dated_actuals(world, frozen):
    # given two baselined tasks of 1,000 (weeks 1 and 2), time approved in both weeks, the
    # first done and the second 40 % done (set without a recorded history, as an import does)
    first, second = costed_plan(world)
    _logged(world, first, second)
    Task.objects.filter(pk=first.pk).update(percent_complete=100)
    Task.objects.filter(pk=second.pk).update(percent_complete=40)
    Project.objects.filter(pk=world.project.pk).update(status_date=STATUS)
    world.project.refresh_from_db()
    # when the S-curve is drawn at the status date
    curve = _curve(s_curve_points(project_evm(world.project)))
    # then it has points between the start and the status date, and they match the dated
    # actuals: AC 800 by the end of week 1 and 1,200 by the end of week 2; EV follows the work
    # (the first task's 1,000 in week 1, 40 % of the second in week 2); PV follows the baseline
    assert curve[date(2027, 3, 7)] == (D("1000.00"), D("1000.00"), D("800.00"))
    assert curve[date(2027, 3, 14)] == (D("2000.00"), D("1400.00"), D("1200.00"))
    assert curve[STATUS] == (D("2000.00"), D("1400.00"), D("1200.00"))
    # and the EVM page prints those points in the S-curve's table
    page = client_for(world.manager).get(reverse("project-evm", args=[world.project.pk]))
    body = page.content.decode()
    row = '<th scope="row">7 Mar 2027</th><td class="num">1000.00</td><td class="num">1000.00</td>'
    assert row + '<td class="num">800.00</td>' in body


@pytest.mark.django_db
def test_the_s_curve_costs_the_same_queries_for_one_week_of_time_and_three(world, frozen):
    first, second = costed_plan(world)
    Project.objects.filter(pk=world.project.pk).update(status_date=STATUS)
    world.project.refresh_from_db()
    rate(world, world.member, "50")
    log(world, world.member, {(first, 0): "8"})
    submit(world, world.member)
    approve(world, world.member)
    project_evm(world.project)  # content types cached, as in a running site
    with CaptureQueriesContext(connection) as one_week:
        few = s_curve_points(project_evm(world.project))
    log(world, world.member, {(second, 8): "8", (second, 9): "8"}, monday=WEEK_2)
    submit(world, world.member, monday=WEEK_2)
    approve(world, world.member, monday=WEEK_2)
    log(world, world.member, {(second, 14): "4"}, monday=date(2027, 3, 15))
    submit(world, world.member, monday=date(2027, 3, 15))
    approve(world, world.member, monday=date(2027, 3, 15))
    with CaptureQueriesContext(connection) as three_weeks:
        many = s_curve_points(project_evm(world.project))
    assert len(one_week) == len(three_weeks), "\n".join(
        q["sql"] for q in three_weeks.captured_queries
    )
    assert len(three_weeks) <= 14
    # and the later weeks' time is on the curve
    assert _curve(many)[STATUS][2] == D("1400.00") > _curve(few)[STATUS][2]
