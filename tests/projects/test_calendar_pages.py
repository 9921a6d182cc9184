"""The calendar pages: a week of hours, one row per weekday, and the holidays and other days.

The project starts on Monday 4 January 2027 and follows the organisation's default calendar.
"""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import CalendarException, Task, WorkCalendar
from projects.plan import services as task_services
from tests.conftest import client_for
from tests.factories import CalendarExceptionFactory, WorkCalendarFactory
from tests.projects.helpers import assert_same_count, queries_for, text
from tpm.models import HistoryEntry

MONDAY = date(2027, 1, 4)
DAY = 480
FULL = "08:00-12:00, 13:00-17:00"
FULL_HOURS = [["08:00", "12:00"], ["13:00", "17:00"]]


@pytest.fixture
def office(world):
    world.project.start_date = MONDAY
    world.project.save()
    return WorkCalendarFactory(
        organisation=world.organisation, name="Office", is_organisation_default=True
    )


def _week(calendar, **days):
    """The form as the page fills it in, with some days changed."""
    week = dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday"), FULL)
    week.update(saturday="", sunday="")
    week.update(days)
    if calendar.is_organisation_default:  # the box is ticked on the page
        week["is_organisation_default"] = "on"
    return {"name": calendar.name, "version": calendar.version, **week}


def _url(calendar) -> str:
    return reverse("calendar-detail", args=[calendar.pk])


def _finish(task) -> str:
    """The finish on the site's wall clock, as the pages show it."""
    task = Task.objects.get(pk=task.pk)
    return timezone.localtime(task.finish).isoformat()


def test_an_admin_gives_fridays_and_saturdays_their_own_hours_and_the_dates_follow(world, office):
    # given a 2-day task from Thursday on the default calendar
    task = task_services.task_create(
        project=world.project,
        actor=world.admin,
        name="Pack",
        duration_minutes=2 * DAY,
        constraint_type="SNET",
        constraint_date=timezone.make_aware(datetime(2027, 1, 7, 8)).isoformat(),
    )
    assert _finish(task).startswith("2027-01-08T17:00")

    # when the admin makes Friday a morning and Saturday a morning on the calendar's page
    client = client_for(world.admin)
    response = client.post(_url(office), _week(office, friday="08:00-12:00", saturday="9:00-13:00"))

    # then the week is saved day by day and the task ends on Saturday at 13:00
    assert response.status_code == 302, text(response)
    office.refresh_from_db()
    assert office.working_week == [FULL_HOURS] * 4 + [
        [["08:00", "12:00"]],
        [["09:00", "13:00"]],
        [],
    ]
    assert _finish(task).startswith("2027-01-09T13:00")
    assert HistoryEntry.objects.filter(action="updated", changes__has_key="working_week").exists()
    page = text(client.get(_url(office)))
    assert 'value="09:00-13:00"' in page and "its projects are rescheduled" in page


@pytest.mark.parametrize(
    ("days", "field", "message"),
    [
        ({"tuesday": "13:00-12:00"}, "tuesday", "13:00-12:00 ends before it starts"),
        ({"monday": "08:00-12:00, 11:00-15:00"}, "monday", "overlaps the period before it"),
        ({"friday": "8 till 5"}, "friday", "is not a period such as 08:00-12:00"),
        ({"sunday": "25:00-26:00"}, "sunday", "HH:MM"),
    ],
)
def test_a_wrong_day_is_shown_next_to_that_day(world, office, days, field, message):
    response = client_for(world.admin).post(_url(office), _week(office, **days))
    assert response.status_code == 422
    assert message in response.context["form"].errors[field][0]
    assert f'id="id_{field}-error"' in text(response)
    office.refresh_from_db()
    assert office.version == 1


def test_a_week_without_working_hours_is_refused(world, office):
    days = dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday"), "")
    response = client_for(world.admin).post(_url(office), _week(office, **days))
    assert response.status_code == 422
    assert "At least one day of the week needs working hours." in text(response)


def test_an_edit_from_an_old_version_shows_the_newer_week(world, office):
    # given someone saved the calendar since the page was opened
    stale = _week(office, friday="08:00-12:00")
    client_for(world.admin).post(_url(office), _week(office, monday="09:00-17:00"))

    # when the old form is sent
    response = client_for(world.admin).post(_url(office), stale)

    # then nothing is overwritten, and the page shows the newer week
    assert response.status_code == 409
    assert "Someone else changed this calendar" in text(response)
    assert 'value="09:00-17:00"' in text(response)
    office.refresh_from_db()
    assert office.working_week[4] == FULL_HOURS


