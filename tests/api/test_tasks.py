"""Tasks through the API: build a plan, see the dates move, report progress, reshape the outline."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Task
from projects.plan import services as task_services
from tests.api.conftest import if_match
from tests.factories import (
    ProjectFactory,
    TaskFactory,
    WorkCalendarFactory,
    on_project,
)
from tpm.models import HistoryEntry
from tpm.roles import ProjectRole

MONDAY = date(2027, 1, 4)
DAY = 480


@pytest.fixture
def plan(world):
    """The world's project starting on a Monday, planned by its manager."""
    world.project.start_date = MONDAY
    world.project.save()
    return world.project


@pytest.fixture
def under_way():
    """The clock on Wednesday 20 January 2027: the plan (from 4 January) has started, so a
    report of progress takes each task's scheduled start as its actual start."""
    with time_machine.travel(datetime(2027, 1, 20, 12, tzinfo=UTC), tick=False):
        yield


def add(project, actor, name, days=1, **fields) -> Task:
    return task_services.task_create(
        project=project, actor=actor, name=name, duration_minutes=days * DAY, **fields
    )


def test_a_manager_builds_a_plan_and_sees_the_dates_move(world, api, plan):
    client = api(world.manager)
    # given two tasks created through the API
    design = client.post(
        "/api/v1/tasks/", {"project": plan.pk, "name": "Design", "duration_minutes": 2 * DAY}
    )
    build = client.post("/api/v1/tasks/", {"project": plan.pk, "name": "Build", "duration_days": 1})
    assert design.status_code == build.status_code == 201, (design.json(), build.json())
    assert design["ETag"] == '"1"'
    # both start with the project
    assert build.json()["start"] == design.json()["start"]
    assert build.json()["wbs_code"] == "2"
    # when Build is made to follow Design
    link = client.post(
        "/api/v1/dependencies/",
        {"predecessor": design.json()["id"], "successor": build.json()["id"]},
    )
    assert link.status_code == 201, link.json()
    # then Build starts when Design finishes, and both are critical
    after = client.get(f"/api/v1/tasks/{build.json()['id']}/").json()
    assert design.json()["finish"].startswith("2027-01-05T17:00")
    assert after["start"].startswith("2027-01-06T08:00")  # the next working moment
    assert after["is_critical"] is True
    assert after["predecessors"] == [
        {
            "id": link.json()["id"],
            "task": design.json()["id"],
            "name": "Design",
            "wbs_code": "1",
            "project": plan.pk,
            "type": "FS",
            "lag_minutes": 0,
            "version": 1,
        }
    ]
    assert HistoryEntry.objects.filter(scope=f"project:{plan.pk}", action="created").count() == 3


def test_a_task_shows_everything_the_scheduler_computed(world, api, plan):
    # given a task
    task = add(plan, world.manager, "Design", days=2)
    # when anyone on the project reads it
    body = api(world.viewer).get(f"/api/v1/tasks/{task.pk}/").json()
    # then its planned and computed values are there
    for field in (
        "start",
        "finish",
        "early_start",
        "early_finish",
        "late_start",
        "late_finish",
        "total_float_minutes",
        "free_float_minutes",
        "is_critical",
        "wbs_code",
        "predecessors",
    ):
        assert field in body
    assert body["duration_minutes"] == 2 * DAY
    assert body["start"].startswith("2027-01-04T08:00")
    assert body["total_float_minutes"] == 0


def test_duration_days_use_the_project_calendars_working_day(world, api, plan):
    # given the project works six hours a day
    short_days = WorkCalendarFactory(
        organisation=world.organisation, working_times=[["09:00", "12:00"], ["13:00", "16:00"]]
    )
    plan.calendar = short_days
    plan.save()
    # when a task of one and a half days is created
    response = api(world.manager).post(
        "/api/v1/tasks/", {"project": plan.pk, "name": "Audit", "duration_days": "1.5"}
    )
    # then it lasts 1.5 x 360 working minutes
    assert response.status_code == 201, response.json()
    assert response.json()["duration_minutes"] == 540


def test_duration_is_given_one_way_only(world, api, plan):
    response = api(world.manager).post(
        "/api/v1/tasks/",
        {"project": plan.pk, "name": "Audit", "duration_days": 1, "duration_minutes": 480},
    )
    assert response.status_code == 400
    assert "duration_days" in response.json()["errors"]


