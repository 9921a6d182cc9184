"""The board in a real browser: a member drags a card to another column and it stays there."""

import re

import pytest
from playwright.sync_api import expect

from projects.agile.services import workflow as workflow_services
from projects.models import Task, TaskStatus
from projects.plan import services as task_services
from tests.factories import PASSWORD, OrganisationFactory, ProjectFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto("/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Projects"))).to_be_visible()


def drag(page, source, target) -> None:
    """Press on `source`, move to `target` in small steps, release (SortableJS's pointer mode)."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + 10, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=20)
    page.mouse.up()


def card_in_to_do(name: str):
    """An agile project whose board holds `name` in To do; its member dev@northwind.test."""
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="APP", methodology="agile")
    manager = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    on_project(project, ProjectRole.MEMBER, email="dev@northwind.test")
    statuses = {s.name: s for s in workflow_services.ensure_workflow(project)}
    task = task_services.task_create(project=project, actor=manager, name=name)
    return project, task, statuses["In progress"]


def test_member_drags_a_card_across_columns_and_it_persists(page):
    # given a project whose board holds "Write the API" in To do, and a member of its team
    project, task, doing = card_in_to_do("Write the API")

    # when the member opens the board and drags the card to In progress
    sign_in(page, "dev@northwind.test")
    page.goto(f"/projects/{project.pk}/board/")
    card = page.locator(f'.board-card[data-task-id="{task.pk}"]')
    target = page.locator(f'.board-cards[data-status-id="{doing.pk}"]')
    expect(card).to_be_visible()
    drag(page, card, target)

    # then the board says it moved, and after a reload the card is still in In progress
    expect(page.locator("[data-board-status]")).to_contain_text("Moved Write the API")
    page.reload()
    expect(target.locator(f'.board-card[data-task-id="{task.pk}"]')).to_be_visible()
    stored = Task.objects.get(pk=task.pk)
    assert stored.status == TaskStatus.IN_PROGRESS
    assert stored.workflow_status_id == doing.pk


def test_member_moves_a_card_with_the_keyboard_and_it_persists(page):
    # given a card in To do on a member's board
    project, task, doing = card_in_to_do("Review the spec")

    # when the member focuses the card and presses Alt+→ (To do → In progress)
    sign_in(page, "dev@northwind.test")
    page.goto(f"/projects/{project.pk}/board/")
    card = page.locator(f'.board-card[data-task-id="{task.pk}"]')
    card.focus()
    page.keyboard.press("Alt+ArrowRight")
    expect(page.locator("[data-board-status]")).to_contain_text("Moved Review the spec")

    # then the card stays focused in the next column (In progress), and is there after a reload
    expect(card).to_be_focused()
    page.reload()
    target = page.locator(f'.board-cards[data-status-id="{doing.pk}"]')
    expect(target.locator(f'.board-card[data-task-id="{task.pk}"]')).to_be_visible()
    assert Task.objects.get(pk=task.pk).workflow_status_id == doing.pk
