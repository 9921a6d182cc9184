"""The impact analysis of change requests (projects/changes/impact.py, proposal.py), checked against
the engine.

The plan of most tests starts on Monday 6 January 2025 at 08:00 on the standard calendar (one day
is 480 working minutes):

    Design (3d) -> Build (2d) -> Launch (milestone)
    Docs (1d) ----------------->

Design and Build are critical (the plan finishes on Friday 10 January at 17:00); Docs has four
days of float.
"""

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.calendars.timeline import CalendarException, WorkingCalendar
from projects.changes.impact import analyse
from projects.changes.proposal import (
    AddLink,
    AddTask,
    ChangeDuration,
    ChangeLink,
    LinkSpec,
    Plan,
    ProposalError,
    RemoveLink,
    RemoveTask,
    TaskFacts,
    apply_proposal,
    parse_proposal,
    proposal_json,
)
from projects.schedule.engine import schedule
from projects.schedule.network import (
    LinkType,
    ScheduleInput,
    ScheduleLink,
    ScheduleTask,
)

DAY = 480
MONDAY = datetime(2025, 1, 6, 8, 0)
DESIGN, BUILD, DOCS, LAUNCH = 1, 2, 3, 4


def plan_of(tasks, links, facts, **options) -> Plan:
    return Plan(
        input=ScheduleInput(tasks=tasks, links=links, project_start=MONDAY, **options),
        facts=facts,
    )


@pytest.fixture
def plan() -> Plan:
    return plan_of(
        [
            ScheduleTask(DESIGN, 3 * DAY),
            ScheduleTask(BUILD, 2 * DAY),
            ScheduleTask(DOCS, 1 * DAY),
            ScheduleTask(LAUNCH, 0, milestone=True),
        ],
        [
            ScheduleLink(DESIGN, BUILD),
            ScheduleLink(BUILD, LAUNCH),
            ScheduleLink(DOCS, LAUNCH),
        ],
        {
            DESIGN: TaskFacts("Design", Decimal("24"), Decimal("2400")),
            BUILD: TaskFacts("Build", Decimal("16"), Decimal("1600")),
            DOCS: TaskFacts("Docs", Decimal("8"), Decimal("800")),
            LAUNCH: TaskFacts("Launch"),
        },
    )


# -- the project finish ---------------------------------------------------------------------------


@pytest.mark.parametrize("extra_days", [1, 2, 5, 12])
def test_lengthening_a_critical_task_moves_the_finish_by_as_many_working_days(plan, extra_days):
    # given: Build is on the critical path
    change = ChangeDuration(BUILD, (2 + extra_days) * DAY)

    # when
    impact = analyse(plan, [change]).impact

    # then
    assert impact.finish_before == datetime(2025, 1, 10, 17, 0)
    assert impact.finish_slip_days == Decimal(extra_days)
    position = WorkingCalendar.standard().timeline().position
    assert position(impact.finish_after) - position(impact.finish_before) == extra_days * DAY


def test_a_one_day_slip_over_a_weekend_is_one_working_day_and_three_calendar_days(plan):
    # given / when
    impact = analyse(plan, [ChangeDuration(BUILD, 3 * DAY)]).impact

    # then: Friday 17:00 becomes Monday 17:00
    assert impact.finish_after == datetime(2025, 1, 13, 17, 0)
    assert impact.finish_slip_days == Decimal("1.00")
    assert impact.finish_slip_calendar_days == 3


def test_shortening_a_critical_task_brings_the_finish_forward(plan):
    # given / when
    impact = analyse(plan, [ChangeDuration(DESIGN, 2 * DAY)]).impact

    # then
    assert impact.finish_slip_days == Decimal("-1.00")
    assert impact.finish_after == datetime(2025, 1, 9, 17, 0)


@pytest.mark.parametrize("extra_days", [1, 2, 4])
def test_lengthening_a_task_within_its_float_moves_nothing_else(plan, extra_days):
    # given: Docs has four days of float
    change = ChangeDuration(DOCS, (1 + extra_days) * DAY)

    # when
    impact = analyse(plan, [change]).impact

    # then: only Docs' own finish moves
    assert impact.finish_after == impact.finish_before
    assert impact.finish_slip_days == 0
    assert impact.milestones == ()
    assert [shift.task_id for shift in impact.moved_tasks] == [DOCS]
    assert impact.moved_tasks[0].finish_slip_days == Decimal(extra_days)


