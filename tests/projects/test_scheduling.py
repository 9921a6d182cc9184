"""The CPM engine, case by case, in the dates and floats a TPM reads off a Gantt chart.

The project starts on Monday 6 January 2025 at 08:00 on the standard calendar (Mon-Fri,
08:00-12:00 and 13:00-17:00) unless a test says otherwise. One day is 480 working minutes.
"""

from datetime import date, datetime

import pytest

from projects.calendars.timeline import CalendarException, WorkingCalendar, WorkingTime
from projects.schedule.engine import schedule
from projects.schedule.network import (
    Constraint,
    LinkType,
    Schedule,
    ScheduleCycleError,
    ScheduleInput,
    ScheduleLink,
    ScheduleTask,
)

DAY = 480
MONDAY = datetime(2025, 1, 6, 8, 0)


def run(tasks, links=(), **options) -> Schedule:
    return schedule(ScheduleInput(tasks=tasks, links=links, project_start=MONDAY, **options))


def start_of(result: Schedule, task_id) -> datetime:
    return result.dates(task_id).early_start


def finish_of(result: Schedule, task_id) -> datetime:
    return result.dates(task_id).early_finish


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2025-{text}")


# -- links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link_type", "lag", "start", "finish"),
    [
        (LinkType.FS, 0, "01-09T08:00", "01-09T17:00"),  # after A's three days
        (LinkType.FS, DAY, "01-10T08:00", "01-10T17:00"),  # one day of lag
        (LinkType.FS, -DAY, "01-08T08:00", "01-08T17:00"),  # one day of lead
        (LinkType.FS, 3 * DAY, "01-14T08:00", "01-14T17:00"),  # lag runs over the weekend
        (LinkType.SS, 2 * DAY, "01-08T08:00", "01-08T17:00"),  # two days after A starts
        (LinkType.FF, DAY, "01-09T08:00", "01-09T17:00"),  # finishes a day after A
        (LinkType.FF, -DAY, "01-07T08:00", "01-07T17:00"),  # finishes a day before A
        (LinkType.SF, 2 * DAY, "01-07T08:00", "01-07T17:00"),  # finishes two days after A starts
    ],
)
def test_each_link_type_with_lags_and_leads(link_type, lag, start, finish):
    # given: A takes three days, B one day
    tasks = [ScheduleTask("A", 3 * DAY), ScheduleTask("B", DAY)]

    # when
    result = run(tasks, [ScheduleLink("A", "B", link_type, lag)])

    # then
    assert start_of(result, "B") == at(start)
    assert finish_of(result, "B") == at(finish)


def test_lead_cannot_pull_a_task_before_the_project_start():
    # given
    tasks = [ScheduleTask("A", DAY), ScheduleTask("B", DAY)]

    # when
    result = run(tasks, [ScheduleLink("A", "B", LinkType.FS, -3 * DAY)])

    # then
    assert start_of(result, "B") == MONDAY


def test_free_and_total_float_on_a_side_branch():
    # given: A (2d) and B (5d) both feed C
    tasks = [ScheduleTask("A", 2 * DAY), ScheduleTask("B", 5 * DAY), ScheduleTask("C", DAY)]
    links = [ScheduleLink("A", "C"), ScheduleLink("B", "C")]

    # when
    result = run(tasks, links)

    # then: A can slip three days without moving C or the project
    a = result.tasks["A"]
    assert (a.total_float, a.free_float, a.critical) == (3 * DAY, 3 * DAY, False)
    assert result.tasks["B"].critical and result.tasks["C"].critical
    assert result.critical_path == ("B", "C")


def test_free_float_is_zero_when_slack_is_shared_down_a_chain():
    # given: A -> B -> D and C -> D, where C is the long branch
    tasks = [
        ScheduleTask("A", DAY),
        ScheduleTask("B", DAY),
        ScheduleTask("C", 5 * DAY),
        ScheduleTask("D", DAY),
    ]
    links = [ScheduleLink("A", "B"), ScheduleLink("B", "D"), ScheduleLink("C", "D")]

    # when
    result = run(tasks, links)

    # then: A's slack is shared with B, so A owns none of it
    assert result.tasks["A"].total_float == 3 * DAY
    assert result.tasks["A"].free_float == 0
    assert result.tasks["B"].free_float == 3 * DAY


# -- constraints ----------------------------------------------------------------------------------


