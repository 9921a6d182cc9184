"""Change requests through the API: draft, submit (with the impact), approve as the manager (403
without the role), reject, the change log, errors in the one shape, and query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from projects.changes import services as change_services
from projects.models import Baseline, ChangeStatus, Task
from projects.plan import services as task_services
from tests.projects.factories_scope import ChangeRequestFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/change-requests/"
DAY = 480


@pytest.fixture
def api():
    def make(user):
        client = APIClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def plan(world):
    world.project.start_date = date(2027, 1, 4)
    world.project.save()
    design = task_services.task_create(
        project=world.project, actor=world.manager, name="Design", duration_minutes=2 * DAY
    )
    launch = task_services.task_create(
        project=world.project, actor=world.manager, name="Launch", is_milestone=True
    )
    task_services.dependency_create(predecessor=design, successor=launch, actor=world.manager)
    return {"design": design, "launch": launch}


def longer_design(plan, days=4):
    return [{"op": "change_duration", "task": plan["design"].pk, "duration_minutes": days * DAY}]


def create(client, world, plan, **body):
    payload = {"project": world.project.pk, "title": "Longer design", **body}
    payload.setdefault("proposal", longer_design(plan))
    return client.post(URL, payload, format="json")


def test_a_member_drafts_and_submits_and_sees_the_finish_impact(world, api, plan):
    # given
    client = api(world.member)

    # when
    created = create(client, world, plan, priority="high")
    body = created.json()
    submitted = client.post(
        f"{URL}{body['id']}/submit/", {"version": body["version"]}, format="json"
    )

    # then
    assert created.status_code == 201, body
    assert (body["key"], body["status"], body["priority"]) == ("CR-1", "draft", "high")
    assert submitted.status_code == 200, submitted.json()
    impact = submitted.json()["impact"]
    assert submitted.json()["status"] == "submitted"
    assert impact["finish_slip_days"] == "2.00"
    assert impact["affected_task_ids"]


def test_approving_without_the_role_is_a_403(world, api, plan):
    # given
    change = create(api(world.member), world, plan).json()
    client = api(world.member)
    submitted = client.post(f"{URL}{change['id']}/submit/", {"version": 1}, format="json").json()

    # when
    response = client.post(
        f"{URL}{change['id']}/approve/", {"version": submitted["version"]}, format="json"
    )

    # then
    assert response.status_code == 403
    assert "Only a project manager can approve or reject CR-1" in response.json()["detail"]


def test_the_manager_approves_with_a_rebaseline(world, api, plan):
    # given
    change = create(api(world.member), world, plan).json()
    submitted = (
        api(world.member).post(f"{URL}{change['id']}/submit/", {"version": 1}, format="json").json()
    )

    # when
    response = api(world.manager).post(
        f"{URL}{change['id']}/approve/",
        {"version": submitted["version"], "rebaseline": True, "comment": "Go"},
        format="json",
    )

    # then
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "implemented"
    assert body["decided_by"]["email"] == world.manager.email
    assert Baseline.objects.filter(pk=body["baseline"], project=world.project).exists()
    assert Task.objects.get(pk=plan["design"].pk).duration_minutes == 4 * DAY
    events = api(world.viewer).get(f"{URL}{change['id']}/events/").json()
    assert [(e["from_status"], e["to_status"]) for e in events][-2:] == [
        ("submitted", "approved"),
        ("approved", "implemented"),
    ]


def test_a_proposal_with_a_loop_is_a_400_naming_it(world, api, plan):
    # given
    loop = [{"op": "add_link", "predecessor": plan["launch"].pk, "successor": plan["design"].pk}]
    change = create(api(world.member), world, plan, proposal=loop).json()

    # when
    response = api(world.member).post(f"{URL}{change['id']}/submit/", {"version": 1}, format="json")

    # then
    assert response.status_code == 400
    message = response.json()["errors"]["proposal"][0]
    assert "loop" in message and "Design" in message and "Launch" in message


def test_a_malformed_proposal_is_a_400_on_create(world, api, plan):
    response = create(api(world.member), world, plan, proposal=[{"op": "teleport"}])
    assert response.status_code == 400
    assert "“teleport” is not an operation" in response.json()["errors"]["proposal"][0]


def test_a_viewer_cannot_raise_a_change_request(world, api, plan):
    assert create(api(world.viewer), world, plan).status_code == 403


def test_editing_a_draft_needs_a_version_and_refuses_a_stale_one(world, api, plan):
    # given
    change = create(api(world.member), world, plan).json()
    client = api(world.member)

    # when
    missing = client.patch(f"{URL}{change['id']}/", {"title": "New"}, format="json")
    edited = client.patch(f"{URL}{change['id']}/", {"title": "New", "version": 1}, format="json")
    stale = client.patch(f"{URL}{change['id']}/", {"title": "Old", "version": 1}, format="json")

    # then
    assert missing.status_code == 428
    assert edited.status_code == 200 and edited.json()["title"] == "New"
    assert stale.status_code == 409
    assert stale.json()["current"]["title"] == "New"


def test_a_wrong_step_is_a_400_saying_the_status(world, api, plan):
    change = create(api(world.member), world, plan).json()
    response = api(world.manager).post(
        f"{URL}{change['id']}/approve/", {"version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "CR-1 is draft" in response.json()["errors"]["non_field_errors"][0]


def test_rejecting_through_the_api(world, api, plan):
    change = create(api(world.member), world, plan).json()
    change_services.change_request_submit(
        change_request=change_services.ChangeRequest.objects.get(pk=change["id"]),
        actor=world.member,
        version=1,
    )
    response = api(world.manager).post(
        f"{URL}{change['id']}/reject/", {"version": 2, "comment": "Later"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == ChangeStatus.REJECTED


def test_outsiders_do_not_see_change_requests(world, api, plan):
    change = create(api(world.member), world, plan).json()
    assert api(world.outsider).get(f"{URL}{change['id']}/").status_code == 404
    assert api(world.outsider).get(URL).json()["results"] == []


def test_the_list_costs_the_same_queries_for_few_or_many(world, api, plan):
    # given
    client = api(world.manager)
    ChangeRequestFactory(project=world.project, number=1, requested_by=world.member)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, {"project": world.project.pk}).status_code == 200

    # when
    for number in range(2, 12):
        ChangeRequestFactory(
            project=world.project,
            number=number,
            requested_by=world.member,
            decided_by=world.manager,
            implemented_by=world.manager,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"project": world.project.pk})

    # then
    assert len(response.json()["results"]) == 11
    assert len(few) == len(many), "\n".join(q["sql"] for q in many.captured_queries)


def test_the_change_log_endpoint_costs_the_same_queries_for_a_longer_log(world, api, plan):
    # given
    change = ChangeRequestFactory(project=world.project, number=1, requested_by=world.member)
    client = api(world.viewer)
    change.events.create(actor=world.member, from_status="", to_status="draft")
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{URL}{change.pk}/events/").status_code == 200

    # when
    for _ in range(8):
        change.events.create(actor=world.manager, from_status="draft", to_status="submitted")
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"{URL}{change.pk}/events/")

    # then
    assert len(response.json()) == 9
    assert len(few) == len(many)
