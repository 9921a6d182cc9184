"""Working calendars: what a TPM sees when hours, weekends and holidays move dates."""

import time
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.calendars.timeline import (
    MINUTES_PER_DAY,
    STANDARD_DAY,
    CalendarException,
    WorkingCalendar,
    WorkingTime,
)

DAY = 480


def test_standard_calendar_derives_eight_hours_a_day_and_forty_a_week():
    # given
    calendar = WorkingCalendar.standard()

    # when / then
    assert calendar.minutes_per_day == DAY
    assert calendar.minutes_per_week == 5 * DAY


def test_friday_evening_and_monday_morning_are_the_same_position():
    # given
    timeline = WorkingCalendar.standard().timeline()
    friday_close = datetime(2025, 1, 10, 17, 0)
    monday_open = datetime(2025, 1, 13, 8, 0)

    # when
    position = timeline.position(friday_close)

    # then
    assert position == timeline.position(monday_open)
    assert timeline.moment(position) == monday_open
    assert timeline.moment(position, finish=True) == friday_close


def test_lunch_break_is_not_working_time():
    # given
    timeline = WorkingCalendar.standard().timeline()

    # when
    worked = timeline.working_minutes_between(
        datetime(2025, 1, 6, 11, 0), datetime(2025, 1, 6, 14, 0)
    )

    # then
    assert worked == 120
    assert not timeline.is_working(datetime(2025, 1, 6, 12, 30))
    assert timeline.is_working(datetime(2025, 1, 6, 13, 0))


def test_three_day_task_from_monday_finishes_wednesday_evening():
    # given
    timeline = WorkingCalendar.standard().timeline()

    # when
    finish = timeline.add(datetime(2025, 1, 6, 8, 0), 3 * DAY, finish=True)

    # then
    assert finish == datetime(2025, 1, 8, 17, 0)


def test_holiday_pushes_a_finish_past_it():
    # given: Christmas and Boxing Day off
    calendar = WorkingCalendar.standard(
        [CalendarException.holiday(date(2024, 12, 25), date(2024, 12, 26))]
    )
    timeline = calendar.timeline()

    # when: three days of work from Monday 23 December
    finish = timeline.add(datetime(2024, 12, 23, 8, 0), 3 * DAY, finish=True)

    # then: Mon, Tue, (holidays), Fri
    assert finish == datetime(2024, 12, 27, 17, 0)


def test_lead_moves_back_over_a_weekend_and_a_holiday():
    # given
    calendar = WorkingCalendar.standard([CalendarException.holiday(date(2025, 1, 10))])
    timeline = calendar.timeline()

    # when: one day back from Monday 13 January (Friday 10th is a holiday)
    start = timeline.add(datetime(2025, 1, 13, 8, 0), -DAY)

    # then
    assert start == datetime(2025, 1, 9, 8, 0)


def test_working_saturday_exception_has_its_own_hours():
    # given: Saturday 11 January works 09:00-13:00
    saturday = CalendarException.working(
        date(2025, 1, 11), None, [WorkingTime.of("09:00", "13:00")]
    )
    timeline = WorkingCalendar.standard([saturday]).timeline()

    # when
    finish = timeline.add(datetime(2025, 1, 10, 8, 0), DAY + 240, finish=True)

    # then: Friday's 8 hours, then Saturday's 4
    assert finish == datetime(2025, 1, 11, 13, 0)
    assert timeline.moment(timeline.position(datetime(2025, 1, 10, 17, 0))) == datetime(
        2025, 1, 11, 9, 0
    )


def test_working_exception_can_shorten_a_weekday():
    # given: Christmas Eve is a half day
    half_day = CalendarException.working(
        date(2024, 12, 24), None, [WorkingTime.of("08:00", "12:00")]
    )
    timeline = WorkingCalendar.standard([half_day]).timeline()

    # when
    worked = timeline.working_minutes_between(
        datetime(2024, 12, 24, 0, 0), datetime(2024, 12, 25, 0, 0)
    )

    # then
    assert worked == 240


def test_later_exception_overrides_an_earlier_one():
    # given: the whole week off, but Wednesday worked after all
    week_off = CalendarException.holiday(date(2025, 3, 3), date(2025, 3, 7))
    wednesday = CalendarException.working(
        date(2025, 3, 5), None, [WorkingTime.of("10:00", "14:00")]
    )
    timeline = WorkingCalendar.standard([week_off, wednesday]).timeline()

    # when
    worked = timeline.working_minutes_between(datetime(2025, 3, 3), datetime(2025, 3, 8))

    # then
    assert worked == 240


