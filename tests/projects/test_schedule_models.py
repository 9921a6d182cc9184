"""The schedule tables refuse impossible plans even when a write bypasses the services."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import ConstraintType, WorkCalendar
from projects.models.calendar import validate_weekdays, validate_working_times
from tests.factories import (
    CalendarExceptionFactory,
    DependencyFactory,
    TaskFactory,
    WorkCalendarFactory,
)

pytestmark = pytest.mark.django_db


def _refused(build) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_a_task_cannot_be_more_than_complete():
    _refused(lambda: TaskFactory(percent_complete=101))


def test_a_dated_constraint_needs_its_date():
    _refused(lambda: TaskFactory(constraint_type=ConstraintType.MSO, constraint_date=None))


def test_a_milestone_takes_no_time():
    _refused(lambda: TaskFactory(is_milestone=True, duration_minutes=480))


def test_a_task_cannot_depend_on_itself_or_twice_on_the_same_task():
    task = TaskFactory()
    _refused(lambda: DependencyFactory(predecessor=task, successor=task))
    link = DependencyFactory(predecessor=task)
    _refused(lambda: DependencyFactory(predecessor=task, successor=link.successor))


def test_an_organisation_has_one_default_calendar():
    default = WorkCalendarFactory(is_organisation_default=True)
    _refused(
        lambda: WorkCalendarFactory(organisation=default.organisation, is_organisation_default=True)
    )


def test_a_holiday_range_cannot_end_before_it_starts():
    _refused(
        lambda: CalendarExceptionFactory(first_day=date(2027, 1, 5), last_day=date(2027, 1, 4))
    )


def test_the_standard_calendar_has_eight_hour_days():
    calendar = WorkCalendarFactory()
    assert calendar.working_weekdays == [0, 1, 2, 3, 4]
    assert calendar.minutes_per_day == 480


@pytest.mark.parametrize(
    ("times", "message"),
    [
        ([["09:00", "08:00"]], "ends before it starts"),
        ([["08:00", "12:00"], ["11:00", "15:00"]], "overlaps"),
        ([["8:00", "12:00"]], "HH:MM"),
        ("08:00-17:00", "list"),
        ([["08:00"]], "pair"),
    ],
)
def test_working_times_say_what_is_wrong(times, message):
    with pytest.raises(ValidationError, match=message):
        validate_working_times(times)


def test_weekdays_are_monday_to_sunday_once_each():
    validate_weekdays([0, 1, 2, 3, 4, 5])
    for bad in ([7], [0, 0], ["mon"], [True]):
        with pytest.raises(ValidationError):
            validate_weekdays(bad)


def test_full_clean_reports_bad_calendar_hours_on_the_field():
    calendar = WorkCalendar(
        organisation=WorkCalendarFactory().organisation,
        name="Night shift",
        working_times=[["22:00", "06:00"]],
    )
    with pytest.raises(ValidationError) as error:
        calendar.full_clean()
    assert "working_times" in error.value.message_dict


def test_an_unfinished_task_past_its_deadline_is_overdue():
    task = TaskFactory.build(deadline=date(2027, 3, 1))
    assert task.is_overdue(date(2027, 3, 2))
    assert not task.is_overdue(date(2027, 3, 1))
    task.status = "completed"
    assert not task.is_overdue(date(2027, 3, 2))
