"""Sprints in a real browser: a manager plans, starts and closes a sprint; the burndown shows."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import Sprint, Task
from tests.browser.test_board import sign_in
from tests.factories import OrganisationFactory, ProjectFactory, TaskFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_plans_and_closes_a_sprint_and_sees_the_burndown(page):
    # given an agile project with two stories in its backlog
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="APP", methodology="agile")
    on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    login = TaskFactory(project=project, name="Login page", story_points=5, task_type="story")
    TaskFactory(project=project, name="Password reset", story_points=3, task_type="story")
    today = timezone.localdate()

    # when the manager creates a sprint with a capacity of 4 points
    sign_in(page, "tpm@northwind.test")
    page.goto(f"/projects/{project.pk}/backlog/")
    page.get_by_label("Name", exact=True).fill("Sprint 1")
    page.get_by_label("Goal").fill("People can sign in")
    page.get_by_label("Start").fill(today.isoformat())
    page.get_by_label("End", exact=True).fill((today + timedelta(days=9)).isoformat())
    page.get_by_label("Capacity (points)").fill("4")
    page.get_by_role("button", name="Create sprint").click()
    expect(page.get_by_role("heading", name="Sprint 1")).to_be_visible()

    # and plans "Login page" into it: 5 points against 4 is a warning
    page.get_by_label("Sprint for Login page").select_option(label="Sprint 1")
    page.get_by_role("button", name="Move Login page").click()
    expect(page.get_by_text("Over capacity").first).to_be_visible()

    # and starts it, then closes it with the unfinished work back to the backlog
    page.get_by_role("link", name="Sprint 1").click()
    page.get_by_role("button", name="Start sprint").click()
    expect(page.get_by_text("Started Sprint 1.")).to_be_visible()
    expect(page.locator('svg[data-chart="burndown"]')).to_be_visible()
    page.get_by_label("Unfinished work goes to").select_option(label="The backlog")
    page.get_by_role("button", name="Close sprint").click()

    # then the sprint is closed, its burndown is drawn, and the story is back in the backlog
    expect(page.get_by_text("Closed Sprint 1.")).to_be_visible()
    expect(page.locator('svg[data-chart="burndown"] polyline.series-remaining')).to_have_count(1)
    sprint = Sprint.objects.get(project=project, name="Sprint 1")
    assert sprint.state == "closed" and sprint.committed_points == 5
    assert Task.objects.get(pk=login.pk).sprint is None
