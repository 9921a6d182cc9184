"""The plan's outline: reading the WBS, and the planners' htmx edits (add, edit, move, delete).

Plans are built through projects.plan.services so that codes and dates are the ones the
scheduling engine computes. The project starts on Monday 4 January 2027 (standard calendar).
"""

import re
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from projects.models import Task
from projects.plan import services as task_services
from projects.plan.changes import TaskChanges
from projects.schedule import services as schedule_services
from tests.conftest import client_for
from tests.factories import DependencyFactory, TaskFactory
from tests.projects.helpers import HTMX, assert_same_count, queries_for, text

MONDAY = date(2027, 1, 4)
DAY = 480


@pytest.fixture
def plan(world):
    world.project.start_date = MONDAY
    world.project.save()
    return world


def add(world, name, days=1, **fields) -> Task:
    return task_services.task_create(
        project=world.project,
        actor=world.manager,
        name=name,
        duration_minutes=days * DAY,
        **fields,
    )


def link(world, predecessor, successor, **fields):
    return task_services.dependency_create(
        predecessor=predecessor, successor=successor, actor=world.manager, **fields
    )


def _plan_url(world):
    return reverse("project-plan", args=[world.project.pk])


def _edit_url(world, task):
    return reverse("plan-task-edit", args=[world.project.pk, task.pk])


def _move_url(world, task):
    return reverse("plan-task-move", args=[world.project.pk, task.pk])


def _delete_url(world, task):
    return reverse("plan-task-delete", args=[world.project.pk, task.pk])


def _row(response, task) -> str:
    """The HTML of one task's row."""
    match = re.search(rf'<tr id="task-{task.pk}".*?</tr>', text(response), re.S)
    assert match, f"no row for {task.name}"
    return match.group(0)


def _names_in_order(response) -> list[str]:
    return [row.task.name for row in response.context["rows"]]


def test_the_outline_lists_tasks_in_wbs_order_with_dates_and_links(plan):
    # given a phase with two linked tasks, a milestone, and a second phase
    design = add(plan, "Design")
    sketch = add(plan, "Sketch", days=2, parent=design)
    review = add(plan, "Review", parent=design)
    add(plan, "Sign-off", days=0, is_milestone=True)
    build = add(plan, "Build", days=3)
    link(plan, sketch, review, lag_minutes=DAY)
    # when a viewer opens the plan
    response = client_for(plan.viewer).get(_plan_url(plan))
    # then the rows come in outline order with their WBS codes
    assert response.status_code == 200
    assert _names_in_order(response) == ["Design", "Sketch", "Review", "Sign-off", "Build"]
    assert [row.task.wbs_code for row in response.context["rows"]] == ["1", "1.1", "1.2", "2", "3"]
    # and each row shows duration in days, dates and the predecessor as "1.1FS+1d"
    review_row = _row(response, review)
    assert "1.1FS+1d" in review_row
    assert "7 Jan 2027" in review_row  # Sketch Mon-Tue, lag Wednesday, Review Thursday
    assert "2" in _row(response, sketch)
    # and the summary spans its tasks, says so, and is marked for assistive technology
    design_row = _row(response, design)
    assert "4 Jan 2027" in design_row and "7 Jan 2027" in design_row
    assert "(summary)" in design_row
    assert "Summary dates span their tasks" in text(response)
    # and the milestone carries a diamond with a text alternative; each name links to its page
    sign_off = _row(response, Task.objects.get(name="Sign-off"))
    assert "Milestone:" in sign_off
    assert sign_off.count("4 Jan 2027") == 2  # a moment: both columns show the day it falls on
    assert reverse("task-detail", args=[plan.project.pk, build.pk]) in _row(response, build)
    # and the project's tabs lead here
    assert f'href="{_plan_url(plan)}" aria-current="page">Plan</a>' in text(response)
    # and the viewer gets no edit controls
    assert reverse("plan-task-add", args=[plan.project.pk]) not in text(response)
    assert _edit_url(plan, build) not in text(response)


