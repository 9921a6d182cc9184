"""The Gantt chart in a real browser: a manager drags a task and sees its successor move.

The chart needs the front-end bundle (`npm run build`, which `make test` runs first).
The plan starts on Monday 4 January 2027 on the standard calendar (Mon-Fri, 8 h a day).
"""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from projects import task_services
from projects.models import ConstraintType, Task
from tests.factories import PASSWORD, OrganisationFactory, ProjectFactory, on_project
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = 480
MONDAY = date(2027, 1, 4)


@pytest.fixture(autouse=True)
def _bundle_built():
    if not (Path(settings.BASE_DIR) / "static" / "dist" / "app.css").exists():
        pytest.skip("The front-end bundle is not built (npm run build)")


def _sign_in(page, email: str) -> None:
    page.goto("/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Projects"))).to_be_visible()


def _local_day(moment) -> date:
    from projects.schedule_input import project_zone, to_wall_clock

    wall = to_wall_clock(moment, project_zone(None))  # type: ignore[arg-type]
    assert wall is not None
    return wall.date()


def test_manager_drags_a_task_and_its_successor_moves(page):
    # given a plan A -> B (finish-to-start), A two days from Monday 4 January, B one day
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="PAY", start_date=MONDAY)
    manager = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    design = task_services.task_create(
        project=project, actor=manager, name="Design", duration_minutes=2 * DAY
    )
    build = task_services.task_create(
        project=project, actor=manager, name="Build", duration_minutes=DAY
    )
    task_services.dependency_create(predecessor=design, successor=build, actor=manager)
    build.refresh_from_db()
    assert _local_day(build.start) == date(2027, 1, 6)  # Wednesday

    # when the manager opens the Gantt chart, zoomed to days
    _sign_in(page, "tpm@northwind.test")
    page.goto(f"/projects/{project.pk}/gantt/")
    chart = page.locator("#gantt[data-state=ready]")
    expect(chart).to_be_visible()
    page.get_by_role("button", name="Day", exact=True).click()
    bar_a = page.locator(f'.bar-wrapper[data-id="{design.pk}"] .bar')
    bar_b = page.locator(f'.bar-wrapper[data-id="{build.pk}"]')
    expect(bar_b).to_have_attribute("data-start", "2027-01-06")
    page.wait_for_timeout(600)  # the library animates the bars' width in
    box = bar_a.bounding_box()
    assert box is not None
    column = 45  # frappe-gantt's Day column width in pixels

    # and drags A three days to the right
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + column * 3 + 10, y, steps=12)
    with page.expect_response(
        lambda response: "/gantt/tasks/" in response.url and response.request.method == "POST"
    ) as moved:
        page.mouse.up()

    # then the server took the drop as "start no earlier than Thursday 7 January"
    response = moved.value
    assert response.status == 200, response.text()
    assert json.loads(response.request.post_data or "{}") == {
        "version": design.version,
        "start": "2027-01-07",
    }
    design.refresh_from_db()
    assert design.constraint_type == ConstraintType.SNET
    assert _local_day(design.start) == date(2027, 1, 7)
    # and B, which follows A, moved to Monday 11 January, in the database and on the chart
    assert _local_day(Task.objects.get(pk=build.pk).start) == date(2027, 1, 11)
    expect(bar_b).to_have_attribute("data-start", "2027-01-11")
    expect(page.get_by_role("status")).to_contain_text("1 other task moved with it")
