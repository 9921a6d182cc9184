"""The Kanban board: columns by status, swimlanes, filters, WIP limits, moving cards."""

import json
from datetime import UTC, date, datetime

from django.urls import reverse

from projects.agile.services import workflow as workflow_services
from projects.models import Task, TaskStatus
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.schedule import services as schedule_services
from tests.conftest import client_for
from tests.factories import DependencyFactory, TaskFactory
from tests.projects.helpers import assert_same_count, queries_for, text


def _statuses(project):
    return {status.name: status for status in workflow_services.ensure_workflow(project)}


def _board(world, **query):
    return reverse("project-board", args=[world.project.pk]), query


def _move(client, world, task, status, before=None, version=None):
    body = {"task": task.pk, "status": status.pk, "before": before and before.pk}
    body["version"] = task.version if version is None else version
    return client.post(
        reverse("project-board-move", args=[world.project.pk]),
        json.dumps(body),
        content_type="application/json",
    )


def _cards(n, world, **fields):
    return [TaskFactory(project=world.project, name=f"Card {i}", **fields) for i in range(n)]


def test_the_board_shows_cards_in_their_columns(world):
    # given a task not started and one completed, one held up by an unfinished predecessor
    statuses = _statuses(world.project)
    todo = TaskFactory(project=world.project, name="Write spec", story_points=3)
    todo.assignees.add(world.member)
    TaskFactory(project=world.project, name="Ship it", status=TaskStatus.COMPLETED)
    DependencyFactory(predecessor=todo, successor=TaskFactory(project=world.project, name="Build"))
    # when a viewer opens the board
    page = text(client_for(world.viewer).get(reverse("project-board", args=[world.project.pk])))
    # then each card shows in the column of its status, with key, points, assignee, blocker
    to_do_column = page.split(f'data-status-id="{statuses["In progress"].pk}"')[0]
    assert "Write spec" in to_do_column and "3 pt" in to_do_column
    assert "WEB" in page
    assert world.member.display_name in page
    assert "Blocked by Write spec" in page
    done_column = page.split(f'data-status-id="{statuses["Done"].pk}"')[-1]
    assert "Ship it" in done_column
    assert "not move cards" in page  # a viewer only reads


