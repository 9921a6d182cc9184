"""The earned-value engine against hand-computed worked examples (resources/evm/engine.py,
figures.py).

Each example writes its arithmetic in a comment; the engine computes exactly (fractions) and
only `rounded()` rounds, half-even.
"""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from projects.calendars.timeline import WorkingCalendar
from resources.evm.engine import (
    CONTINUOUS,
    DatedAmount,
    EvmInput,
    EvmTask,
    ProgressPoint,
    evaluate,
    period_end,
)
from resources.evm.figures import EvmFigures, currency_places, round_half_even

STANDARD = WorkingCalendar.standard().timeline()
D = Decimal


def _daily(amount: str, *days: date) -> tuple[DatedAmount, ...]:
    return tuple(DatedAmount(day, D(amount)) for day in days)


def _jan(*days: int) -> list[date]:
    return [date(2024, 1, day) for day in days]


def test_one_task_half_way_through_its_baseline():
    # given a task of 10,000 planned over ten working days (Mon 1 Jan 08:00 - Fri 12 Jan 17:00),
    # 40 % complete, 900 spent on each of the first five days
    task = EvmTask(
        id=1,
        bac=D(10000),
        baseline_start=datetime(2024, 1, 1, 8),
        baseline_finish=datetime(2024, 1, 12, 17),
        percent_complete=40,
        actual_cost_by_day=_daily("900", *_jan(1, 2, 3, 4, 5)),
    )
    # when we measure at the end of Friday 5 January
    result = evaluate(EvmInput([task], date(2024, 1, 5), STANDARD))
    # then
    # PV = 10,000 x 5/10 working days = 5,000; EV = 10,000 x 40 % = 4,000; AC = 5 x 900 = 4,500
    # SV = 4,000 - 5,000 = -1,000; CV = 4,000 - 4,500 = -500
    # SPI = 4,000 / 5,000 = 0.8; CPI = 4,000 / 4,500 = 8/9 = 0.8889
    # EAC by CPI = 10,000 / (8/9) = 11,250; ETC = 11,250 - 4,500 = 6,750; VAC = -1,250
    # EAC by CPI x SPI = 4,500 + 6,000 / (8/9 x 0.8) = 4,500 + 6,000 x 45/32 = 12,937.50
    # EAC by remaining budget = 4,500 + 10,000 - 4,000 = 10,500
    # TCPI to BAC = 6,000 / 5,500 = 1.0909; TCPI to EAC = 6,000 / 6,750 = 0.8889
    figures = result.project
    assert (figures.pv, figures.ev, figures.ac) == (5000, 4000, 4500)
    assert (figures.sv, figures.cv) == (-1000, -500)
    assert figures.spi == Fraction(4, 5)
    assert figures.cpi == Fraction(8, 9)
    assert figures.eac_cpi == 11250
    assert figures.eac_cpi_spi == D("12937.5")
    assert figures.eac_remaining_budget == 10500
    assert (figures.etc, figures.vac) == (6750, -1250)
    assert figures.tcpi_bac == Fraction(12, 11)
    assert figures.tcpi_eac == Fraction(8, 9)
    shown = figures.rounded(ratio_places=4)
    assert shown["cpi"] == D("0.8889") and shown["tcpi_bac"] == D("1.0909")
    assert shown["eac_cpi_spi"] == D("12937.50")


def test_pmbok_style_project_figures():
    # given the textbook figures BAC 100,000, PV 50,000, EV 40,000, AC 45,000
    figures = EvmFigures(
        bac=Fraction(100000), pv=Fraction(50000), ev=Fraction(40000), ac=Fraction(45000)
    )
    # then SPI = 0.80, CPI = 40/45 = 0.89, EAC = 100,000 / 0.888... = 112,500,
    # ETC = 112,500 - 45,000 = 67,500, VAC = -12,500, TCPI = 60,000 / 55,000 = 1.09
    shown = figures.rounded()
    assert shown["spi"] == D("0.80") and shown["cpi"] == D("0.89")
    assert shown["eac"] == D("112500.00") and shown["etc"] == D("67500.00")
    assert shown["vac"] == D("-12500.00") and shown["tcpi_bac"] == D("1.09")
    # and the three estimates are labelled
    methods = {e.method: e for e in figures.estimates}
    assert methods["remaining_budget"].eac == 105000  # 45,000 + 100,000 - 40,000
    assert methods["cpi_spi"].eac == 129375  # 45,000 + 60,000 / (8/9 x 4/5) = 45,000 + 84,375
    assert "CPI x SPI" in methods["cpi_spi"].label


