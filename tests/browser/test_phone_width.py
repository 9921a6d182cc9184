"""On a 390-pixel phone every everyday page fits the screen: the top bar wraps (its main menu
scrolls sideways inside the bar) and wide tables scroll inside their card, never the page."""

import os

import pytest
from django.urls import reverse

from projects.agile.services import board as board_services
from projects.agile.services import workflow as workflow_services
from projects.plan import services as task_services
from tests.factories import PASSWORD, ProjectFactory, member_of
from tpm.roles import OrgRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_everyday_pages_fit_a_phone(page):
    # given a TPM (an organisation admin, so the menu has every entry) with a planned project
    project = ProjectFactory(key="PAY", name="Payments platform")
    tpm = member_of(
        project.organisation, OrgRole.ADMIN, email="tpm@northwind.test", full_name="Priya N"
    )
    for name in ("Card vault tokenisation service", "Settlement reconciliation"):
        task_services.task_create(project=project, actor=tpm, name=name, assignees=[tpm])
    page.set_viewport_size(PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("tpm@northwind.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    # when they open the pages of a working day on the phone
    pages = [reverse(name) for name in ("my-work", "project-list", "timesheet", "portfolio")]
    pages += [reverse(name, args=[project.pk]) for name in ("project-detail", "project-plan")]
    pages += [reverse("resource-pool"), reverse("workload")]
    # and a board whose columns, wider together than a phone, scroll inside it (a card in the
    # last column, off screen: its hidden labels once widened the page)
    board = ProjectFactory(organisation=project.organisation, key="APP", methodology="agile")
    cards = [
        task_services.task_create(project=board, actor=tpm, name=name, assignees=[tpm])
        for name in ("Sign-in screen", "Card list", "Payment sheet")
    ]
    columns = workflow_services.ensure_workflow(board)
    board_services.card_move(
        task=cards[-1], actor=tpm, version=cards[-1].version, status=columns[-1]
    )
    pages += [reverse("project-board", args=[board.pk])]
    too_wide = {}
    for url in pages:
        page.goto(url)
        if shots := os.environ.get("PHONE_SCREENSHOTS"):
            page.screenshot(path=f"{shots}/{url.strip('/').replace('/', '-')}.png", full_page=True)
        if (width := _page_width(page)) > PHONE["width"]:
            too_wide[url] = width
    # then none is wider than the screen
    assert too_wide == {}
