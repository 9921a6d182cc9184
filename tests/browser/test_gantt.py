"""The Gantt chart in a real browser: a manager drags a task and sees its successor move,
does the same from the keyboard, and a 5,000-task plan stays a small page that scrolls.

The chart needs the front-end bundle (`npm run build`, which `make test` runs first).
The plan starts on Monday 4 January 2027 on the standard calendar (Mon-Fri, 8 h a day).
"""

import json
import re
from datetime import date
from itertools import pairwise

import pytest
from playwright.sync_api import expect

from projects.models import ConstraintType, Dependency, Task
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.schedule import services as schedule_services
from tests.factories import PASSWORD, OrganisationFactory, ProjectFactory, on_project
from tpm.db_statistics import refresh_statistics
from tpm.roles import ProjectRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = 480
MONDAY = date(2027, 1, 4)


def _sign_in(page, email: str) -> None:
    page.goto("/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Projects"))).to_be_visible()


def _local_day(moment) -> date:
    from projects.schedule.input import project_zone, to_wall_clock

    wall = to_wall_clock(moment, project_zone(None))  # type: ignore[arg-type]
    assert wall is not None
    return wall.date()


def _a_then_b(project, manager) -> tuple[Task, Task]:
    """Design (2 days from Monday 4 January) -> Build (1 day), finish-to-start."""
    design = task_services.task_create(
        project=project, actor=manager, name="Design", duration_minutes=2 * DAY
    )
    build = task_services.task_create(
        project=project, actor=manager, name="Build", duration_minutes=DAY
    )
    task_services.dependency_create(predecessor=design, successor=build, actor=manager)
    design.refresh_from_db()
    return design, build


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
    bar_a = page.locator(f'.lg-row[data-id="{design.pk}"] .lg-bar')
    bar_b = page.locator(f'.lg-row[data-id="{build.pk}"]')
    expect(bar_b).to_have_attribute("data-start", "2027-01-06")
    expect(chart).to_have_attribute("data-zoom", "Day")
    box = bar_a.bounding_box()
    assert box is not None
    column = float(chart.get_attribute("data-px-per-day") or 0)  # one day's width in pixels

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


def test_manager_moves_and_resizes_a_bar_from_the_keyboard(page):
    # given Design (Mon 4 - Tue 5 January) -> Build (Wed 6)
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="PAY", start_date=MONDAY)
    manager = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    design, build = _a_then_b(project, manager)
    _sign_in(page, "tpm@northwind.test")
    page.goto(f"/projects/{project.pk}/gantt/")
    chart = page.locator("#gantt[data-state=ready]")
    expect(chart).to_be_visible()
    bar = page.get_by_role("button", name=re.compile(r"^1 Design, task, 2027-01-04 to 2027-01-05"))
    build_row = page.locator(f'.lg-row[data-id="{build.pk}"]')
    # the bar says how to move it from the keyboard
    expect(bar).to_have_attribute("aria-label", re.compile("arrow keys move it by a day"))

    # when the manager focuses Design's bar and presses → once
    bar.focus()
    with page.expect_response(lambda r: "/gantt/tasks/" in r.url) as moved:
        page.keyboard.press("ArrowRight")
    # then Design starts a day later (Tuesday), and Build follows on Thursday
    assert moved.value.status == 200
    assert json.loads(moved.value.request.post_data or "{}") == {
        "version": design.version,
        "start": "2027-01-05",
    }
    expect(build_row).to_have_attribute("data-start", "2027-01-07")
    design_row = page.locator(f'.lg-row[data-id="{design.pk}"]')
    expect(design_row).to_have_attribute("data-finish", "2027-01-06")

    # when, with the bar still focused, Shift+→ moves its finish a day later
    expect(design_row.locator(".lg-bar")).to_be_focused()
    with page.expect_response(lambda r: "/gantt/tasks/" in r.url) as resized:
        page.keyboard.press("Shift+ArrowRight")
    # then Design lasts three working days and Build moves to Friday
    assert resized.value.status == 200
    assert json.loads(resized.value.request.post_data or "{}")["finish"] == "2027-01-07"
    assert Task.objects.get(pk=design.pk).duration_minutes == 3 * DAY
    expect(build_row).to_have_attribute("data-start", "2027-01-08")

    # and when someone else changes Design meanwhile, the next key press is refused and says so
    fresh = Task.objects.get(pk=design.pk)
    task_services.task_update(
        task=fresh, actor=manager, version=fresh.version, changes=TaskChanges(name="Design 2")
    )
    with page.expect_response(lambda r: "/gantt/tasks/" in r.url) as stale:
        page.keyboard.press("ArrowRight")
    assert stale.value.status == 409
    expect(page.get_by_role("status")).to_contain_text("changed by someone else")
    expect(design_row).to_have_attribute("data-start", "2027-01-05")