def test_a_project_manager_edits_the_projects_own_calendar_not_the_organisations(world, office):
    own = WorkCalendarFactory(organisation=world.organisation, project=world.project, name="Own")
    client = client_for(world.manager)

    assert client.post(_url(own), _week(own, saturday="08:00-12:00")).status_code == 302
    assert client.post(_url(office), _week(office, saturday="08:00-12:00")).status_code == 403
    own.refresh_from_db()
    assert own.working_weekdays == [0, 1, 2, 3, 4, 5]
    # a project's own calendar cannot be offered as the organisation's default
    assert "is_organisation_default" not in text(client.get(_url(own)))


def test_readers_see_the_week_without_a_form(world, office):
    page = text(client_for(world.viewer).get(_url(office)))
    assert "Day off" in page and "08:00-12:00, 13:00-17:00" in page
    assert "Save the week" not in page and "Add a holiday" not in page


def test_a_working_saturday_with_its_own_hours_then_removed(world, office):
    client = client_for(world.admin)
    # when the admin adds a working Saturday morning
    added = client.post(
        reverse("calendar-exception-add", args=[office.pk]),
        {
            "name": "Moving day",
            "first_day": "2027-01-09",
            "working": "on",
            "working_times": "09:00-13:00",
        },
    )
    # then it is there with its hours
    assert added.status_code == 302
    exception = office.exceptions.get()
    assert (exception.working, exception.working_times) == (True, [["09:00", "13:00"]])
    assert "09:00-13:00" in text(client.get(_url(office)))
    # and removing it puts Saturday back to a day off
    removed = client.post(reverse("calendar-exception-remove", args=[exception.pk]))
    assert removed.status_code == 302
    assert not CalendarException.objects.filter(calendar=office).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"working": "on", "working_times": ""}, "working_times"),
        ({"working_times": "09:00-13:00"}, "working_times"),
        ({"last_day": "2027-01-01"}, "last_day"),
    ],
)
def test_a_wrong_exception_is_shown_next_to_its_field(world, office, data, field):
    response = client_for(world.admin).post(
        reverse("calendar-exception-add", args=[office.pk]),
        {"name": "Odd", "first_day": "2027-01-09", **data},
    )
    assert response.status_code == 422
    assert field in response.context["exception_form"].errors
    assert not office.exceptions.exists()


def test_overlapping_exceptions_are_refused_by_name(world, office):
    CalendarExceptionFactory(
        calendar=office, name="Christmas", first_day=date(2027, 12, 24), last_day=date(2027, 12, 26)
    )
    response = client_for(world.admin).post(
        reverse("calendar-exception-add", args=[office.pk]),
        {"name": "Boxing day", "first_day": "2027-12-26"},
    )
    assert response.status_code == 422
    assert "Christmas" in text(response)


def test_an_admin_adds_a_calendar_from_the_page(world):
    client = client_for(world.admin)
    assert 'value="08:00-12:00, 13:00-17:00"' in text(client.get(reverse("calendar-create")))
    response = client.post(
        reverse("calendar-create"),
        {"name": "Four days", **dict.fromkeys(("monday", "tuesday", "wednesday"), FULL)},
    )
    assert response.status_code == 302
    calendar = WorkCalendar.objects.get(name="Four days")
    assert calendar.working_weekdays == [0, 1, 2]
    assert response.url == _url(calendar)


def test_the_list_shows_each_day_and_costs_the_same_for_3_or_30_calendars(world):
    client = client_for(world.bystander)
    for _ in range(3):
        WorkCalendarFactory(organisation=world.organisation, working_weekdays=[0, 1, 2])
    few = queries_for(client, "get", reverse("calendar-list"))
    assert few.response.content.decode().count('<span class="muted">off</span>') == 3 * 4
    for _ in range(27):
        calendar = WorkCalendarFactory(organisation=world.organisation, project=world.project)
        CalendarExceptionFactory(calendar=calendar)
    many = queries_for(client, "get", reverse("calendar-list"))
    assert_same_count(few, many)
    assert "Globex" not in text(many.response)
