"""The project dashboard: health with reasons, milestones planned vs forecast, progress."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from tests.conftest import client_for
from tests.projects.helpers import assert_same_count, queries_for, text
from tests.reports.helpers import milestone, plan


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_project_without_a_plan_shows_no_data_yet(world):
    # given a project with no tasks
    client = client_for(world.stakeholder)
    # when a stakeholder opens its dashboard
    response = client.get(reverse("project-dashboard", args=[world.project.pk]))
    # then every dimension says so, and nothing is coloured
    assert response.status_code == 200
    body = text(response)
    assert "No data yet" in body
    assert "No dimension has data yet" in body
    assert "rag rag-red" not in body and "rag rag-green" not in body


def test_a_slipped_milestone_turns_the_schedule_red_with_the_reason(world, today):
    # given a milestone 12 days later than its baseline, and nothing else wrong
    plan(world.project, today=today)
    milestone(
        world.project,
        "Go live",
        forecast=today + timedelta(days=30),
        baseline=today + timedelta(days=18),
    )
    # when a viewer opens the dashboard
    response = client_for(world.viewer).get(reverse("project-dashboard", args=[world.project.pk]))
    # then schedule (and so the overall) is red, and the reason names the milestone and the slip
    body = text(response)
    assert response.status_code == 200
    assert "Milestone “Go live” is 12 days later than the baseline" in body
    assert '<h3>Schedule <span class="rag rag-red">Red</span>' in body
    # and cost, scope, risk and quality are not judged (no data yet), so they do not count
    assert "No data yet for: cost, scope, risk, quality" in body
    # and a viewer gets no override form
    assert "Override a colour" not in body


def test_the_managers_override_is_shown_as_such_and_recorded(world, today):
    # given a project that the rules call green
    plan(world.project, today=today)
    client = client_for(world.manager)
    url = reverse("health-override-set", args=[world.project.pk])
    # when the manager sets the overall colour to amber with a reason
    response = client.post(
        url, {"target": "overall", "colour": "amber", "reason": "Vendor contract not yet signed."}
    )
    assert response.status_code == 302
    # then stakeholders see amber, marked as the manager's call with the reason
    body = text(
        client_for(world.stakeholder).get(reverse("project-dashboard", args=[world.project.pk]))
    )
    assert "Set by the manager" in body and "Vendor contract not yet signed." in body
    assert "The rules say green" in body
    # and the history records it
    from tpm.models import HistoryEntry

    assert HistoryEntry.objects.filter(
        scope=f"project:{world.project.pk}",
        action="override set",
        changes__target=["overall", "overall"],
    ).exists()


def test_an_override_needs_a_reason(world):
    client = client_for(world.manager)
    response = client.post(
        reverse("health-override-set", args=[world.project.pk]),
        {"target": "schedule", "colour": "red", "reason": "x"},
    )
    assert response.status_code == 422
    assert "at least 10 characters" in text(response)


def test_the_dashboard_is_the_first_tab(world):
    response = client_for(world.stakeholder).get(reverse("project-detail", args=[world.project.pk]))
    body = text(response)
    assert body.index(">Dashboard<") < body.index(">Overview<")


def test_the_dashboard_shows_the_latest_published_report(world, today):
    report = services.report_create(project=world.project, actor=world.manager, summary="All fine.")
    services.report_publish(report=report, actor=world.manager, version=report.version)
    body = text(client_for(world.viewer).get(reverse("project-dashboard", args=[world.project.pk])))
    assert report.title in body and "All fine." in body


def test_the_dashboard_costs_the_same_queries_for_a_big_plan(world, today):
    # given a small plan and then a plan ten times larger with more milestones
    client = client_for(world.stakeholder)
    url = reverse("project-dashboard", args=[world.project.pk])
    plan(world.project, today=today, tasks=3, late_critical=1)
    milestone(world.project, "M1", forecast=today, baseline=today)
    few = queries_for(client, "get", url)
    plan(world.project, today=today, tasks=30, late_critical=5)
    for n in range(5):
        milestone(world.project, f"More {n}", forecast=today + timedelta(days=n))
    many = queries_for(client, "get", url)
    # then the number of queries does not grow
    assert_same_count(few, many)