def test_lengthening_a_task_beyond_its_float_moves_the_finish_by_the_excess(plan):
    # given: Docs has four days of float; it grows by six
    change = ChangeDuration(DOCS, 7 * DAY)

    # when
    impact = analyse(plan, [change]).impact

    # then: two days late, Docs joins the critical path and Design and Build leave it
    assert impact.finish_slip_days == Decimal("2.00")
    assert impact.critical_added == (DOCS,)
    assert impact.critical_removed == (DESIGN, BUILD)
    assert impact.critical_path_after == (DOCS, LAUNCH)


# -- adding and removing tasks --------------------------------------------------------------------


def test_adding_a_task_on_the_critical_path_delays_the_finish_and_joins_the_path(plan):
    # given: Testing (2d) goes between Build and Launch
    testing = AddTask(
        key="new-1",
        name="Testing",
        duration=2 * DAY,
        effort_hours=Decimal("12"),
        cost=Decimal("900"),
        predecessors=(LinkSpec(BUILD),),
        successors=(LinkSpec(LAUNCH),),
    )

    # when
    impact = analyse(plan, [testing, RemoveLink(BUILD, LAUNCH)]).impact

    # then
    assert impact.finish_slip_days == Decimal("2.00")
    assert impact.critical_path_after == (DESIGN, BUILD, "new-1", LAUNCH)
    assert impact.critical_added == ("new-1",)
    assert impact.added_tasks == ("new-1",)
    assert impact.effort_change == Decimal("12.00")
    assert impact.cost_change == Decimal("900.00")
    assert impact.names["new-1"] == "Testing"


def test_adding_a_task_off_the_critical_path_moves_nothing_but_adds_work(plan):
    # given: a one-day review after Docs, still inside Docs' float
    review = AddTask(
        key="new-1",
        name="Review docs",
        duration=DAY,
        effort_hours=Decimal("4"),
        predecessors=(LinkSpec(DOCS),),
        successors=(LinkSpec(LAUNCH),),
    )

    # when
    impact = analyse(plan, [review]).impact

    # then
    assert impact.finish_slip_days == 0
    assert impact.moved_tasks == ()
    assert impact.critical_added == ()
    assert impact.effort_after == Decimal("52.00")


def test_removing_a_critical_task_brings_the_finish_forward_and_takes_its_links(plan):
    # given / when
    analysis = analyse(plan, [RemoveTask(BUILD)])
    impact = analysis.impact

    # then: Build's links go with it, so Launch only follows Docs (1d) and Design alone sets
    # the finish
    assert impact.removed_tasks == (BUILD,)
    assert impact.critical_removed == (BUILD, LAUNCH)
    assert impact.critical_path_after == (DESIGN,)
    assert not any(
        BUILD in (link.predecessor_id, link.successor_id)
        for link in (analysis.plan_after.input.links)
    )
    assert impact.finish_after == datetime(2025, 1, 8, 17, 0)
    assert impact.finish_slip_days == Decimal("-2.00")
    assert impact.effort_change == Decimal("-16.00")
    assert impact.cost_change == Decimal("-1600.00")
    launch = next(shift for shift in impact.milestones if shift.task_id == LAUNCH)
    assert launch.finish_before == datetime(2025, 1, 10, 17, 0)
    assert launch.finish_after == datetime(2025, 1, 6, 17, 0)
    assert launch.finish_slip_days == Decimal("-4.00")


