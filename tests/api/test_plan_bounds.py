"""Durations, lags and a project's dates have sane bounds, so the scheduler never runs past what
a date can hold; past them, the page form and the API name the field (issue 22).

Durations and lags: at most a hundred years (projects/schedule/durations.py MAX_MINUTES).
A project's start, target and status dates: years 1900 to 2200 (Project.clean).
"""

from datetime import date

import pytest
from django.urls import reverse

from projects.calendars.timeline import EARLIEST_PLAN_DATE, LATEST_PLAN_DATE
from projects.models import Dependency, Project, Task
from projects.plan import services as task_services
from projects.schedule.durations import (
    MAX_MINUTES,
    DurationTooLong,
    parse_duration,
    parse_iso_duration,
    parse_link,
    tenths_to_minutes,
)
from tests.conftest import client_for
from tests.factories import WorkCalendarFactory

TWO_BILLION = 2_000_000_000


# --- the durations rule --------------------------------------------------------------------


def test_the_rule_takes_a_hundred_years_and_refuses_a_minute_more():
    assert parse_duration(f"{MAX_MINUTES}m", minutes_per_day=480).minutes == MAX_MINUTES
    assert parse_duration(f"-{MAX_MINUTES}m", minutes_per_day=480).minutes == -MAX_MINUTES
    for text in (f"{MAX_MINUTES + 1}m", f"{TWO_BILLION}m", "-200000ed"):
        with pytest.raises(DurationTooLong):
            parse_duration(text, minutes_per_day=480)
    with pytest.raises(DurationTooLong):
        parse_link(f"12FS+{TWO_BILLION}m", minutes_per_day=480)
    with pytest.raises(DurationTooLong):
        parse_iso_duration("PT2000000000H0M0S")
    with pytest.raises(DurationTooLong):
        tenths_to_minutes(TWO_BILLION * 10)


# --- through the API -----------------------------------------------------------------------


@pytest.fixture
def task(world) -> Task:
    return task_services.task_create(
        project=world.project, actor=world.manager, name="Design", duration_minutes=480
    )