def test_negative_float_is_shown_as_late(plan):
    # given five days of work due after two
    task = add(plan, "Security review", days=5, deadline=date(2027, 1, 5))
    # when the plan is shown
    row = _row(client_for(plan.member).get(_plan_url(plan)), task)
    # then the float says how late it is, in words as well as colour
    assert "late by 3 days" in row
    assert 'class="late"' in row
    assert "Critical" in row


def test_a_planner_adds_a_task_and_sees_it_with_dates(plan):
    # given a phase
    design = add(plan, "Design")
    # when the manager adds a two-day task under it from the outline's last row
    response = client_for(plan.manager).post(
        reverse("plan-task-add", args=[plan.project.pk]),
        {"name": "Wireframes", "duration_days": "2", "parent": design.pk},
        headers=HTMX,
    )
    # then the refreshed panel shows it as 1.1 with its computed dates
    assert response.status_code == 200
    task = Task.objects.get(name="Wireframes")
    assert task.wbs_code == "1.1" and task.duration_minutes == 2 * DAY
    row = _row(response, task)
    assert "4 Jan 2027" in row and "5 Jan 2027" in row
    assert 'id="plan-panel"' in text(response)
    assert "Added 1.1 Wireframes" in text(response)


def test_adding_a_milestone_and_without_javascript(plan):
    # when the manager adds a milestone with a plain form post
    response = client_for(plan.manager).post(
        reverse("plan-task-add", args=[plan.project.pk]),
        {"name": "Launch", "duration_days": "3", "is_milestone": "on"},
    )
    # then they are sent back to the plan at the new row, and the milestone has no duration
    launch = Task.objects.get(name="Launch")
    assert response.status_code == 302
    assert response["Location"] == f"{_plan_url(plan)}?task={launch.pk}#task-{launch.pk}"
    assert launch.is_milestone and launch.duration_minutes == 0


def test_adding_without_a_name_is_a_422_with_the_error_next_to_the_field(plan):
    # when the manager submits the add row empty
    response = client_for(plan.manager).post(
        reverse("plan-task-add", args=[plan.project.pk]),
        {"name": "", "duration_days": "-1"},
        headers=HTMX,
    )
    # then nothing is added and both fields explain
    assert response.status_code == 422
    assert not Task.objects.exists()
    assert 'id="add-name-error"' in text(response)
    assert 'id="add-duration-error"' in text(response)


def test_editing_a_duration_moves_the_successor_on_the_page(plan):
    # given spec (2 days) then build (1 day)
    spec = add(plan, "Spec", days=2)
    build = add(plan, "Build")
    link(plan, spec, build)
    client = client_for(plan.manager)
    # when the manager opens the row's inline form
    form = client.get(_edit_url(plan, spec), headers=HTMX)
    assert form.status_code == 200
    assert 'id="edit-task-' in _row(form, spec)
    assert f'name="version" value="{spec.version}"' in _row(form, spec)
    # and makes spec four days long
    response = client.post(
        _edit_url(plan, spec),
        {"name": "Spec", "duration_days": "4", "version": spec.version},
        headers=HTMX,
    )
    # then the returned table shows build on Friday instead of Wednesday
    assert response.status_code == 200
    assert "8 Jan 2027" in _row(response, build)
    assert "6 Jan 2027" not in _row(response, build)
    build.refresh_from_db()
    assert build.start.date() == date(2027, 1, 8)


def test_an_invalid_inline_edit_is_a_422_and_keeps_the_row_form(plan):
    # given a task
    task = add(plan, "Spec", days=2)
    # when the manager clears its name
    response = client_for(plan.manager).post(
        _edit_url(plan, task),
        {"name": "", "duration_days": "3", "version": task.version},
        headers=HTMX,
    )
    # then the row stays a form with the error, and nothing changed
    assert response.status_code == 422
    assert f'id="row-{task.pk}-name-error"' in _row(response, task)
    task.refresh_from_db()
    assert task.name == "Spec" and task.duration_minutes == 2 * DAY


