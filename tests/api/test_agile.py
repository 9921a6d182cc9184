"""The workflow, board, backlog and sprint endpoints."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.agile.services import workflow as workflow_services
from projects.models import Sprint, Task, TaskStatus
from projects.plan import services as task_services
from tests.api.conftest import if_match
from tests.factories import TaskFactory


def _statuses(world):
    return {s.name: s for s in workflow_services.ensure_workflow(world.project)}


def test_a_member_moves_a_card_and_a_stale_move_is_409(world, api):
    statuses = _statuses(world)
    task = task_services.task_create(project=world.project, actor=world.manager, name="Build")
    client = api(world.member)
    moved = client.post(
        "/api/v1/board-moves/",
        {"task": task.pk, "status": statuses["Done"].pk},
        format="json",
        headers=if_match(task.version),
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["card"]["task_status"] == TaskStatus.COMPLETED
    stale = client.post(
        "/api/v1/board-moves/",
        {"task": task.pk, "status": statuses["To do"].pk, "version": task.version},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["status"] == statuses["Done"].pk
    assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED


def test_board_move_bad_input(world, api):
    statuses = _statuses(world)
    task = TaskFactory(project=world.project)
    client = api(world.member)
    missing = client.post("/api/v1/board-moves/", {"status": statuses["Done"].pk}, format="json")
    assert missing.status_code == 400 and "task" in missing.json()["errors"]
    foreign = TaskFactory(project=world.other_project)
    assert (
        client.post(
            "/api/v1/board-moves/",
            {"task": foreign.pk, "status": statuses["Done"].pk, "version": 1},
            format="json",
        ).status_code
        == 404
    )
    no_version = client.post(
        "/api/v1/board-moves/", {"task": task.pk, "status": statuses["Done"].pk}, format="json"
    )
    assert no_version.status_code == 428
    extra = client.post(
        "/api/v1/board-moves/",
        {"task": task.pk, "status": statuses["Done"].pk, "version": 1, "colour": "red"},
        format="json",
    )
    assert extra.status_code == 400


def test_the_board_endpoint_lists_columns_in_constant_queries(world, api):
    _statuses(world)
    client = api(world.viewer)
    url = f"/api/v1/projects/{world.project.pk}/board/"
    TaskFactory(project=world.project)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(25):
        TaskFactory(project=world.project).assignees.add(world.member)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).json()
    assert len(few) == len(many)
    assert sum(len(column["cards"]) for column in body["columns"]) == 26


def test_sprint_lifecycle_through_the_api(world, api):
    client = api(world.manager)
    created = client.post(
        "/api/v1/sprints/",
        {
            "project": world.project.pk,
            "name": "Sprint 1",
            "start_date": "2030-01-07",
            "end_date": "2030-01-18",
            "capacity_points": 3,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    sprint_id = created.json()["id"]
    task = TaskFactory(project=world.project, story_points=5)
    planned = client.post(f"/api/v1/sprints/{sprint_id}/plan/", {"add": [task.pk]}, format="json")
    assert planned.json()["warnings"] == ["Committed 5 points against a capacity of 3."]
    started = client.post(f"/api/v1/sprints/{sprint_id}/start/", {"version": 1}, format="json")
    assert started.status_code == 200 and started.json()["state"] == "active"
    charts = client.get(f"/api/v1/sprints/{sprint_id}/charts/").json()
    assert charts["unit"] == "points" and len(charts["days"]) == 12
    closed = client.post(
        f"/api/v1/sprints/{sprint_id}/close/", {"version": started.json()["version"]}, format="json"
    )
    assert closed.status_code == 200 and closed.json()["completed_points"] == 0
    assert Task.objects.get(pk=task.pk).sprint is None
    again = client.post(
        f"/api/v1/sprints/{sprint_id}/close/", {"version": closed.json()["version"]}, format="json"
    )
    assert again.status_code == 400


def test_sprint_bad_input(world, api):
    client = api(world.manager)
    backwards = client.post(
        "/api/v1/sprints/",
        {
            "project": world.project.pk,
            "name": "S",
            "start_date": "2030-01-18",
            "end_date": "2030-01-07",
        },
        format="json",
    )
    assert backwards.status_code == 400 and "end_date" in backwards.json()["errors"]
    not_a_date = client.post(
        "/api/v1/sprints/",
        {"project": world.project.pk, "name": "S", "start_date": "soon", "end_date": "later"},
        format="json",
    )
    assert not_a_date.status_code == 400
    assert Sprint.objects.count() == 0


def test_statuses_and_task_fields_through_the_api(world, api):
    client = api(world.manager)
    created = client.post(
        "/api/v1/workflow-statuses/",
        {"project": world.project.pk, "name": "QA", "category": "in_progress", "wip_limit": 3},
        format="json",
    )
    assert created.status_code == 201
    listed = client.get(f"/api/v1/workflow-statuses/?project={world.project.pk}").json()
    assert [row["name"] for row in listed["results"]][-1] == "QA"
    label = client.post(
        "/api/v1/labels/", {"project": world.project.pk, "name": "UX"}, format="json"
    ).json()
    task = TaskFactory(project=world.project)
    patched = client.patch(
        f"/api/v1/tasks/{task.pk}/agile/",
        {"task_type": "bug", "story_points": 8, "labels": [label["id"]], "version": task.version},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["labels"] == [label["id"]]
    bad = client.patch(
        f"/api/v1/tasks/{task.pk}/agile/",
        {"task_type": "epic", "version": patched.json()["version"]},
        format="json",
    )
    assert bad.status_code == 400 and "task_type" in bad.json()["errors"]


def test_backlog_order_through_the_api(world, api):
    a, b = TaskFactory(project=world.project), TaskFactory(project=world.project)
    response = api(world.manager).post(
        "/api/v1/backlog-moves/",
        {"task": b.pk, "before": a.pk, "version": b.version},
        format="json",
    )
    assert response.status_code == 200
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.rank < a.rank
