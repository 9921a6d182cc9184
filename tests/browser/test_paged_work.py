"""In Chromium (issue 14): My work's "show more" appends the next rows of a group in place,
and a heat-map cell loads its drill-down below the grid without leaving the page."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projects.models import Task
from projects.work.selectors import PAGE_SIZE
from tests.factories import PASSWORD, ProjectFactory, on_project
from tests.resources.factories import AssignmentFactory, ResourceFactory
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_show_more_appends_the_next_rows_of_a_group(page):
    project = ProjectFactory(key="PAY", name="Payments")
    sam = on_project(project, ProjectRole.MEMBER, email="sam@northwind.test")
    far = date(2030, 1, 1)  # "later" whatever today is
    tasks = Task.objects.bulk_create(
        Task(project=project, name=f"Later {n:02d}", position=n, deadline=far + timedelta(n))
        for n in range(PAGE_SIZE + 4)
    )
    Task.assignees.through.objects.bulk_create(
        Task.assignees.through(task=t, user=sam) for t in tasks
    )
    page.goto("/projects/my-work/")
    _sign_in(page, "sam@northwind.test")
    rows = page.locator("#group-later ~ table tbody tr[id^='work-']")
    expect(rows).to_have_count(PAGE_SIZE)
    page.get_by_role("link", name="Show 4 more").click()
    expect(rows).to_have_count(PAGE_SIZE + 4)
    expect(page.get_by_role("link", name="Show 4 more")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/projects/my-work/$"))  # in place, not a new page
    expect(rows.last).to_contain_text(f"Later {PAGE_SIZE + 3:02d}")


def test_a_heat_map_cell_loads_its_drill_down_in_place(page):
    project = ProjectFactory(key="WEB", name="Website", start_date=date(2030, 1, 7))
    tpm = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    alice = ResourceFactory(organisation=project.organisation, name="Alice")
    from projects.plan import services as task_services

    task = task_services.task_create(
        project=project, actor=tpm, name="Build API", duration_minutes=5 * 480
    )
    AssignmentFactory(task=task, resource=alice, work_hours=Decimal(40))
    page.goto("/resources/workload/?start=2030-01-07&weeks=2")
    _sign_in(page, "tpm@northwind.test")
    page.locator("#workload-table td > a[class^='load-']").first.click()
    expect(page.locator("#workload-detail")).to_contain_text("Alice")
    expect(page.locator("#workload-detail")).to_contain_text("Build API")
    assert "/resources/workload/" in page.url
