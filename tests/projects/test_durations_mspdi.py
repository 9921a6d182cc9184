"""The durations module's other conversions: what an edit field shows, and MS Project XML's
units (ISO 8601 working time for durations, tenths of a minute for lags and slack), all by
the same half-up rule as days (projects/schedule/durations.py)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.schedule.durations import (
    Duration,
    DurationError,
    days_to_minutes,
    editable_duration,
    elapsed_tenths_to_minutes,
    format_iso_duration,
    minutes_to_tenths,
    parse_duration,
    parse_iso_duration,
    tenths_to_minutes,
)

SETTINGS = settings(max_examples=300, deadline=None)
per_days = st.integers(1, 1440)


# editable_duration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "per_day", "text"),
    [
        (960, 480, "2"),
        (113, 450, "0.25"),
        (0, 480, "0"),
        (None, 480, "0"),
        (-480, 480, "-1"),
        (60, 480, "1h"),  # 0.13 d would read back as 62 minutes
        (7, 480, "7m"),
    ],
)
def test_editable_duration(minutes, per_day, text):
    assert editable_duration(minutes, minutes_per_day=per_day) == text


@SETTINGS
@given(st.integers(-(10**6), 10**6), per_days)
def test_an_edit_field_saved_unchanged_keeps_its_minutes(minutes, per_day):
    shown = editable_duration(minutes, minutes_per_day=per_day)
    assert parse_duration(shown, minutes_per_day=per_day) == Duration(minutes)


# MS Project XML (MSPDI) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("PT8H0M0S", 480),
        ("PT16H0M0S", 960),
        ("PT1H52M30S", 113),  # 112.5: half up, as 0.25 d of a 450-minute day
        ("PT0H0M29S", 0),
        ("PT0H0M30S", 1),
        ("PT7.5H", 450),
        ("PT0H0.5M0S", 1),
        ("PT", 0),
        (" PT2H0M0S ", 120),
    ],
)
def test_parse_iso_duration(text, minutes):
    assert parse_iso_duration(text) == minutes


@pytest.mark.parametrize("text", ["8h", "P1D", "PT-1H", "PT1H2H", "", "PT1,5H"])
def test_parse_iso_duration_refuses_what_project_does_not_write(text):
    with pytest.raises(DurationError, match="is not a duration such as PT8H0M0S"):
        parse_iso_duration(text)


def test_iso_durations_agree_with_days():
    assert parse_iso_duration("PT1H52M30S") == days_to_minutes(Decimal("0.25"), 450)


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "PT0H0M0S"), (960, "PT16H0M0S"), (113, "PT1H53M0S")]
)
def test_format_iso_duration(minutes, text):
    assert format_iso_duration(minutes) == text


def test_format_iso_duration_refuses_a_negative_duration():
    with pytest.raises(ValueError, match="cannot be negative"):
        format_iso_duration(-1)


@SETTINGS
@given(st.integers(0, 10**7))
def test_iso_durations_round_trip(minutes):
    assert parse_iso_duration(format_iso_duration(minutes)) == minutes


@pytest.mark.parametrize(
    ("tenths", "minutes"), [(4800, 480), (1125, 113), (-1125, -113), (1124, 112), (5, 1), (-5, -1)]
)
def test_tenths_to_minutes(tenths, minutes):
    assert tenths_to_minutes(tenths) == minutes


@SETTINGS
@given(st.integers(-(10**7), 10**7))
def test_tenths_round_trip(minutes):
    assert tenths_to_minutes(minutes_to_tenths(minutes)) == minutes


@pytest.mark.parametrize(
    ("tenths", "per_day", "minutes"),
    [
        (28_800, 480, 960),  # 2 elapsed days: two working days
        (3_600, 450, 113),  # 0.25 ed of a 450-minute day: 112.5 -> 113
        (-3_600, 450, -113),
        (0, 480, 0),
    ],
)
def test_elapsed_tenths_to_minutes(tenths, per_day, minutes):
    assert elapsed_tenths_to_minutes(tenths, minutes_per_day=per_day) == minutes


def test_elapsed_tenths_need_a_working_day():
    with pytest.raises(ValueError):
        elapsed_tenths_to_minutes(7200, minutes_per_day=0)
