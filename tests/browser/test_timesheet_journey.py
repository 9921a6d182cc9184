"""A member fills and submits a week's timesheet; the manager approves it, and the project's
actual cost and CPI change on the earned value and budget pages."""

import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.baselines import services as baseline_services
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from resources.models import TimeEntry
from tests.factories import PASSWORD, ProjectFactory, on_project
from tests.resources.factories import CostRateFactory, person_for
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, email: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_member_submits_time_manager_approves_and_cost_and_cpi_change(page):
    # given a baselined plan started last week: one 2,000 task, half done, assigned to Sam
    # (paid 50/h)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    project = ProjectFactory(key="PAY", name="Payments", start_date=monday - timedelta(days=7))
    tpm = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test", full_name="Priya N")
    sam = on_project(
        project, ProjectRole.MEMBER, email="sam@northwind.test", full_name="Sam Okafor"
    )
    CostRateFactory(
        resource=person_for(sam, project.organisation),
        hourly_rate=Decimal(50),
        effective_from=monday - timedelta(days=365),
        currency=project.currency,
    )
    build = task_services.task_create(
        project=project,
        actor=tpm,
        name="Build adapter",
        duration_minutes=10 * 480,
        cost=Decimal(2000),
        effort_hours=Decimal(80),
        assignees=[sam],
    )
    baseline_services.baseline_save(project=project, actor=tpm, name="Approved plan")
    task_services.task_update_progress(
        task=build,
        actor=tpm,
        version=build.version + 0,
        changes=ProgressChanges(percent_complete=50),
    )

    # when Sam opens his timesheet, logs 8 hours on Monday with a note and submits the week
    page.goto("/timesheet/")
    _sign_in(page, "sam@northwind.test")
    expect(page.get_by_role("heading", name="Timesheet")).to_be_visible()
    page.get_by_label(re.compile(r"^Hours on .*Build adapter, Mon")).fill("8")
    page.get_by_label(re.compile(r"^Note on .*Build adapter, Mon")).first.click()
    page.get_by_role("textbox", name=re.compile(r"^Note on .*Build adapter, Mon")).fill(
        "Adapter skeleton"
    )
    page.get_by_role("button", name="Save and submit for approval").click()
    expect(page.get_by_role("status")).to_contain_text("Submitted 8 h for the week of")
    expect(page.locator("#week-total")).to_have_text("8")
    # and he sees hours, never money
    assert "50" not in page.locator("table.timesheet").inner_text()
    assert TimeEntry.objects.get().status == "submitted"
    if os.environ.get("TIMESHEET_SCREENSHOT"):
        page.screenshot(path=os.environ["TIMESHEET_SCREENSHOT"] + ".week.png", full_page=True)

    # then Priya sees no actual cost yet on the earned value page
    page.context.clear_cookies()
    page.goto(f"/projects/{project.pk}/evm/")
    _sign_in(page, "tpm@northwind.test")
    expect(page.locator("#figure-ac")).to_have_text("0.00")
    expect(page.locator("#figure-cpi")).to_contain_text("—")

    # when she approves Sam's week from the Time approval tab
    page.get_by_role("link", name="Time approval").click()
    week = page.get_by_role("article")
    expect(week).to_contain_text("Sam Okafor · week of")
    expect(week).to_contain_text("Adapter skeleton")
    week.get_by_role("button", name="Approve Sam Okafor's time").click()
    expect(page.get_by_role("status")).to_contain_text("Approved 8 h of Sam Okafor's time")

    # then the actual cost is 8 h x 50 = 400 and CPI = EV 1,000 / AC 400 = 2.50
    page.get_by_role("link", name="Earned value").click()
    expect(page.locator("#figure-ac")).to_have_text("400.00")
    expect(page.locator("#figure-cpi")).to_have_text("2.50")
    if os.environ.get("TIMESHEET_SCREENSHOT"):
        page.screenshot(path=os.environ["TIMESHEET_SCREENSHOT"] + ".evm.png", full_page=True)
    # and the budget page says the same
    page.get_by_role("link", name="Budget", exact=True).click()
    expect(page.locator("#money-ac")).to_have_text("400.00")
    expect(page.locator("#cpi")).to_have_text("2.50")
    if os.environ.get("TIMESHEET_SCREENSHOT"):
        page.screenshot(path=os.environ["TIMESHEET_SCREENSHOT"], full_page=True)
