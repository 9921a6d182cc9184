"""Capacity as the workload reads it: the person's calendar, hours a day, time off, holidays."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from projects.models.calendar import week_of
from resources.workload.selectors import WorkloadFilters, workload_page
from tests.factories import CalendarExceptionFactory, WorkCalendarFactory
from tests.resources.factories import ResourceFactory, TimeOffFactory

MONDAY = date(2031, 1, 6)


@pytest.mark.django_db
def test_capacity_comes_from_the_calendar_capped_by_hours_a_day_less_time_off_and_holidays(world):
    # given a four-day calendar (Mon-Thu, 8 h) with a holiday on Tuesday of week 2,
    # a person on it working 6 h a day, with Wednesday of week 3 off
    calendar = WorkCalendarFactory(
        organisation=world.organisation, name="Four days", working_week=week_of([0, 1, 2, 3])
    )
    CalendarExceptionFactory(
        calendar=calendar, first_day=MONDAY + timedelta(days=8), last_day=MONDAY + timedelta(days=8)
    )
    dana = ResourceFactory(
        organisation=world.organisation, name="Dana", calendar=calendar, hours_per_day=Decimal(6)
    )
    TimeOffFactory(
        resource=dana, start_date=MONDAY + timedelta(days=16), end_date=MONDAY + timedelta(days=16)
    )
    # when
    page = workload_page(world.organisation, world.admin, WorkloadFilters(start=MONDAY, weeks=3))
    # then 4 x 6 = 24 h, 24 - 6 (holiday) = 18 h, 24 - 6 (day off) = 18 h
    (row,) = [r for r in page.rows if r.name == "Dana"]
    assert [w.capacity_hours for w in row.load.weeks] == [24, 18, 18]


@pytest.mark.django_db
def test_the_organisation_default_calendar_applies_to_people_without_one(world):
    WorkCalendarFactory(
        organisation=world.organisation,
        name="Six days",
        working_week=week_of([0, 1, 2, 3, 4, 5]),
        is_organisation_default=True,
    )
    ResourceFactory(organisation=world.organisation, name="Eve")
    page = workload_page(world.organisation, world.admin, WorkloadFilters(start=MONDAY, weeks=1))
    (row,) = [r for r in page.rows if r.name == "Eve"]
    assert row.load.weeks[0].capacity_hours == 48
