"""The workload engine: people x ISO weeks, work spread over working days against capacity."""

import random
import time
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resources.workload.engine import Person, TimeOff, WorkAssignment, workload

FULL_TIME = (8.0, 8.0, 8.0, 8.0, 8.0, 0.0, 0.0)
MON = date(2024, 1, 1)  # a Monday


def _week(result, person_id: int, index: int = 0):
    row = next(p for p in result.people if p.person_id == person_id)
    return row.weeks[index]


def test_a_full_week_of_work_is_a_full_load():
    # given a full-time person with 40 h of work from Monday to Friday
    alice = Person(1, FULL_TIME)
    work = [WorkAssignment(1, 10, MON, MON + timedelta(days=4), 40.0, project_id=5)]
    # when
    week = _week(workload([alice], work, MON, 2), 1)
    # then
    assert (week.capacity_hours, week.assigned_hours, week.load_percent) == (40, 40, 100)
    assert not week.over_allocated


def test_two_full_time_tasks_in_one_week_over_allocate_and_drill_down_names_them():
    alice = Person(1, FULL_TIME)
    friday = MON + timedelta(days=4)
    work = [
        WorkAssignment(1, 10, MON, friday, 40.0, project_id=5),
        WorkAssignment(1, 11, MON, friday, 40.0, project_id=6),
    ]
    result = workload([alice], work, MON, 1)
    week = _week(result, 1)
    assert week.assigned_hours == 80 and week.load_percent == 200
    assert week.over_allocated and result.people[0].over_allocated
    assert {(t.task_id, t.project_id, t.hours) for t in week.tasks} == {(10, 5, 40), (11, 6, 40)}


def test_work_is_spread_evenly_over_working_days_across_weeks():
    # given 30 h from Wednesday to the next Tuesday: five working days, 6 h each
    work = [WorkAssignment(1, 10, MON + timedelta(days=2), MON + timedelta(days=8), 30.0)]
    result = workload([Person(1, FULL_TIME)], work, MON, 3)
    # then Wed-Fri = 18 h in week 1, Mon-Tue = 12 h in week 2, nothing in week 3
    assert [w.assigned_hours for w in result.people[0].weeks] == [18, 12, 0]


def test_time_off_reduces_capacity_but_does_not_move_work():
    # given a week off (whole days) and, the week after, two afternoons off (4 h a day)
    off = (
        TimeOff(MON, MON + timedelta(days=4)),
        TimeOff(MON + timedelta(days=7), MON + timedelta(days=8), hours_per_day=4.0),
    )
    bob = Person(2, FULL_TIME, off)
    work = [WorkAssignment(2, 10, MON, MON + timedelta(days=11), 20.0)]
    result = workload([bob], work, MON, 2)
    first, second = result.people[0].weeks
    # then the holiday week has no capacity, so its 10 h are an over-allocation (load not defined)
    assert (first.capacity_hours, first.assigned_hours) == (0, 10)
    assert first.over_allocated and first.load_percent is None
    # and the second week has 40 - 2 x 4 = 32 h of capacity
    assert second.capacity_hours == 32 and not second.over_allocated


def test_units_without_work_hours_take_a_share_of_each_working_day():
    # a half-time assignment (50 units) over two weeks: 4 h a day, 20 h a week
    work = [WorkAssignment(1, 10, MON, MON + timedelta(days=13), None, units=50.0)]
    result = workload([Person(1, FULL_TIME)], work, MON, 2)
    assert [w.assigned_hours for w in result.people[0].weeks] == [20, 20]


def test_a_part_time_week():
    # given someone working Monday to Wednesday, 6 h a day, with 27 h over a whole week
    part_time = Person(3, (6.0, 6.0, 6.0, 0.0, 0.0, 0.0, 0.0))
    work = [WorkAssignment(3, 10, MON, MON + timedelta(days=6), 27.0)]
    week = _week(workload([part_time], work, MON, 1), 3)
    assert (week.capacity_hours, week.assigned_hours, week.load_percent) == (18, 27, 150)
    assert week.over_allocated


def test_an_assignment_on_non_working_days_lands_on_the_next_working_day():
    saturday = MON + timedelta(days=5)
    work = [WorkAssignment(1, 10, saturday, saturday + timedelta(days=1), 6.0)]
    result = workload([Person(1, FULL_TIME)], work, MON, 2)
    assert [w.assigned_hours for w in result.people[0].weeks] == [0, 6]


def test_work_outside_the_window_and_unknown_people_are_left_out():
    work = [
        WorkAssignment(1, 10, MON - timedelta(days=14), MON - timedelta(days=10), 16.0),
        WorkAssignment(99, 11, MON, MON, 8.0),
    ]
    result = workload([Person(1, FULL_TIME)], work, MON, 2)
    assert [w.assigned_hours for w in result.people[0].weeks] == [0, 0]
    assert result.unknown_people == {99}
    assert result.weeks == (MON, MON + timedelta(days=7))


def _naive_week_hours(person: Person, a: WorkAssignment, weeks: list[date]) -> list[float]:
    """Reference: walk every day of the assignment."""
    days = [
        a.start + timedelta(days=n)
        for n in range((a.finish - a.start).days + 1)
        if person.hours_per_weekday[(a.start + timedelta(days=n)).weekday()] > 0
    ]
    if not days:
        day = a.start
        while person.hours_per_weekday[day.weekday()] == 0:
            day += timedelta(days=1)
        days = [day]
    result = [0.0] * len(weeks)
    for day in days:
        index = (day - weeks[0]).days // 7
        if 0 <= index < len(weeks):
            hours = (
                a.work_hours / len(days)
                if a.work_hours is not None
                else a.units / 100 * person.hours_per_weekday[day.weekday()]
            )
            result[index] += hours
    return result


@settings(max_examples=200, deadline=None)
@given(
    pattern=st.lists(st.sampled_from([0.0, 4.0, 8.0]), min_size=7, max_size=7).filter(any),
    start=st.integers(-20, 60),
    length=st.integers(0, 50),
    work=st.one_of(st.none(), st.floats(0, 500)),
    units=st.sampled_from([25.0, 50.0, 100.0, 150.0]),
)
def test_the_fast_spread_matches_a_day_by_day_walk(pattern, start, length, work, units):
    person = Person(1, tuple(pattern))
    first = MON + timedelta(days=start)
    assignment = WorkAssignment(1, 7, first, first + timedelta(days=length), work, units)
    result = workload([person], [assignment], MON, 8)
    expected = _naive_week_hours(person, assignment, list(result.weeks))
    actual = [w.assigned_hours for w in result.people[0].weeks]
    assert actual == [pytest.approx(v, abs=1e-6) for v in expected]


def test_three_hundred_people_by_26_weeks_with_20000_assignments_is_fast():
    # given 300 people and 20,000 assignments of up to six weeks around a 26-week window
    rng = random.Random(5)
    people = [Person(n, FULL_TIME, (TimeOff(MON, MON + timedelta(days=2)),)) for n in range(300)]
    work = []
    for n in range(20_000):
        start = MON + timedelta(days=rng.randint(-20, 190))
        finish = start + timedelta(days=rng.randint(0, 40))
        work.append(WorkAssignment(rng.randrange(300), n, start, finish, rng.choice([None, 24.0])))
    # when
    started = time.process_time()
    result = workload(people, work, MON, 26)
    seconds = time.process_time() - started
    # then (about 0.15 s of CPU on an idle development machine; generous for a busy runner)
    assert len(result.people) == 300 and all(len(p.weeks) == 26 for p in result.people)
    assert seconds < 2.0, seconds