def test_unknown_and_computed_fields_are_refused_by_name(world, api, plan):
    # when a client sends a field that does not exist and one the scheduler owns
    response = api(world.manager).post(
        "/api/v1/tasks/",
        {"project": plan.pk, "name": "Audit", "colour": "red", "start": "2027-01-05T08:00"},
    )
    # then both are named and nothing is created
    assert response.status_code == 400
    assert {"colour", "start"} <= set(response.json()["errors"])
    assert not Task.objects.exists()


def test_a_milestone_has_no_duration_and_a_subtask_makes_a_summary(world, api, plan):
    client = api(world.manager)
    phase = add(plan, world.manager, "Phase")
    # when a subtask and a milestone are added under the phase
    sub = client.post(
        "/api/v1/tasks/",
        {"project": plan.pk, "parent": phase.pk, "name": "Sub", "duration_days": 3},
    )
    done = client.post(
        "/api/v1/tasks/",
        {"project": plan.pk, "parent": phase.pk, "name": "Done", "is_milestone": True},
    )
    # then they are numbered under it and the phase rolls them up
    assert (sub.json()["wbs_code"], done.json()["wbs_code"]) == ("1.1", "1.2")
    assert done.json()["duration_minutes"] == 0
    phase_body = client.get(f"/api/v1/tasks/{phase.pk}/").json()
    assert phase_body["is_summary"] is True
    assert phase_body["finish"] == sub.json()["finish"]


def test_ids_from_another_organisation_are_404s_naming_the_field(world, api, plan):
    client = api(world.manager)
    foreign_task = TaskFactory(project=world.other_project)
    foreign_calendar = WorkCalendarFactory(organisation=world.other_organisation)
    base = {"project": plan.pk, "name": "Audit"}
    # when the manager names the other organisation's project, task, calendar or people
    answers = {
        "project": client.post("/api/v1/tasks/", {**base, "project": world.other_project.pk}),
        "parent": client.post("/api/v1/tasks/", {**base, "parent": foreign_task.pk}),
        "calendar": client.post("/api/v1/tasks/", {**base, "calendar": foreign_calendar.pk}),
        "assignees": client.post("/api/v1/tasks/", {**base, "assignees": [world.outsider.pk]}),
    }
    # then each is a 404 on that field, as if it did not exist
    for field, response in answers.items():
        assert response.status_code == 404, field
        assert field in response.json()["errors"], field
    # and the other organisation's task itself is not there either
    assert client.get(f"/api/v1/tasks/{foreign_task.pk}/").status_code == 404
    assert api(world.outsider).get("/api/v1/tasks/").json()["count"] == 1  # their own only


def test_only_people_on_the_project_are_assigned(world, api, plan):
    client = api(world.manager)
    # when the manager assigns a colleague without a role here, then a team member
    stranger = client.post(
        "/api/v1/tasks/", {"project": plan.pk, "name": "A", "assignees": [world.bystander.pk]}
    )
    ok = client.post(
        "/api/v1/tasks/",
        {"project": plan.pk, "name": "B", "assignees": [world.member.pk, world.admin.pk]},
    )
    # then the first is refused by name, the second assigned
    assert stranger.status_code == 400
    assert "bystander@acme.test" in stranger.json()["errors"]["assignees"][0]
    assert ok.status_code == 201
    assert {a["email"] for a in ok.json()["assignees"]} == {"member@acme.test", "admin@acme.test"}


def test_a_parent_in_another_project_is_a_400(world, api, plan):
    other = ProjectFactory(organisation=world.organisation)
    on_project(other, ProjectRole.VIEWER)
    foreign_parent = TaskFactory(project=other)
    response = api(world.admin).post(
        "/api/v1/tasks/", {"project": plan.pk, "name": "A", "parent": foreign_parent.pk}
    )
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]


