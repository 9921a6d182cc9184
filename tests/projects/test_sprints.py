"""Sprints: backlog order, planning against capacity, start, close, burndown/burnup, velocity."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects.agile import charts as sprint_charts
from projects.agile.services import sprints as sprint_services
from projects.models import Sprint, SprintSnapshot, SprintState, Task, TaskStatus
from projects.tasks import snapshot_sprints
from tests.conftest import client_for
from tests.factories import TaskFactory
from tests.projects.helpers import assert_same_count, queries_for, text


def _sprint(world, name="Sprint 1", **fields) -> Sprint:
    today = timezone.localdate()
    fields.setdefault("start_date", today)
    fields.setdefault("end_date", today + timedelta(days=13))
    return sprint_services.sprint_create(
        project=world.project, actor=world.manager, name=name, **fields
    )


def test_planning_warns_when_over_capacity(world):
    sprint = _sprint(world, capacity_points=5, capacity_hours=10)
    tasks = [TaskFactory(project=world.project, story_points=3, effort_hours=6) for _ in range(2)]
    load = sprint_services.sprint_plan(sprint=sprint, actor=world.manager, add=tasks, remove=[])
    assert (load.points, load.tasks) == (6, 2)
    assert load.warnings == [
        "Committed 6 points against a capacity of 5.",
        "Committed 12 hours against a capacity of 10.",
    ]
    page = text(client_for(world.manager).get(reverse("project-backlog", args=[world.project.pk])))
    assert "Over capacity" in page


def test_start_snapshot_close_to_backlog(world):
    sprint = _sprint(world)
    done, open_ = (
        TaskFactory(project=world.project, story_points=5),
        TaskFactory(project=world.project, story_points=3),
    )
    sprint_services.sprint_plan(sprint=sprint, actor=world.manager, add=[done, open_], remove=[])
    sprint = sprint_services.sprint_start(
        sprint=sprint, actor=world.manager, version=sprint.version
    )
    assert sprint.state == SprintState.ACTIVE and sprint.committed_points == 8
    assert SprintSnapshot.objects.get(sprint=sprint).total_points == 8
    Task.objects.filter(pk=done.pk).update(status=TaskStatus.COMPLETED)
    # the daily job is idempotent: twice a day is still one snapshot
    assert snapshot_sprints() == 1
    assert snapshot_sprints() == 1
    assert SprintSnapshot.objects.filter(sprint=sprint).count() == 1
    sprint = sprint_services.sprint_close(
        sprint=sprint, actor=world.manager, version=sprint.version
    )
    assert sprint.completed_points == 5
    open_.refresh_from_db()
    done.refresh_from_db()
    assert open_.sprint is None  # back to the backlog
    assert done.sprint == sprint


def test_close_moves_unfinished_work_to_the_next_sprint(world):
    sprint, next_sprint = _sprint(world), _sprint(world, "Sprint 2")
    task = TaskFactory(project=world.project, story_points=2)
    sprint_services.sprint_plan(sprint=sprint, actor=world.manager, add=[task], remove=[])
    sprint = sprint_services.sprint_start(
        sprint=sprint, actor=world.manager, version=sprint.version
    )
    response = client_for(world.manager).post(
        reverse("sprint-close", args=[world.project.pk, sprint.pk]),
        {"version": sprint.version, "move_to": next_sprint.pk},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.sprint == next_sprint
    assert Sprint.objects.get(pk=sprint.pk).state == SprintState.CLOSED


def test_sprint_rules(world):
    sprint = _sprint(world)
    with pytest.raises(ValidationError, match="no tasks"):
        sprint_services.sprint_start(sprint=sprint, actor=world.manager, version=sprint.version)
    with pytest.raises(ValidationError, match="ends before"):
        _sprint(world, "Bad", start_date=date(2030, 1, 10), end_date=date(2030, 1, 1))
    with pytest.raises(ValidationError, match="already has a sprint"):
        _sprint(world, "sprint 1")
    with pytest.raises(ValidationError, match="Only an active sprint"):
        sprint_services.sprint_close(sprint=sprint, actor=world.manager, version=sprint.version)
    world.project.methodology = "waterfall"
    world.project.save()
    with pytest.raises(ValidationError, match="waterfall"):
        _sprint(world, "Sprint 9")


def test_only_one_active_sprint(world):
    first, second = _sprint(world), _sprint(world, "Sprint 2")
    for sprint in (first, second):
        sprint_services.sprint_plan(
            sprint=sprint, actor=world.manager, add=[TaskFactory(project=world.project)], remove=[]
        )
    sprint_services.sprint_start(sprint=first, actor=world.manager, version=first.version)
    with pytest.raises(ValidationError, match="still active"):
        sprint_services.sprint_start(sprint=second, actor=world.manager, version=second.version)


def test_the_sprint_page_draws_burndown_and_burnup(world):
    sprint = _sprint(world, start_date=date(2030, 3, 4), end_date=date(2030, 3, 8))
    Sprint.objects.filter(pk=sprint.pk).update(state="active")
    for day, done in ((4, 0), (5, 3), (6, 5)):
        SprintSnapshot.objects.create(
            sprint=sprint, day=date(2030, 3, day), total_points=10, done_points=done
        )
    page = text(
        client_for(world.viewer).get(reverse("sprint-detail", args=[world.project.pk, sprint.pk]))
    )
    assert 'data-chart="burndown"' in page and 'data-chart="burnup"' in page
    assert "Burndown (points)" in page
    assert "series-remaining" in page and "series-ideal" in page


def test_burndown_figures():
    figures = [
        sprint_charts.DayFigures(date(2030, 3, 4), 10, 0),
        sprint_charts.DayFigures(date(2030, 3, 6), 12, 6),
    ]
    chart = sprint_charts.burndown(date(2030, 3, 4), date(2030, 3, 8), figures, date(2030, 3, 7))
    assert chart.series["ideal"] == [10, 7.5, 5, 2.5, 0]
    # a day without a snapshot repeats the last one; days after today are blank
    assert chart.series["remaining"] == [10, 10, 6, 6, None]
    up = sprint_charts.burnup(date(2030, 3, 4), date(2030, 3, 8), figures, date(2030, 3, 7))
    assert up.series["scope"] == [10, 10, 12, 12, None]


def test_velocity_over_closed_sprints(world):
    for n, (committed, completed) in enumerate(((10, 8), (12, 12), (9, 6)), start=1):
        sprint = _sprint(world, f"Past {n}", start_date=date(2030, 1, n), end_date=date(2030, 1, n))
        Sprint.objects.filter(pk=sprint.pk).update(
            state="closed", committed_points=committed, completed_points=completed
        )
    page = text(client_for(world.member).get(reverse("project-backlog", args=[world.project.pk])))
    assert 'data-chart="velocity"' in page
    assert "Recent velocity" not in page  # only planners see the new-sprint form
    assert sprint_charts.average_velocity([("a", 10, 8), ("b", 12, 12), ("c", 9, 6)]) == 8.7


def test_backlog_drag_order_persists(world):
    a, _b, c = (TaskFactory(project=world.project, name=f"Item {n}") for n in "ABC")
    client = client_for(world.manager)
    response = client.post(
        reverse("project-backlog-move", args=[world.project.pk]),
        json.dumps({"task": c.pk, "before": a.pk, "version": c.version}),
        content_type="application/json",
    )
    assert response.status_code == 200
    page = text(client.get(reverse("project-backlog", args=[world.project.pk])))
    assert page.index("Item C") < page.index("Item A") < page.index("Item B")
    stale = client.post(
        reverse("project-backlog-move", args=[world.project.pk]),
        json.dumps({"task": c.pk, "before": None, "version": c.version}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    member = client_for(world.member).post(
        reverse("project-backlog-move", args=[world.project.pk]),
        json.dumps({"task": a.pk, "version": a.version}),
        content_type="application/json",
    )
    assert member.status_code == 403


def test_the_manager_creates_and_plans_a_sprint_through_the_pages(world):
    client = client_for(world.manager)
    task = TaskFactory(project=world.project, name="Login form", story_points=8)
    response = client.post(
        reverse("sprint-create", args=[world.project.pk]),
        {
            "name": "Sprint A",
            "start_date": "2030-05-06",
            "end_date": "2030-05-17",
            "capacity_points": 5,
        },
    )
    assert response.status_code == 302
    sprint = Sprint.objects.get(name="Sprint A")
    response = client.post(
        reverse("sprint-plan", args=[world.project.pk]),
        {"task": task.pk, "sprint": sprint.pk},
        follow=True,
    )
    assert "Over capacity" in text(response) or "against a capacity" in text(response)
    task.refresh_from_db()
    assert task.sprint == sprint
    bad = client.post(
        reverse("sprint-create", args=[world.project.pk]),
        {"name": "", "start_date": "2030-05-17", "end_date": "2030-05-06"},
    )
    assert bad.status_code == 422
    assert "ends before it starts" in text(bad)


def test_the_backlog_costs_the_same_queries_for_few_or_many_tasks(world):
    sprint = _sprint(world)
    client = client_for(world.member)
    url = reverse("project-backlog", args=[world.project.pk])
    TaskFactory(project=world.project)
    few = queries_for(client, "get", url)
    tasks = [TaskFactory(project=world.project, story_points=1) for _ in range(30)]
    sprint_services.sprint_plan(sprint=sprint, actor=world.manager, add=tasks[:10], remove=[])
    _sprint(world, "Sprint 2")
    for task in tasks:
        task.assignees.add(world.member)
    many = queries_for(client, "get", url)
    assert_same_count(few, many)