def test_removing_a_summary_removes_its_subtasks_and_their_links():
    # given: Phase 1 holds Design and Build; Launch follows Build
    plan = plan_of(
        [
            ScheduleTask(10),
            ScheduleTask(DESIGN, 3 * DAY, parent_id=10),
            ScheduleTask(BUILD, 2 * DAY, parent_id=10),
            ScheduleTask(LAUNCH, 0, milestone=True),
        ],
        [ScheduleLink(DESIGN, BUILD), ScheduleLink(BUILD, LAUNCH)],
        {
            10: TaskFacts("Phase 1", Decimal("40"), Decimal("4000")),  # the sum of its tasks
            DESIGN: TaskFacts("Design", Decimal("24"), Decimal("2400")),
            BUILD: TaskFacts("Build", Decimal("16"), Decimal("1600")),
            LAUNCH: TaskFacts("Launch"),
        },
    )

    # when
    analysis = analyse(plan, [RemoveTask(10)])

    # then: summaries are not counted twice, and nothing of the phase is left
    impact = analysis.impact
    assert impact.effort_before == Decimal("40.00")
    assert impact.effort_after == 0
    assert set(impact.removed_tasks) == {10, DESIGN, BUILD}
    assert analysis.plan_after.input.links == []
    assert impact.finish_slip_days == Decimal("-5.00")  # only Launch is left, at the start


def test_adding_a_task_under_a_summary_moves_the_summary():
    # given: Phase 1 holds Design (3d)
    plan = plan_of(
        [ScheduleTask(10), ScheduleTask(DESIGN, 3 * DAY, parent_id=10)],
        [],
        {10: TaskFacts("Phase 1"), DESIGN: TaskFacts("Design")},
    )
    extra = AddTask(
        key="new-1", name="Spike", duration=DAY, parent_id=10, predecessors=(LinkSpec(DESIGN),)
    )

    # when
    impact = analyse(plan, [extra]).impact

    # then
    assert impact.finish_slip_days == Decimal("1.00")
    assert [shift.task_id for shift in impact.moved_tasks] == [10]
    assert impact.moved_tasks[0].summary


# -- links ----------------------------------------------------------------------------------------


def test_a_lag_added_to_a_critical_link_moves_the_finish_by_the_lag(plan):
    # given / when
    impact = analyse(plan, [ChangeLink(DESIGN, BUILD, LinkType.FS, 2 * DAY)]).impact

    # then
    assert impact.finish_slip_days == Decimal("2.00")
    assert {shift.task_id for shift in impact.moved_tasks} == {BUILD, LAUNCH}


def test_changing_a_link_to_start_to_start_overlaps_the_tasks(plan):
    # given / when: Build may start when Design starts
    impact = analyse(plan, [ChangeLink(DESIGN, BUILD, LinkType.SS, 0)]).impact

    # then: Design (3d) now drives the finish alone
    assert impact.finish_after == datetime(2025, 1, 8, 17, 0)
    assert impact.critical_removed == (BUILD, LAUNCH)
    assert impact.critical_path_after == (DESIGN,)


def test_a_new_link_from_a_long_task_pushes_its_successor(plan):
    # given / when: Docs must now wait for Build
    impact = analyse(plan, [AddLink(BUILD, DOCS)]).impact

    # then
    assert impact.finish_slip_days == Decimal("1.00")
    assert impact.critical_added == (DOCS,)


def test_removing_the_only_critical_link_lets_the_successor_start_at_once(plan):
    # given / when
    impact = analyse(plan, [RemoveLink(DESIGN, BUILD)]).impact

    # then
    assert impact.finish_after == datetime(2025, 1, 8, 17, 0)
    build = next(shift for shift in impact.moved_tasks if shift.task_id == BUILD)
    assert build.start_before == datetime(2025, 1, 9, 8, 0)
    assert build.start_after == MONDAY
    assert build.start_slip_days == Decimal("-3.00")


# -- milestones -----------------------------------------------------------------------------------


def test_affected_milestones_carry_their_old_and_new_dates_and_slip(plan):
    # given / when
    impact = analyse(plan, [ChangeDuration(DESIGN, 5 * DAY)]).impact

    # then
    [launch] = impact.milestones
    assert (launch.task_id, launch.name, launch.milestone) == (LAUNCH, "Launch", True)
    assert launch.finish_before == datetime(2025, 1, 10, 17, 0)
    assert launch.finish_after == datetime(2025, 1, 14, 17, 0)
    assert launch.finish_slip_days == Decimal("2.00")