def test_start_no_earlier_than_delays_the_task_and_its_successors():
    # given
    tasks = [
        ScheduleTask("A", DAY, constraint=Constraint.SNET, constraint_date=at("01-08T08:00")),
        ScheduleTask("B", DAY),
    ]

    # when
    result = run(tasks, [ScheduleLink("A", "B")])

    # then
    assert start_of(result, "A") == at("01-08T08:00")
    assert start_of(result, "B") == at("01-09T08:00")


def test_start_no_earlier_than_on_a_saturday_means_monday():
    # given
    task = ScheduleTask("A", DAY, constraint=Constraint.SNET, constraint_date=at("01-11T08:00"))

    # when
    result = run([task])

    # then
    assert start_of(result, "A") == at("01-13T08:00")


def test_finish_no_earlier_than_pushes_the_finish():
    # given
    task = ScheduleTask("A", DAY, constraint=Constraint.FNET, constraint_date=at("01-10T17:00"))

    # when
    result = run([task])

    # then
    assert start_of(result, "A") == at("01-10T08:00")
    assert finish_of(result, "A") == at("01-10T17:00")


def test_must_start_on_holds_when_logic_allows():
    # given
    tasks = [
        ScheduleTask("A", DAY),
        ScheduleTask("B", DAY, constraint=Constraint.MSO, constraint_date=at("01-09T08:00")),
    ]

    # when
    result = run(tasks, [ScheduleLink("A", "B")])

    # then: B starts on its date and cannot move later
    b = result.tasks["B"]
    assert start_of(result, "B") == at("01-09T08:00")
    assert b.late_start == b.early_start
    assert b.total_float == 0


def test_must_start_on_that_logic_cannot_meet_shows_negative_float():
    # given: A takes four days but B must start on day three
    tasks = [
        ScheduleTask("A", 4 * DAY),
        ScheduleTask("B", DAY, constraint=Constraint.MSO, constraint_date=at("01-08T08:00")),
    ]

    # when
    result = run(tasks, [ScheduleLink("A", "B")])

    # then: the dates follow the logic, the float tells the truth
    assert start_of(result, "B") == at("01-10T08:00")
    assert result.tasks["B"].total_float == -2 * DAY
    assert result.tasks["A"].total_float == -2 * DAY
    assert result.tasks["A"].critical


def test_must_finish_on_bounds_both_ends():
    # given
    task = ScheduleTask("A", DAY, constraint=Constraint.MFO, constraint_date=at("01-08T17:00"))

    # when
    result = run([task])

    # then
    assert finish_of(result, "A") == at("01-08T17:00")
    assert result.dates("A").late_finish == at("01-08T17:00")


def test_start_no_later_than_reduces_float():
    # given: a one-day task in a five-day project that must start by Tuesday
    tasks = [
        ScheduleTask("long", 5 * DAY),
        ScheduleTask("A", DAY, constraint=Constraint.SNLT, constraint_date=at("01-07T08:00")),
    ]

    # when
    result = run(tasks)

    # then
    assert result.tasks["A"].total_float == DAY
    assert result.dates("A").late_start == at("01-07T08:00")


def test_finish_no_later_than_missed_gives_negative_float_on_the_chain():
    # given: A (3d) -> B (3d) must finish by Wednesday evening
    tasks = [
        ScheduleTask("A", 3 * DAY),
        ScheduleTask("B", 3 * DAY, constraint=Constraint.FNLT, constraint_date=at("01-08T17:00")),
    ]

    # when
    result = run(tasks, [ScheduleLink("A", "B")])

    # then: B still finishes on the 13th; both tasks show three days of negative float
    assert finish_of(result, "B") == at("01-13T17:00")
    assert result.tasks["A"].total_float == -3 * DAY
    assert result.tasks["B"].total_float == -3 * DAY
    assert result.critical_path == ("A", "B")


def test_deadline_missed_gives_negative_float_without_moving_dates():
    # given
    tasks = [ScheduleTask("A", 5 * DAY, deadline=at("01-08T17:00"))]

    # when
    result = run(tasks)

    # then
    assert finish_of(result, "A") == at("01-10T17:00")
    assert result.tasks["A"].total_float == -2 * DAY


def test_deadline_met_leaves_float_up_to_the_deadline():
    # given: the project runs five days; A (1d) is due by Wednesday
    tasks = [ScheduleTask("long", 5 * DAY), ScheduleTask("A", DAY, deadline=at("01-08T17:00"))]

    # when
    result = run(tasks)

    # then
    assert result.tasks["A"].total_float == 2 * DAY