def test_four_sided_fence_by_branch():
    # given a fence of four sides (1,000 each, one working day each, Mon-Thu) under one summary,
    # and a gate (500, Fri) in a second branch; status at the end of Wednesday:
    # sides 1-2 done, side 3 half built, side 4 and the gate not started;
    # spent 1,100 + 1,200 on the first two days and 900 on Wednesday
    def side(task_id: int, day: int, percent: int, spent: str | None) -> EvmTask:
        return EvmTask(
            id=task_id,
            parent_id=10,
            bac=D(1000),
            baseline_start=datetime(2024, 1, day, 8),
            baseline_finish=datetime(2024, 1, day, 17),
            percent_complete=percent,
            actual_cost_by_day=_daily(spent, date(2024, 1, day)) if spent else (),
        )

    tasks = [
        EvmTask(id=10, name="Fence"),
        side(1, 1, 100, "1100"),
        side(2, 2, 100, "1200"),
        side(3, 3, 50, "900"),
        side(4, 4, 0, None),
        EvmTask(id=20, name="Gate branch"),
        EvmTask(
            id=21,
            parent_id=20,
            bac=D(500),
            baseline_start=datetime(2024, 1, 5, 8),
            baseline_finish=datetime(2024, 1, 5, 17),
        ),
    ]
    # when
    result = evaluate(EvmInput(tasks, date(2024, 1, 3), STANDARD))
    # then the fence: BAC 4,000; PV = 3 sides = 3,000; EV = 1,000 + 1,000 + 500 = 2,500;
    # AC = 1,100 + 1,200 + 900 = 3,200; SPI = 2,500 / 3,000 = 0.83; CPI = 2,500 / 3,200 = 0.78125
    # EAC by CPI = 4,000 / 0.78125 = 5,120
    fence = result.branches[10]
    assert (fence.bac, fence.pv, fence.ev, fence.ac) == (4000, 3000, 2500, 3200)
    assert fence.rounded()["spi"] == D("0.83")
    assert fence.cpi == Fraction(25, 32)
    assert fence.eac == 5120
    # the gate has not started: nothing planned yet, so its SPI and CPI are not defined yet,
    # and its forecast is its budget (AC + BAC - EV while CPI is not defined)
    gate = result.branches[20]
    assert (gate.pv, gate.ev, gate.ac, gate.spi, gate.cpi, gate.eac) == (0, 0, 0, None, None, 500)
    # the project is the sum of its branches: BAC 4,500, EAC by CPI = 4,500 / 0.78125 = 5,760
    assert result.project == fence + gate
    assert result.project.eac == 5760
    assert result.leaf_ids == frozenset({1, 2, 3, 4, 21})


def test_actual_cost_is_cumulative_to_the_status_date_and_per_period_on_the_curve():
    # given 100 spent every working day of the first two weeks of January 2024,
    # and 999 spent after the status date
    days = [d for d in _jan(*range(1, 13)) if d.weekday() < 5] + [date(2024, 1, 16)]
    amounts = tuple(DatedAmount(d, D(999) if d.day == 16 else D(100)) for d in days)
    task = EvmTask(
        id=1,
        bac=D(2000),
        baseline_start=datetime(2024, 1, 1, 8),
        baseline_finish=datetime(2024, 1, 12, 17),
        percent_complete=50,
        actual_cost_by_day=amounts,
    )
    # when measured at the end of Wednesday 10 January, weekly
    result = evaluate(EvmInput([task], date(2024, 1, 10), STANDARD, period="week"))
    # then AC (cumulative) = 5 x 100 (week 1) + 3 x 100 (Mon-Wed) = 800; the 999 does not count
    assert result.project.ac == 800
    curve = {p.day: p for p in result.curve}
    assert list(curve) == [
        date(2023, 12, 31),
        date(2024, 1, 7),
        date(2024, 1, 10),
        date(2024, 1, 14),
        date(2024, 1, 21),
    ]
    assert (curve[date(2024, 1, 7)].ac_in_period, curve[date(2024, 1, 7)].ac_cumulative) == (
        500,
        500,
    )
    assert (curve[date(2024, 1, 10)].ac_in_period, curve[date(2024, 1, 10)].ac_cumulative) == (
        300,
        800,
    )
    assert curve[date(2024, 1, 10)].is_status_date
    # after the status date AC and EV are not known yet; PV runs to BAC
    assert (
        curve[date(2024, 1, 14)].ac_cumulative is None
        and curve[date(2024, 1, 14)].ev_cumulative is None
    )
    assert curve[date(2024, 1, 14)].pv_cumulative == 2000
    # PV per period: 1,000 in week 1, 600 on Mon-Wed (3 of 10 days), 400 on Thu-Fri
    assert [p.pv_in_period for p in result.curve] == [0, 1000, 600, 400, 0]


