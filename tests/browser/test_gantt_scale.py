"""The Gantt chart of a few hundred tasks from its compact data: bars drawn from the arrays the
server sends (baseline bars too), the last task reached by scrolling, a keyboard move merged
back into the chart, and the data loaded once (the page preloads what the script asks for).

The chart needs the front-end bundle (`npm run build`). The plan starts on Monday 4 January 2027
on the standard calendar (Mon-Fri, 8 h a day).
"""

import re
from datetime import date
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from projects.baselines import services as baseline_services
from projects.models import Dependency, Task
from projects.schedule import services as schedule_services
from tests.factories import PASSWORD, OrganisationFactory, ProjectFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = 480
MONDAY = date(2027, 1, 4)


def _plan(project, phases: int) -> list[Task]:
    """Phases of one summary and nine one-day tasks, each linked to the one before; scheduled."""
    summaries = Task.objects.bulk_create(
        Task(project=project, name=f"Phase {n}", position=n) for n in range(phases)
    )
    tasks = Task.objects.bulk_create(
        Task(
            project=project,
            parent=phase,
            position=index,
            name=f"{phase.name} task {index}",
            duration_minutes=DAY,
        )
        for phase in summaries
        for index in range(9)
    )
    Dependency.objects.bulk_create(
        Dependency(predecessor=a, successor=b) for a, b in pairwise(tasks)
    )
    schedule_services.renumber(project)
    schedule_services.project_reschedule(project=project)
    return tasks


def test_a_chart_of_300_tasks_draws_bars_scrolls_to_the_end_and_moves(page):
    # given 300 tasks, saved as a baseline
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="BIG", start_date=MONDAY)
    manager = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    tasks = _plan(project, 30)
    baseline_services.baseline_save(project=project, actor=manager, name="Approved")
    first, second, last = tasks[0], tasks[1], tasks[-1]
    data_requests: list[str] = []
    page.on("request", lambda request: "gantt.json" in request.url and data_requests.append(1))

    # when the manager opens the Gantt chart
    page.goto("/")
    page.get_by_label("Email address").fill("tpm@northwind.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Projects"))).to_be_visible()
    page.goto(f"/projects/{project.pk}/gantt/")
    chart = page.locator("#gantt[data-state=ready]")

    # then it knows all 300 rows, draws bars (and baseline bars) for those in view only
    expect(chart).to_have_attribute("data-rows", "300")
    first_row = page.locator(f'.lg-row[data-id="{first.pk}"]')
    expect(first_row.locator(".lg-bar")).to_be_visible()
    expect(first_row).to_have_attribute("data-start", "2027-01-04")
    expect(first_row.locator(".lg-baseline")).to_have_attribute("data-baseline-start", "2027-01-04")
    expect(first_row.locator(".lg-bar")).to_have_attribute(
        "aria-label", re.compile(r"^1\.1 Phase 0 task 0, task, 2027-01-04 to 2027-01-04, 0% done")
    )
    assert 10 < page.locator("#gantt .lg-row").count() < 100
    expect(page.locator(f'.lg-row[data-id="{last.pk}"]')).to_have_count(0)
    # and the data came once: the script took the answer the page had preloaded
    assert len(data_requests) == 1

    # when the chart is scrolled to the bottom, the last task is drawn with its bar
    page.locator("#gantt .lg-scroller").evaluate("box => { box.scrollTop = box.scrollHeight; }")
    last_row = page.locator(f'.lg-row[data-id="{last.pk}"]')
    expect(last_row.locator(".lg-wbs")).to_have_text("30.9")
    expect(last_row.locator(".lg-bar")).to_have_count(1)
    expect(first_row).to_have_count(0)

    # when, back at the top, the first task's bar moves a day from the keyboard
    page.locator("#gantt .lg-scroller").evaluate("box => { box.scrollTop = 0; }")
    bar = first_row.locator(".lg-bar")
    bar.focus()
    with page.expect_response(lambda r: "/gantt/tasks/" in r.url) as moved:
        page.keyboard.press("ArrowRight")
    # then the answer's rows are merged: the task and its successor moved on the chart
    assert moved.value.status == 200
    expect(first_row).to_have_attribute("data-start", "2027-01-05")
    expect(page.locator(f'.lg-row[data-id="{second.pk}"]')).to_have_attribute(
        "data-start", "2027-01-06"
    )
    expect(page.get_by_role("status")).to_contain_text("other tasks moved with it")
