"""The RAG rules (reports/health.py): pure, so tested exhaustively with hypothesis."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reports.health import (
    NO_DATA,
    OVERALL,
    Colour,
    CostFacts,
    HealthInputs,
    MilestoneSlip,
    Override,
    QualityFacts,
    RiskFacts,
    ScheduleFacts,
    ScopeFacts,
    Thresholds,
    assess,
    threshold_errors,
)

counts = st.integers(min_value=0, max_value=50)
indices = st.decimals(min_value=Decimal("0.10"), max_value=Decimal("2.00"), places=2)
slips = st.lists(
    st.builds(MilestoneSlip, st.sampled_from(["Alpha", "Beta", "Go live"]), st.integers(-30, 60)),
    max_size=5,
).map(tuple)

schedule_facts = st.builds(
    ScheduleFacts,
    spi=st.none() | indices,
    milestone_slips=slips,
    has_baseline=st.booleans(),
    late_critical_tasks=counts,
    negative_float_tasks=counts,
)
cost_facts = st.builds(
    CostFacts,
    cpi=st.none() | indices,
    budget=st.none() | st.decimals(min_value=1, max_value=10**6, places=0),
    forecast=st.none() | st.decimals(min_value=0, max_value=2 * 10**6, places=0),
)
inputs = st.builds(
    HealthInputs,
    schedule=st.none() | schedule_facts,
    cost=st.none() | cost_facts,
    scope=st.none() | st.builds(ScopeFacts, counts, counts),
    risk=st.none() | st.builds(RiskFacts, counts, counts),
    quality=st.none() | st.builds(QualityFacts, counts, counts),
)


@given(inputs)
def test_overall_is_the_worst_dimension_with_data(health_inputs):
    health = assess(health_inputs)
    colours = [item.colour for item in health.dimensions if item.colour is not None]
    if not colours:
        assert health.overall.colour is None
    else:
        assert health.overall.colour == max(colours, key=lambda c: c.rank)


@given(inputs)
def test_a_dimension_without_data_has_no_colour_and_says_so(health_inputs):
    health = assess(health_inputs)
    for item in health.dimensions:
        has_facts = getattr(health_inputs, item.key) is not None
        assert item.has_data == has_facts
        if not has_facts:
            assert item.colour is None and item.reasons == (NO_DATA,)


@given(inputs)
def test_every_colour_comes_with_a_reason_in_words(health_inputs):
    health = assess(health_inputs)
    for item in (*health.dimensions, health.overall):
        assert item.reasons and all(len(reason) > 10 for reason in item.reasons)


@given(schedule_facts, counts)
def test_more_late_critical_tasks_never_improve_the_schedule(facts, extra):
    from dataclasses import replace

    before = assess(HealthInputs(schedule=facts)).dimension("schedule").colour
    worse = replace(facts, late_critical_tasks=facts.late_critical_tasks + extra)
    after = assess(HealthInputs(schedule=worse)).dimension("schedule").colour
    assert after.rank >= before.rank


@given(schedule_facts, st.integers(0, 40))
def test_a_longer_slip_never_improves_the_schedule(facts, extra):
    from dataclasses import replace

    before = assess(HealthInputs(schedule=facts)).dimension("schedule").colour
    longer = tuple(MilestoneSlip(s.name, s.days + extra) for s in facts.milestone_slips)
    after = assess(HealthInputs(schedule=replace(facts, milestone_slips=longer)))
    assert after.dimension("schedule").colour.rank >= before.rank


@given(inputs, st.sampled_from(list(Colour)), st.sampled_from(["schedule", "risk", OVERALL]))
def test_an_override_replaces_the_colour_and_keeps_the_computed_one(health_inputs, colour, key):
    override = Override(colour, "The vendor has confirmed a delay.", "Pat")
    health = assess(health_inputs, overrides={key: override})
    item = health.overall if key == OVERALL else health.dimension(key)
    if key == OVERALL or item.has_data:
        assert item.colour == colour and item.override == override
    if key != OVERALL:
        plain = assess(health_inputs).dimension(key)
        assert item.computed == plain.computed


def test_defaults_judge_a_typical_slip():
    # given a milestone 4 days late (amber from 3, red from 10 by default)
    facts = ScheduleFacts(milestone_slips=(MilestoneSlip("Beta", 4),), has_baseline=True)
    health = assess(HealthInputs(schedule=facts))
    schedule = health.dimension("schedule")
    assert schedule.colour == Colour.AMBER
    assert schedule.reasons == ("Milestone “Beta” is 4 days later than the baseline.",)
    # and the overall says which dimension made it amber
    assert health.overall.reasons == (
        "Schedule is amber: Milestone “Beta” is 4 days later than the baseline.",
    )


def test_cost_reads_cpi_and_forecast_against_budget():
    facts = CostFacts(cpi=Decimal("0.80"), budget=Decimal(1000), forecast=Decimal(1060))
    cost = assess(HealthInputs(cost=facts)).dimension("cost")
    assert cost.colour == Colour.RED
    assert "CPI is 0.80" in cost.reasons[0]
    assert "6.0% over the budget" in cost.reasons[1]


def test_organisation_thresholds_change_the_verdict():
    facts = ScheduleFacts(late_critical_tasks=2)
    strict = Thresholds(late_critical_amber=1, late_critical_red=2)
    assert assess(HealthInputs(schedule=facts)).dimension("schedule").colour == Colour.AMBER
    assert assess(HealthInputs(schedule=facts), strict).dimension("schedule").colour == Colour.RED


def test_thresholds_where_red_starts_before_amber_are_refused():
    errors = threshold_errors({"late_critical_amber": 3, "late_critical_red": 1})
    assert "late_critical_red" in errors
    errors = threshold_errors({"spi_amber": Decimal("0.9"), "spi_red": Decimal("0.95")})
    assert "spi_red" in errors
    assert threshold_errors(Thresholds().__dict__) == {}


def test_the_milestone_timeline_places_planned_and_forecast_on_one_axis():
    from reports.timeline import milestone_timeline

    line = milestone_timeline(
        [
            {"name": "A", "baseline": "2027-01-01", "forecast": "2027-01-11", "slip_days": 10},
            {"name": "B", "baseline": None, "forecast": "2027-01-06", "slip_days": None},
        ]
    )
    assert (line.rows[0].planned, line.rows[0].forecast) == (0.0, 100.0)
    assert line.rows[0].gap_width == 100.0
    assert line.rows[1].planned is None and line.rows[1].forecast == 50.0
    assert milestone_timeline([]).rows == []