def test_linear_pv_follows_working_time_not_elapsed_time():
    # given a task over Fri 5 Jan 08:00 - Tue 9 Jan 17:00: three working days around a weekend
    task = EvmTask(
        id=1,
        bac=D(300),
        baseline_start=datetime(2024, 1, 5, 8),
        baseline_finish=datetime(2024, 1, 9, 17),
    )
    # when measured at the end of Sunday and at midday Monday... (status dates are whole days)
    sunday = evaluate(EvmInput([task], date(2024, 1, 7), STANDARD)).project.pv
    monday = evaluate(EvmInput([task], date(2024, 1, 8), STANDARD)).project.pv
    # then the weekend plans nothing: 100 after Friday, 200 after Monday
    assert (sunday, monday) == (100, 200)
    # while a continuous (24 x 7) calendar spreads over elapsed time:
    # Fri 08:00 -> Mon 00:00 is 64 h of 105 h (Fri 08:00 -> Tue 17:00)
    elapsed = evaluate(EvmInput([task], date(2024, 1, 7), CONTINUOUS)).project.pv
    assert elapsed == Fraction(300 * 64, 105)


def test_time_phased_baseline_cost_is_used_as_given():
    # given a baseline that plans 700 on the first day and 300 on the last
    task = EvmTask(
        id=1,
        bac=D(1000),
        planned_by_day=(
            DatedAmount(date(2024, 1, 1), D(700)),
            DatedAmount(date(2024, 1, 5), D(300)),
        ),
        percent_complete=60,
    )
    # when measured on Wednesday
    figures = evaluate(EvmInput([task], date(2024, 1, 3), STANDARD)).project
    # then PV = 700 (not 3/5 of 1,000), SPI = 600 / 700 = 0.857...
    assert figures.pv == 700
    assert figures.spi == Fraction(6, 7)


def test_time_phased_cost_must_add_up_to_the_baseline_cost():
    task = EvmTask(id=7, bac=D(1000), planned_by_day=(DatedAmount(date(2024, 1, 1), D(900)),))
    with pytest.raises(
        ValueError, match=r"task 7: its time-phased baseline cost adds up to 900\.00"
    ):
        evaluate(EvmInput([task], date(2024, 1, 3)))


def test_a_milestone_plans_its_cost_at_its_finish():
    # given a milestone worth 500 on Wednesday 08:00
    moment = datetime(2024, 1, 3, 8)
    task = EvmTask(id=1, bac=D(500), baseline_start=moment, baseline_finish=moment)
    # then nothing is planned on Tuesday and all of it by the end of Wednesday
    assert evaluate(EvmInput([task], date(2024, 1, 2), STANDARD)).project.pv == 0
    assert evaluate(EvmInput([task], date(2024, 1, 3), STANDARD)).project.pv == 500


def test_nothing_measured_yet_gives_undefined_ratios_not_errors():
    # given a task not started and nothing spent, before its baseline start
    task = EvmTask(
        id=1,
        bac=D(100),
        baseline_start=datetime(2024, 2, 1, 8),
        baseline_finish=datetime(2024, 2, 2, 17),
    )
    figures = evaluate(EvmInput([task], date(2024, 1, 3), STANDARD)).project
    # then every ratio and estimate that divides by zero is None
    assert (figures.spi, figures.cpi, figures.eac_cpi, figures.eac_cpi_spi) == (None,) * 4
    # and the forecast falls back to the remaining budget: EAC 100, ETC 100, VAC 0
    assert (figures.eac, figures.etc, figures.vac, figures.tcpi_eac) == (100, 100, 0, 1)
    # the remaining-budget estimate and TCPI to BAC are defined (BAC - AC = 100)
    assert figures.eac_remaining_budget == 100
    assert figures.tcpi_bac == 1
    assert figures.rounded()["spi"] is None


