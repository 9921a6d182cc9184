"""A TPM raises a risk, assesses it, adds a mitigation task to the plan, and sees the heat map
and the residual score change."""

import os

import pytest
from playwright.sync_api import expect

from projects.models import Task
from risks.models import Risk
from tests.factories import PASSWORD, ProjectFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_raises_assesses_and_mitigates_a_risk(page):
    # given a TPM's project and an engineer on it
    project = ProjectFactory(key="PAY", name="Payments")
    on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test", full_name="Priya N")
    on_project(project, ProjectRole.MEMBER, email="sam@northwind.test", full_name="Sam Okafor")

    # when she signs in and raises a risk from the register
    page.goto(f"/projects/{project.pk}/risks/")
    page.get_by_label("Email address").fill("tpm@northwind.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Raise a risk").click()
    page.get_by_label("Title").fill("Card vendor sandbox arrives late")
    page.get_by_label("Event").fill("The sandbox is not ready when integration starts")
    page.get_by_label("Category").select_option(label="Vendor")
    page.get_by_label("Owner").select_option(label="Sam Okafor")
    page.get_by_label("Probability", exact=True).select_option("4")
    page.get_by_label("Impact on schedule").select_option("5")
    page.get_by_label("Cost if it happens").fill("30000")
    page.get_by_role("button", name="Raise risk").click()

    # then its page shows score 20, critical, and an expected monetary value
    expect(page.locator(".messages")).to_contain_text("Raised R-1")
    expect(page.locator("#risk-score")).to_contain_text("20")
    expect(page.locator("#risk-score")).to_contain_text("Critical")
    expect(page.locator("#residual-score")).to_contain_text("Not assessed")

    # when she adds a mitigation task, it appears in the plan
    page.get_by_role("textbox", name="Action").fill("Build a sandbox stub")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.locator("#responses")).to_contain_text("R-1: Build a sandbox stub")
    assert Task.objects.filter(project=project, name="R-1: Build a sandbox stub").exists()
    # and links it by searching the plan in the picker (the plan's tasks are never listed)
    page.get_by_role("combobox", name="Task or milestone").fill("sandbox")
    page.get_by_role("option", name="R-1: Build a sandbox stub").click()
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator("#linked-tasks")).to_contain_text("R-1: Build a sandbox stub")
    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_role("link", name="R-1: Build a sandbox stub", exact=True)).to_be_visible()

    # and she reassesses it with the stub in place: a residual of 1 x 3
    page.go_back()
    reassess = page.get_by_role("region", name="Reassess")
    reassess.get_by_label("Residual probability").select_option("1")
    reassess.get_by_label("Residual impact").select_option("3")
    reassess.get_by_label("What changed").fill("Stub ready; vendor committed to a date")
    reassess.get_by_role("button", name="Record the review").click()
    expect(page.locator(".messages")).to_contain_text("residual 3")
    expect(page.locator("#residual-score")).to_contain_text("3")
    expect(page.locator("#residual-score")).to_contain_text("Low")
    expect(page.locator("#reviews tr")).to_have_count(2)

    # then the heat maps show it in the inherent 4x5 cell and the residual 1x3 cell
    page.get_by_role("link", name="Heat maps and exposure").click()
    expect(page.locator('[data-cell="inherent-4-5"]')).to_have_text("1")
    expect(page.locator('[data-cell="residual-1-3"]')).to_have_text("1")
    if os.environ.get("RISK_SCREENSHOT"):
        page.screenshot(path=os.environ["RISK_SCREENSHOT"], full_page=True)
    page.locator('[data-cell="inherent-4-5"] a').click()
    expect(page.get_by_role("link", name="Card vendor sandbox arrives late")).to_be_visible()
    assert Risk.objects.get().residual_score == 3
