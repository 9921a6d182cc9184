"""The reports API: status reports, schedules, overrides, thresholds and health."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from reports import services
from tests.reports.helpers import plan


@pytest.fixture
def api():
    def make(user):
        client = APIClient()
        client.force_login(user)
        return client

    return make


def test_a_manager_drafts_edits_and_publishes_a_report(world, api):
    plan(world.project, today=timezone.localdate())
    client = api(world.manager)
    # when the manager starts a draft
    response = client.post("/api/v1/status-reports/", {"project": world.project.pk}, format="json")
    assert response.status_code == 201, response.json()
    report = response.json()
    assert report["status"] == "draft" and report["snapshot"]["health"]["overall"]["colour"]
    url = f"/api/v1/status-reports/{report['id']}/"
    # and writes the summary (a stale version is a 409)
    stale = client.patch(url, {"summary": "x"}, format="json", HTTP_IF_MATCH='"7"')
    assert stale.status_code == 409
    response = client.patch(url, {"summary": "On track."}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200 and response["ETag"] == '"2"'
    # and a stakeholder does not see the draft yet
    assert api(world.stakeholder).get(url).status_code == 404
    # when it is published
    response = client.post(url + "publish/", {"version": 2}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "published"
    # then the stakeholder reads it, and nobody can change it any more
    assert api(world.stakeholder).get(url).json()["summary"] == "On track."
    refused = client.patch(url, {"summary": "Rewritten"}, format="json", HTTP_IF_MATCH='"3"')
    assert refused.status_code == 400
    assert "never changes" in refused.json()["detail"] or "never changes" in str(refused.json())
    assert client.delete(url).status_code == 400


def test_schedules_are_validated(world, api):
    response = api(world.manager).post(
        "/api/v1/report-schedules/",
        {
            "project": world.project.pk,
            "recipient_roles": ["stakeholder"],
            "time_zone": "Nowhere/City",
            "external_emails": "cfo@example.org",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "time_zone" in response.json()["errors"]


def test_thresholds_are_read_by_members_and_changed_by_admins(world, api):
    url = f"/api/v1/organisations/{world.organisation.pk}/health-thresholds/"
    body = api(world.stakeholder).get(url).json()
    assert body["late_critical_red"] == 3 and body["version"] == 1
    refused = api(world.admin).patch(
        url, {"late_critical_amber": 5, "late_critical_red": 2, "version": 1}, format="json"
    )
    assert refused.status_code == 400 and "late_critical_red" in refused.json()["errors"]
    response = api(world.admin).patch(url, {"late_critical_red": 2, "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["late_critical_red"] == 2
    stale = api(world.admin).patch(url, {"late_critical_red": 4, "version": 1}, format="json")
    assert stale.status_code == 409


def test_project_health_answers_with_reasons(world, api):
    plan(world.project, today=timezone.localdate(), late_critical=1)
    body = api(world.viewer).get(f"/api/v1/projects/{world.project.pk}/health/").json()
    schedule = next(d for d in body["dimensions"] if d["key"] == "schedule")
    assert schedule["colour"] == "amber" and "1 critical task past due." in schedule["reasons"]
    cost = next(d for d in body["dimensions"] if d["key"] == "cost")
    assert cost["colour"] is None


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url", ["/api/v1/status-reports/", "/api/v1/report-schedules/", "/api/v1/health-overrides/"]
)
def test_list_endpoints_cost_the_same_for_more_rows(world, api, url):
    client = api(world.manager)

    def add(n):
        for i in range(n):
            report = services.report_create(project=world.project, actor=world.manager, summary="s")
            services.report_publish(report=report, actor=world.manager, version=report.version)
            services.schedule_create(
                project=world.project, actor=world.manager, recipient_roles=["viewer"]
            )
            services.override_set(
                project=world.project,
                actor=world.manager,
                target=["overall", "schedule", "risk", "cost", "scope", "quality"][i % 6],
                colour="amber",
                reason="Because of reasons.",
            )

    add(2)
    few = _list_queries(client, url)
    add(6)
    assert _list_queries(client, url) == few