def test_a_stale_inline_edit_is_a_409_and_overwrites_nothing(plan):
    # given the manager opened the row, then someone else renamed the task
    task = add(plan, "Spec", days=2)
    seen = task.version
    task_services.task_update(
        task=task, actor=plan.admin, version=seen, changes=TaskChanges(name="Specification")
    )
    # when the manager saves from the old version
    response = client_for(plan.manager).post(
        _edit_url(plan, task),
        {"name": "Spec v2", "duration_days": "5", "version": seen},
        headers=HTMX,
    )
    # then they are told, and shown the current values to edit again
    assert response.status_code == 409
    row = _row(response, task)
    assert "changed by someone else" in row
    assert 'value="Specification"' in row
    task.refresh_from_db()
    assert task.name == "Specification" and task.duration_minutes == 2 * DAY


def test_indent_makes_a_summary_and_outdent_undoes_it(plan):
    # given two tasks side by side
    design = add(plan, "Design")
    sketch = add(plan, "Sketch")
    client = client_for(plan.manager)
    # when the manager indents the second
    response = client.post(
        _move_url(plan, sketch), {"direction": "indent", "version": sketch.version}, headers=HTMX
    )
    # then it becomes 1.1 and the first becomes a summary (bold row)
    assert response.status_code == 200
    design.refresh_from_db()
    sketch.refresh_from_db()
    assert sketch.parent_id == design.pk and sketch.wbs_code == "1.1"
    assert design.is_summary
    assert 'class="plan-row summary' in _row(response, design)
    # when they outdent it again
    response = client.post(
        _move_url(plan, sketch), {"direction": "outdent", "version": sketch.version}, headers=HTMX
    )
    # then it is back at the top level, after its former parent
    sketch.refresh_from_db()
    assert sketch.parent_id is None and sketch.wbs_code == "2"


def test_up_and_down_reorder_siblings(plan):
    # given three tasks
    first, second, third = add(plan, "First"), add(plan, "Second"), add(plan, "Third")
    client = client_for(plan.manager)
    # when the third moves up
    response = client.post(
        _move_url(plan, third), {"direction": "up", "version": third.version}, headers=HTMX
    )
    # then the outline reads First, Third, Second
    assert _names_in_order(response) == ["First", "Third", "Second"]
    # and moving the first down puts it after Third
    response = client.post(
        _move_url(plan, first), {"direction": "down", "version": first.version}, headers=HTMX
    )
    assert _names_in_order(response) == ["Third", "First", "Second"]
    assert second.pk  # untouched


def test_a_move_that_cannot_happen_is_explained_in_the_row(plan):
    # given a single task
    task = add(plan, "Alone")
    # when the manager tries to indent it (nothing above) or move it up
    response = client_for(plan.manager).post(
        _move_url(plan, task), {"direction": "indent", "version": task.version}, headers=HTMX
    )
    # then the row says why, with a 422
    assert response.status_code == 422
    assert "no task above it" in _row(response, task)


def test_a_stale_move_is_a_409(plan):
    # given a task someone else renamed after the page was loaded
    first, second = add(plan, "First"), add(plan, "Second")
    task_services.task_update(
        task=second, actor=plan.admin, version=second.version, changes=TaskChanges(name="2nd")
    )
    # when the manager moves it up from the old version
    response = client_for(plan.manager).post(
        _move_url(plan, second), {"direction": "up", "version": second.version}, headers=HTMX
    )
    # then nothing moved
    assert response.status_code == 409
    assert "changed by someone else" in _row(response, second)
    assert _names_in_order(response) == ["First", "2nd"]
    assert first.pk