def test_as_late_as_possible_is_scheduled_on_its_late_dates():
    # given
    tasks = [
        ScheduleTask("long", 5 * DAY),
        ScheduleTask("A", DAY, constraint=Constraint.ALAP),
    ]

    # when
    result = run(tasks)

    # then
    dates = result.dates("A")
    assert dates.start == at("01-10T08:00")
    assert dates.finish == at("01-10T17:00")
    assert dates.early_start == MONDAY


# -- calendars ------------------------------------------------------------------------------------


def test_holiday_shifts_the_chain():
    # given: Wednesday 8 January is a holiday
    calendar = WorkingCalendar.standard([CalendarException.holiday(date(2025, 1, 8))])
    tasks = [ScheduleTask("A", 2 * DAY), ScheduleTask("B", 2 * DAY)]

    # when
    result = run(tasks, [ScheduleLink("A", "B")], calendar=calendar)

    # then
    assert start_of(result, "B") == at("01-09T08:00")
    assert finish_of(result, "B") == at("01-10T17:00")


def test_task_on_a_weekend_calendar_continues_on_saturday():
    # given: B runs on a calendar that also works Saturdays
    six_days = WorkingCalendar.weekly(working_days=range(6))
    tasks = [ScheduleTask("A", 5 * DAY), ScheduleTask("B", DAY, calendar_id="six-day")]

    # when
    result = run(tasks, [ScheduleLink("A", "B")], calendars={"six-day": six_days})

    # then
    assert start_of(result, "B") == at("01-11T08:00")
    assert result.tasks["B"].critical


def test_night_shift_task_starts_the_evening_its_predecessor_finishes():
    # given
    night = WorkingCalendar.weekly(times=[WorkingTime.of("22:00", "00:00")])
    tasks = [ScheduleTask("A", DAY), ScheduleTask("B", 120, calendar_id="night")]

    # when
    result = run(tasks, [ScheduleLink("A", "B")], calendars={"night": night})

    # then
    assert start_of(result, "B") == at("01-06T22:00")
    assert finish_of(result, "B") == at("01-07T00:00")


# -- progress and manual tasks --------------------------------------------------------------------


def test_task_in_progress_runs_its_remaining_work_from_the_status_date():
    # given: A (5d) started on Monday, 40% done; status date is the next Monday
    tasks = [
        ScheduleTask("A", 5 * DAY, percent_complete=40, actual_start=MONDAY),
        ScheduleTask("B", DAY),
    ]

    # when
    result = run(tasks, [ScheduleLink("A", "B")], status_date=at("01-13T08:00"))

    # then: three days remain from the 13th; B follows
    assert start_of(result, "A") == MONDAY
    assert finish_of(result, "A") == at("01-15T17:00")
    assert start_of(result, "B") == at("01-16T08:00")


def test_completed_task_keeps_its_actual_dates():
    # given: A was planned for two days but took four
    tasks = [
        ScheduleTask(
            "A",
            2 * DAY,
            percent_complete=100,
            actual_start=MONDAY,
            actual_finish=at("01-09T17:00"),
        ),
        ScheduleTask("B", DAY),
    ]

    # when
    result = run(tasks, [ScheduleLink("A", "B")], status_date=at("01-10T08:00"))

    # then
    assert finish_of(result, "A") == at("01-09T17:00")
    assert start_of(result, "B") == at("01-10T08:00")


def test_unstarted_work_does_not_start_before_the_status_date():
    # given
    tasks = [ScheduleTask("A", DAY)]

    # when
    result = run(tasks, status_date=at("01-08T12:00"))

    # then
    assert start_of(result, "A") == at("01-08T13:00")


def test_manual_task_keeps_its_dates_and_shows_the_conflict_as_float():
    # given: M is pinned to Tuesday although its predecessor runs until Wednesday
    tasks = [
        ScheduleTask("A", 3 * DAY),
        ScheduleTask(
            "M",
            DAY,
            manual=True,
            manual_start=at("01-07T08:00"),
            manual_finish=at("01-07T17:00"),
        ),
        ScheduleTask("B", DAY),
    ]
    links = [ScheduleLink("A", "M"), ScheduleLink("M", "B")]

    # when
    result = run(tasks, links)

    # then: M does not move, B follows M, and A's float shows it is late for M
    assert start_of(result, "M") == at("01-07T08:00")
    assert start_of(result, "B") == at("01-08T08:00")
    assert result.tasks["A"].total_float < 0
    assert result.tasks["M"].total_float >= 0


