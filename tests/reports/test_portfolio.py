"""The portfolio: every project the user may see, health per dimension, sortable and filterable."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import ProjectMembership
from tests.conftest import client_for
from tests.factories import ProjectFactory, RiskFactory
from tests.projects.helpers import assert_same_count, queries_for, text
from tests.reports.helpers import milestone, plan
from tpm.roles import ProjectRole


@pytest.fixture
def today():
    return timezone.localdate()


def _projects(world, n, today, start=0):
    made = []
    for i in range(start, start + n):
        project = ProjectFactory(
            organisation=world.organisation, key=f"P{i:03d}", name=f"Project {i:03d}"
        )
        ProjectMembership.objects.create(project=project, user=world.manager, role="manager")
        plan(project, today=today, tasks=2, late_critical=i % 2)
        milestone(project, "Launch", forecast=today + timedelta(days=i % 7), baseline=today)
        # a register too (green: below the escalation score, reviews not due), so the risk
        # source is part of the query count
        RiskFactory(project=project, number=1, probability=2, impact_schedule=2)
        made.append(project)
    return made


def test_a_stakeholder_sees_only_their_projects_with_health(world, today):
    # given a project the stakeholder is on, and one they are not
    plan(world.project, today=today, late_critical=3)
    ProjectFactory(organisation=world.organisation, key="SEC", name="Secret")
    # when they open the portfolio
    body = text(client_for(world.stakeholder).get(reverse("portfolio")))
    # then only theirs is listed, red on schedule, and the other dimensions have no data yet
    assert "WEB · Website" in body and "Secret" not in body and "Globex" not in body
    assert "3 critical tasks past due." in body
    assert body.count("No data yet") >= 4
    assert reverse("project-dashboard", args=[world.project.pk]) in body


def test_sorting_and_filtering(world, today):
    _projects(world, 3, today)
    client = client_for(world.admin)
    body = text(client.get(reverse("portfolio") + "?sort=name&desc=on"))
    assert body.index("Project 002") < body.index("Project 000")
    body = text(client.get(reverse("portfolio") + "?sort=health"))
    assert body.index("Project 001") < body.index("Project 000")  # red before amber/green
    body = text(client.get(reverse("portfolio") + "?status=completed"))
    assert "Project 000" not in body
    body = text(client.get(reverse("portfolio") + f"?manager={world.manager.pk}"))
    assert "Project 000" in body and "Website" in body
    other = ProjectMembership.objects.filter(role=ProjectRole.MANAGER).exclude(user=world.manager)
    assert not other.filter(project__organisation=world.organisation).exists()


def test_a_bad_filter_is_ignored_not_an_error(world):
    response = client_for(world.admin).get(reverse("portfolio") + "?manager=abc&sort=nope")
    assert response.status_code == 200


def test_the_portfolio_costs_the_same_queries_for_200_projects(world, today):
    # given a few projects, then two hundred
    client = client_for(world.admin)
    _projects(world, 3, today)
    few = queries_for(client, "get", reverse("portfolio"))
    _projects(world, 197, today, start=3)
    many = queries_for(client, "get", reverse("portfolio"))
    # then the page costs the same number of queries
    assert_same_count(few, many)
    assert "Project 199" in text(many.response)