def test_edits_are_versioned_and_move_the_dates(world, api, plan):
    client = api(world.manager)
    design = add(plan, world.manager, "Design")
    build = add(plan, world.manager, "Build")
    task_services.dependency_create(predecessor=design, successor=build, actor=world.manager)
    before = client.get(f"/api/v1/tasks/{build.pk}/").json()
    # when Design gets longer, sent with the version read
    response = client.patch(
        f"/api/v1/tasks/{design.pk}/", {"duration_days": 3}, headers=if_match(1)
    )
    # then it is saved and Build starts two days later
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    after = client.get(f"/api/v1/tasks/{build.pk}/").json()
    assert before["start"].startswith("2027-01-05T08:00")
    assert response.json()["finish"].startswith("2027-01-06T17:00")
    assert after["start"].startswith("2027-01-07T08:00")
    # and an edit from the old version is a 409 with the current task; none at all a 428
    stale = client.patch(f"/api/v1/tasks/{design.pk}/", {"name": "X"}, headers=if_match(1))
    assert stale.status_code == 409
    assert stale.json()["current"]["duration_minutes"] == 3 * DAY
    assert client.patch(f"/api/v1/tasks/{design.pk}/", {"name": "X"}).status_code == 428
    assert Task.objects.get(pk=design.pk).name == "Design"


