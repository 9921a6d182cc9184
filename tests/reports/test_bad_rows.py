"""One project with stored data the figures cannot handle (a status date of 1 January year 1,
written past validation) must not take the portfolio or the dashboards down for every project:
that project shows its figures as unavailable, the others show theirs, and the error is logged."""

import logging
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Project, ProjectMembership
from reports.sources import cost
from tests.conftest import client_for
from tests.factories import ProjectFactory
from tests.projects.helpers import text
from tests.reports.helpers import milestone, plan
from tests.resources.factories import BudgetLineFactory
from tpm.roles import ProjectRole


@pytest.fixture
def healthy(world):
    """The world's project and a healthy neighbour, each with a plan and a budget."""
    today = timezone.localdate()
    neighbour = ProjectFactory(organisation=world.organisation, key="OK", name="Healthy one")
    ProjectMembership.objects.create(
        project=neighbour, user=world.manager, role=ProjectRole.MANAGER
    )
    for project in (world.project, neighbour):
        plan(project, today=today, late_critical=1)
        milestone(project, "Launch", forecast=today, baseline=today)
        BudgetLineFactory(project=project)
    return neighbour


def _row(response, project) -> str:
    html = response.content.decode()
    start = html.index(f'<tr id="portfolio-{project.pk}"')
    return html[start : html.index("</tr>", start)]


@pytest.mark.parametrize("bad", [date(1, 1, 1), date(9999, 12, 31)])
def test_one_bad_status_date_leaves_the_portfolio_and_dashboards_standing(world, healthy, bad):
    # given one project whose stored status date is at the edge of the calendar (earned value
    # overflowed on it: a 500 for the whole organisation's portfolio)
    Project.objects.filter(pk=world.project.pk).update(status_date=bad)
    client = client_for(world.admin)
    # when the admin opens the portfolio, then it answers with both projects
    response = client.get(reverse("portfolio"))
    assert response.status_code == 200
    assert "WEB · Website" in _row(response, world.project)
    # and the healthy one keeps its figures (its budget variance)
    row = _row(response, healthy)
    assert "Figures unavailable" not in row and 'class="num">0.00</td>' in row  # its VAC
    # and both dashboards answer, the bad one still with its schedule section
    response = client.get(reverse("project-dashboard", args=[world.project.pk]))
    assert response.status_code == 200
    assert "1 critical task past due." in text(response)
    response = client.get(reverse("project-dashboard", args=[healthy.pk]))
    assert "Figures unavailable" not in text(response)


@pytest.fixture
def cost_fails_on(monkeypatch):
    """The cost source raising whenever the given project is in the batch it is asked for, as
    it did on a stored date out of range (kept independent of how earned value handles dates)."""
    real = cost.facts
    poisoned: set[int] = set()

    def facts(projects, *, today):
        if poisoned & {project.pk for project in projects}:
            raise OverflowError("date value out of range")
        return real(projects, today=today)

    monkeypatch.setattr(cost, "facts", facts)
    return poisoned


def test_a_failing_source_marks_only_its_project_and_is_logged(
    world, healthy, cost_fails_on, caplog
):
    cost_fails_on.add(world.project.pk)
    # when the portfolio is read
    with caplog.at_level(logging.WARNING):
        response = client_for(world.admin).get(reverse("portfolio"))
    # then the bad project is marked, the other keeps its money figures
    assert response.status_code == 200
    assert "Figures unavailable: cost" in _row(response, world.project)
    row = _row(response, healthy)
    assert "Figures unavailable" not in row and 'class="num">0.00</td>' in row  # its VAC
    # and the error is logged, naming the project
    assert any(
        record.levelno == logging.ERROR and f"project {world.project.pk}" in record.getMessage()
        for record in caplog.records
    )
    # and the bad project's dashboard says so, with the rest of its sections
    body = text(
        client_for(world.manager).get(reverse("project-dashboard", args=[world.project.pk]))
    )
    assert "Figures unavailable" in body and "1 critical task past due." in body