def test_deleting_a_summary_takes_its_subtasks(plan):
    # given a phase with a task, and another task
    design = add(plan, "Design")
    add(plan, "Sketch", parent=design)
    build = add(plan, "Build")
    client = client_for(plan.manager)
    # when the manager opens the confirmation page without JavaScript
    confirm = client.get(_delete_url(plan, design))
    assert confirm.status_code == 200
    assert "Its 1 subtask goes with it" in text(confirm)
    # and deletes through htmx
    response = client.post(_delete_url(plan, design), headers=HTMX)
    # then the outline is renumbered without them
    assert response.status_code == 200
    assert _names_in_order(response) == ["Build"]
    build.refresh_from_db()
    assert build.wbs_code == "1"
    assert Task.objects.filter(deleted_at__isnull=False).count() == 2


def test_a_long_outline_is_shown_in_pages_and_edits_come_back_to_their_page(plan, monkeypatch):
    # given seven tasks and pages of three rows
    monkeypatch.setattr("projects.plan.views.outline.PAGE_ROWS", 3)
    tasks = [add(plan, f"Step {n}") for n in range(1, 8)]
    client = client_for(plan.manager)
    # when the manager opens the plan, then the next page
    first = client.get(_plan_url(plan))
    second = client.get(_plan_url(plan), {"page": 2})
    # then each shows its rows, where they are in the outline, and the way to the others
    assert _names_in_order(first) == ["Step 1", "Step 2", "Step 3"]
    assert "Rows 1 to 3 of 7" in text(first) and "Page 1 of 3" in text(first)
    assert _names_in_order(second) == ["Step 4", "Step 5", "Step 6"]
    assert "Rows 4 to 6 of 7" in text(second) and 'href="?page=3"' in text(second)
    # and the add row's parent search still finds every task, also one off this page
    search = reverse("plan-parent-search", args=[plan.project.pk])
    found = client.get(search, {"q": "Step 7"}).json()["results"]
    assert [task["id"] for task in found] == [tasks[6].pk]
    # when a row of the second page is edited and saved through htmx
    step5 = tasks[4]
    editing = client.get(_edit_url(plan, step5), headers=HTMX)
    saved = client.post(
        _edit_url(plan, step5),
        {"name": "Step 5b", "duration_days": "2", "version": step5.version},
        headers=HTMX,
    )
    # then both answers show the second page, with the row's form, then the saved row
    assert _names_in_order(editing) == ["Step 4", "Step 5", "Step 6"]
    assert f'id="row-{step5.pk}-name"' in text(editing)
    assert _names_in_order(saved) == ["Step 4", "Step 5b", "Step 6"]
    # when the first task of the second page is deleted, that page shows the rows after it
    deleted = client.post(_delete_url(plan, tasks[3]), headers=HTMX)
    assert _names_in_order(deleted) == ["Step 5b", "Step 6", "Step 7"]
    # and without JavaScript a save comes back to the row's page
    step7 = Task.objects.get(pk=tasks[6].pk)
    response = client.post(
        _edit_url(plan, step7), {"name": "Step 7", "duration_days": "1", "version": step7.version}
    )
    assert response["Location"] == f"{_plan_url(plan)}?task={step7.pk}#task-{step7.pk}"
    assert _names_in_order(client.get(response["Location"])) == ["Step 5b", "Step 6", "Step 7"]


def test_viewers_get_403_on_every_write_and_outsiders_404(plan):
    # given a task
    task = add(plan, "Spec")
    viewer, member = client_for(plan.viewer), client_for(plan.member)
    # then people who may not plan are refused
    add_url = reverse("plan-task-add", args=[plan.project.pk])
    assert viewer.post(add_url, {"name": "X", "duration_days": "1"}).status_code == 403
    assert member.post(add_url, {"name": "X", "duration_days": "1"}).status_code == 403
    edit = {"name": "X", "duration_days": "1", "version": task.version}
    assert member.post(_edit_url(plan, task), edit).status_code == 403
    assert viewer.post(_move_url(plan, task), {"direction": "up"}).status_code == 403
    assert viewer.post(_delete_url(plan, task)).status_code == 403
    # and the outsider and the bystander do not learn the plan exists
    assert client_for(plan.outsider).get(_plan_url(plan)).status_code == 404
    assert client_for(plan.bystander).get(_plan_url(plan)).status_code == 404
    assert Task.objects.get().name == "Spec"


