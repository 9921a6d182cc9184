"""A team member fails a gate criterion with evidence and cannot complete the milestone behind
the gate; once the criterion passes, the milestone completes (issue 7)."""

import pytest
from playwright.sync_api import expect

from projects.models import Task, TaskStatus
from projects.plan import services as task_services
from projects.quality import services as quality_services
from tests.factories import PASSWORD, ProjectFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_gate_criterion_holds_the_milestone_until_it_passes(page):
    # given a milestone behind a go-live gate with one criterion, and the engineer assigned to it
    project = ProjectFactory(key="PAY", name="Payments")
    manager = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    engineer = on_project(
        project, ProjectRole.MEMBER, email="sam@northwind.test", full_name="Sam Okafor"
    )
    milestone = task_services.task_create(
        project=project, actor=manager, name="Go live", is_milestone=True, assignees=[engineer]
    )
    gate = quality_services.gate_create(
        project=project,
        actor=manager,
        name="Go-live readiness",
        task=milestone,
        criteria=["Penetration test passed"],
    )

    # when the engineer signs in and fails the criterion on the gate's page, with evidence
    page.goto(f"/projects/{project.pk}/quality/")
    page.get_by_label("Email address").fill("sam@northwind.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Go-live readiness").click()
    criterion = page.locator("article.gate-criterion").first
    criterion.get_by_label("Result").select_option("fail")
    criterion.get_by_label("Comment").fill("Two high findings in the refund API")
    criterion.get_by_role("button", name="Record the result").click()

    # then the gate shows failed
    expect(page.locator("#gate-outcome")).to_have_text("Failed")
    expect(page.locator("#gate-open")).to_contain_text("“Penetration test passed” (failed)")

    # when they try to complete the milestone from its page
    page.get_by_role("link", name="Go live").click()
    page.get_by_label("Status").select_option("completed")
    page.get_by_role("button", name="Save progress").click()

    # then it is refused, naming the open criterion, and the milestone is not completed
    expect(page.get_by_role("alert").first).to_contain_text("correct the errors")
    expect(page.locator("body")).to_contain_text("“Go live” cannot be completed")
    expect(page.locator("body")).to_contain_text("“Penetration test passed” (failed)")
    milestone.refresh_from_db()
    assert milestone.status != TaskStatus.COMPLETED

    # when the findings are fixed and the criterion passes
    page.goto(f"/projects/{project.pk}/quality/gates/{gate.pk}/")
    criterion = page.locator("article.gate-criterion").first
    criterion.get_by_label("Result").select_option("pass")
    criterion.get_by_label("Evidence link").fill("https://ci.example.com/pentest/43")
    criterion.get_by_role("button", name="Record the result").click()
    expect(page.locator("#gate-outcome")).to_have_text("Passed")

    # then the milestone completes
    page.get_by_role("link", name="Go live").click()
    page.get_by_label("Status").select_option("completed")
    page.get_by_role("button", name="Save progress").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved your progress report")
    assert Task.objects.get(pk=milestone.pk).status == TaskStatus.COMPLETED
