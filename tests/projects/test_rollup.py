"""Summary progress and effort, as a TPM reads them on the outline."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from projects.schedule.rollup import RollupRow, roll_up


def test_progress_is_weighted_by_duration():
    # given a phase with a 4-day task done and a 1-day task not started
    rows = [
        RollupRow(1, None, 0, 0),
        RollupRow(2, 1, 4 * 480, 100, Decimal("32")),
        RollupRow(3, 1, 480, 0, Decimal("8")),
    ]
    # then the phase is 80% done and needs 40 hours in all
    summary = roll_up(rows)[1]
    assert summary.percent_complete == 80
    assert summary.effort_hours == Decimal("40")


def test_nested_summaries_count_the_work_at_the_bottom():
    rows = [
        RollupRow(1, None, 0, 0),
        RollupRow(2, 1, 0, 0),
        RollupRow(3, 2, 480, 100),
        RollupRow(4, 2, 480, 0),
        RollupRow(5, 1, 2 * 480, 50),
    ]
    result = roll_up(rows)
    assert result[2].percent_complete == 50
    assert result[1].percent_complete == 50  # (480*100 + 480*0 + 960*50) / 1920
    assert result[1].effort_hours is None


def test_a_phase_of_milestones_averages_them():
    rows = [RollupRow(1, None, 0, 0), RollupRow(2, 1, 0, 100), RollupRow(3, 1, 0, 0)]
    assert roll_up(rows)[1].percent_complete == 50


def test_leaves_are_not_rolled_up():
    assert roll_up([RollupRow(1, None, 480, 30)]) == {}


@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 100)), min_size=1, max_size=30))
def test_a_summary_lies_between_its_least_and_most_advanced_task(leaves):
    rows = [RollupRow(0, None, 0, 0)]
    rows += [RollupRow(i + 1, 0, d, p) for i, (d, p) in enumerate(leaves)]
    percent = roll_up(rows)[0].percent_complete
    assert min(p for _, p in leaves) <= percent <= max(p for _, p in leaves)


def test_progress_may_be_weighted_by_effort_instead():
    # given a long task needing little work, done, and a short one needing much, not started
    rows = [
        RollupRow(1, None, 0, 0),
        RollupRow(2, 1, 4 * 480, 100, Decimal("8")),
        RollupRow(3, 1, 480, 0, Decimal("72")),
    ]
    # then by effort the phase is 10% done, where by duration it would be 80%
    assert roll_up(rows, "effort")[1].percent_complete == 10
    assert roll_up(rows, "duration")[1].percent_complete == 80


def test_effort_weighting_without_any_effort_falls_back_to_duration():
    rows = [RollupRow(1, None, 0, 0), RollupRow(2, 1, 3 * 480, 100), RollupRow(3, 1, 480, 0)]
    assert roll_up(rows, "effort")[1].percent_complete == 75


def test_costs_add_up_through_nested_summaries_and_stay_empty_when_unknown():
    rows = [
        RollupRow(1, None, 0, 0),
        RollupRow(2, 1, 0, 0),
        RollupRow(3, 2, 480, 0, cost=Decimal("1200.50"), actual_cost=Decimal("100")),
        RollupRow(4, 2, 480, 0, cost=Decimal("800")),
        RollupRow(5, 1, 480, 0),
    ]
    result = roll_up(rows)
    assert (result[1].cost, result[1].actual_cost) == (Decimal("2000.50"), Decimal("100"))
    assert (result[2].cost, result[2].actual_cost) == (Decimal("2000.50"), Decimal("100"))
    only_unknown = roll_up([RollupRow(1, None, 0, 0), RollupRow(2, 1, 480, 0)])
    assert only_unknown[1].cost is None and only_unknown[1].actual_cost is None


@given(
    st.lists(
        st.tuples(st.integers(0, 5000), st.integers(0, 100), st.integers(0, 200)),
        min_size=1,
        max_size=30,
    )
)
def test_an_effort_weighted_summary_also_lies_between_its_tasks(leaves):
    rows = [RollupRow(0, None, 0, 0)]
    rows += [RollupRow(i + 1, 0, d, p, Decimal(e)) for i, (d, p, e) in enumerate(leaves)]
    percent = roll_up(rows, "effort")[0].percent_complete
    assert min(p for _, p, _ in leaves) <= percent <= max(p for _, p, _ in leaves)