def test_an_added_milestone_is_listed_without_an_old_date(plan):
    # given / when
    gate = AddTask(key="new-1", name="Design review", milestone=True, predecessors=(LinkSpec(1),))
    impact = analyse(plan, [gate]).impact

    # then
    [review] = impact.milestones
    assert review.finish_before is None
    assert review.finish_after == datetime(2025, 1, 8, 17, 0)
    assert review.finish_slip_days is None


# -- refused proposals ----------------------------------------------------------------------------


def test_a_proposal_that_closes_a_loop_is_refused_naming_the_loop(plan):
    # given: Design would follow Launch, which follows Build, which follows Design
    closing = AddLink(LAUNCH, DESIGN)

    # when
    with pytest.raises(ProposalError) as refused:
        analyse(plan, [closing])

    # then: the loop is named in link order, starting anywhere on it
    loop = list(refused.value.loop)
    assert sorted(loop) == ["Build", "Design", "Launch"]
    start = loop.index("Design")
    assert loop[start:] + loop[:start] == ["Design", "Build", "Launch"]
    assert str(refused.value).startswith("the proposal would close a loop of links: ")


def test_a_loop_through_an_added_task_names_the_added_task(plan):
    # given: a new task after Launch that Design would have to wait for
    rework = AddTask(
        key="new-1",
        name="Rework",
        duration=DAY,
        predecessors=(LinkSpec(LAUNCH),),
        successors=(LinkSpec(DESIGN),),
    )

    # when
    with pytest.raises(ProposalError) as refused:
        analyse(plan, [rework])

    # then
    assert "Rework" in refused.value.loop
    assert "Rework" in str(refused.value)


def test_unknown_tasks_are_refused_naming_every_one(plan):
    # given / when
    with pytest.raises(ProposalError) as refused:
        analyse(plan, [ChangeDuration(999, DAY), RemoveTask(998), AddLink(DESIGN, 999)])

    # then
    assert refused.value.unknown == (999, 998)
    assert "999, 998" in str(refused.value)


def test_a_task_removed_earlier_in_the_proposal_cannot_be_changed_later(plan):
    # given / when
    with pytest.raises(ProposalError) as refused:
        analyse(plan, [RemoveTask(BUILD), ChangeDuration(BUILD, DAY)])

    # then
    assert str(refused.value) == "operation 2: “Build” is removed earlier in the proposal"


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (AddLink(DESIGN, BUILD), "“Build” already follows “Design”"),
        (AddLink(DESIGN, DESIGN), "a task cannot depend on itself"),
        (RemoveLink(DOCS, BUILD), "“Build” does not follow “Docs”"),
        (ChangeDuration(LAUNCH, DAY), "“Launch” is a milestone"),
        (AddTask(key="new-1", name="X", parent_id=LAUNCH), "cannot hold other tasks"),
        (AddTask(key="new-1", name="X", predecessors=(LinkSpec(77),)), "not in the plan: 77"),
    ],
)
def test_operations_that_do_not_fit_the_plan_are_refused_with_a_reason(plan, operation, message):
    # given / when
    with pytest.raises(ProposalError) as refused:
        analyse(plan, [operation])

    # then
    assert message in str(refused.value)


def test_a_summary_duration_cannot_be_changed_directly():
    # given
    plan = plan_of(
        [ScheduleTask(10), ScheduleTask(DESIGN, DAY, parent_id=10)],
        [],
        {10: TaskFacts("Phase 1"), DESIGN: TaskFacts("Design")},
    )

    # when / then
    with pytest.raises(ProposalError, match="comes from its subtasks"):
        analyse(plan, [ChangeDuration(10, 5 * DAY)])


def test_tasks_of_other_projects_can_lead_but_not_be_changed(plan):
    # given: task 50 of another project, pinned where its plan put it
    outside = ScheduleTask(
        50, manual=True, manual_start=datetime(2025, 1, 13, 8), manual_finish=None
    )
    plan = replace(plan, input=replace(plan.input, tasks=[*plan.input.tasks, outside]))

    # when: Build waits for it
    impact = analyse(plan, [AddLink(50, BUILD)]).impact

    # then
    assert impact.finish_slip_days > 0
    with pytest.raises(ProposalError, match="belongs to another project"):
        analyse(plan, [RemoveTask(50)])


