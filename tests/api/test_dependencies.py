"""Links through the API: they move dates, refuse loops by name, stay in one organisation."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Dependency, ProjectMembership, Task
from projects.plan import services as task_services
from tests.api.conftest import if_match
from tests.factories import DependencyFactory, ProjectFactory, TaskFactory, on_project
from tpm.roles import ProjectRole

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


def _start(client, task) -> str:
    return client.get(f"/api/v1/tasks/{task.pk}/").json()["start"]


def test_a_link_with_a_lag_moves_the_successor_and_removing_it_moves_it_back(world, api, plan):
    client = api(world.manager)
    design = add(plan, world.manager, "Design", days=2)
    build = add(plan, world.manager, "Build")
    # when Build follows Design with a one-day lag
    created = client.post(
        "/api/v1/dependencies/",
        {"predecessor": design.pk, "successor": build.pk, "type": "FS", "lag_minutes": DAY},
    )
    # then it starts a day after Design's finish
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["predecessor_name"], body["successor_name"], body["project"]) == (
        "Design",
        "Build",
        plan.pk,
    )
    assert _start(client, build).startswith("2027-01-07T08:00")
    # when the lag becomes a one-day lead (versioned)
    changed = client.patch(
        f"/api/v1/dependencies/{body['id']}/", {"lag_minutes": -DAY}, headers=if_match(1)
    )
    assert changed.status_code == 200, changed.json()
    assert changed["ETag"] == '"2"'
    assert _start(client, build).startswith("2027-01-05T08:00")
    # when the link is removed, Build starts with the project again
    assert client.delete(f"/api/v1/dependencies/{body['id']}/").status_code == 204
    assert _start(client, build).startswith("2027-01-04T08:00")
    assert not Dependency.objects.exists()


def test_a_loop_is_refused_naming_its_tasks_and_nothing_is_saved(world, api, plan):
    client = api(world.manager)
    design = add(plan, world.manager, "Design")
    build = add(plan, world.manager, "Build")
    test = add(plan, world.manager, "Test")
    client.post("/api/v1/dependencies/", {"predecessor": design.pk, "successor": build.pk})
    client.post("/api/v1/dependencies/", {"predecessor": build.pk, "successor": test.pk})
    before = _start(client, test)
    # when Test is made to come before Design
    response = client.post(
        "/api/v1/dependencies/", {"predecessor": test.pk, "successor": design.pk}
    )
    # then the answer names the loop, and the plan is as it was
    assert response.status_code == 400
    message = response.json()["errors"]["predecessor"][0]
    assert all(name in message for name in ("Design", "Build", "Test"))
    assert Dependency.objects.count() == 2
    assert _start(client, test) == before


def test_a_link_may_cross_projects_of_one_organisation(world, api, plan):
    # given a task in another Acme project the manager can only view
    other = ProjectFactory(organisation=world.organisation, start_date=MONDAY)
    on_project(other, ProjectRole.MANAGER)
    upstream = add(other, world.admin, "Vendor API", days=3)
    ProjectMembership.objects.create(project=other, user=world.manager, role=ProjectRole.VIEWER)
    build = add(plan, world.manager, "Build")
    # when the manager makes Build wait for it
    response = api(world.manager).post(
        "/api/v1/dependencies/", {"predecessor": upstream.pk, "successor": build.pk}
    )
    # then the link stands and Build moves after it
    assert response.status_code == 201, response.json()
    assert _start(api(world.manager), build).startswith("2027-01-07T08:00")
    # but the manager cannot plan the other project's side
    reverse = api(world.manager).post(
        "/api/v1/dependencies/", {"predecessor": build.pk, "successor": upstream.pk}
    )
    assert reverse.status_code == 403


def test_another_organisations_tasks_and_links_are_404s(world, api, plan):
    client = api(world.manager)
    build = add(plan, world.manager, "Build")
    foreign = DependencyFactory(predecessor=TaskFactory(project=world.other_project))
    # when the manager names the other organisation's task, or reads its link
    as_predecessor = client.post(
        "/api/v1/dependencies/", {"predecessor": foreign.predecessor_id, "successor": build.pk}
    )
    as_successor = client.post(
        "/api/v1/dependencies/", {"predecessor": build.pk, "successor": foreign.successor_id}
    )
    # then it does not exist for them
    assert as_predecessor.status_code == 404
    assert "predecessor" in as_predecessor.json()["errors"]
    assert as_successor.status_code == 404
    assert "successor" in as_successor.json()["errors"]
    assert client.get(f"/api/v1/dependencies/{foreign.pk}/").status_code == 404
    assert client.delete(f"/api/v1/dependencies/{foreign.pk}/").status_code == 404
    assert client.get("/api/v1/dependencies/").json()["count"] == 0


def test_duplicates_self_links_and_bad_types_are_400s(world, api, plan):
    client = api(world.manager)
    a = add(plan, world.manager, "A")
    b = add(plan, world.manager, "B")
    assert (
        client.post("/api/v1/dependencies/", {"predecessor": a.pk, "successor": b.pk}).status_code
        == 201
    )
    again = client.post("/api/v1/dependencies/", {"predecessor": a.pk, "successor": b.pk})
    itself = client.post("/api/v1/dependencies/", {"predecessor": a.pk, "successor": a.pk})
    bad = client.post(
        "/api/v1/dependencies/", {"predecessor": b.pk, "successor": a.pk, "type": "XX"}
    )
    extra = client.post(
        "/api/v1/dependencies/", {"predecessor": b.pk, "successor": a.pk, "weight": 1}
    )
    assert again.status_code == itself.status_code == bad.status_code == extra.status_code == 400
    assert "predecessor" in again.json()["errors"]
    assert "successor" in itself.json()["errors"]
    assert "type" in bad.json()["errors"]
    assert "weight" in extra.json()["errors"]


def test_link_edits_are_versioned(world, api, plan):
    link = DependencyFactory(
        predecessor=TaskFactory(project=plan), successor=TaskFactory(project=plan)
    )
    client = api(world.manager)
    assert (
        client.put(
            f"/api/v1/dependencies/{link.pk}/", {"type": "SS", "lag_minutes": 0, "version": 1}
        ).status_code
        == 200
    )
    stale = client.patch(f"/api/v1/dependencies/{link.pk}/", {"type": "FF"}, headers=if_match(1))
    assert stale.status_code == 409
    assert stale.json()["current"]["type"] == "SS"
    assert client.patch(f"/api/v1/dependencies/{link.pk}/", {"type": "FF"}).status_code == 428
    # PUT needs every field
    partial_put = client.put(f"/api/v1/dependencies/{link.pk}/", {"type": "FF", "version": 2})
    assert partial_put.status_code == 400
    assert "lag_minutes" in partial_put.json()["errors"]


@pytest.mark.parametrize("kind", ["viewer", "stakeholder", "member"])
def test_only_planners_link_tasks(world, api, plan, kind):
    a = add(plan, world.manager, "A", assignees=[world.member])
    b = add(plan, world.manager, "B", assignees=[world.member])
    link = task_services.dependency_create(predecessor=a, successor=b, actor=world.manager)
    client = api(getattr(world, kind))
    assert client.get(f"/api/v1/dependencies/{link.pk}/").status_code == 200
    assert (
        client.post("/api/v1/dependencies/", {"predecessor": b.pk, "successor": a.pk}).status_code
        == 403
    )
    patched = client.patch(
        f"/api/v1/dependencies/{link.pk}/", {"lag_minutes": 5}, headers=if_match(1)
    )
    assert patched.status_code == 403
    assert client.delete(f"/api/v1/dependencies/{link.pk}/").status_code == 403


def test_the_list_filters_by_project_and_task(world, api, plan):
    a, b, c = (TaskFactory(project=plan) for _ in range(3))
    ab = DependencyFactory(predecessor=a, successor=b)
    bc = DependencyFactory(predecessor=b, successor=c)
    other = ProjectFactory(organisation=world.organisation)
    elsewhere = DependencyFactory(predecessor=a, successor=TaskFactory(project=other))
    client = api(world.admin)

    def ids(query: str) -> list[int]:
        return [
            link["id"] for link in client.get(f"/api/v1/dependencies/?{query}").json()["results"]
        ]

    assert ids(f"project={plan.pk}") == [ab.pk, bc.pk]
    assert ids(f"project={other.pk}") == [elsewhere.pk]
    assert ids(f"task={b.pk}") == [ab.pk, bc.pk]
    assert ids(f"predecessor={a.pk}") == [ab.pk, elsewhere.pk]
    assert ids(f"successor={c.pk}") == [bc.pk]
    # a viewer of the plan sees its links but not those of a project they have no role in
    assert [
        link["id"] for link in api(world.viewer).get("/api/v1/dependencies/").json()["results"]
    ] == [
        ab.pk,
        bc.pk,
    ]


def test_the_link_list_costs_the_same_for_3_or_30_links(world, api):
    client = api(world.manager)

    def grow(n):
        for _ in range(n):
            DependencyFactory(predecessor=TaskFactory(project=world.project))

    grow(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/dependencies/?page_size=200").status_code == 200
    grow(27)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/dependencies/?page_size=200").json()["count"] == 30
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
    assert len(many) <= 5