def test_a_reader_sees_bars_that_do_not_move(page):
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="PAY", start_date=MONDAY)
    manager = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    on_project(project, ProjectRole.VIEWER, email="viewer@northwind.test")
    design, _ = _a_then_b(project, manager)
    _sign_in(page, "viewer@northwind.test")
    page.goto(f"/projects/{project.pk}/gantt/")
    expect(page.locator("#gantt[data-state=ready]")).to_be_visible()
    bar = page.locator(f'.lg-row[data-id="{design.pk}"] .lg-bar')
    expect(bar).to_have_attribute("role", "img")
    bar.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    expect(page.get_by_role("status")).to_be_hidden()
    assert Task.objects.get(pk=design.pk).constraint_type == ConstraintType.ASAP


def _big_plan(project, size: int) -> None:
    """`size` tasks: phases of ten, each task linked to the one before, scheduled once."""
    phases = Task.objects.bulk_create(
        Task(project=project, name=f"Phase {n}", position=n) for n in range(size // 10)
    )
    children = Task.objects.bulk_create(
        (
            Task(
                project=project,
                parent=phase,
                position=index,
                name=f"{phase.name} task {index}",
                duration_minutes=DAY,
            )
            for phase in phases
            for index in range(9)
        ),
        batch_size=500,
    )
    Dependency.objects.bulk_create(
        (Dependency(predecessor=a, successor=b) for a, b in pairwise(children)), batch_size=500
    )
    refresh_statistics(Task, Dependency)  # as the imports do after a bulk load
    schedule_services.renumber(project)
    schedule_services.project_reschedule(project=project)


def test_a_5000_task_chart_draws_only_the_rows_in_view(page):
    # given a plan of 5,000 tasks
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="BIG", start_date=MONDAY)
    on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    _big_plan(project, 5000)
    last = Task.objects.filter(project=project).order_by("-outline_key").first()
    assert last is not None and last.wbs_code == "500.9"

    # when the manager opens its Gantt chart
    _sign_in(page, "tpm@northwind.test")
    page.goto(f"/projects/{project.pk}/gantt/")
    chart = page.locator("#gantt[data-state=ready]")
    expect(chart).to_be_visible()
    # then it knows all 5,000 rows but draws only those in view, plus a buffer
    expect(chart).to_have_attribute("data-rows", "5000")
    rows = page.locator("#gantt .lg-row")
    expect(rows.first).to_be_visible()
    assert 10 < rows.count() < 200
    assert page.locator("#gantt *").count() < 2000
    expect(page.locator(f'.lg-row[data-id="{last.pk}"]')).to_have_count(0)

    # when the chart is scrolled to the bottom
    page.locator("#gantt .lg-scroller").evaluate("box => { box.scrollTop = box.scrollHeight; }")
    # then the last rows are drawn, and the first ones are gone
    expect(page.locator(f'.lg-row[data-id="{last.pk}"]')).to_be_visible()
    expect(page.locator(f'.lg-row[data-id="{last.pk}"] .lg-wbs')).to_have_text("500.9")
    expect(page.get_by_text("1.1", exact=True)).to_have_count(0)
    assert rows.count() < 200
    # and a click on the last task's name brings its bar (years to the right) into view
    last_row = page.locator(f'.lg-row[data-id="{last.pk}"]')
    expect(last_row.locator(".lg-bar")).not_to_be_in_viewport()
    last_row.locator(".lg-name").click()
    expect(last_row.locator(".lg-bar")).to_be_in_viewport()

    # and folding the last phase hides its tasks and keeps the choice on reload
    page.get_by_role("button", name="Collapse 500 Phase 499").click()
    expect(page.locator(f'.lg-row[data-id="{last.pk}"]')).to_have_count(0)
    expect(chart).to_have_attribute("data-rows", "4991")
    page.reload()
    expect(page.locator("#gantt[data-state=ready]")).to_have_attribute("data-rows", "4991")


