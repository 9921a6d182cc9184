"""Money in change requests and MS Project files: members and viewers get neither the cost a
change adds nor the plan's costs in an export; managers and stakeholders get both."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.baselines import services as baseline_services
from projects.changes import services as change_services
from projects.plan import services as task_services
from tests.conftest import client_for

TASK_COST = Decimal("12345.67")  # an MSPDI file counts it in hundredths: 1234567
CHANGE_COST = Decimal("23456.78")


@pytest.fixture
def costed(world):
    task = task_services.task_create(
        project=world.project,
        actor=world.manager,
        name="Build",
        duration_minutes=480,
        cost=TASK_COST,
    )
    baseline_services.baseline_save(project=world.project, actor=world.manager, name="Plan")
    change = change_services.change_request_create(
        project=world.project,
        actor=world.member,
        title="Add payments",
        proposal=[
            {"op": "add_task", "name": "Payments", "duration_minutes": 480, "cost": CHANGE_COST}
        ],
    )
    change_services.change_request_analyse(change_request=change, actor=world.member)
    return task, change


def _change_urls(world, change):
    return [
        reverse("change-detail", args=[world.project.pk, change.number]),
        reverse("api:change-request-detail", args=[change.pk]),
        reverse("api:change-request-list"),
    ]


def _export_urls(world):
    return [
        reverse("project-export-mspdi", args=[world.project.pk]),
        reverse("api:project-mspdi", args=[world.project.pk]),
    ]


@pytest.mark.parametrize("kind", ["member", "viewer"])
def test_members_and_viewers_read_no_change_cost(world, costed, kind):
    _, change = costed
    client = client_for(getattr(world, kind))
    for url in _change_urls(world, change):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert "Add payments" in body
        assert "23456.78" not in body and "35802.45" not in body, url  # change, cost after
    data = client.get(_change_urls(world, change)[1]).json()
    assert data["impact"]["cost_change"] is None and data["impact"]["cost_before"] is None
    assert data["proposal"][0]["cost"] is None and data["proposal"][0]["name"] == "Payments"
    assert data["impact"]["effort_change"] is not None  # effort is not money


def test_managers_read_the_change_cost(world, costed):
    _, change = costed
    client = client_for(world.manager)
    page, detail, _ = (client.get(url) for url in _change_urls(world, change))
    assert "23456.78" in page.content.decode()
    assert detail.json()["impact"]["cost_change"] == "23456.78"


@pytest.mark.parametrize("kind", ["member", "viewer"])
def test_members_and_viewers_export_the_plan_without_costs(world, costed, kind):
    client = client_for(getattr(world, kind))
    for url in _export_urls(world):
        response = client.get(url)
        xml = response.content.decode()
        assert response.status_code == 200, url
        assert "<Name>Build</Name>" in xml  # the plan is there
        assert "<Cost>" not in xml and "1234567" not in xml, url  # task and baseline costs


@pytest.mark.parametrize("kind", ["manager", "stakeholder"])
def test_managers_and_stakeholders_export_the_costs(world, costed, kind):
    client = client_for(getattr(world, kind))
    for url in _export_urls(world):
        xml = client.get(url).content.decode()
        assert xml.count("<Cost>1234567</Cost>") == 2, url  # the task's and its baseline's
