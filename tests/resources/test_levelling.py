"""Levelling one over-allocated person within float (resources/workload/levelling.py)."""

from datetime import date, timedelta

from resources.workload.engine import Person, TimeOff
from resources.workload.levelling import LevelTask, level

FULL_TIME = (8.0, 8.0, 8.0, 8.0, 8.0, 0.0, 0.0)
MON = date(2024, 1, 1)  # a Monday
FRI = MON + timedelta(days=4)
ALICE = Person(1, FULL_TIME, name="Alice")


def _week_of_work(task_id: int, **limits) -> LevelTask:
    return LevelTask(task_id, MON, FRI, work_hours=40.0, name=f"T{task_id}", **limits)


def test_an_over_allocated_person_is_resolved_within_float():
    # given two full-time tasks in the same week; the second has two weeks of float
    tasks = [
        _week_of_work(1, total_float_days=0, priority=2),
        _week_of_work(2, total_float_days=10, priority=2),
    ]
    # when
    result = level(ALICE, tasks)
    # then the week was at 200 %, and the task with float moves to the next week
    assert result.before.weeks[0].load_percent == 200
    (proposal,) = result.proposals
    assert proposal.task_id == 2 and proposal.delay_days == 5
    assert (proposal.old_start, proposal.old_finish) == (MON, FRI)
    assert (proposal.new_start, proposal.new_finish) == (
        MON + timedelta(days=7),
        FRI + timedelta(days=7),
    )
    assert "within its total float of 10" in proposal.reason
    assert [w.assigned_hours for w in result.after.weeks] == [40, 40]
    assert result.resolved and not result.unresolved


def test_without_enough_float_the_task_is_reported_not_pushed():
    # given the same clash, but only 2 working days of float on the second task
    tasks = [_week_of_work(1, total_float_days=0), _week_of_work(2, total_float_days=2)]
    # when
    result = level(ALICE, tasks)
    # then nothing is proposed for it; it would need 5 working days, 3 past its float
    assert result.proposals == ()
    (problem,) = result.unresolved
    assert (problem.task_id, problem.needed_delay_days, problem.days_past_float) == (2, 5, 3)
    assert problem.needed_start == MON + timedelta(days=7)
    assert "3 working day(s) past its total float of 2" in problem.reason
    # and the load stays over-allocated, which the result says
    assert result.after.weeks[0].over_allocated and not result.resolved


def test_a_deadline_is_never_passed_silently():
    # given plenty of float but a deadline on Wednesday of the next week
    deadline = MON + timedelta(days=9)
    tasks = [_week_of_work(1), _week_of_work(2, total_float_days=20, deadline=deadline)]
    result = level(ALICE, tasks)
    # then the move (finishing Friday of week 2) would be 2 days late: reported, not proposed
    assert result.proposals == ()
    (problem,) = result.unresolved
    assert problem.days_past_deadline == 2 and problem.days_past_float == 0
    assert f"2 day(s) past its deadline {deadline}" in problem.reason


def test_a_finish_constraint_is_never_passed_silently():
    tasks = [
        _week_of_work(1),
        _week_of_work(2, total_float_days=20, latest_finish=FRI + timedelta(days=3)),
    ]
    (problem,) = level(ALICE, tasks).unresolved
    assert problem.days_past_constraint == 4
    assert "finishes 4 day(s) after its constraint" in problem.reason


def test_priority_comes_before_float():
    # given a high-priority task with float and a low-priority one without
    tasks = [
        _week_of_work(1, total_float_days=0, priority=1),
        _week_of_work(2, total_float_days=10, priority=3),
    ]
    result = level(ALICE, tasks)
    # then the high-priority one keeps its dates, and the low-priority one cannot move
    assert result.proposals == ()
    assert [u.task_id for u in result.unresolved] == [1]


def test_at_equal_priority_the_task_with_more_float_is_delayed():
    tasks = [_week_of_work(1, total_float_days=30), _week_of_work(2, total_float_days=6)]
    result = level(ALICE, tasks)
    assert [p.task_id for p in result.proposals] == [1]


def test_fixed_tasks_keep_their_dates():
    # given a started task (fixed) and a new one with float in the same week
    tasks = [
        _week_of_work(1, total_float_days=30, movable=False, fixed_reason="started"),
        _week_of_work(2, total_float_days=10, priority=9),
    ]
    result = level(ALICE, tasks)
    # then the new one moves even though it has the higher priority
    assert [p.task_id for p in result.proposals] == [2]


def test_a_task_too_big_for_the_person_cannot_be_levelled_by_delay():
    # 80 h in one week for a 40 h week
    tasks = [LevelTask(1, MON, FRI, work_hours=80.0, total_float_days=50, name="Huge")]
    result = level(ALICE, tasks)
    (problem,) = result.unresolved
    assert problem.needed_delay_days is None
    assert "16.0 h a day" in problem.reason and "more time, fewer units" in problem.reason


def test_time_off_is_levelled_around():
    # given a week off, and a 40 h task in it with float
    bob = Person(2, FULL_TIME, (TimeOff(MON, FRI),))
    tasks = [_week_of_work(1, total_float_days=10)]
    result = level(bob, tasks)
    (proposal,) = result.proposals
    assert proposal.new_start == MON + timedelta(days=7)
    assert result.resolved


def test_daily_levelling_is_stricter_than_weekly():
    # given 4 h a day all week plus an 8 h task on Monday: 28 h fits the week but not Monday
    tasks = [
        LevelTask(1, MON, FRI, work_hours=20.0, total_float_days=0),
        LevelTask(2, MON, MON, work_hours=8.0, total_float_days=10),
    ]
    assert level(ALICE, tasks, granularity="week").proposals == ()
    (proposal,) = level(ALICE, tasks, granularity="day").proposals
    # every day this week has 4 h taken, so the 8 h day goes to the next Monday
    assert proposal.new_start == MON + timedelta(days=7)


def test_nothing_to_level():
    result = level(ALICE, [_week_of_work(1)])
    assert result.proposals == () and result.unresolved == () and result.resolved
