"""An organisation admin builds the pool (a role with a rate, a person and a placeholder), the
TPM allocates them to a project and assigns them on a task page, in place with htmx."""

import pytest
from playwright.sync_api import expect

from projects.plan import services as task_services
from resources.models import Assignment
from tests.factories import PASSWORD, ProjectFactory, member_of, on_project
from tpm.roles import OrgRole, ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_admin_builds_the_pool_and_the_tpm_staffs_a_task(page):
    # given an organisation with a TPM's project and an engineer on it
    project = ProjectFactory(key="PAY", name="Payments")
    member_of(project.organisation, OrgRole.ADMIN, email="ops@northwind.test", full_name="Ola Ops")
    tpm = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test", full_name="Priya N")
    sam = on_project(
        project, ProjectRole.MEMBER, email="sam@northwind.test", full_name="Sam Okafor"
    )
    task = task_services.task_create(project=project, actor=tpm, name="Card vault")

    # when the admin adds a role with a default rate, then Sam and a placeholder to the pool
    page.goto("/resources/roles/")
    _sign_in(page, "ops@northwind.test")
    page.get_by_label("Name").first.fill("Backend engineer")
    page.get_by_role("button", name="Add role").click()
    page.get_by_text("Add a rate").click()
    page.get_by_label("Applies from").fill("2026-01-01")
    page.get_by_label("Hourly rate").fill("95")
    page.get_by_role("button", name="Add rate").click()
    expect(page.locator("[id^=role-]").first).to_contain_text("95.00 USD/h")
    for name, account in (("Sam Okafor", "sam@northwind.test"), ("Backend engineer #2", None)):
        page.goto("/resources/new/")
        page.get_by_label("Name", exact=True).fill(name)
        if account:
            page.get_by_label("User account").select_option(label=f"{name} ({account})")
        page.get_by_label("Role").select_option(label="Backend engineer")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)

    # then the pool lists both at the role's rate, the placeholder without an account
    page.get_by_role("link", name="Resources", exact=True).first.click()
    table = page.locator("#pool-table")
    expect(table).to_contain_text("Backend engineer #2")
    expect(table).to_contain_text("No account")
    expect(table).to_contain_text("95.00 USD/h")

    # when the TPM allocates the placeholder at 150 % (over-allocated) on Team allocation
    page.context.clear_cookies()
    page.goto(f"/projects/{project.pk}/team/")
    _sign_in(page, "tpm@northwind.test")
    page.get_by_label("Person or resource").select_option(label="Backend engineer #2")
    page.get_by_label("From").fill("2026-01-05")
    page.get_by_label("To").fill("2026-03-27")
    page.get_by_label("Allocation (%)").fill("150")
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator("#allocation-table")).to_contain_text("150 % · over-allocated")

    # and assigns Sam to the task from its page (the section updates in place)
    page.goto(f"/projects/{project.pk}/tasks/{task.pk}/")
    section = page.locator("#task-assignments")
    section.get_by_label("Resource").select_option(label="Sam Okafor")
    section.get_by_label("Units (%)").fill("50")
    section.get_by_role("button", name="Assign").click()
    expect(page.locator("#task-assignments tbody")).to_contain_text("Sam Okafor")

    # then Sam is on the task for the boards too, at 50 %
    assignment = Assignment.objects.get(task=task)
    assert assignment.units == 50
    assert list(task.assignees.all()) == [sam]