def test_an_api_task_of_two_billion_minutes_is_a_400_naming_duration_minutes(world, api):
    response = api(world.manager).post(
        "/api/v1/tasks/",
        {"project": world.project.pk, "name": "Forever", "duration_minutes": TWO_BILLION},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["duration_minutes"]
    assert not Task.objects.filter(name="Forever").exists()


def test_an_api_task_of_a_hundred_years_is_taken(world, api):
    response = api(world.manager).post(
        "/api/v1/tasks/",
        {"project": world.project.pk, "name": "Long", "duration_minutes": MAX_MINUTES},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_days_that_come_to_more_than_a_hundred_years_are_a_400_naming_duration_days(
    world, api, task
):
    # on a calendar of 24-hour days, 99,999 days are 144 million minutes
    around_the_clock = WorkCalendarFactory(
        organisation=world.organisation, working_week=[[["00:00", "24:00"]]] * 7
    )
    response = api(world.manager).patch(
        f"/api/v1/tasks/{task.pk}/",
        {"calendar": around_the_clock.pk, "duration_days": "99999"},
        format="json",
        HTTP_IF_MATCH=f'"{task.version}"',
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["duration_days"]
    task.refresh_from_db()
    assert task.duration_minutes == 480


@pytest.mark.parametrize("lag", [TWO_BILLION, -TWO_BILLION])
def test_an_api_link_lag_past_a_hundred_years_is_a_400_naming_lag_minutes(world, api, task, lag):
    successor = task_services.task_create(
        project=world.project, actor=world.manager, name="Build", duration_minutes=480
    )
    response = api(world.manager).post(
        "/api/v1/dependencies/",
        {"predecessor": task.pk, "successor": successor.pk, "lag_minutes": lag},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["lag_minutes"]
    assert not Dependency.objects.exists()


# --- through the pages ---------------------------------------------------------------------


def _task_form(task, **changes):
    data = {
        "name": task.name,
        "duration_days": "1",
        "effort_hours": "",
        "cost": "",
        "actual_cost": "",
        "deadline": "",
        "constraint_type": "ASAP",
        "constraint_date": "",
        "manual_start": "",
        "manual_finish": "",
        "calendar": "",
        "notes": "",
        "version": task.version,
    }
    return {**data, **changes}


def test_the_task_page_refuses_two_billion_minutes_on_the_duration(world, task):
    url = reverse("task-edit", args=[world.project.pk, task.pk])
    response = client_for(world.manager).post(url, _task_form(task, duration_days="2000000000m"))
    assert response.status_code == 422
    assert response.context["plan_form"].errors["duration_days"] == ["At most 10000 days."]
    task.refresh_from_db()
    assert task.duration_minutes == 480


def test_the_task_page_refuses_a_lag_of_two_billion_minutes(world, task):
    successor = task_services.task_create(
        project=world.project, actor=world.manager, name="Build", duration_minutes=480
    )
    url = reverse("task-link-add", args=[world.project.pk, successor.pk])
    response = client_for(world.manager).post(
        url, {"predecessor": task.pk, "type": "FS", "lag_days": "2000000000m"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["lag_days"] == ["At most 10000 days."]
    assert not Dependency.objects.exists()


# --- a project's dates ---------------------------------------------------------------------

OUT_OF_RANGE = {
    "start_date": "9999-12-31",
    "target_date": "9999-12-31",
    "status_date": "0001-01-01",
}


@pytest.mark.parametrize("field", sorted(OUT_OF_RANGE))
def test_an_api_project_date_out_of_range_is_a_400_naming_it(world, api, field):
    project = world.project
    response = api(world.manager).patch(
        f"/api/v1/projects/{project.pk}/",
        {field: OUT_OF_RANGE[field]},
        format="json",
        HTTP_IF_MATCH=f'"{project.version}"',
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    project.refresh_from_db()
    assert getattr(project, field) is None


def test_an_api_project_created_in_year_9999_is_a_400_naming_start_date(world, api):
    response = api(world.manager).post(
        "/api/v1/projects/",
        {
            "organisation": world.organisation.pk,
            "key": "FAR",
            "name": "Far future",
            "start_date": "9999-12-31",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["start_date"]
    assert not Project.objects.filter(key="FAR").exists()


def test_the_bounds_themselves_are_taken(world, api):
    project = world.project
    response = api(world.manager).patch(
        f"/api/v1/projects/{project.pk}/",
        {
            "start_date": EARLIEST_PLAN_DATE.isoformat(),
            "target_date": LATEST_PLAN_DATE.isoformat(),
            "status_date": LATEST_PLAN_DATE.isoformat(),
        },
        format="json",
        HTTP_IF_MATCH=f'"{project.version}"',
    )
    assert response.status_code == 200, response.json()
    project.refresh_from_db()
    assert project.start_date == date(1900, 1, 1)


def _settings_form(project, **changes):
    data = {
        "name": project.name,
        "description": project.description,
        "methodology": project.methodology,
        "status": project.status,
        "start_date": "",
        "target_date": "",
        "currency": project.currency,
        "status_date": "",
        "progress_weighting": project.progress_weighting,
        "version": project.version,
    }
    return {**data, **changes}


@pytest.mark.parametrize("field", sorted(OUT_OF_RANGE))
def test_the_settings_page_shows_a_date_out_of_range_on_its_field(world, field):
    url = reverse("project-settings", args=[world.project.pk])
    response = client_for(world.manager).post(
        url, _settings_form(world.project, **{field: OUT_OF_RANGE[field]})
    )
    assert response.status_code == 422
    assert "out of range" in response.context["form"].errors[field][0]
    world.project.refresh_from_db()
    assert getattr(world.project, field) is None


def test_the_create_page_refuses_a_start_in_year_9999(world):
    response = client_for(world.manager).post(
        reverse("project-create"),
        {
            "key": "FAR",
            "name": "Far future",
            "methodology": "agile",
            "status": "active",
            "start_date": "9999-12-31",
            "target_date": "",
            "currency": "EUR",
        },
    )
    assert response.status_code == 422
    assert "out of range" in response.context["form"].errors["start_date"][0]
    assert not Project.objects.filter(key="FAR").exists()


def test_the_date_pickers_offer_only_the_range(world):
    response = client_for(world.manager).get(reverse("project-settings", args=[world.project.pk]))
    assert b'min="1900-01-01"' in response.content
    assert b'max="2200-12-31"' in response.content
