"""The quality API: gates, criteria with evidence, reviews by role, waivers, measures posted by
CI, templates and the project summary; each list costs a fixed number of queries (issue 7)."""

import pytest
from django.urls import reverse

from projects.plan import services as task_services
from projects.quality import gate_templates as template_services
from tests.conftest import client_for

from .factories_scope import (
    GateCriterionFactory,
    GateReviewFactory,
    GateTemplateCriterionFactory,
    GateTemplateFactory,
    QualityGateFactory,
    QualityMeasureFactory,
)
from .helpers import assert_same_count, queries_for

pytestmark = pytest.mark.django_db


def post(client, url, body, method="post"):
    return getattr(client, method)(url, body, content_type="application/json")


def test_a_gate_is_created_failed_and_waived_through_the_api(world):
    # given a milestone
    milestone = task_services.task_create(
        project=world.project, actor=world.manager, name="Go live", is_milestone=True
    )
    manager = client_for(world.manager)
    # when the manager adds a gate, a member fails its criterion and the manager waives it
    created = post(
        manager,
        reverse("api:quality-gate-list"),
        {
            "project": world.project.pk,
            "name": "Go-live readiness",
            "task": milestone.pk,
            "criteria": ["Pen test passed"],
        },
    )
    assert created.status_code == 201, created.content
    gate = created.json()
    criterion = gate["criteria"][0]
    failed = post(
        client_for(world.member),
        reverse("api:gate-criterion-detail", args=[criterion["id"]]),
        {"result": "fail", "evidence_url": "https://ci.example.com/run/7", "version": 1},
        method="patch",
    )
    assert failed.status_code == 200
    current = manager.get(reverse("api:quality-gate-detail", args=[gate["id"]])).json()
    assert current["outcome"] == "failed"
    assert current["open_items"] == ["“Pen test passed” (failed)"]
    no_reason = post(
        manager,
        reverse("api:quality-gate-waive", args=[gate["id"]]),
        {"reason": "", "version": current["version"]},
    )
    assert no_reason.status_code == 400
    waived = post(
        manager,
        reverse("api:quality-gate-waive", args=[gate["id"]]),
        {"reason": "Board accepted the risk", "version": current["version"]},
    )
    # then the gate is waived by the manager
    assert waived.status_code == 200
    assert waived.json()["outcome"] == "waived"
    assert waived.json()["waived_by"] == world.manager.pk


def test_a_member_cannot_waive(world):
    gate = QualityGateFactory(project=world.project)
    response = post(
        client_for(world.member),
        reverse("api:quality-gate-waive", args=[gate.pk]),
        {"reason": "x", "version": gate.version},
    )
    assert response.status_code == 403


def test_a_review_from_the_wrong_role_is_a_403(world):
    gate = QualityGateFactory(project=world.project)
    review = GateReviewFactory(gate=gate, required_role="stakeholder")
    response = post(
        client_for(world.manager),
        reverse("api:gate-review-detail", args=[review.pk]),
        {"verdict": "approved", "version": 1},
        method="patch",
    )
    assert response.status_code == 403
    assert "stakeholder role" in response.json()["detail"]


def test_ci_posts_measures_and_a_second_post_the_same_day_replaces_them(world):
    client = client_for(world.member)
    url = reverse("api:quality-measure-list")
    first = post(client, url, {"project": world.project.pk, "test_pass_rate": "97.5"})
    second = post(client, url, {"project": world.project.pk, "coverage": "81.2"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["source"] == "api"
    assert (second.json()["test_pass_rate"], second.json()["coverage"]) == ("97.50", "81.20")
    bad = post(client, url, {"project": world.project.pk, "coverage": "120"})
    assert bad.status_code == 400
    assert "from 0 to 100" in str(bad.json()["errors"])


def test_the_summary_counts_defects_by_priority_and_gates(world):
    task_services.task_create(
        project=world.project, actor=world.manager, name="Crash", task_type="bug", priority="urgent"
    )
    QualityGateFactory(project=world.project, outcome="failed")
    summary = client_for(world.viewer).get(reverse("api:project-quality", args=[world.project.pk]))
    assert summary.status_code == 200
    body = summary.json()
    assert body["open_defects_by_priority"]["urgent"] == 1
    assert body["gates"] == {"failed": 1}


def test_templates_are_seeded_and_listed(world):
    template_services.gate_templates_ensure(organisation=world.organisation)
    names = [
        t["name"]
        for t in client_for(world.member).get(reverse("api:gate-template-list")).json()["results"]
    ]
    assert "Security review" in names


@pytest.mark.parametrize(
    ("route", "grow"),
    [
        (
            "api:quality-gate-list",
            lambda world: GateReviewFactory(
                gate=GateCriterionFactory(gate=QualityGateFactory(project=world.project)).gate
            ),
        ),
        ("api:quality-measure-list", lambda world: QualityMeasureFactory(project=world.project)),
        (
            "api:gate-template-list",
            lambda world: GateTemplateCriterionFactory(
                template=GateTemplateFactory(organisation=world.organisation)
            ),
        ),
    ],
)
def test_lists_cost_the_same_for_many_rows(world, route, grow):
    client = client_for(world.manager)
    url = reverse(route)
    grow(world)
    few = queries_for(client, "get", url)
    for _ in range(5):
        grow(world)
    many = queries_for(client, "get", url)
    assert_same_count(few, many)
