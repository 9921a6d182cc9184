"""Calendars through the API: everyone in the organisation reads them, the right people change
them, and every change reschedules the projects that follow the calendar."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import CalendarException, Project, WorkCalendar
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from tests.api.conftest import if_match
from tests.factories import (
    CalendarExceptionFactory,
    ProjectFactory,
    TaskFactory,
    WorkCalendarFactory,
)
from tpm.models import HistoryEntry

MONDAY = date(2027, 1, 4)
DAY = 480


@pytest.fixture
def plan(world):
    world.project.start_date = MONDAY
    world.project.save()
    return world.project


def _task(project, actor, days):
    return task_services.task_create(
        project=project, actor=actor, name="Build", duration_minutes=days * DAY
    )


def _finish(client, task) -> str:
    return client.get(f"/api/v1/tasks/{task.pk}/").json()["finish"]


def test_an_admin_adds_a_calendar_everyone_in_the_organisation_reads_it(world, api):
    # when the admin adds a four-day week
    response = api(world.admin).post(
        "/api/v1/calendars/",
        {
            "organisation": world.organisation.pk,
            "name": "Four days",
            "working_weekdays": [0, 1, 2, 3],
            "working_times": [["08:00", "12:00"], ["12:30", "18:30"]],
        },
    )
    # then it is there with its working day, for the bystander too, not for the outsider
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["minutes_per_day"] == 600
    assert body["can_manage"] is True
    assert response["ETag"] == '"1"'
    seen = api(world.bystander).get(f"/api/v1/calendars/{body['id']}/")
    assert seen.status_code == 200
    assert seen.json()["can_manage"] is False
    assert api(world.outsider).get(f"/api/v1/calendars/{body['id']}/").status_code == 404
    assert HistoryEntry.objects.filter(scope=f"organisation:{world.organisation.pk}").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"working_times": [["09:00", "08:00"]]}, "working_times"),
        ({"working_times": [["08:00", "12:00"], ["11:00", "15:00"]]}, "working_times"),
        ({"working_times": [["8am", "12:00"]]}, "working_times"),
        ({"working_weekdays": [0, 7]}, "working_weekdays"),
        ({"working_weekdays": [1, 1]}, "working_weekdays"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_calendar_is_a_400_naming_the_field(world, api, body, field):
    response = api(world.admin).post(
        "/api/v1/calendars/", {"organisation": world.organisation.pk, "name": "Odd", **body}
    )
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not WorkCalendar.objects.exists()


def test_names_are_unique_in_their_organisation(world, api):
    WorkCalendarFactory(organisation=world.organisation, name="Standard")
    response = api(world.admin).post(
        "/api/v1/calendars/", {"organisation": world.organisation.pk, "name": "standard"}
    )
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_changing_the_default_calendar_reschedules_the_projects_that_follow_it(world, api, plan):
    # given the organisation's default calendar and a two-day task on a project that follows it
    default = WorkCalendarFactory(organisation=world.organisation, is_organisation_default=True)
    task = _task(plan, world.manager, days=2)
    client = api(world.admin)
    assert _finish(client, task).startswith("2027-01-05T17:00")
    # when the working day is cut to four hours
    response = client.patch(
        f"/api/v1/calendars/{default.pk}/",
        {"working_times": [["08:00", "12:00"]]},
        headers=if_match(1),
    )
    # then the task's 960 working minutes take four days
    assert response.status_code == 200, response.json()
    assert response.json()["minutes_per_day"] == 240
    assert _finish(client, task).startswith("2027-01-07T12:00")
    # and an edit from the old version is a 409; one without a version a 428
    stale = client.patch(f"/api/v1/calendars/{default.pk}/", {"name": "X"}, headers=if_match(1))
    assert stale.status_code == 409
    assert stale.json()["current"]["working_times"] == [["08:00", "12:00"]]
    assert client.patch(f"/api/v1/calendars/{default.pk}/", {"name": "X"}).status_code == 428


def test_a_new_default_takes_over_from_the_old_one(world, api, plan):
    old = WorkCalendarFactory(organisation=world.organisation, is_organisation_default=True)
    task = _task(plan, world.manager, days=2)
    client = api(world.admin)
    # when a calendar with a four-hour day becomes the default
    response = client.post(
        "/api/v1/calendars/",
        {
            "organisation": world.organisation.pk,
            "name": "Short",
            "working_times": [["08:00", "12:00"]],
            "is_organisation_default": True,
        },
    )
    # then the old one steps down and the project follows the new one
    assert response.status_code == 201, response.json()
    old.refresh_from_db()
    assert old.is_organisation_default is False
    assert _finish(client, task).startswith("2027-01-07T12:00")


def test_a_holiday_moves_the_work_and_removing_it_moves_it_back(world, api, plan):
    # given the project on its own calendar and a two-day task
    own = WorkCalendarFactory(organisation=world.organisation, project=plan, name="WEB days")
    Project.objects.filter(pk=plan.pk).update(calendar=own)
    task = _task(plan, world.manager, days=2)
    client = api(world.manager)
    # when the manager adds a holiday on the Tuesday
    added = client.post(
        "/api/v1/calendar-exceptions/",
        {"calendar": own.pk, "name": "Founders' day", "first_day": "2027-01-05"},
    )
    # then the task finishes a day later
    assert added.status_code == 201, added.json()
    assert added.json()["last_day"] == "2027-01-05"
    assert _finish(client, task).startswith("2027-01-06T17:00")
    # and an overlapping one is refused
    overlap = client.post(
        "/api/v1/calendar-exceptions/",
        {"calendar": own.pk, "name": "Again", "first_day": "2027-01-04", "last_day": "2027-01-06"},
    )
    assert overlap.status_code == 400
    assert "first_day" in overlap.json()["errors"]
    # when it is removed, the task finishes on Tuesday again
    assert client.delete(f"/api/v1/calendar-exceptions/{added.json()['id']}/").status_code == 204
    assert _finish(client, task).startswith("2027-01-05T17:00")


def test_a_working_exception_needs_hours_and_a_holiday_has_none(world, api):
    calendar = WorkCalendarFactory(organisation=world.organisation)
    client = api(world.admin)
    no_hours = client.post(
        "/api/v1/calendar-exceptions/",
        {"calendar": calendar.pk, "name": "Sat", "first_day": "2027-01-09", "working": True},
    )
    hours_on_holiday = client.post(
        "/api/v1/calendar-exceptions/",
        {
            "calendar": calendar.pk,
            "name": "Off",
            "first_day": "2027-01-11",
            "working_times": [["08:00", "12:00"]],
        },
    )
    backwards = client.post(
        "/api/v1/calendar-exceptions/",
        {"calendar": calendar.pk, "name": "X", "first_day": "2027-01-11", "last_day": "2027-01-10"},
    )
    assert no_hours.status_code == hours_on_holiday.status_code == backwards.status_code == 400
    assert "working_times" in no_hours.json()["errors"]
    assert "working_times" in hours_on_holiday.json()["errors"]
    assert "last_day" in backwards.json()["errors"]


def test_project_managers_manage_their_projects_calendars_only(world, api, plan):
    organisation_wide = WorkCalendarFactory(organisation=world.organisation)
    own = WorkCalendarFactory(organisation=world.organisation, project=plan)
    manager = api(world.manager)
    # the manager adds and edits a calendar of their project
    created = manager.post(
        "/api/v1/calendars/",
        {"organisation": world.organisation.pk, "project": plan.pk, "name": "Crunch"},
    )
    assert created.status_code == 201, created.json()
    assert created.json()["project"] == plan.pk
    assert (
        manager.patch(f"/api/v1/calendars/{own.pk}/", {"name": "Ours", "version": 1}).status_code
        == 200
    )
    # but not the organisation's calendars
    assert (
        manager.post(
            "/api/v1/calendars/", {"organisation": world.organisation.pk, "name": "Mine"}
        ).status_code
        == 403
    )
    assert (
        manager.patch(
            f"/api/v1/calendars/{organisation_wide.pk}/", {"name": "X", "version": 1}
        ).status_code
        == 403
    )
    # and a project calendar cannot be the organisation's default
    default = manager.patch(
        f"/api/v1/calendars/{own.pk}/", {"is_organisation_default": True, "version": 2}
    )
    assert default.status_code == 400
    assert "is_organisation_default" in default.json()["errors"]


@pytest.mark.parametrize("kind", ["member", "stakeholder", "viewer", "bystander"])
def test_others_in_the_organisation_only_read(world, api, plan, kind):
    own = WorkCalendarFactory(organisation=world.organisation, project=plan)
    holiday = CalendarExceptionFactory(calendar=own)
    client = api(getattr(world, kind))
    assert client.get(f"/api/v1/calendars/{own.pk}/").status_code == 200
    assert (
        client.patch(f"/api/v1/calendars/{own.pk}/", {"name": "X", "version": 1}).status_code == 403
    )
    added = client.post(
        "/api/v1/calendar-exceptions/",
        {"calendar": own.pk, "name": "X", "first_day": "2030-01-01"},
    )
    assert added.status_code == 403
    assert client.delete(f"/api/v1/calendar-exceptions/{holiday.pk}/").status_code == 403


def test_another_organisations_calendars_are_404s(world, api):
    foreign = WorkCalendarFactory(organisation=world.other_organisation)
    holiday = CalendarExceptionFactory(calendar=foreign)
    client = api(world.admin)
    assert client.get(f"/api/v1/calendars/{foreign.pk}/").status_code == 404
    assert client.delete(f"/api/v1/calendars/{foreign.pk}/").status_code == 404
    assert client.get(f"/api/v1/calendar-exceptions/{holiday.pk}/").status_code == 404
    body = client.post(
        "/api/v1/calendar-exceptions/",
        {"calendar": foreign.pk, "name": "X", "first_day": "2030-01-01"},
    )
    assert body.status_code == 404
    assert "calendar" in body.json()["errors"]
    assert client.get("/api/v1/calendars/").json()["count"] == 0
    assert client.get("/api/v1/calendar-exceptions/").json()["count"] == 0


def test_a_calendar_in_use_is_not_deleted(world, api, plan):
    used = WorkCalendarFactory(organisation=world.organisation, name="Used")
    Project.objects.filter(pk=plan.pk).update(calendar=used)
    by_task = WorkCalendarFactory(organisation=world.organisation, name="Task cal")
    TaskFactory(project=plan, calendar=by_task)
    unused = WorkCalendarFactory(organisation=world.organisation)
    client = api(world.admin)
    refused = client.delete(f"/api/v1/calendars/{used.pk}/")
    assert refused.status_code == 400
    assert "WEB" in refused.json()["errors"]["non_field_errors"][0]
    refused_task = client.delete(f"/api/v1/calendars/{by_task.pk}/")
    assert "1 task" in refused_task.json()["errors"]["non_field_errors"][0]
    assert client.delete(f"/api/v1/calendars/{unused.pk}/").status_code == 204
    assert set(WorkCalendar.objects.values_list("name", flat=True)) == {"Used", "Task cal"}


def test_a_manager_puts_the_project_on_a_calendar(world, api, plan):
    short = WorkCalendarFactory(organisation=world.organisation, working_times=[["08:00", "12:00"]])
    task = _task(plan, world.manager, days=1)
    client = api(world.manager)
    # when the manager moves the project to the four-hour calendar
    response = client.put(
        f"/api/v1/projects/{plan.pk}/calendar/", {"calendar": short.pk}, headers=if_match(1)
    )
    # then the project follows it and its task takes two days
    assert response.status_code == 200, response.json()
    assert response.json() == {"id": plan.pk, "calendar": short.pk, "version": 2}
    assert response["ETag"] == '"2"'
    assert _finish(client, task).startswith("2027-01-05T12:00")
    assert client.get(f"/api/v1/projects/{plan.pk}/calendar/").json()["calendar"] == short.pk
    # a stale version is a 409, a missing one a 428
    stale = client.put(
        f"/api/v1/projects/{plan.pk}/calendar/", {"calendar": None}, headers=if_match(1)
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["calendar"] == short.pk
    assert (
        client.put(f"/api/v1/projects/{plan.pk}/calendar/", {"calendar": None}).status_code == 428
    )


def test_a_project_takes_only_its_organisations_or_its_own_calendars(world, api, plan):
    foreign = WorkCalendarFactory(organisation=world.other_organisation)
    other_project = ProjectFactory(organisation=world.organisation)
    theirs = WorkCalendarFactory(organisation=world.organisation, project=other_project)
    client = api(world.admin)
    url = f"/api/v1/projects/{plan.pk}/calendar/"
    hidden = client.put(url, {"calendar": foreign.pk, "version": 1})
    assert hidden.status_code == 404
    assert "calendar" in hidden.json()["errors"]
    wrong = client.put(url, {"calendar": theirs.pk, "version": 1})
    assert wrong.status_code == 400
    assert "calendar" in wrong.json()["errors"]


def _grow(world, n):
    for _ in range(n):
        calendar = WorkCalendarFactory(organisation=world.organisation)
        CalendarExceptionFactory(calendar=calendar)


@pytest.mark.parametrize("resource", ["calendars", "calendar-exceptions"])
def test_calendar_lists_cost_the_same_for_3_or_30_rows(world, api, resource):
    client = api(world.manager)
    url = f"/api/v1/{resource}/?page_size=200"
    _grow(world, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(world, 27)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).json()["count"] == 30
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
    assert len(many) <= 5
    assert CalendarException.objects.count() == 30


FULL = [["08:00", "12:00"], ["13:00", "17:00"]]
MORNING = [["08:00", "12:00"]]


def test_each_weekday_has_its_own_hours_and_the_dates_follow_them(world, api, plan):
    # given a project on the default calendar and a two-day (960-minute) task from Thursday
    default = WorkCalendarFactory(organisation=world.organisation, is_organisation_default=True)
    task = _task(plan, world.manager, days=2)
    task_services.task_update(
        task=task,
        actor=world.manager,
        version=task.version,
        changes=TaskChanges(
            constraint_type="SNET",
            constraint_date=timezone.make_aware(datetime(2027, 1, 7, 8)).isoformat(),
        ),
    )
    client = api(world.admin)
    assert _finish(client, task).startswith("2027-01-08T17:00")
    # when Fridays become mornings only and Saturday mornings work
    week = [FULL, FULL, FULL, FULL, MORNING, MORNING, []]
    response = client.patch(
        f"/api/v1/calendars/{default.pk}/", {"working_week": week}, headers=if_match(1)
    )
    # then the calendar says so, day by day and the old way, and the task spills into Monday:
    # Thursday 8 h, Friday 4 h, Saturday 4 h
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["working_week"] == week
    assert body["working_weekdays"] == [0, 1, 2, 3, 4, 5]
    assert body["working_times"] == FULL and body["minutes_per_day"] == DAY
    assert _finish(client, task).startswith("2027-01-09T12:00")
    entry = HistoryEntry.objects.filter(action="updated").latest("pk")
    assert "working_week" in entry.changes


def test_one_set_of_hours_still_applies_to_the_listed_weekdays(world, api):
    # when a calendar is created the older way, then its working days change the older way
    client = api(world.admin)
    created = client.post(
        "/api/v1/calendars/",
        {
            "organisation": world.organisation.pk,
            "name": "Shifts",
            "working_weekdays": [0, 1, 2],
            "working_times": [["06:00", "14:00"]],
        },
    )
    assert created.status_code == 201, created.json()
    shift = [["06:00", "14:00"]]
    assert created.json()["working_week"] == [shift, shift, shift, [], [], [], []]
    calendar_id = created.json()["id"]
    # a listed day that works keeps its hours; a new one gets the ordinary day's
    response = client.patch(
        f"/api/v1/calendars/{calendar_id}/", {"working_weekdays": [1, 5]}, headers=if_match(1)
    )
    assert response.status_code == 200, response.json()
    assert response.json()["working_week"] == [[], shift, [], [], [], shift, []]
    # and a PUT in the older shape replaces the week
    put = client.put(
        f"/api/v1/calendars/{calendar_id}/",
        {
            "name": "Shifts",
            "is_organisation_default": False,
            "working_weekdays": [0, 1, 2, 3, 4],
            "working_times": MORNING,
        },
        headers=if_match(2),
    )
    assert put.status_code == 200, put.json()
    assert put.json()["working_week"] == [MORNING] * 5 + [[], []]


def test_a_new_calendar_defaults_to_eight_hours_monday_to_friday(world, api):
    response = api(world.admin).post(
        "/api/v1/calendars/", {"organisation": world.organisation.pk, "name": "Plain"}
    )
    assert response.status_code == 201
    assert response.json()["working_week"] == [FULL] * 5 + [[], []]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"working_week": [FULL] * 6}, "working_week", "7"),
        ({"working_week": [[]] * 7}, "working_week", "At least one day"),
        (
            {"working_week": [FULL, [["13:00", "12:00"]], [], [], [], [], []]},
            "working_week",
            "Tuesday: 13:00-12:00 ends before it starts",
        ),
        (
            {"working_week": [[["08:00", "12:00"], ["11:00", "15:00"]]] + [[]] * 6},
            "working_week",
            "Monday: 11:00-15:00 overlaps",
        ),
        (
            {"working_week": [[["8am", "12:00"]]] + [[]] * 6},
            "working_week",
            "Monday",
        ),
        (
            {"working_week": [FULL] * 5 + [[], []], "working_weekdays": [0]},
            "working_week",
            "not both",
        ),
        ({"working_weekdays": []}, "working_weekdays", "working day"),
        ({"working_times": []}, "working_times", "hours"),
    ],
    ids=[
        "six-days",
        "no-working-day",
        "backwards",
        "overlap",
        "not-a-time",
        "both",
        "no-days",
        "no-hours",
    ],
)
def test_a_bad_week_is_a_400_naming_the_field_and_the_day(world, api, body, field, message):
    response = api(world.admin).post(
        "/api/v1/calendars/", {"organisation": world.organisation.pk, "name": "Odd", **body}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors, errors
    assert message in str(errors[field]), errors
    assert not WorkCalendar.objects.exists()


def test_a_put_without_the_week_is_a_400(world, api):
    calendar = WorkCalendarFactory(organisation=world.organisation)
    response = api(world.admin).put(
        f"/api/v1/calendars/{calendar.pk}/",
        {"name": "Renamed", "is_organisation_default": False},
        headers=if_match(1),
    )
    assert response.status_code == 400
    assert "working_week" in response.json()["errors"]
