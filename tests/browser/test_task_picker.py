"""The predecessor picker in a real browser: a planner types part of a name, moves through the
answers with the keyboard, picks one and adds the link (frontend/picker.js)."""

import pytest
from playwright.sync_api import expect

from projects.models import Dependency, Task
from projects.plan import services as task_services
from tests.browser.test_board import sign_in
from tests.factories import OrganisationFactory, ProjectFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_searches_and_picks_a_predecessor_with_the_keyboard(page):
    # given a plan with a few tasks
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="APP")
    manager = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")

    def add(name):
        return task_services.task_create(
            project=project, actor=manager, name=name, duration_minutes=480
        )

    add("Design the schema")
    add("Design the screens")
    add("Write the API")
    build = add("Build it")

    # when the manager types part of a name in the predecessor picker
    sign_in(page, "tpm@northwind.test")
    page.goto(f"/projects/{project.pk}/tasks/{build.pk}/")
    picker = page.get_by_role("combobox", name="Predecessor")
    picker.fill("design")
    # then the matching tasks are offered, labelled with their code
    answers = page.get_by_role("listbox", name="Predecessor: matching tasks")
    options = answers.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_have_text("APP 1 Design the schema")
    # when they move down to the second with the arrow key and pick it with Enter
    picker.press("ArrowDown")
    picker.press("ArrowDown")
    expect(picker).to_have_attribute("aria-activedescendant", "link-predecessor_code-options-1")
    picker.press("Enter")
    expect(picker).to_have_value("APP 2 Design the screens")
    expect(answers).to_be_hidden()
    # and add the link
    page.get_by_role("button", name="Add link").click()

    # then the task follows the one picked
    expect(page.get_by_text("Build it now follows Design the screens.")).to_be_visible()
    link = Dependency.objects.get()
    assert (link.predecessor.name, link.successor_id) == ("Design the screens", build.pk)


def test_a_planner_adds_a_task_under_one_picked_in_the_outline(page):
    # given a plan with a phase
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="APP")
    manager = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    design = task_services.task_create(
        project=project, actor=manager, name="Design", duration_minutes=480
    )
    task_services.task_create(project=project, actor=manager, name="Build", duration_minutes=480)

    # when the manager names a new task and picks its parent by typing in "Under"
    sign_in(page, "tpm@northwind.test")
    page.goto(f"/projects/{project.pk}/plan/")
    page.get_by_label("New task name").fill("Sketch")
    under = page.get_by_role("combobox", name="Under")
    under.fill("des")
    option = page.get_by_role("listbox", name="Under: matching tasks").get_by_role("option")
    expect(option).to_have_text(["1 Design"])
    option.click()
    expect(under).to_have_value("1 Design")
    page.get_by_role("button", name="Add task").click()

    # then the new task is 1.1, under Design
    expect(page.get_by_text("Added 1.1 Sketch.")).to_be_visible()
    assert Task.objects.get(name="Sketch").parent_id == design.pk
