"""A manager shares the dashboard: the link opens it without an account until it is revoked."""

import os
from datetime import date

import pytest
from playwright.sync_api import expect

from projects.plan import services as task_services
from tests.factories import PASSWORD, ProjectFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_shared_dashboard_opens_until_the_link_is_revoked(page):
    # given a TPM's project with a small plan
    project = ProjectFactory(key="PAY", name="Payments", start_date=date(2027, 1, 4))
    tpm = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    task_services.task_create(project=project, actor=tpm, name="Build adapter")
    task_services.task_create(
        project=project, actor=tpm, name="Go-live", duration_minutes=0, is_milestone=True
    )

    # when she signs in, opens the dashboard and creates a share link
    page.goto(f"/projects/{project.pk}/dashboard/")
    page.get_by_label("Email address").fill("tpm@northwind.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Milestones: planned and forecast")).to_be_visible()
    if os.environ.get("DASHBOARD_SCREENSHOT"):
        page.screenshot(path=os.environ["DASHBOARD_SCREENSHOT"], full_page=True)
    page.get_by_role("link", name="share read-only link").click()
    page.get_by_label("Label").fill("Steering group")
    page.get_by_role("button", name="Create link").click()
    expect(page.get_by_role("status")).to_contain_text("Link created")
    link = page.get_by_label("Link Steering group").input_value()

    # then someone without an account opens it and reads the dashboard
    stranger = page.context.browser.new_context()
    try:
        other = stranger.new_page()
        other.goto(link)
        expect(other.get_by_role("heading", name="Payments")).to_be_visible()
        expect(other.get_by_role("cell", name="Go-live")).to_be_visible()
        expect(other.get_by_role("button", name="Set colour")).to_have_count(0)

        # when the TPM revokes it
        page.get_by_role("button", name="Revoke Steering group").click()
        expect(page.get_by_role("status")).to_contain_text("Link revoked")

        # then the same link is refused
        response = other.goto(link)
        assert response is not None and response.status == 410
        expect(other.get_by_text("The project's manager revoked this link.")).to_be_visible()
    finally:
        stranger.close()


def _sign_in(page, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_manager_publishes_and_schedules_and_a_stakeholder_reads(page):
    # given a project with a plan, its TPM and a stakeholder
    project = ProjectFactory(key="PAY", name="Payments", start_date=date(2027, 1, 4))
    tpm = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    on_project(project, ProjectRole.STAKEHOLDER, email="sponsor@northwind.test")
    task_services.task_create(project=project, actor=tpm, name="Build adapter")

    # when the TPM writes a narrative and publishes it
    page.goto(f"/projects/{project.pk}/reports/")
    _sign_in(page, "tpm@northwind.test")
    page.get_by_role("button", name="Start a status report").click()
    page.get_by_label("Summary").fill("The adapter build has started.")
    page.get_by_label("Asks and decisions needed").fill("Approve the pen-test budget.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Published")

    # and schedules weekly delivery to stakeholders
    page.goto(f"/projects/{project.pk}/report-schedules/")
    page.get_by_label("Name").fill("Weekly to the sponsor")
    page.get_by_label("Weekday").select_option(label="Friday")
    page.get_by_label("Time", exact=True).fill("16:00")
    page.get_by_role("button", name="Save schedule").click()
    expect(page.get_by_role("status")).to_contain_text("Schedule saved")
    expect(page.get_by_role("row", name="Weekly to the sponsor")).to_contain_text("Friday 16:00")
    page.context.clear_cookies()

    # then the stakeholder sees the project in the portfolio and its dashboard with reasons
    page.goto("/portfolio/")
    _sign_in(page, "sponsor@northwind.test")
    page.get_by_role("link", name="PAY · Payments").click()
    expect(page.get_by_role("heading", name="Health")).to_be_visible()
    expect(page.get_by_text("No data yet for: cost, scope, risk, quality")).to_be_visible()
    expect(page.get_by_text("The adapter build has started.")).to_be_visible()
    expect(page.get_by_role("button", name="Set colour")).to_have_count(0)
