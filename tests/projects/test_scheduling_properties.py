"""Properties of the CPM engine on random networks (hypothesis).

Random acyclic networks: links only run from a lower to a higher task number, with every link
type, lags and leads, zero-length milestones and odd durations.
"""

from datetime import date, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from projects.calendars.timeline import CalendarException, WorkingCalendar
from projects.schedule.engine import schedule
from projects.schedule.network import (
    Constraint,
    LinkType,
    Schedule,
    ScheduleInput,
    ScheduleLink,
    ScheduleTask,
)

DAY = 480
START = datetime(2025, 1, 6, 8, 0)
SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def networks(draw, max_tasks: int = 25) -> ScheduleInput:
    size = draw(st.integers(1, max_tasks))
    durations = draw(
        st.lists(st.one_of(st.just(0), st.integers(1, 5 * DAY)), min_size=size, max_size=size)
    )
    tasks = [ScheduleTask(index, duration) for index, duration in enumerate(durations)]
    links = []
    if size > 1:
        pairs = st.tuples(st.integers(0, size - 2), st.integers(1, size - 1)).filter(
            lambda pair: pair[0] < pair[1]
        )
        for predecessor, successor in draw(st.lists(pairs, max_size=int(size * 2.5))):
            link_type = draw(st.sampled_from(LinkType))
            lag = draw(st.integers(-2 * DAY, 2 * DAY))
            links.append(ScheduleLink(predecessor, successor, link_type, lag))
    holidays = draw(st.lists(st.integers(0, 60), max_size=4))
    calendar = WorkingCalendar.standard(
        [CalendarException.holiday(date(2025, 1, 6) + timedelta(days=d)) for d in holidays]
    )
    return ScheduleInput(tasks=tasks, links=links, project_start=START, calendar=calendar)


def _link_bound(result: Schedule, link: ScheduleLink) -> tuple[int, int]:
    """(what the successor's date is, what the link requires it to be at least)."""
    pred, succ = result.tasks[link.predecessor_id], result.tasks[link.successor_id]
    source = pred.early_finish if link.type in (LinkType.FS, LinkType.FF) else pred.early_start
    target = succ.early_start if link.type in (LinkType.FS, LinkType.SS) else succ.early_finish
    return target, source + link.lag


@SETTINGS
@given(networks())
def test_late_dates_never_precede_early_dates_without_constraints(data):
    # given / when
    result = schedule(data)

    # then
    for task in result.tasks.values():
        assert task.early_start <= task.late_start
        assert task.early_finish <= task.late_finish
        assert task.late_start - task.early_start == task.total_float >= 0
        assert 0 <= task.free_float <= task.total_float
        assert task.critical == (task.total_float == 0)


@SETTINGS
@given(networks())
def test_every_link_is_satisfied_by_the_early_dates(data):
    # given / when
    result = schedule(data)
    project_start = data.calendar.timeline().position(START)

    # then
    for link in data.links:
        actual, required = _link_bound(result, link)
        assert actual >= required, link
    for task in result.tasks.values():
        assert task.early_start >= project_start
        assert task.early_finish - task.early_start == next(
            t.duration for t in data.tasks if t.id == task.task_id
        )


def _tight_links(result: Schedule, data: ScheduleInput) -> list[ScheduleLink]:
    return [link for link in data.links if (lambda b: b[0] == b[1])(_link_bound(result, link))]


@SETTINGS
@given(networks())
def test_critical_tasks_form_chains_from_a_start_task_to_a_finish_task(data):
    # given / when
    result = schedule(data)
    timeline = data.calendar.timeline()
    project_start = timeline.position(START)
    project_finish = max(task.early_finish for task in result.tasks.values())
    critical = {task.task_id for task in result.tasks.values() if task.critical}
    tight = [
        link
        for link in _tight_links(result, data)
        if link.predecessor_id in critical and link.successor_id in critical
    ]

    # then: each critical task is driven by a critical task or starts the project, and drives
    # a critical task or finishes it
    for task_id in critical:
        task = result.tasks[task_id]
        driven = any(link.successor_id == task_id for link in tight)
        driving = any(link.predecessor_id == task_id for link in tight)
        assert driven or task.early_start == project_start, task_id
        assert driving or task.early_finish == project_finish, task_id


