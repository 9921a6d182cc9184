"""A project's schedule: its tasks' dates a page at a time, the critical path, its span."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import ConstraintType, Dependency, LinkType, Task, TaskStatus
from projects.plan import services as task_services
from projects.schedule import services as schedule_services
from tests.factories import DependencyFactory, ProjectFactory, TaskFactory, WorkCalendarFactory

MONDAY = date(2027, 1, 4)
DAY = 480


@pytest.fixture
def plan(world):
    world.project.start_date = MONDAY
    world.project.save()
    return world.project


def add(project, actor, name, days=1, **fields) -> Task:
    return task_services.task_create(
        project=project, actor=actor, name=name, duration_minutes=days * DAY, **fields
    )


def test_the_schedule_shows_the_critical_path_and_the_projects_span(world, api, plan):
    # given Design (2d) -> Build (3d), and Docs (1d) beside them
    design = add(plan, world.manager, "Design", days=2)
    build = add(plan, world.manager, "Build", days=3)
    docs = add(plan, world.manager, "Docs")
    task_services.dependency_create(predecessor=design, successor=build, actor=world.manager)
    # when a viewer reads the schedule
    response = api(world.viewer).get(f"/api/v1/projects/{plan.pk}/schedule/")
    # then it holds every task in outline order, the critical path and the span
    assert response.status_code == 200
    body = response.json()
    assert [t["name"] for t in body["tasks"]] == ["Design", "Build", "Docs"]
    assert body["critical_path"] == [design.pk, build.pk]
    assert body["start"].startswith("2027-01-04T08:00")
    assert body["finish"].startswith("2027-01-08T17:00")
    assert body["minutes_per_day"] == DAY
    docs_body = next(t for t in body["tasks"] if t["id"] == docs.pk)
    assert docs_body["total_float_minutes"] == 4 * DAY
    assert docs_body["is_critical"] is False


def test_the_schedule_reports_the_calendars_working_day(world, api, plan):
    plan.calendar = WorkCalendarFactory(
        organisation=world.organisation, working_times=[["09:00", "15:00"]]
    )
    plan.save()
    body = api(world.manager).get(f"/api/v1/projects/{plan.pk}/schedule/").json()
    assert body["minutes_per_day"] == 360
    assert body["tasks"] == [] and body["start"] is None and body["critical_path"] == []


def test_a_manager_reschedules_now(world, api, plan):
    # given tasks written straight to the table (nothing computed yet)
    first = TaskFactory(project=plan, name="First")
    second = TaskFactory(project=plan, name="Second")
    Dependency.objects.create(predecessor=first, successor=second)
    # when the manager asks for a reschedule
    response = api(world.manager).post(f"/api/v1/projects/{plan.pk}/schedule/")
    # then the dates are computed and returned
    assert response.status_code == 200
    second_body = next(t for t in response.json()["tasks"] if t["id"] == second.pk)
    assert second_body["start"].startswith("2027-01-05T08:00")
    assert Task.objects.get(pk=second.pk).is_critical


@pytest.mark.parametrize("kind", ["viewer", "stakeholder", "member"])
def test_others_on_the_project_may_not_reschedule(world, api, plan, kind):
    response = api(getattr(world, kind)).post(f"/api/v1/projects/{plan.pk}/schedule/")
    assert response.status_code == 403


def test_another_organisations_schedule_is_not_there(world, api):
    response = api(world.manager).get(f"/api/v1/projects/{world.other_project.pk}/schedule/")
    assert response.status_code == 404
    assert (
        api(world.bystander).get(f"/api/v1/projects/{world.project.pk}/schedule/").status_code
        == 404
    )


def _chain(project, n):
    """n more tasks, each linked to the one before, with an assignee."""
    previous = Task.objects.filter(project=project).order_by("-pk").first()
    for _ in range(n):
        task = TaskFactory(project=project)
        if previous is not None:
            Dependency.objects.create(predecessor=previous, successor=task)
        previous = task
    schedule_services.project_reschedule(project=project)


def test_the_schedule_costs_the_same_for_10_or_200_tasks(world, api, plan):
    client = api(world.manager)
    url = f"/api/v1/projects/{plan.pk}/schedule/"
    _chain(plan, 10)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).json()["tasks"]) == 10
    _chain(plan, 190)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).json()
    assert len(body["tasks"]) == 200
    assert len(body["critical_path"]) == 200
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
    # session, user, project, span and count, critical path, page, links, people, calendar
    assert len(many) <= 9


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_each_scheduled_task_reads_as_the_task_endpoint_shows_it(world, api, plan, settings, zone):
    # given tasks using every field: effort, deadline, a constraint, manual and actual dates,
    # people assigned (one without a full name), a link from another project of the
    # organisation, a link from a deleted task, and a deleted task
    settings.TIME_ZONE = zone
    elsewhere = ProjectFactory(organisation=world.organisation, key="GLX")
    upstream = TaskFactory(project=elsewhere, name="Upstream", wbs_code="3")
    design = add(plan, world.manager, "Design", days=2, assignees=[world.member, world.manager])
    world.member.full_name = ""
    world.member.save()
    build = task_services.task_create(
        project=plan,
        actor=world.manager,
        name="Build",
        notes="Careful.",
        duration_minutes=3 * DAY,
        effort_hours=Decimal("12.5"),
        deadline=date(2027, 2, 1),
        constraint_type=ConstraintType.SNET,
        constraint_date=datetime(2027, 1, 11, 8, tzinfo=UTC),
    )
    gone = add(plan, world.manager, "Gone")
    task_services.dependency_create(
        predecessor=design, successor=build, actor=world.manager, type=LinkType.SS, lag_minutes=-DAY
    )
    DependencyFactory(predecessor=upstream, successor=build, lag_minutes=DAY)
    DependencyFactory(predecessor=gone, successor=design)
    Task.objects.filter(pk=gone.pk).update(deleted_at=datetime(2027, 1, 1, tzinfo=UTC))
    Task.objects.filter(pk=design.pk).update(
        is_manual=True,
        manual_start=datetime(2027, 1, 4, 8, tzinfo=UTC),
        manual_finish=datetime(2027, 1, 5, 17, tzinfo=UTC),
        actual_start=datetime(2027, 1, 4, 8, 30, tzinfo=UTC),
        percent_complete=40,
        status=TaskStatus.IN_PROGRESS,
    )
    client = api(world.manager)
    # when the schedule is read
    body = client.get(f"/api/v1/projects/{plan.pk}/schedule/").json()
    # then every task in it is exactly what the task endpoint answers for it
    assert [t["name"] for t in body["tasks"]] == ["Design", "Build"]
    for task in body["tasks"]:
        assert task == client.get(f"/api/v1/tasks/{task['id']}/").json()
    build_body = body["tasks"][1]
    assert [(p["name"], p["project"]) for p in build_body["predecessors"]] == [
        ("Design", plan.pk),
        ("Upstream", elsewhere.pk),
    ]
    assert build_body["effort_hours"] == "12.50"
    assert body["tasks"][0]["predecessors"] == []
    people = body["tasks"][0]["assignees"]
    assert [p["email"] for p in people] == sorted([world.member.email, world.manager.email])
    assert {p["display_name"] for p in people} == {world.member.email, world.manager.display_name}