def test_a_task_of_another_project_is_a_404_in_this_plan(plan):
    # given a task in a sister project the manager also plans
    sister = task_services.task_create(
        project=plan.deleted_project.__class__.objects.create(
            organisation=plan.organisation, key="SIS", name="Sister"
        ),
        actor=plan.admin,
        name="Elsewhere",
    )
    # when the admin addresses it through WEB's plan
    response = client_for(plan.admin).get(_edit_url(plan, sister))
    # then it is not found there
    assert response.status_code == 404


def _plan_of(world, size: int) -> None:
    """A plan of `size` tasks: phases of five, each task linked to the one before.

    Built with factories and scheduled once (through the services it would reschedule per task).
    """
    previous = phase = None
    for index in range(size):
        number, sub = divmod(index, 5)
        if sub == 0:
            code = str(number + 1)
            phase = TaskFactory(project=world.project, name=f"Phase {index}", is_summary=True)
            previous = None
        else:
            code = f"{number + 1}.{sub}"
        task = (
            phase
            if sub == 0
            else TaskFactory(project=world.project, parent=phase, name=f"Task {index}")
        )
        Task.objects.filter(pk=task.pk).update(
            wbs_code=code, outline_key=schedule_services.outline_key(code), position=sub
        )
        if sub:
            task.assignees.add(world.member)
            if previous is not None:
                DependencyFactory(predecessor=previous, successor=task, lag_minutes=DAY)
            previous = task
    schedule_services.project_reschedule(project=world.project)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_the_outline_costs_the_same_queries_for_5_or_50_tasks(plan, htmx):
    # given a small plan
    client = client_for(plan.manager)
    headers = HTMX if htmx else {}
    _plan_of(plan, 5)
    few = queries_for(client, "get", _plan_url(plan), headers=headers)
    task = Task.objects.filter(is_summary=False).first()
    few_edit = queries_for(client, "get", _edit_url(plan, task), headers=headers)
    # when it grows tenfold
    Task.objects.all().delete()
    _plan_of(plan, 50)
    many = queries_for(client, "get", _plan_url(plan), headers=headers)
    task = Task.objects.filter(is_summary=False).first()
    many_edit = queries_for(client, "get", _edit_url(plan, task), headers=headers)
    # then the page and its row-edit fragment cost the same number of queries
    assert len(many.response.context["rows"]) == 50
    assert "1.1FS+1d" in text(many.response) and plan.member.display_name in text(many.response)
    assert len(many) <= 15, len(many)
    assert_same_count(few, many)
    assert_same_count(few_edit, many_edit)


def test_saving_a_row_costs_the_same_queries_for_5_or_50_tasks(plan):
    # given a small plan, then a large one
    client = client_for(plan.manager)
    ContentType.objects.get_for_model(Task)  # history's cached lookup, paid once per process
    counts = []
    for size in (5, 50):
        Task.objects.all().delete()
        _plan_of(plan, size)
        task = Task.objects.filter(is_summary=False).first()
        data = {"name": "Renamed", "duration_days": "2", "version": task.version}
        counts.append(queries_for(client, "post", _edit_url(plan, task), data=data, headers=HTMX))
    # then saving one row and returning the panel does not grow with the plan
    assert_same_count(*counts)


def test_the_plan_states_how_summary_progress_is_weighted(world):
    url = reverse("project-plan", args=[world.project.pk])
    assert "weighted by duration" in text(client_for(world.manager).get(url))
    world.project.progress_weighting = "effort"
    world.project.save()
    assert "weighted by effort" in text(client_for(world.manager).get(url))
