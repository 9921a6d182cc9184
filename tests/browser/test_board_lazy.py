"""The lazy board in a real browser: long columns show their first cards, the rest on demand,
and a move updates the card and the column headers without reloading the page."""

import re

import pytest
from playwright.sync_api import expect

from projects.agile.selectors.board import PAGE
from projects.models import Task
from tests.browser.test_board import card_in_to_do, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_show_more_then_a_keyboard_move_updates_the_headers(page):
    # given a board whose To do column holds more cards than it shows at first
    project, first, doing = card_in_to_do("Card 000")
    Task.objects.bulk_create(
        Task(project=project, name=f"Card {n:03}", position=n, story_points=2)
        for n in range(1, PAGE + 10)
    )
    todo = first.workflow_status_id or project.workflow_statuses.order_by("position").first().pk
    sign_in(page, "dev@northwind.test")
    page.goto(f"/projects/{project.pk}/board/")
    column = page.locator(f'.board-cards[data-status-id="{todo}"]')
    expect(column.locator(".board-card")).to_have_count(PAGE)

    # when the member asks for more (or scrolls to it), the rest of the column comes
    page.get_by_role("link", name=re.compile(r"^Show 10 more")).click()
    expect(column.locator(".board-card")).to_have_count(PAGE + 10)
    expect(column.locator("[data-board-more]")).to_have_count(0)

    # and a card moved with the keyboard lands in In progress, the headers following
    card = column.locator(".board-card").last
    card.focus()
    page.keyboard.press("Alt+ArrowRight")
    expect(page.locator("[data-board-status]")).to_contain_text("Moved Card")
    expect(page.locator(f'[data-count-for="{doing.pk}"]')).to_have_text("1")
    expect(page.locator(f'[data-count-for="{todo}"]')).to_have_text(str(PAGE + 9))
    expect(page.locator(f'[data-points-for="{doing.pk}"]')).to_have_text("2 pt")
    target = page.locator(f'.board-cards[data-status-id="{doing.pk}"]')
    expect(target.locator(".board-card")).to_have_count(1)
    expect(target.locator(".board-card")).to_be_focused()
