"""The comparison engine (projects/baselines/compare.py): variances in working days, by property.

Positions are working minutes of one calendar, so shifting a whole plan by k working days is
adding k x minutes-per-day to every date.
"""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects.baselines.compare import PlanEntry, RowKind, compare, days

PER_DAY = st.sampled_from([240, 420, 450, 480, 600])


@st.composite
def plans(draw) -> list[PlanEntry]:
    """Up to 30 tasks with ids 1..n, each with a start, a duration and maybe a milestone flag."""
    count = draw(st.integers(min_value=1, max_value=30))
    entries = []
    for key in range(1, count + 1):
        milestone = draw(st.booleans())
        start = draw(st.integers(min_value=-50_000, max_value=500_000))
        duration = 0 if milestone else draw(st.integers(min_value=0, max_value=20_000))
        entries.append(
            PlanEntry(
                key=key,
                wbs_code=str(key),
                name=f"Task {key}",
                start=start,
                finish=start + duration,
                duration_minutes=duration,
                is_milestone=milestone,
            )
        )
    return entries


@given(plan=plans(), per_day=PER_DAY)
def test_a_plan_compared_with_its_own_snapshot_has_no_variance(plan, per_day):
    # when the plan is compared with a baseline saved from it
    result = compare(baseline=plan, current=plan, minutes_per_day=per_day)
    # then every task is matched with zero variances, nothing slipped, the finish holds
    assert [row.kind for row in result.rows] == [RowKind.SAME] * len(plan)
    for row in result.rows:
        assert (row.start_days, row.finish_days, row.duration_days) == (0, 0, 0)
    assert result.slipped_milestones == []
    assert result.project_finish_days == 0


@given(plan=plans(), per_day=PER_DAY, k=st.integers(min_value=-40, max_value=40))
def test_shifting_every_task_by_k_days_shows_k_everywhere(plan, per_day, k):
    # given the same plan moved by k working days
    moved = [replace(e, start=e.start + k * per_day, finish=e.finish + k * per_day) for e in plan]
    # when it is compared with the baseline
    result = compare(baseline=plan, current=moved, minutes_per_day=per_day)
    # then every start and finish is k days out, no duration changed, the project moved k days
    for row in result.rows:
        assert row.start_days == row.finish_days == k
        assert row.duration_days == 0
    assert result.project_finish_days == k
    # and every milestone has slipped exactly when the shift is later
    milestones = [e.key for e in plan if e.is_milestone]
    slipped = [row.entry.key for row in result.slipped_milestones]
    assert slipped == (milestones if k > 0 else [])


@given(plan=plans(), per_day=PER_DAY, data=st.data())
def test_every_task_is_either_matched_added_or_removed(plan, per_day, data):
    # given a plan where some baselined tasks are gone and some new ones were added
    kept = data.draw(st.lists(st.sampled_from(plan), unique_by=lambda e: e.key))
    added = [replace(e, key=(e.key or 0) + 1000) for e in plan[: data.draw(st.integers(0, 3))]]
    current = kept + added
    # when the plan is compared with the baseline
    result = compare(baseline=plan, current=current, minutes_per_day=per_day)
    # then each current task appears once, each baselined task appears once
    assert {r.current.key for r in result.rows if r.current} == {e.key for e in current}
    assert {r.baseline.key for r in result.rows if r.baseline} == {e.key for e in plan}
    assert {r.entry.key for r in result.added} == {e.key for e in added}
    assert {r.entry.key for r in result.removed} == {e.key for e in plan} - {e.key for e in kept}


def test_a_longer_task_shows_its_extra_days_as_duration_and_finish_variance():
    # given a two-day task that now takes three and a half days
    before = PlanEntry(1, "1", "Build", start=0, finish=960, duration_minutes=960)
    after = replace(before, finish=1680, duration_minutes=1680)
    # when compared
    (row,) = compare(baseline=[before], current=[after], minutes_per_day=480).rows
    # then the start holds and the finish and duration are 1.5 days late
    assert (row.start_days, row.finish_days, row.duration_days) == (
        0,
        Decimal("1.5"),
        Decimal("1.5"),
    )
    assert row.slipped


def test_a_row_whose_task_was_deleted_for_good_is_removed():
    # given a baseline row whose task no longer exists (its key was cleared)
    gone = PlanEntry(None, "3", "Old task", start=0, finish=480, duration_minutes=480)
    # when compared with an empty plan
    result = compare(baseline=[gone], current=[], minutes_per_day=480)
    # then it is listed as removed and the project finish cannot be compared
    assert [row.kind for row in result.rows] == [RowKind.REMOVED]
    assert result.project_finish_days is None


def test_days_refuses_a_calendar_without_working_time():
    with pytest.raises(ValueError, match="minutes_per_day"):
        days(480, 0)
