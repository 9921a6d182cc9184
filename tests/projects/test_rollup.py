"""Summary progress and effort, as a TPM reads them on the outline."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from projects.rollup import RollupRow, roll_up


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
