"""Quality in the reports: failed and overdue gates judge the health, upcoming gates, the latest
test figures and open defects show on the dashboard (reports/sources/quality.py, issue 7)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.models import Project
from projects.plan import services as task_services
from reports.sources import quality as quality_source
from tests.conftest import client_for
from tests.factories import ProjectFactory
from tests.projects.factories_scope import QualityGateFactory, QualityMeasureFactory
from tests.projects.helpers import assert_same_count, queries_for, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def _gates(project, today):
    """G failed (due next week), G pending overdue, G pending due in ten days, G passed past."""
    QualityGateFactory(
        project=project, name="Security", outcome="failed", due_date=today + timedelta(days=7)
    )
    QualityGateFactory(project=project, name="Design", due_date=today - timedelta(days=3))
    QualityGateFactory(project=project, name="Go-live", due_date=today + timedelta(days=10))
    QualityGateFactory(
        project=project, name="Kick-off", outcome="passed", due_date=today - timedelta(days=30)
    )


def test_failed_and_overdue_gates_are_counted_and_upcoming_ones_listed(world, today):
    # given gates in every state, a measure and an open urgent bug
    _gates(world.project, today)
    QualityMeasureFactory(project=world.project, date=today, test_pass_rate=Decimal("97.00"))
    task_services.task_create(
        project=world.project, actor=world.manager, name="Crash", task_type="bug", priority="urgent"
    )
    # when the source answers
    summary = quality_source.facts([world.project], today=today)[world.project.pk]
    # then health counts one failed and one overdue gate
    assert (summary.health.failed_gates, summary.health.overdue_gates) == (1, 1)
    section = summary.to_json()
    assert [g["name"] for g in section["upcoming"]] == ["Security", "Go-live"]
    assert section["test_pass_rate"] == "97.00"
    assert section["open_defects"] == [{"priority": "urgent", "count": 1}]


def test_a_project_without_gates_or_measures_has_no_quality_data(world, today):
    assert quality_source.facts([world.project], today=today) == {}


def test_the_dashboard_shows_the_quality_section_and_its_reasons(world, today):
    _gates(world.project, today)
    body = text(
        client_for(world.stakeholder).get(reverse("project-dashboard", args=[world.project.pk]))
    )
    assert "1 failed gate" in body
    assert "1 quality gate failed." in body
    assert "Go-live" in body  # upcoming


def test_the_source_reads_3_or_30_projects_in_the_same_queries(world, today):
    def projects_with_gates(n, start=0):
        for i in range(start, start + n):
            project = ProjectFactory(organisation=world.organisation, key=f"Q{i:03d}")
            _gates(project, today)
            QualityMeasureFactory(project=project, date=today)

    projects_with_gates(3)
    few_projects = list(Project.objects.filter(organisation=world.organisation))
    with CaptureQueriesContext(connection) as few:
        quality_source.facts(few_projects, today=today)
    projects_with_gates(27, start=3)
    many_projects = list(Project.objects.filter(organisation=world.organisation))
    with CaptureQueriesContext(connection) as many:
        facts = quality_source.facts(many_projects, today=today)
    assert len(facts) == 30
    assert len(few) == len(many) == 3


def test_the_dashboard_costs_the_same_for_more_gates(world, today):
    client = client_for(world.manager)
    url = reverse("project-dashboard", args=[world.project.pk])
    _gates(world.project, today)
    few = queries_for(client, "get", url)
    for _ in range(3):
        _gates(world.project, today)
    many = queries_for(client, "get", url)
    assert_same_count(few, many)
