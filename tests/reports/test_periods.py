"""When a report schedule is due (reports/periods.py)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.periods import FORTNIGHTLY, MONTHLY, WEEKLY, Rule, latest_period, next_period

LONDON = "Europe/London"


def rule(frequency=WEEKLY, weekday=0, at=time(9), zone=LONDON, starts=date(2026, 1, 1)):
    return Rule(frequency, weekday, at, zone, starts)


def test_weekly_is_due_from_the_hour_on_its_weekday_in_its_zone():
    # given Monday 9:00 London (Monday 5 Jan 2026; London is UTC in winter)
    monday = rule()
    # then at 8:59 UTC on that Monday the previous Monday is still the latest period
    assert latest_period(monday, datetime(2026, 1, 5, 8, 59, tzinfo=UTC)) is None
    assert latest_period(monday, datetime(2026, 1, 5, 9, 0, tzinfo=UTC)) == date(2026, 1, 5)
    assert latest_period(monday, datetime(2026, 1, 11, 23, 0, tzinfo=UTC)) == date(2026, 1, 5)


def test_the_time_zone_decides_the_hour():
    # given Monday 9:00 in New York (UTC-5 in January)
    ny = rule(zone="America/New_York")
    assert latest_period(ny, datetime(2026, 1, 12, 13, 59, tzinfo=UTC)) == date(2026, 1, 5)
    assert latest_period(ny, datetime(2026, 1, 12, 14, 0, tzinfo=UTC)) == date(2026, 1, 12)


def test_fortnightly_counts_from_its_first_date():
    fortnight = rule(FORTNIGHTLY, weekday=2, starts=date(2026, 1, 7))  # Wednesday 7 Jan
    now = datetime(2026, 1, 20, 12, tzinfo=UTC)  # Tuesday of the following week
    assert latest_period(fortnight, now) == date(2026, 1, 7)
    assert latest_period(fortnight, datetime(2026, 1, 21, 10, tzinfo=UTC)) == date(2026, 1, 21)


def test_monthly_is_the_first_such_weekday_of_the_month():
    first_friday = rule(MONTHLY, weekday=4)
    assert latest_period(first_friday, datetime(2026, 2, 5, 12, tzinfo=UTC)) == date(2026, 1, 2)
    assert latest_period(first_friday, datetime(2026, 2, 6, 12, tzinfo=UTC)) == date(2026, 2, 6)


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        rule("daily")


moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
rules = st.builds(
    Rule,
    st.sampled_from([WEEKLY, FORTNIGHTLY, MONTHLY]),
    st.integers(0, 6),
    st.times(),
    st.sampled_from(["UTC", LONDON, "Asia/Kolkata", "America/Los_Angeles"]),
    st.dates(min_value=date(2025, 6, 1), max_value=date(2026, 6, 1)),
)


@given(rules, moments)
def test_the_latest_period_is_on_the_weekday_and_already_passed(r, now):
    period = latest_period(r, now)
    if period is None:
        return
    assert period.weekday() == r.weekday
    assert period >= r.starts_on
    assert datetime.combine(period, r.time_of_day, ZoneInfo(r.time_zone)) <= now


@given(rules, moments, st.integers(0, 10 * 24 * 60))
def test_periods_only_move_forward(r, now, minutes):
    earlier, later = latest_period(r, now), latest_period(r, now + timedelta(minutes=minutes))
    if earlier is not None:
        assert later is not None and later >= earlier


@given(rules, moments)
def test_the_next_sending_is_after_now_and_becomes_the_latest_period(r, now):
    moment = next_period(r, now)
    assert moment > now
    assert latest_period(r, moment) == moment.date()
