"""A TPM baselines the approved plan, the plan slips, and the comparison shows it."""

import os
from datetime import date

import pytest
from playwright.sync_api import expect

from projects.models import Task
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from tests.factories import PASSWORD, ProjectFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_saves_a_baseline_and_sees_the_slip(page):
    # given a TPM's project with a small scheduled plan
    project = ProjectFactory(key="PAY", name="Payments", start_date=date(2027, 1, 4))
    tpm = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    create = task_services.task_create
    build = create(project=project, actor=tpm, name="Build adapter", duration_minutes=3 * 480)
    live = create(project=project, actor=tpm, name="Go-live", duration_minutes=0, is_milestone=True)
    task_services.dependency_create(predecessor=build, successor=live, actor=tpm)

    # when she signs in and saves the plan as "Approved plan"
    page.goto(f"/projects/{project.pk}/baselines/")
    page.get_by_label("Email address").fill("tpm@northwind.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Name").fill("Approved plan")
    page.get_by_role("button", name="Save baseline").click()
    expect(page.get_by_role("status")).to_contain_text("Saved baseline “Approved plan”")

    # and the build takes two days longer than planned
    build = Task.objects.get(pk=build.pk)
    task_services.task_update(
        task=build, actor=tpm, version=build.version, changes=TaskChanges(duration_minutes=2400)
    )

    # then the comparison says the project and the go-live are two days late
    page.get_by_role("link", name="Compare the plan with Approved plan").click()
    summary = page.get_by_role("region", name="The plan now against “Approved plan”")
    expect(summary).to_contain_text("2 days late")
    expect(summary).to_contain_text("Go-live (2 days late)")
    table = page.get_by_role("table", name="Task by task")
    expect(table.get_by_role("row", name="Build adapter")).to_contain_text("2 days longer")
    if os.environ.get("BASELINE_SCREENSHOT"):
        page.screenshot(path=os.environ["BASELINE_SCREENSHOT"], full_page=True)