def test_spent_without_progress_gives_a_cpi_of_zero_and_no_eac_by_cpi():
    task = EvmTask(
        id=1,
        bac=D(100),
        baseline_start=datetime(2024, 1, 1, 8),
        baseline_finish=datetime(2024, 1, 2, 17),
        actual_cost_undated=D(50),
    )
    figures = evaluate(EvmInput([task], date(2024, 1, 3), STANDARD)).project
    assert figures.cpi == 0
    assert figures.eac_cpi is None and figures.eac_cpi_spi is None
    assert figures.eac_remaining_budget == 150


def test_budget_spent_gives_no_tcpi_to_bac():
    figures = EvmFigures(bac=Fraction(100), pv=Fraction(100), ev=Fraction(80), ac=Fraction(100))
    assert figures.tcpi_bac is None


def test_undated_actual_cost_is_spread_over_the_worked_time_on_the_curve():
    # given an imported task with 1,000 spent (no dates), started Mon 1 Jan, status Fri 12 Jan
    task = EvmTask(
        id=1,
        bac=D(2000),
        baseline_start=datetime(2024, 1, 1, 8),
        baseline_finish=datetime(2024, 1, 19, 17),
        actual_start=datetime(2024, 1, 1, 8),
        actual_cost_undated=D(1000),
        percent_complete=50,
    )
    result = evaluate(EvmInput([task], date(2024, 1, 12), STANDARD))
    # then AC at the status date is all of it, spread 500 / 500 over the two worked weeks
    assert result.project.ac == 1000
    by_day = {p.day: p for p in result.curve}
    assert by_day[date(2024, 1, 7)].ac_cumulative == 500
    assert by_day[date(2024, 1, 12)].ac_cumulative == 1000


def test_ev_history_on_the_curve_comes_from_recorded_progress():
    # given progress recorded at 20 % on 3 Jan, 50 % on 9 Jan, and 70 % at the status date
    task = EvmTask(
        id=1,
        bac=D(1000),
        baseline_start=datetime(2024, 1, 1, 8),
        baseline_finish=datetime(2024, 1, 26, 17),
        percent_complete=70,
        progress_history=(ProgressPoint(date(2024, 1, 3), 20), ProgressPoint(date(2024, 1, 9), 50)),
    )
    result = evaluate(EvmInput([task], date(2024, 1, 12), STANDARD))
    ev = {p.day: p.ev_cumulative for p in result.curve}
    # then EV = 200 at the end of week 1, 700 at the status date, unknown afterwards
    assert ev[date(2024, 1, 7)] == 200
    assert ev[date(2024, 1, 12)] == 700
    assert ev[date(2024, 1, 14)] is None


def test_monthly_periods_end_on_the_last_day_of_the_month():
    assert period_end(date(2024, 2, 10), "month") == date(2024, 2, 29)
    assert period_end(date(2024, 12, 31), "month") == date(2024, 12, 31)
    assert period_end(date(2024, 1, 3), "week") == date(2024, 1, 7)


def test_rounding_is_half_even_to_the_currency_minor_unit():
    # 0.125 -> 0.12 and 0.135 -> 0.14 (half to even); JPY has no minor unit
    assert round_half_even(Fraction(1, 8), 2) == D("0.12")
    assert round_half_even(Fraction(135, 1000), 2) == D("0.14")
    assert round_half_even(Fraction(5, 2), 0) == D(2)
    assert currency_places("JPY") == 0 and currency_places("EUR") == 2
    figures = EvmFigures(
        bac=Fraction(1000), pv=Fraction(1000, 3), ev=Fraction(250), ac=Fraction(300)
    )
    assert figures.rounded(money_places=0)["pv"] == D(333)
    assert figures.rounded()["pv"] == D("333.33")


@pytest.mark.parametrize(
    ("task", "message"),
    [
        (EvmTask(id=1, percent_complete=101), "percent complete 101 is not within 0-100"),
        (EvmTask(id=1, bac=D(-1)), "negative baseline cost"),
        (EvmTask(id=1, bac=D(5)), "a baseline cost without baseline dates"),
        (EvmTask(id=1, parent_id=99), "unknown parent 99"),
    ],
)
def test_bad_input_is_refused_with_a_message(task, message):
    with pytest.raises(ValueError, match=message):
        evaluate(EvmInput([task], date(2024, 1, 3)))


def test_a_parent_loop_is_refused():
    tasks = [EvmTask(id=1, parent_id=2), EvmTask(id=2, parent_id=1)]
    with pytest.raises(ValueError, match="its own ancestor"):
        evaluate(EvmInput(tasks, date(2024, 1, 3)))