# -- summaries ------------------------------------------------------------------------------------


def test_summary_rolls_up_its_children():
    # given
    tasks = [
        ScheduleTask("phase"),
        ScheduleTask("A", 2 * DAY, parent_id="phase"),
        ScheduleTask("B", 3 * DAY, parent_id="phase"),
        ScheduleTask("C", DAY, parent_id="phase"),
    ]

    # when
    result = run(tasks, [ScheduleLink("A", "C")])

    # then
    phase = result.tasks["phase"]
    assert phase.summary
    assert result.dates("phase").early_start == MONDAY
    assert result.dates("phase").early_finish == at("01-08T17:00")
    assert phase.critical


def test_link_into_a_summary_holds_back_everything_inside_it():
    # given: design (2d) -> build phase with two tasks
    tasks = [
        ScheduleTask("design", 2 * DAY),
        ScheduleTask("build"),
        ScheduleTask("api", DAY, parent_id="build"),
        ScheduleTask("ui", 2 * DAY, parent_id="build"),
        ScheduleTask("release", DAY),
    ]
    links = [ScheduleLink("design", "build"), ScheduleLink("build", "release")]

    # when
    result = run(tasks, links)

    # then
    assert start_of(result, "api") == at("01-08T08:00")
    assert start_of(result, "ui") == at("01-08T08:00")
    assert start_of(result, "release") == at("01-10T08:00")
    assert result.critical_path == ("design", "ui", "release")
    assert result.tasks["api"].free_float == DAY


def test_finish_to_finish_link_into_a_summary_is_rejected():
    # given
    tasks = [ScheduleTask("A", DAY), ScheduleTask("S"), ScheduleTask("B", DAY, parent_id="S")]

    # when / then
    with pytest.raises(ValueError, match="summary"):
        run(tasks, [ScheduleLink("A", "S", LinkType.FF)])


# -- cycles and bad input -------------------------------------------------------------------------


def test_cycle_error_names_the_tasks_in_the_loop():
    # given: design -> build -> test -> design, plus an innocent bystander
    tasks = [ScheduleTask(name, DAY) for name in ("design", "build", "test", "docs")]
    links = [
        ScheduleLink("docs", "design"),
        ScheduleLink("design", "build"),
        ScheduleLink("build", "test"),
        ScheduleLink("test", "design", LinkType.SS),
    ]

    # when
    with pytest.raises(ScheduleCycleError) as caught:
        run(tasks, links)

    # then
    assert set(caught.value.task_ids) == {"design", "build", "test"}
    assert "design" in str(caught.value) and "docs" not in str(caught.value)


def test_task_linked_to_its_own_summary_is_a_cycle():
    # given
    tasks = [ScheduleTask("phase"), ScheduleTask("A", DAY, parent_id="phase")]

    # when
    with pytest.raises(ScheduleCycleError) as caught:
        run(tasks, [ScheduleLink("A", "phase")])

    # then
    assert set(caught.value.task_ids) == {"A", "phase"}


def test_unknown_task_in_a_link_is_reported():
    # given / when / then
    with pytest.raises(ValueError, match="no task ghost"):
        run([ScheduleTask("A", DAY)], [ScheduleLink("A", "ghost")])


def test_long_chain_does_not_hit_the_recursion_limit():
    # given: 20,000 tasks in one chain
    tasks = [ScheduleTask(index, 60) for index in range(20_000)]
    links = [ScheduleLink(index, index + 1) for index in range(19_999)]

    # when
    result = run(tasks, links)

    # then
    assert result.tasks[19_999].early_finish - result.tasks[0].early_start == 20_000 * 60
    assert len(result.critical_path) == 20_000


def test_empty_project_finishes_when_it_starts():
    # given / when
    result = run([])

    # then
    assert result.project_finish == MONDAY
    assert result.critical_path == ()


def test_finished_work_is_never_critical_but_what_follows_it_can_be():
    # given A (done) -> B (not started) on the longest path
    tasks = [
        ScheduleTask(
            "A",
            duration=DAY,
            percent_complete=100,
            actual_start=MONDAY,
            actual_finish=at("01-06T17:00"),
        ),
        ScheduleTask("B", duration=2 * DAY),
    ]
    result = run(tasks, [ScheduleLink("A", "B")], status_date=at("01-07T08:00"))
    # then only the remaining work is critical
    assert not result.tasks["A"].critical
    assert result.tasks["B"].critical
