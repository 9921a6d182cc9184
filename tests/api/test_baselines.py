"""Baselines through the API: save the plan, list them lightly, read the rows, compare, delete."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.baselines import services as baseline_services
from projects.models import Baseline, Task
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.schedule import services as schedule_services
from tests.factories import BaselineFactory, TaskFactory

MONDAY = date(2027, 1, 4)
DAY = 480
URL = "/api/v1/baselines/"


@pytest.fixture
def plan(world):
    """WEB: Design (2 days) -> Launch (milestone), starting on a Monday."""
    world.project.start_date = MONDAY
    world.project.save()
    design = task_services.task_create(
        project=world.project, actor=world.manager, name="Design", duration_minutes=2 * DAY
    )
    launch = task_services.task_create(
        project=world.project,
        actor=world.manager,
        name="Launch",
        duration_minutes=0,
        is_milestone=True,
    )
    task_services.dependency_create(predecessor=design, successor=launch, actor=world.manager)
    return world.project


def test_a_manager_saves_a_baseline_and_lists_it(world, api, plan):
    client = api(world.manager)
    # when the manager saves the plan as "Approved plan"
    response = client.post(
        URL, {"project": plan.pk, "name": "Approved plan", "note": "Board"}, format="json"
    )
    # then it is created with the plan's span and task count, and listed for the project
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["task_count"], body["note"]) == ("Approved plan", 2, "Board")
    assert body["created_by"]["email"] == world.manager.email
    assert body["project_finish"].startswith("2027-01-05")
    listed = client.get(URL, {"project": plan.pk}).json()
    assert [item["name"] for item in listed["results"]] == ["Approved plan"]
    assert "tasks" not in listed["results"][0]


def test_the_same_name_twice_is_a_400_naming_the_field(world, api, plan):
    baseline_services.baseline_save(project=plan, actor=world.manager, name="v1")
    response = api(world.manager).post(URL, {"project": plan.pk, "name": "v1"}, format="json")
    assert response.status_code == 400
    assert "already has a baseline" in response.json()["errors"]["name"][0]


def test_an_unscheduled_plan_is_a_400(world, api):
    response = api(world.manager).post(
        URL, {"project": world.project.pk, "name": "v1"}, format="json"
    )
    assert response.status_code == 400
    assert "no schedule yet" in response.json()["errors"]["non_field_errors"][0]


def test_bodies_are_strict_and_baselines_cannot_be_edited(world, api, plan):
    client = api(world.manager)
    # when the body carries a field the endpoint does not take
    response = client.post(URL, {"project": plan.pk, "name": "v1", "task_count": 3}, format="json")
    # then it is refused by name
    assert response.status_code == 400
    assert "task_count" in response.json()["errors"]
    # and a saved baseline has no way to be changed
    baseline = baseline_services.baseline_save(project=plan, actor=world.manager, name="v1")
    patch = client.patch(f"{URL}{baseline.pk}/", {"name": "v2"}, format="json")
    assert patch.status_code == 405


def test_a_project_of_another_organisation_is_a_404_naming_the_field(world, api):
    response = api(world.manager).post(
        URL, {"project": world.other_project.pk, "name": "v1"}, format="json"
    )
    assert response.status_code == 404
    assert "project" in response.json()["errors"]


def test_the_rows_are_paginated_in_outline_order(world, api, plan):
    baseline = baseline_services.baseline_save(project=plan, actor=world.manager, name="v1")
    body = api(world.viewer).get(f"{URL}{baseline.pk}/tasks/", {"page_size": 1}).json()
    assert body["count"] == 2
    assert [row["task_name"] for row in body["results"]] == ["Design"]
    assert body["results"][0]["duration_minutes"] == 2 * DAY


def test_the_comparison_shows_the_slip_in_working_days(world, api, plan):
    # given a baseline, then Design grew from two days to four
    baseline = baseline_services.baseline_save(project=plan, actor=world.manager, name="v1")
    design = Task.objects.get(project=plan, name="Design")
    task_services.task_update(
        task=design,
        actor=world.manager,
        version=design.version,
        changes=TaskChanges(duration_minutes=4 * DAY),
    )
    # when a stakeholder asks for the comparison
    body = api(world.stakeholder).get(f"{URL}{baseline.pk}/comparison/").json()
    # then the project finishes two days late and the launch milestone slipped
    launch = Task.objects.get(project=plan, name="Launch")
    assert body["finish_variance_days"] == 2
    assert body["slipped_milestones"] == [launch.pk]
    rows = {row["name"]: row for row in body["tasks"]}
    assert rows["Design"]["duration_variance_days"] == 2
    assert rows["Design"]["start_variance_days"] == 0
    assert rows["Launch"]["kind"] == "same"


def test_a_manager_deletes_a_baseline_and_a_member_may_not(world, api, plan):
    baseline = baseline_services.baseline_save(project=plan, actor=world.manager, name="v1")
    assert api(world.member).delete(f"{URL}{baseline.pk}/").status_code == 403
    assert api(world.manager).delete(f"{URL}{baseline.pk}/").status_code == 204
    assert not Baseline.objects.filter(pk=baseline.pk).exists()


def test_baselines_of_other_organisations_are_not_found(world, api):
    foreign = BaselineFactory(project=world.other_project)
    client = api(world.manager)
    assert client.get(f"{URL}{foreign.pk}/").status_code == 404
    assert client.get(f"{URL}{foreign.pk}/comparison/").status_code == 404
    assert client.get(f"{URL}{foreign.pk}/tasks/").status_code == 404
    assert client.get(URL).json()["count"] == 0


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _plan_of(world, count, name):
    Task.objects.filter(project=world.project).delete()
    TaskFactory.create_batch(count, project=world.project)
    schedule_services.renumber(world.project)
    schedule_services.project_reschedule(project=world.project)
    return baseline_services.baseline_save(project=world.project, actor=world.manager, name=name)


def test_list_rows_and_comparison_cost_the_same_for_5_or_50_tasks(world, api):
    world.project.start_date = MONDAY
    world.project.save()
    client = api(world.manager)
    few = _plan_of(world, 5, "few")
    counts_few = [
        _queries(client, URL),
        _queries(client, f"{URL}{few.pk}/tasks/"),
        _queries(client, f"{URL}{few.pk}/comparison/"),
    ]
    many = _plan_of(world, 50, "many")
    for _ in range(10):
        BaselineFactory(project=world.project)
    counts_many = [
        _queries(client, URL),
        _queries(client, f"{URL}{many.pk}/tasks/"),
        _queries(client, f"{URL}{many.pk}/comparison/"),
    ]
    assert counts_few == counts_many
