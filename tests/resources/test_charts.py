"""The S-curve and budget-burn charts place the figures they are given on the drawing area."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from resources.evm import charts
from resources.evm.charts import BurnMonth, CurvePoint


def _xy(points: str) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in points.split()]  # type: ignore[misc]


def test_nice_top_rounds_up_to_a_readable_scale():
    # given largest values of several magnitudes
    # when the scale's top is chosen
    # then it is the next 1, 2, 2.5 or 5 x 10^n
    assert charts.nice_top(0) == 1
    assert charts.nice_top(Decimal("7")) == 10
    assert charts.nice_top(Decimal("180")) == 200
    assert charts.nice_top(Decimal("2100")) == 2500
    assert charts.nice_top(Decimal("40000")) == 50000
    assert charts.nice_top(Decimal("100")) == 100


def test_compact_labels():
    assert charts.compact(Decimal("950")) == "950"
    assert charts.compact(Decimal("12500")) == "12.5k"
    assert charts.compact(Decimal("3000000")) == "3M"


def test_cumulate_stops_at_the_first_missing_figure():
    # given monthly amounts with the future unknown
    amounts = [Decimal(10), Decimal(5), None, Decimal(7)]
    # when cumulated
    # then the running total stops where the figures stop
    assert charts.cumulate(amounts) == [Decimal(10), Decimal(15), None, None]


def test_s_curve_draws_ev_and_ac_up_to_the_status_date_and_marks_it():
    # given PV over four weeks and EV/AC known for the first two
    points = [
        CurvePoint(date(2027, 1, 4), Decimal(0), Decimal(0), Decimal(0)),
        CurvePoint(date(2027, 1, 11), Decimal(100), Decimal(80), Decimal(90)),
        CurvePoint(date(2027, 1, 18), Decimal(200), None, None),
        CurvePoint(date(2027, 2, 1), Decimal(500), None, None),
    ]
    # when the chart is made with the status date on 11 January
    chart = charts.s_curve(points, date(2027, 1, 11))
    # then PV has four points and EV and AC two
    series = {s.name: s for s in chart.series}
    assert [series[n].count for n in ("pv", "ev", "ac")] == [4, 2, 2]
    # and the scale tops at 500 with the first point at the bottom-left and the last top-right
    assert chart.top == 500
    pv = _xy(series["pv"].points)
    assert pv[0] == (charts.LEFT, charts.HEIGHT - charts.BOTTOM)
    assert pv[-1] == (charts.WIDTH - charts.RIGHT, charts.TOP)
    # and the status date line is a quarter of the way (7 of 28 days)
    (status,) = chart.verticals
    span = charts.WIDTH - charts.LEFT - charts.RIGHT
    assert status.position == round(charts.LEFT + span / 4, 1)
    assert "11 Jan 2027" in status.label
    # and AC (90) is drawn above EV (80): a smaller y is higher on screen
    assert _xy(series["ac"].points)[1][1] < _xy(series["ev"].points)[1][1]


def test_s_curve_without_a_status_date_in_range_has_no_marker():
    points = [CurvePoint(date(2027, 1, 4), Decimal(0)), CurvePoint(date(2027, 2, 4), Decimal(5))]
    assert charts.s_curve(points, date(2026, 1, 1)).verticals == []
    assert charts.s_curve([], None).empty


def test_budget_burn_plots_cumulative_spend_at_month_ends_with_budget_and_eac():
    # given three months of planned spend and two of actual spend
    months = [
        BurnMonth(date(2027, 1, 1), Decimal(1000), Decimal(1200)),
        BurnMonth(date(2027, 2, 1), Decimal(2000), Decimal(2600)),
        BurnMonth(date(2027, 3, 1), Decimal(3000), None),
    ]
    # when the chart is drawn with a budget of 3,000 and an EAC of 3,900
    chart = charts.budget_burn(months, budget=Decimal(3000), eac=Decimal(3900))
    # then both lines start at zero on 1 January and planned ends on 1 April
    series = {s.name: s for s in chart.series}
    planned, actual = _xy(series["planned"].points), _xy(series["actual"].points)
    assert planned[0] == actual[0] == (charts.LEFT, charts.HEIGHT - charts.BOTTOM)
    assert len(planned) == 4 and len(actual) == 3
    assert planned[-1][0] == charts.WIDTH - charts.RIGHT
    # and the EAC line is above the budget line, which sits at the planned total
    lines = {m.name: m for m in chart.horizontals}
    assert lines["eac"].position < lines["budget"].position
    assert lines["budget"].position == planned[-1][1]
    assert chart.top == 5000
    # and the time axis is labelled by month
    assert [t.label for t in chart.x_ticks] == ["Jan 2027", "Feb", "Mar", "Apr"]


def test_a_long_project_keeps_the_time_axis_readable():
    months = [BurnMonth(date(2026 + m // 12, m % 12 + 1, 1), Decimal(m)) for m in range(36)]
    chart = charts.budget_burn(months, budget=None, eac=None)
    assert len(chart.x_ticks) <= charts.MAX_X_TICKS
    assert chart.horizontals == []


def test_a_short_plan_labels_weeks():
    points = [CurvePoint(date(2027, 1, 4), Decimal(0)), CurvePoint(date(2027, 1, 25), Decimal(5))]
    chart = charts.s_curve(points, None)
    assert [t.label for t in chart.x_ticks] == ["4 Jan", "11 Jan", "18 Jan", "25 Jan"]


def test_a_chart_of_a_few_days_or_one_day_still_has_labels():
    # given points inside one week (Tuesday to Thursday), or a single day
    days = [CurvePoint(date(2027, 1, 5), Decimal(0)), CurvePoint(date(2027, 1, 7), Decimal(5))]
    one = [CurvePoint(date(2027, 1, 5), Decimal(0))]
    # then the axis names the first and last days, and nothing breaks
    assert [t.label for t in charts.s_curve(days, None).x_ticks] == ["5 Jan", "7 Jan"]
    assert [t.label for t in charts.s_curve(one, date(2027, 1, 5)).x_ticks] == ["5 Jan"]


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@given(
    st.lists(
        st.tuples(st.dates(date(2020, 1, 1), date(2035, 12, 31)), money, money),
        min_size=1,
        max_size=30,
    ),
    st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2035, 12, 31))),
)
def test_every_point_lands_inside_the_drawing_area(rows, status):
    # given any S-curve and budget-burn figures
    points = [CurvePoint(day, pv, ev, ac) for day, pv, ev, ac in [(d, a, b, b) for d, a, b in rows]]
    months = [BurnMonth(day.replace(day=1), a, b) for day, a, b in rows]
    for chart in (
        charts.s_curve(points, status),
        charts.budget_burn(months, budget=rows[0][1], eac=rows[0][2]),
    ):
        # then every drawn point and tick is inside the chart's box
        for series in chart.series:
            for x, y in _xy(series.points) if series.points else []:
                assert charts.LEFT <= x <= charts.WIDTH - charts.RIGHT
                assert charts.TOP <= y <= charts.HEIGHT - charts.BOTTOM
        assert chart.x_ticks and len(chart.x_ticks) <= charts.MAX_X_TICKS
        for marker in chart.horizontals:
            assert charts.TOP <= marker.position <= charts.HEIGHT - charts.BOTTOM