@SETTINGS
@given(networks())
def test_critical_path_runs_from_project_start_to_project_finish(data):
    # given / when
    result = schedule(data)
    project_start = data.calendar.timeline().position(START)
    project_finish = max(task.early_finish for task in result.tasks.values())
    path = result.critical_path
    tight = {(link.predecessor_id, link.successor_id) for link in _tight_links(result, data)}

    # then
    assert path, "a project with tasks has a critical path"
    assert all(result.tasks[task_id].critical for task_id in path)
    assert result.tasks[path[0]].early_start == project_start
    assert result.tasks[path[-1]].early_finish == project_finish
    assert all(pair in tight for pair in pairwise(path))


@st.composite
def networks_with_deadlines(draw) -> tuple[ScheduleInput, ScheduleInput]:
    plain = draw(networks())
    constrained = []
    for task in plain.tasks:
        day = START + timedelta(days=draw(st.integers(0, 30)))
        kind = draw(st.sampled_from(["none", "deadline", "FNLT", "SNLT"]))
        if kind == "deadline":
            task = ScheduleTask(task.id, task.duration, deadline=day)
        elif kind != "none":
            task = ScheduleTask(
                task.id, task.duration, constraint=Constraint(kind), constraint_date=day
            )
        constrained.append(task)
    return plain, ScheduleInput(
        tasks=constrained, links=plain.links, project_start=START, calendar=plain.calendar
    )


@SETTINGS
@given(networks_with_deadlines())
def test_deadlines_and_late_constraints_change_float_never_dates(pair):
    # given
    plain, constrained = pair

    # when
    before, after = schedule(plain), schedule(constrained)

    # then: early dates are untouched; float can only shrink, possibly below zero
    for task_id, task in after.tasks.items():
        reference = before.tasks[task_id]
        assert (task.early_start, task.early_finish) == (
            reference.early_start,
            reference.early_finish,
        )
        assert task.total_float <= reference.total_float
        assert task.free_float <= task.total_float
        assert task.critical == (task.total_float <= 0)


@SETTINGS
@given(networks(), st.data())
def test_grouping_tasks_under_summaries_does_not_change_their_schedule(data, draw):
    # given: the same network with its tasks spread over three summary tasks
    groups = [draw.draw(st.sampled_from(["g1", "g2", "g3"])) for _ in data.tasks]
    grouped = ScheduleInput(
        tasks=[ScheduleTask(g) for g in sorted(set(groups))]
        + [
            ScheduleTask(t.id, t.duration, parent_id=g)
            for t, g in zip(data.tasks, groups, strict=True)
        ],
        links=data.links,
        project_start=START,
        calendar=data.calendar,
    )

    # when
    flat, nested = schedule(data), schedule(grouped)

    # then
    for task in data.tasks:
        assert flat.tasks[task.id] == nested.tasks[task.id]
    for group in set(groups):
        members = [
            nested.tasks[t.id] for t, g in zip(data.tasks, groups, strict=True) if g == group
        ]
        summary = nested.tasks[group]
        assert summary.early_start == min(m.early_start for m in members)
        assert summary.early_finish == max(m.early_finish for m in members)
        assert summary.total_float >= 0


@SETTINGS
@given(
    st.lists(st.integers(-400, 4000), max_size=6),
    st.integers(-(10**6), 10**7),
)
def test_calendar_positions_round_trip(holiday_offsets, position):
    # given
    calendar = WorkingCalendar.standard(
        [CalendarException.holiday(date(2000, 1, 3) + timedelta(days=d)) for d in holiday_offsets]
    )
    timeline = calendar.timeline()

    # when
    start = timeline.moment(position)
    finish = timeline.moment(position, finish=True)

    # then: both forms name the same position; the finish form is never later
    assert timeline.position(start) == position
    assert timeline.position(finish) == position
    assert finish <= start
    assert timeline.is_working(start)