def test_the_given_plan_is_left_as_it_was(plan):
    # given
    tasks, links = list(plan.input.tasks), list(plan.input.links)

    # when
    analyse(plan, [RemoveTask(DESIGN), ChangeDuration(BUILD, DAY), AddLink(DOCS, BUILD)])

    # then
    assert list(plan.input.tasks) == tasks
    assert list(plan.input.links) == links
    assert set(plan.facts) == {DESIGN, BUILD, DOCS, LAUNCH}


# -- the stored proposal --------------------------------------------------------------------------


def test_a_proposal_survives_the_trip_through_json(plan):
    # given
    operations = [
        AddTask(
            key="new-1",
            name="Testing",
            duration=2 * DAY,
            effort_hours=Decimal("12.00"),
            cost=Decimal("900.00"),
            predecessors=(LinkSpec(BUILD, LinkType.SS, DAY),),
            successors=(LinkSpec(LAUNCH),),
        ),
        RemoveTask(DOCS),
        ChangeDuration(DESIGN, 4 * DAY),
        AddLink(DESIGN, "new-1", LinkType.FF, -DAY),
        ChangeLink(DESIGN, BUILD, LinkType.SS, 0),
        RemoveLink(BUILD, LAUNCH),
    ]

    # when
    stored = json.loads(json.dumps(proposal_json(operations)))

    # then
    assert parse_proposal(stored) == operations


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        ({"op": "add_task"}, "a proposal is a list of operations"),
        ([{"op": "rename_task", "task": 1}], "operation 1: “rename_task” is not an operation"),
        ([{"op": "add_task", "name": " "}], "operation 1: a new task needs a name"),
        (
            [{"op": "change_duration", "task": 1, "duration_minutes": -5}],
            "operation 1: a duration cannot be negative",
        ),
        (
            [{"op": "add_link", "predecessor": 1, "successor": 2, "type": "XX"}],
            "operation 1: “XX” is not a link type; use FS, SS, FF or SF",
        ),
        ([{"op": "remove_task"}], "operation 1: a task is needed"),
        (
            [{"op": "add_task", "name": "X", "cost": "a lot"}],
            "operation 1: 'a lot' is not an amount",
        ),
    ],
)
def test_a_malformed_proposal_is_refused_saying_what_is_wrong(stored, message):
    # given / when
    with pytest.raises(ProposalError) as refused:
        parse_proposal(stored)

    # then
    assert str(refused.value) == message


def test_the_impact_is_stored_as_plain_json(plan):
    # given
    impact = analyse(plan, [ChangeDuration(BUILD, 4 * DAY), RemoveTask(DOCS)]).impact

    # when
    stored = json.loads(json.dumps(impact.to_json()))

    # then
    assert stored["finish_before"] == "2025-01-10T17:00:00"
    assert stored["finish_slip_days"] == "2.00"
    assert stored["milestones"][0]["task_id"] == LAUNCH
    assert stored["removed_tasks"] == [DOCS]
    assert stored["effort_change"] == "-8.00"
    assert stored["names"][str(BUILD)] == "Build"
    assert set(stored["affected_task_ids"]) == {BUILD, LAUNCH, DOCS}


# -- properties on random plans (hypothesis) ------------------------------------------------------

SETTINGS = settings(max_examples=120, deadline=None)


@st.composite
def plans(draw, max_tasks: int = 20) -> Plan:
    """Random acyclic plans: links only run from a lower to a higher task number."""
    size = draw(st.integers(1, max_tasks))
    durations = draw(
        st.lists(st.one_of(st.just(0), st.integers(1, 5 * DAY)), min_size=size, max_size=size)
    )
    tasks = [ScheduleTask(index, duration) for index, duration in enumerate(durations)]
    links: dict[tuple[int, int], ScheduleLink] = {}
    if size > 1:
        pairs = st.tuples(st.integers(0, size - 2), st.integers(1, size - 1)).filter(
            lambda pair: pair[0] < pair[1]
        )
        for predecessor, successor in draw(st.lists(pairs, max_size=size * 2)):
            link_type = draw(st.sampled_from(LinkType))
            lag = draw(st.integers(-DAY, 2 * DAY))
            links[(predecessor, successor)] = ScheduleLink(predecessor, successor, link_type, lag)
    holidays = draw(st.lists(st.integers(0, 40), max_size=3))
    calendar = WorkingCalendar.standard(
        [CalendarException.holiday(date(2025, 1, 6) + timedelta(days=d)) for d in holidays]
    )
    efforts = draw(st.lists(st.integers(0, 100), min_size=size, max_size=size))
    facts = {
        index: TaskFacts(f"Task {index}", Decimal(effort), Decimal(effort * 10))
        for index, effort in enumerate(efforts)
    }
    return plan_of(tasks, list(links.values()), facts, calendar=calendar)


