"""Days become minutes by one rule when a task is created, on the outline's add row and through
the API (issue 22): 0.25 day of a 7.5-hour calendar is 112.5 minutes, 113 both ways (half up),
as tests/projects/test_duration_agreement.py holds for edits.
"""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from projects.models import Task
from projects.plan.forms import DaysField
from projects.schedule.durations import days_to_minutes
from tests.conftest import client_for
from tests.factories import WorkCalendarFactory
from tests.projects.helpers import HTMX


@pytest.fixture
def short_days(world):
    world.project.calendar = WorkCalendarFactory(
        organisation=world.organisation, working_times=[["08:00", "12:00"], ["12:30", "16:00"]]
    )
    world.project.start_date = date(2027, 1, 4)
    world.project.save()
    return world


@pytest.mark.parametrize("typed", ["0.25", "0.75", "1.25"])
def test_a_task_added_on_the_outline_and_by_the_api_lasts_the_same_minutes(short_days, typed):
    # when the same days are typed on the outline's add row and sent to the API
    url = reverse("plan-task-add", args=[short_days.project.pk])
    page = client_for(short_days.manager).post(
        url, {"name": "Page", "duration_days": typed, "parent": ""}, headers=HTMX
    )
    assert page.status_code == 200, page.content.decode()[:500]
    client = APIClient()
    client.force_login(short_days.manager)
    body = {"project": short_days.project.pk, "name": "API", "duration_days": float(typed)}
    api = client.post("/api/v1/tasks/", body, format="json")
    assert api.status_code == 201, api.json()
    # then both are the days of a 450-minute day, rounded half up
    stored = dict(
        Task.objects.filter(project=short_days.project).values_list("name", "duration_minutes")
    )
    assert stored["Page"] == stored["API"] == api.json()["duration_minutes"]
    assert stored["Page"] == days_to_minutes(typed, 450)


def test_the_days_field_and_the_rule_agree_on_halves():
    field = DaysField()
    field.minutes_per_day = 450
    assert field.clean("0.25") == days_to_minutes("0.25", 450) == 113
    field.minutes_per_day = 330
    assert field.clean("0.25") == days_to_minutes("0.25", 330) == 83