def test_dragging_the_end_of_a_bar_changes_its_duration(page):
    # given Design (Mon 4 - Tue 5 January) -> Build (Wed 6), shown by day
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="PAY", start_date=MONDAY)
    manager = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    design, build = _a_then_b(project, manager)
    _sign_in(page, "tpm@northwind.test")
    page.goto(f"/projects/{project.pk}/gantt/")
    chart = page.locator("#gantt[data-state=ready]")
    page.get_by_role("button", name="Day", exact=True).click()
    expect(chart).to_have_attribute("data-zoom", "Day")
    column = float(chart.get_attribute("data-px-per-day") or 0)
    handle = page.locator(f'.lg-row[data-id="{design.pk}"] .lg-handle')
    box = handle.bounding_box()
    assert box is not None

    # when the manager drags its right end one day further
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + column + 5, y, steps=6)
    with page.expect_response(lambda r: "/gantt/tasks/" in r.url) as resized:
        page.mouse.up()

    # then the finish moved (not the start): three working days, and Build follows
    assert resized.value.status == 200
    assert json.loads(resized.value.request.post_data or "{}") == {
        "version": design.version,
        "finish": "2027-01-06",
    }
    assert Task.objects.get(pk=design.pk).duration_minutes == 3 * DAY
    expect(page.locator(f'.lg-row[data-id="{build.pk}"]')).to_have_attribute(
        "data-start", "2027-01-07"
    )


# Each link's path: where it leaves (first x) and where it arrives (last x), in chart pixels,
# with the predecessor's and the successor's bar ends.
LINK_ENDS = """() => [...document.querySelectorAll('#gantt path.lg-link')].map((path) => {
  const d = path.getAttribute('d');
  const ends = (id) => {
    const bar = document.querySelector(`.lg-row[data-id="${id}"] .lg-bar`);
    const left = parseFloat(bar.style.left);
    return [left, left + parseFloat(bar.style.width)];
  };
  return {
    type: [...path.classList].find((c) => /^lg-link-(FS|SS|FF|SF)$/.test(c)).slice(8),
    from: Number(d.match(/^M(-?[\\d.]+),/)[1]),
    to: Number(d.match(/H(-?[\\d.]+)$/)[1]),
    predecessor: ends(path.dataset.from),
    successor: ends(path.dataset.to),
    title: path.querySelector('title').textContent,
  };
})"""


def test_each_link_type_is_drawn_between_the_ends_it_relates(page):
    # given Design linked to four tasks, one by each type (SS with a day's lag)
    organisation = OrganisationFactory(name="Northwind")
    project = ProjectFactory(organisation=organisation, key="PAY", start_date=MONDAY)
    manager = on_project(project, ProjectRole.MANAGER, email="tpm@northwind.test")
    design = task_services.task_create(
        project=project, actor=manager, name="Design", duration_minutes=3 * DAY
    )
    for link_type in ("FS", "SS", "FF", "SF"):
        task = task_services.task_create(
            project=project, actor=manager, name=f"After {link_type}", duration_minutes=2 * DAY
        )
        task_services.dependency_create(
            predecessor=design,
            successor=task,
            actor=manager,
            type=link_type,
            lag_minutes=DAY if link_type == "SS" else 0,
        )

    # when the chart is drawn
    _sign_in(page, "tpm@northwind.test")
    page.goto(f"/projects/{project.pk}/gantt/")
    expect(page.locator("#gantt[data-state=ready]")).to_be_visible()
    expect(page.locator("#gantt path.lg-link")).to_have_count(4)
    links = {link["type"]: link for link in page.evaluate(LINK_ENDS)}

    # then each arrow leaves the predecessor's start or finish and enters the successor's
    # start or finish, as its type says
    for link_type, link in links.items():
        leaves = link["predecessor"][1 if link_type[0] == "F" else 0]
        enters = link["successor"][0 if link_type[1] == "S" else 1]
        assert link["from"] == pytest.approx(leaves), link
        assert link["to"] == pytest.approx(enters), link
    assert links["SS"]["title"] == "1 → 3: start-to-start, lag 1 d"
    assert links["SF"]["title"] == "1 → 5: start-to-finish"