@SETTINGS
@given(plans())
def test_an_empty_proposal_changes_nothing(plan):
    # given / when
    analysis = analyse(plan, [])

    # then
    assert analysis.impact.changes_nothing
    assert analysis.after.tasks == analysis.before.tasks
    assert analysis.impact.finish_slip_days == 0


@SETTINGS
@given(plans(), st.data())
def test_the_after_schedule_is_the_engine_run_on_the_plan_edited_by_hand(plan, data):
    # given: new durations for some tasks, one removed task and one new task at the end
    tasks = list(plan.input.tasks)
    new_durations = {
        task.id: data.draw(st.integers(0, 6 * DAY))
        for task in data.draw(st.lists(st.sampled_from(tasks), max_size=4, unique=True))
    }
    doomed = data.draw(st.sampled_from(tasks)).id
    new_durations.pop(doomed, None)
    operations = [ChangeDuration(task_id, d) for task_id, d in new_durations.items()]
    operations += [
        RemoveTask(doomed),
        AddTask(key="new-1", name="Extra", duration=DAY, predecessors=(LinkSpec(tasks[-1].id),))
        if tasks[-1].id != doomed
        else AddTask(key="new-1", name="Extra", duration=DAY),
    ]

    # when
    analysis = analyse(plan, operations)

    # then: the same as editing the plan by hand and running the engine
    edited_tasks = [
        replace(task, duration=new_durations.get(task.id, task.duration))
        for task in tasks
        if task.id != doomed
    ]
    edited_tasks.append(ScheduleTask("new-1", DAY))
    edited_links = [
        link for link in plan.input.links if doomed not in (link.predecessor_id, link.successor_id)
    ]
    if tasks[-1].id != doomed:
        edited_links.append(ScheduleLink(tasks[-1].id, "new-1"))
    by_hand = schedule(replace(plan.input, tasks=edited_tasks, links=edited_links))
    assert analysis.after.tasks == by_hand.tasks
    assert analysis.after.project_finish == by_hand.project_finish
    assert analysis.impact.finish_after == by_hand.project_finish
    assert analysis.before.tasks == schedule(plan.input).tasks


@SETTINGS
@given(plans(), st.data())
def test_lengthening_a_task_never_brings_the_finish_forward_nor_slips_it_more(plan, data):
    # given
    task = data.draw(st.sampled_from(list(plan.input.tasks)))
    extra = data.draw(st.integers(1, 5)) * DAY

    # when
    impact = analyse(plan, [ChangeDuration(task.id, task.duration + extra)]).impact

    # then: a task lies at most once on any path through the network
    assert 0 <= impact.finish_slip_days <= Decimal(extra) / DAY
    assert impact.effort_change == 0


@SETTINGS
@given(plans(), st.data())
def test_removing_a_task_never_delays_the_finish(plan, data):
    # given
    task = data.draw(st.sampled_from(list(plan.input.tasks)))

    # when
    impact = analyse(plan, [RemoveTask(task.id)]).impact

    # then
    assert impact.finish_slip_days <= 0
    assert impact.effort_change == -plan.facts[task.id].effort_hours
    assert impact.removed_tasks == (task.id,)


@SETTINGS
@given(plans())
def test_apply_then_json_round_trip_of_an_empty_proposal_is_the_plan(plan):
    # given / when
    after = apply_proposal(plan, parse_proposal(proposal_json([])))

    # then
    assert list(after.input.tasks) == list(plan.input.tasks)
    assert list(after.input.links) == list(plan.input.links)
