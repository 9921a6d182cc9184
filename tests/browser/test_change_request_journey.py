"""A member raises a change request, sees its computed finish-date impact, and the manager
approves it with a re-baseline and finds the new baseline."""

import os
from datetime import date

import pytest
from playwright.sync_api import expect

from projects.models import Task
from projects.plan import services as task_services
from tests.factories import PASSWORD, ProjectFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_member_submits_a_change_and_the_manager_approves_it_with_a_rebaseline(page):
    # given a project with a small scheduled plan, a member and its manager
    project = ProjectFactory(key="PAY", name="Payments", start_date=date(2027, 1, 4))
    tpm = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    on_project(project, ProjectRole.MEMBER, email="dev@northwind.test")
    create = task_services.task_create
    build = create(project=project, actor=tpm, name="Build adapter", duration_minutes=3 * 480)
    live = create(project=project, actor=tpm, name="Go-live", duration_minutes=0, is_milestone=True)
    task_services.dependency_create(predecessor=build, successor=live, actor=tpm)

    # when the member raises a change request: the build takes five days instead of three
    page.goto(f"/projects/{project.pk}/changes/")
    sign_in(page, "dev@northwind.test")
    page.get_by_role("link", name="Raise a change request").click()
    page.get_by_label("Title").fill("Harden the adapter")
    page.get_by_label("Why").fill("The card scheme's new rules.")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("status")).to_contain_text("Drafted CR-1")
    page.get_by_label("Change", exact=True).select_option(label="Change a task's duration")
    page.get_by_label("Task to remove or re-estimate").select_option(label="1 Build adapter")
    page.get_by_label("Duration (days): new or changed task").fill("5")
    page.get_by_role("button", name="Add to the proposal").click()
    expect(page.locator("#proposal")).to_contain_text(
        "Change the duration of “1 Build adapter” to 5 days"
    )
    page.get_by_role("button", name="Submit for approval").click()

    # then before anyone approves, the page shows the computed impact on the finish date
    expect(page.get_by_role("status")).to_contain_text("Submitted CR-1 for a decision.")
    impact = page.get_by_role("region", name="Impact on the plan")
    expect(impact.locator("#impact-finish")).to_contain_text("2 days late")
    expect(impact).to_contain_text("Go-live")
    expect(page.locator("#waiting")).to_contain_text("only a project manager can approve")

    # when the manager signs in, and approves it with a new baseline
    page.context.clear_cookies()
    page.goto(f"/projects/{project.pk}/changes/1/")
    sign_in(page, "tpm@northwind.test")
    page.get_by_label("Comment").fill("Agreed with the scheme.")
    page.get_by_label("Save a new baseline with the change").check()
    page.get_by_role("button", name="Approve and apply").click()

    # then the change is in the plan and the new baseline is on the baselines page
    expect(page.get_by_role("status")).to_contain_text("Approved CR-1 and applied it to the plan.")
    expect(page.locator("#change-status")).to_have_text("Implemented")
    assert Task.objects.get(pk=build.pk).duration_minutes == 5 * 480
    page.goto(f"/projects/{project.pk}/baselines/")
    baselines = page.get_by_role("table", name="Baselines")
    expect(baselines).to_contain_text("CR-1 Harden the adapter")
    if os.environ.get("CHANGE_SCREENSHOT"):
        page.screenshot(path=os.environ["CHANGE_SCREENSHOT"], full_page=True)
