"""The pure scoring engine: probability x worst impact, levels, EMV, heat maps."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from risks import scoring

ratings = st.integers(min_value=1, max_value=5)
impacts = st.builds(scoring.Impacts, ratings, ratings, ratings, ratings)
money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@st.composite
def thresholds(draw):
    medium = draw(st.integers(2, 23))
    high = draw(st.integers(medium + 1, 24))
    critical = draw(st.integers(high + 1, 25))
    return scoring.Thresholds(
        medium=medium,
        high=high,
        critical=critical,
        appetite=draw(st.integers(1, 25)),
        escalation=draw(st.integers(1, 25)),
    )


@given(ratings, impacts)
def test_the_score_is_probability_times_the_worst_impact(probability, impact):
    score = scoring.risk_score(probability, impact)
    assert score == probability * max(impact.schedule, impact.cost, impact.scope, impact.quality)
    assert 1 <= score <= 25


@given(ratings, impacts, st.sampled_from(scoring.IMPACT_DIMENSIONS))
def test_a_worse_dimension_never_lowers_the_score(probability, impact, dimension):
    worse = scoring.Impacts(
        **{
            name: (5 if name == dimension else getattr(impact, name))
            for name in scoring.IMPACT_DIMENSIONS
        }
    )
    assert scoring.risk_score(probability, worse) >= scoring.risk_score(probability, impact)


@given(st.integers(1, 25), st.integers(1, 25), thresholds())
def test_levels_rise_with_the_score(a, b, limits):
    order = list(scoring.Level)
    low, high = sorted((a, b))
    assert order.index(scoring.level(low, limits)) <= order.index(scoring.level(high, limits))


@given(thresholds())
def test_each_threshold_starts_its_level(limits):
    assert scoring.level(limits.medium, limits) == scoring.Level.MEDIUM
    assert scoring.level(limits.medium - 1, limits) == scoring.Level.LOW
    assert scoring.level(limits.high, limits) == scoring.Level.HIGH
    assert scoring.level(limits.critical, limits) == scoring.Level.CRITICAL


@given(ratings, money)
def test_emv_is_the_probability_share_of_the_cost(probability, cost):
    emv = scoring.expected_monetary_value(probability, cost, opportunity=False)
    expected = Decimal(scoring.PROBABILITY_PERCENT[probability]) * cost / 100
    assert abs(emv - expected) <= Decimal("0.005")
    assert 0 <= emv <= cost
    assert scoring.expected_monetary_value(probability, cost, opportunity=True) == -emv


@given(ratings, st.integers(0, 10_000))
def test_expected_days_never_exceed_the_impact(probability, days):
    expected = scoring.expected_schedule_days(probability, days, opportunity=False)
    assert 0 <= expected <= days


@given(st.lists(st.tuples(ratings, ratings), max_size=60))
def test_heat_map_counts_every_risk_once(cells):
    counts = scoring.heat_map(cells)
    assert len(counts) == 25
    assert sum(counts.values()) == len(cells)


@given(st.integers(1, 25), st.integers(1, 25), thresholds())
def test_escalation_happens_only_on_the_way_up(before, after, limits):
    crossed = scoring.crossed_escalation(before, after, limits)
    assert crossed == (before < limits.escalation <= after)


def test_the_grid_is_drawn_with_probability_five_on_top():
    rows = scoring.heat_map_rows(scoring.heat_map([(5, 1)]), scoring.Thresholds())
    assert rows[0][0] == ((5, 1), 1, scoring.Level.MEDIUM)
    assert rows[-1][-1][0] == (1, 5)


@pytest.mark.parametrize("bad", [0, 6, -1, "3", 2.5, True, None])
def test_ratings_outside_the_scale_are_refused_with_a_message(bad):
    with pytest.raises(scoring.ScaleError, match="from 1 to 5"):
        scoring.score(bad, 3)


def test_thresholds_must_rise():
    with pytest.raises(scoring.ScaleError, match="must rise"):
        scoring.Thresholds(medium=10, high=8, critical=16)


def test_negative_money_and_days_are_refused():
    with pytest.raises(scoring.ScaleError):
        scoring.expected_monetary_value(3, Decimal(-1), opportunity=False)
    with pytest.raises(scoring.ScaleError):
        scoring.expected_schedule_days(3, -2, opportunity=False)


def test_worst_dimensions_names_the_ties():
    assert scoring.Impacts(4, 2, 4, 1).worst_dimensions() == ["schedule", "scope"]