def test_a_member_moves_a_card_and_it_persists(world):
    statuses = _statuses(world.project)
    task = task_services.task_create(project=world.project, actor=world.manager, name="Build")
    response = _move(client_for(world.member), world, task, statuses["In progress"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["card"]["status"] == statuses["In progress"].pk
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert task.workflow_status == statuses["In progress"]
    assert task.actual_start is not None


def test_a_stale_move_is_refused_with_the_current_state(world):
    statuses = _statuses(world.project)
    task = task_services.task_create(project=world.project, actor=world.manager, name="Build")
    stale_version = task.version
    # someone edits the task meanwhile
    task_services.task_update(
        task=task, actor=world.manager, version=task.version, changes=TaskChanges(name="Build!")
    )
    response = _move(client_for(world.member), world, task, statuses["Done"], version=stale_version)
    assert response.status_code == 409
    assert response.json()["current"]["status"] == statuses["To do"].pk
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


def test_a_move_without_a_version_is_428(world):
    statuses = _statuses(world.project)
    task = TaskFactory(project=world.project)
    response = client_for(world.member).post(
        reverse("project-board-move", args=[world.project.pk]),
        json.dumps({"task": task.pk, "status": statuses["Done"].pk}),
        content_type="application/json",
    )
    assert response.status_code == 428


def test_a_blocking_wip_limit_refuses_the_move_and_a_soft_one_warns(world):
    statuses = _statuses(world.project)
    doing = statuses["In progress"]
    workflow_services.status_update(
        status=doing, actor=world.manager, version=doing.version, wip_limit=1, wip_blocking=True
    )
    first, second = _cards(2, world)
    client = client_for(world.member)
    assert _move(client, world, first, doing).status_code == 200
    refused = _move(client, world, second, doing)
    assert refused.status_code == 400
    assert "blocking" in refused.json()["detail"]
    second.refresh_from_db()
    assert second.status == TaskStatus.NOT_STARTED
    # a warning-only limit lets it through and says so
    doing.refresh_from_db()
    workflow_services.status_update(
        status=doing, actor=world.manager, version=doing.version, wip_blocking=False
    )
    allowed = _move(client, world, second, doing)
    assert allowed.status_code == 200
    assert "at most 1" in allowed.json()["warning"]
    page = text(client.get(reverse("project-board", args=[world.project.pk])))
    assert "Over the WIP limit of 1" in page


def test_cards_are_ordered_by_where_they_were_dropped(world):
    statuses = _statuses(world.project)
    a, _b, c = _cards(3, world)
    client = client_for(world.member)
    # drop c above a in To do
    assert _move(client, world, c, statuses["To do"], before=a).status_code == 200
    page = text(client.get(reverse("project-board", args=[world.project.pk])))
    assert page.index("Card 2") < page.index("Card 0") < page.index("Card 1")


def test_bad_moves_name_the_problem(world):
    statuses = _statuses(world.project)
    task = TaskFactory(project=world.project)
    client = client_for(world.member)
    url = reverse("project-board-move", args=[world.project.pk])
    not_json = client.post(url, "{oops", content_type="application/json")
    assert not_json.status_code == 400 and "not JSON" in not_json.json()["detail"]
    bad_status = client.post(
        url,
        json.dumps({"task": task.pk, "status": 999999, "version": 1}),
        content_type="application/json",
    )
    assert bad_status.status_code == 400 and "status" in bad_status.json()["detail"]
    wrong_type = client.post(
        url,
        json.dumps({"task": "x", "status": statuses["Done"].pk}),
        content_type="application/json",
    )
    assert wrong_type.status_code == 400
    other = TaskFactory(project=world.other_project)
    foreign = client.post(
        url,
        json.dumps({"task": other.pk, "status": statuses["Done"].pk, "version": 1}),
        content_type="application/json",
    )
    assert foreign.status_code == 404
    summary = TaskFactory(project=world.project, is_summary=True)
    refused = _move(client, world, summary, statuses["Done"])
    assert refused.status_code == 400 and "summary" in refused.json()["detail"]


def test_viewers_and_stakeholders_cannot_move_cards(world):
    statuses = _statuses(world.project)
    task = TaskFactory(project=world.project)
    assert _move(client_for(world.viewer), world, task, statuses["Done"]).status_code == 403
    assert _move(client_for(world.stakeholder), world, task, statuses["Done"]).status_code == 403


def test_quick_filters_and_swimlanes(world):
    _statuses(world.project)
    label = workflow_services.label_create(project=world.project, actor=world.manager, name="UX")
    bug = TaskFactory(project=world.project, name="Fix crash", task_type="bug", priority="urgent")
    bug.labels.add(label)
    bug.assignees.add(world.member)
    TaskFactory(project=world.project, name="Plain chore", task_type="chore")
    client = client_for(world.member)
    url = reverse("project-board", args=[world.project.pk])
    by_type = text(client.get(url, {"type": "bug"}))
    assert "Fix crash" in by_type and "Plain chore" not in by_type
    by_label = text(client.get(url, {"label": label.pk}))
    assert "Fix crash" in by_label and "Plain chore" not in by_label
    mine = text(client.get(url, {"assignee": world.member.pk}))
    assert "Fix crash" in mine and "Plain chore" not in mine
    nobody = text(client.get(url, {"assignee": 0}))
    assert "Plain chore" in nobody and "Fix crash" not in nobody
    lanes = text(client.get(url, {"swimlane": "priority"}))
    assert lanes.index("Urgent") < lanes.index("Medium")
    assignee_lanes = text(client.get(url, {"swimlane": "assignee"}))
    assert "Unassigned" in assignee_lanes
    # nonsense filters are ignored, never an error
    assert client.get(url, {"type": "x", "label": "y", "swimlane": "z"}).status_code == 200


def test_the_board_costs_the_same_queries_for_few_or_many_cards(world):
    _statuses(world.project)
    client = client_for(world.member)
    url = reverse("project-board", args=[world.project.pk])
    for task in _cards(2, world):
        task.assignees.add(world.member)
    few = queries_for(client, "get", url, data={"swimlane": "assignee"})
    many_tasks = _cards(40, world, story_points=2)
    label = workflow_services.label_create(project=world.project, actor=world.manager, name="L")
    for task in many_tasks:
        task.assignees.add(world.manager)
        task.labels.add(label)
    DependencyFactory(predecessor=many_tasks[0], successor=many_tasks[1])
    many = queries_for(client, "get", url, data={"swimlane": "assignee"})
    assert_same_count(few, many)


def test_a_card_move_costs_a_bounded_number_of_queries(world, time_machine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # a stopped clock on a working morning: a card put in progress gets its actual start from
    # the clock, and whether that moves its dates (and who hears of it) must not vary by run
    time_machine.move_to(datetime(2027, 1, 5, 10, tzinfo=UTC), tick=False)
    statuses = _statuses(world.project)
    client = client_for(world.member)

    def move_count() -> int:
        task = Task.objects.filter(project=world.project, status="not_started").first()
        with CaptureQueriesContext(connection) as captured:
            assert _move(client, world, task, statuses["In review"]).status_code == 200
        return len(captured)

    # every card scheduled before each measure, and caches warm, so only the card count differs
    _cards(4, world)
    schedule_services.project_reschedule(project=world.project)
    move_count()
    few = move_count()
    _cards(60, world)
    schedule_services.project_reschedule(project=world.project)
    assert move_count() == few


def test_a_manager_sets_type_points_labels_and_sprint_on_the_card(world):
    from projects.agile.services import sprints as sprint_services

    _statuses(world.project)
    task = TaskFactory(project=world.project, name="Search")
    label = workflow_services.label_create(project=world.project, actor=world.manager, name="UX")
    sprint = sprint_services.sprint_create(
        project=world.project,
        actor=world.manager,
        name="Sprint 1",
        start_date=date(2030, 1, 7),
        end_date=date(2030, 1, 18),
    )
    client = client_for(world.manager)
    url = reverse("board-task-edit", args=[world.project.pk, task.pk])
    assert "Story points" in text(client.get(url))
    response = client.post(
        url,
        {
            "status": _statuses(world.project)["In progress"].pk,
            "task_type": "story",
            "priority": "urgent",
            "story_points": 8,
            "labels": [label.pk],
            "sprint": sprint.pk,
            "version": task.version,
        },
    )
    assert response.status_code == 302
    board = text(client.get(reverse("project-board", args=[world.project.pk])))
    assert "8 pt" in board and "UX" in board
    task.refresh_from_db()
    assert (task.task_type, task.priority, task.sprint) == ("story", "urgent", sprint)
    assert task.status == TaskStatus.IN_PROGRESS  # moved without dragging
    # a stale edit is a 409 showing the task as it is now; a nonsensical one a form error
    done = _statuses(world.project)["Done"].pk
    stale = client.post(url, {"status": done, "task_type": "bug", "priority": "low", "version": 1})
    assert stale.status_code == 409 and "changed this task meanwhile" in text(stale)
    assert stale.context["form"].initial["task_type"] == "story"
    assert stale.context["form"].initial["version"] == Task.objects.get(pk=task.pk).version
    bad = client.post(
        url, {"status": done, "task_type": "epic", "priority": "low", "version": task.version}
    )
    assert bad.status_code == 422
    assert Task.objects.get(pk=task.pk).task_type == "story"
    assert Task.objects.get(pk=task.pk).status == TaskStatus.IN_PROGRESS


def test_a_filtered_board_counts_every_card_against_the_wip_limit(world):
    # given "In progress" limited to 2 cards, holding a bug and two chores
    statuses = _statuses(world.project)
    doing = statuses["In progress"]
    workflow_services.status_update(
        status=doing, actor=world.manager, version=doing.version, wip_limit=2
    )
    started = {"workflow_status": doing, "status": TaskStatus.IN_PROGRESS}
    TaskFactory(project=world.project, name="Crash", task_type="bug", **started)
    _cards(2, world, task_type="chore", **started)
    # when the board is filtered to bugs
    url, query = _board(world, type="bug")
    page = text(client_for(world.member).get(url, query))
    # then one card shows, but the column still counts three of two and warns
    assert "1 card." in page
    assert "3 / 2" in page
    assert "Over the WIP limit of 2." in page


def test_a_move_answers_with_every_columns_count_and_a_stale_one_too(world):
    statuses = _statuses(world.project)
    task, _still_to_do = _cards(2, world)
    client = client_for(world.member)
    # when a card moves to In progress
    moved = _move(client, world, task, statuses["In progress"]).json()
    # then the answer counts whole columns (for the headers)
    assert moved["counts"][str(statuses["In progress"].pk)] == 1
    assert moved["counts"][str(statuses["To do"].pk)] == 1
    # and a stale move names where the card is now, with the same counts
    stale = _move(client, world, task, statuses["Done"], version=task.version).json()
    assert "It is in “In progress” now." in stale["detail"]
    assert stale["counts"][str(statuses["In progress"].pk)] == 1