def test_a_put_replaces_the_plan_fields(world, api, plan):
    task = add(plan, world.manager, "Design")
    response = api(world.manager).put(
        f"/api/v1/tasks/{task.pk}/",
        {"name": "Design v2", "notes": "Wider", "assignees": [world.member.pk], "version": 1},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "Design v2"
    assert [a["id"] for a in response.json()["assignees"]] == [world.member.pk]


@pytest.mark.parametrize("kind", ["viewer", "stakeholder", "member"])
def test_readers_and_members_do_not_change_the_plan(world, api, plan, kind):
    client = api(getattr(world, kind))
    task = add(plan, world.manager, "Design", assignees=[world.member])
    assert client.post("/api/v1/tasks/", {"project": plan.pk, "name": "A"}).status_code == 403
    patched = client.patch(f"/api/v1/tasks/{task.pk}/", {"name": "X"}, headers=if_match(1))
    assert patched.status_code == 403
    assert client.delete(f"/api/v1/tasks/{task.pk}/").status_code == 403


def test_assignees_report_progress_others_may_not(world, api, plan, under_way):
    mine = add(plan, world.manager, "Mine", assignees=[world.member])
    theirs = add(plan, world.manager, "Theirs")
    member = api(world.member)
    # when the member reports on their own task and on someone else's
    done = member.post(f"/api/v1/tasks/{mine.pk}/progress/", {"status": "completed", "version": 1})
    refused = member.post(f"/api/v1/tasks/{theirs.pk}/progress/", {"percent_complete": 10})
    viewer = api(world.viewer).post(f"/api/v1/tasks/{mine.pk}/progress/", {"percent_complete": 5})
    # then only their own is accepted, and done means 100% with an actual finish
    assert done.status_code == 200, done.json()
    assert done.json()["percent_complete"] == 100
    assert done.json()["actual_finish"] is not None
    assert refused.status_code == 403
    assert viewer.status_code == 403


def test_progress_is_versioned(world, api, plan, under_way):
    task = add(plan, world.manager, "Design")
    client = api(world.manager)
    first = client.post(
        f"/api/v1/tasks/{task.pk}/progress/", {"percent_complete": 50}, headers=if_match(1)
    )
    assert first.status_code == 200
    assert first.json()["status"] == "in_progress"
    stale = client.post(
        f"/api/v1/tasks/{task.pk}/progress/", {"percent_complete": 60}, headers=if_match(1)
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["percent_complete"] == 50
    empty = client.post(f"/api/v1/tasks/{task.pk}/progress/", {"version": 2})
    assert empty.status_code == 400


def test_the_hours_left_are_reported_and_never_negative(world, api, plan):
    task = add(plan, world.manager, "Design", assignees=[world.member])
    member = api(world.member)
    # when the member says 12 hours are left, then -1
    left = member.post(
        f"/api/v1/tasks/{task.pk}/progress/", {"remaining_hours": "12", "version": 1}
    )
    negative = member.post(
        f"/api/v1/tasks/{task.pk}/progress/", {"remaining_hours": "-1", "version": 2}
    )
    # then the first is kept and shown, the second refused naming the field
    assert left.status_code == 200, left.json()
    assert left.json()["remaining_hours"] == "12.00"
    assert negative.status_code == 400
    assert "remaining_hours" in negative.json()["errors"]
    assert member.get(f"/api/v1/tasks/{task.pk}/").json()["remaining_hours"] == "12.00"


def test_move_indents_a_task_under_another(world, api, plan):
    design = add(plan, world.manager, "Design")
    wireframes = add(plan, world.manager, "Wireframes")
    client = api(world.manager)
    # when Wireframes moves under Design
    moved = client.post(
        f"/api/v1/tasks/{wireframes.pk}/move/", {"parent": design.pk}, headers=if_match(1)
    )
    # then it is 1.1 and Design is a summary
    assert moved.status_code == 200, moved.json()
    assert moved.json()["wbs_code"] == "1.1"
    assert client.get(f"/api/v1/tasks/{design.pk}/").json()["is_summary"] is True
    # and moving Design under its own child is refused
    loop = client.post(f"/api/v1/tasks/{design.pk}/move/", {"parent": wireframes.pk, "version": 1})
    assert loop.status_code == 400
    assert "parent" in loop.json()["errors"]
    # and it goes back to the top level first
    back = client.post(
        f"/api/v1/tasks/{wireframes.pk}/move/", {"parent": None, "position": 0, "version": 2}
    )
    assert back.json()["wbs_code"] == "1"


def test_deleting_a_task_is_soft_and_takes_its_subtasks(world, api, plan):
    phase = add(plan, world.manager, "Phase")
    sub = add(plan, world.manager, "Sub", parent=phase)
    client = api(world.manager)
    response = client.delete(f"/api/v1/tasks/{phase.pk}/")
    assert response.status_code == 204
    assert client.get(f"/api/v1/tasks/{sub.pk}/").status_code == 404
    assert client.get(f"/api/v1/tasks/?project={plan.pk}").json()["count"] == 0
    assert Task.objects.filter(deleted_at__isnull=False).count() == 2


def test_the_list_filters_and_keeps_outline_order(world, api, plan):
    phase = add(plan, world.manager, "Phase")
    add(plan, world.manager, "Sub", parent=phase, assignees=[world.member])
    add(plan, world.manager, "Later")
    other = ProjectFactory(organisation=world.organisation)
    add(other, world.admin, "Elsewhere")
    client = api(world.admin)

    def names(query: str) -> list[str]:
        response = client.get(f"/api/v1/tasks/?{query}")
        assert response.status_code == 200, response.json()
        return [t["name"] for t in response.json()["results"]]

    assert names(f"project={plan.pk}") == ["Phase", "Sub", "Later"]
    assert names(f"project={plan.pk}&top_level=true") == ["Phase", "Later"]
    assert names(f"parent={phase.pk}") == ["Sub"]
    assert names(f"assignee={world.member.pk}") == ["Sub"]
    assert names("search=else") == ["Elsewhere"]
    assert names(f"project={plan.pk}&ordering=-name") == ["Sub", "Phase", "Later"]
    assert names("status=completed") == []
    assert client.get("/api/v1/tasks/?status=sleeping").status_code == 400
    # and a bystander sees nothing of the project
    assert api(world.bystander).get("/api/v1/tasks/").json()["count"] == 0


def _grow(world, n):
    for _ in range(n):
        task = TaskFactory(project=world.project)
        task.assignees.add(world.member)
        TaskFactory(project=world.project).predecessor_links.create(predecessor=task)


def test_the_task_list_costs_the_same_for_3_or_30_tasks(world, api):
    client = api(world.manager)
    _grow(world, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/tasks/?page_size=200").status_code == 200
    _grow(world, 27)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/tasks/?page_size=200").json()
    assert body["count"] == 60
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
    assert len(many) <= 6


def test_costs_are_shown_only_to_roles_that_see_money(world, api, plan):
    # given a task costed at 1,200 with 300 spent, and a baseline of it
    from projects.baselines import services as baseline_services

    task = add(plan, world.manager, "Build", cost="1200.00", actual_cost="300.00")
    baseline = baseline_services.baseline_save(project=plan, actor=world.manager, name="B1")
    paths = (
        f"/api/v1/tasks/{task.pk}/",
        f"/api/v1/projects/{plan.pk}/schedule/",
        f"/api/v1/baselines/{baseline.pk}/tasks/",
    )

    def costs(user):
        found = []
        for path in paths:
            body = api(user).get(path).json()
            rows = body.get("tasks") or body.get("results") or [body]
            found.append(next((row.get("cost"), row.get("actual_cost")) for row in rows))
        return found

    # when the manager and a member read the task, the schedule and the baseline
    # then the manager sees the money and the member (whose rate it would reveal) does not
    assert costs(world.manager)[0] == ("1200.00", "300.00")
    assert costs(world.manager)[2][0] == "1200.00"
    assert all(pair == (None, None) for pair in costs(world.member))