def test_night_shift_crossing_midnight_and_six_day_week():
    # given: 22:00-24:00 and 00:00-06:00 on every day but Sunday
    calendar = WorkingCalendar.weekly(
        working_days=range(6),
        times=[WorkingTime.of("00:00", "06:00"), WorkingTime.of("22:00", "00:00")],
    )
    timeline = calendar.timeline()

    # when
    finish = timeline.add(datetime(2025, 1, 6, 22, 0), DAY, finish=True)

    # then: 2 hours on Monday night and 6 on Tuesday morning
    assert finish == datetime(2025, 1, 7, 6, 0)
    assert calendar.minutes_per_week == 6 * DAY


def test_union_of_day_and_night_calendars_works_both():
    # given
    day = WorkingCalendar.standard()
    night = WorkingCalendar.weekly(times=[WorkingTime.of("18:00", "22:00")])

    # when
    both = day.union(night)

    # then
    assert both.minutes_per_week == 5 * (DAY + 240)
    timeline = both.timeline()
    assert timeline.add(datetime(2025, 1, 6, 8, 0), DAY + 240, finish=True) == datetime(
        2025, 1, 6, 22, 0
    )


def test_positions_round_trip_before_and_after_the_epoch():
    # given
    timeline = WorkingCalendar.standard([CalendarException.holiday(date(1999, 12, 31))]).timeline()

    # when / then
    for moment in (datetime(1999, 12, 30, 9, 15), datetime(2031, 6, 2, 16, 59)):
        assert timeline.moment(timeline.position(moment)) == moment


def test_large_durations_convert_quickly():
    # given: holidays every year for twenty years
    holidays = [CalendarException.holiday(date(y, 12, 25)) for y in range(2020, 2040)]
    timeline = WorkingCalendar.standard(holidays).timeline()
    start = datetime(2020, 1, 6, 8, 0)

    # when: ten thousand conversions, some decades away
    began = time.perf_counter()
    for step in range(10_000):
        timeline.add(start, step * 997 * DAY // 100, finish=True)
    elapsed = time.perf_counter() - began

    # then
    assert elapsed < 1.0


def test_calendar_rejects_nonsense():
    # given / when / then
    with pytest.raises(ValueError, match="no working time"):
        WorkingCalendar.weekly(working_days=())
    with pytest.raises(ValueError, match="within one day"):
        WorkingTime(600, 500)
    with pytest.raises(ValueError, match="before it starts"):
        CalendarException.holiday(date(2025, 1, 2), date(2025, 1, 1))
    with pytest.raises(ValueError, match="naive"):
        WorkingCalendar.standard().timeline().position(datetime.fromisoformat("2025-01-06T08:00Z"))


def test_each_weekday_counts_its_own_hours():
    # given: full days Monday-Thursday, Friday mornings, Saturday 09:00-13:00, Sunday off
    full = STANDARD_DAY
    morning = (WorkingTime.of("08:00", "12:00"),)
    saturday = (WorkingTime.of("09:00", "13:00"),)
    calendar = WorkingCalendar((full, full, full, full, morning, saturday, ()))
    timeline = calendar.timeline()

    # when: two days of work from Thursday morning
    finish = timeline.add(datetime(2025, 1, 9, 8, 0), 2 * DAY, finish=True)

    # then: Thursday 8 h, Friday 4 h, Saturday 4 h; the ordinary day is still 8 hours
    assert finish == datetime(2025, 1, 11, 13, 0)
    assert calendar.minutes_per_week == 4 * DAY + 240 + 240
    assert calendar.minutes_per_day == DAY
    assert not timeline.is_working(datetime(2025, 1, 10, 13, 30))


_clock = st.integers(min_value=0, max_value=MINUTES_PER_DAY)
_day = st.lists(st.tuples(_clock, _clock), max_size=3).map(
    lambda pairs: tuple(WorkingTime(a, b) for a, b in pairs if a < b)
)


@settings(max_examples=60, deadline=None)
@given(
    week=st.tuples(*[_day] * 7).filter(lambda week: any(week)),
    start=st.integers(min_value=-2_000_000, max_value=2_000_000),
    minutes=st.integers(min_value=0, max_value=20_000),
)
def test_any_week_of_different_days_converts_positions_both_ways(week, start, minutes):
    # given any week whose days have their own hours (one day at least works)
    timeline = WorkingCalendar(week).timeline()
    moment = datetime(2025, 1, 6) + timedelta(minutes=start)

    # when moved by some working minutes
    position = timeline.position(moment)
    later = timeline.add(moment, minutes)

    # then the working time between them is exactly that, and starts land on working minutes
    assert timeline.working_minutes_between(moment, later) == minutes
    assert timeline.is_working(timeline.moment(position))
    assert timeline.position(timeline.moment(position)) == position
