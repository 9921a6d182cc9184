"""Workflow: per-project statuses with categories, kept in step with the schedule's progress."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects import services
from projects.agile.services import board as board_services
from projects.agile.services import workflow as workflow_services
from projects.models import StatusCategory, Task, TaskStatus, WorkflowStatus
from projects.plan import services as task_services
from projects.plan.changes import ProgressChanges
from tests.conftest import client_for
from tests.factories import TaskFactory
from tests.projects.helpers import text


def _statuses(project) -> dict[str, WorkflowStatus]:
    return {status.name: status for status in workflow_services.ensure_workflow(project)}


def test_a_new_project_starts_with_the_default_workflow(world):
    # when a manager creates a project
    project = services.project_create(
        organisation=world.organisation, actor=world.manager, key="NEW", name="New"
    )
    # then it has the four default statuses, in order, with their categories
    statuses = list(WorkflowStatus.objects.filter(project=project).order_by("position"))
    assert [(s.name, s.category) for s in statuses] == [
        ("To do", "to_do"),
        ("In progress", "in_progress"),
        ("In review", "in_progress"),
        ("Done", "done"),
    ]


def test_ensure_workflow_is_idempotent(world):
    first = workflow_services.ensure_workflow(world.project)
    second = workflow_services.ensure_workflow(world.project)
    assert [s.pk for s in first] == [s.pk for s in second]


def test_moving_to_done_completes_the_task_and_back_reopens_it(world):
    # given a task on the board
    task = task_services.task_create(project=world.project, actor=world.manager, name="Build")
    statuses = _statuses(world.project)
    # when it moves to Done
    result = board_services.card_move(
        task=task, actor=world.member, version=task.version, status=statuses["Done"]
    )
    # then the schedule says completed, 100%, with an actual finish
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    assert task.percent_complete == 100
    assert task.actual_finish is not None
    assert task.workflow_status == statuses["Done"]
    # when it moves back to In progress it is reopened
    board_services.card_move(
        task=task, actor=world.member, version=result.task.version, status=statuses["In progress"]
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert task.actual_finish is None
    assert task.percent_complete == 0
    # and back to To do it is not started any more
    board_services.card_move(
        task=task, actor=world.member, version=task.version, status=statuses["To do"]
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    assert task.actual_start is None


def test_progress_reported_on_the_plan_moves_the_card(world):
    # given a task in "In review" (an in-progress status)
    task = task_services.task_create(project=world.project, actor=world.manager, name="Build")
    statuses = _statuses(world.project)
    board_services.card_move(
        task=task, actor=world.manager, version=task.version, status=statuses["In review"]
    )
    task.refresh_from_db()
    # when progress is reported done on the plan (not on the board)
    task_services.task_update_progress(
        task=task,
        actor=world.manager,
        version=task.version,
        changes=ProgressChanges(status=TaskStatus.COMPLETED),
    )
    # then the board shows it in the first done status
    by_id = {s.pk: s for s in statuses.values()}
    first = workflow_services.first_of_category(list(statuses.values()))
    task.refresh_from_db()
    column = workflow_services.effective_status_id(
        task.workflow_status_id, task.status, by_id, first
    )
    assert column == statuses["Done"].pk


def test_a_workflow_keeps_a_to_do_and_a_done_status(world):
    statuses = _statuses(world.project)
    with pytest.raises(ValidationError, match="at least one"):
        workflow_services.status_delete(status=statuses["Done"], actor=world.manager)
    with pytest.raises(ValidationError, match="at least one"):
        workflow_services.status_update(
            status=statuses["To do"],
            actor=world.manager,
            version=statuses["To do"].version,
            category=StatusCategory.IN_PROGRESS,
        )


def test_removing_a_status_moves_its_cards_to_another_of_its_category(world):
    statuses = _statuses(world.project)
    task = TaskFactory(project=world.project, workflow_status=statuses["In review"])
    workflow_services.status_delete(status=statuses["In review"], actor=world.manager)
    task.refresh_from_db()
    assert task.workflow_status == statuses["In progress"]


def test_a_blocking_limit_needs_a_limit_and_names_are_unique(world):
    _statuses(world.project)
    with pytest.raises(ValidationError, match="WIP limit"):
        workflow_services.status_create(
            project=world.project,
            actor=world.manager,
            name="QA",
            category="in_progress",
            wip_blocking=True,
        )
    with pytest.raises(ValidationError, match="already has a status"):
        workflow_services.status_create(
            project=world.project, actor=world.manager, name="done", category="done"
        )


def test_the_manager_configures_the_workflow_on_its_page(world):
    client = client_for(world.manager)
    url = reverse("project-workflow", args=[world.project.pk])
    # when the manager adds a status with a blocking limit
    response = client.post(
        url, {"name": "QA", "category": "in_progress", "wip_limit": 2, "wip_blocking": "on"}
    )
    assert response.status_code == 302
    qa = WorkflowStatus.objects.get(project=world.project, name="QA")
    assert qa.wip_limit == 2 and qa.wip_blocking
    # and renames it through the edit form
    edit = reverse("workflow-status-edit", args=[world.project.pk, qa.pk])
    response = client.post(
        edit, {"name": "Testing", "category": "in_progress", "wip_limit": 3, "version": qa.version}
    )
    assert response.status_code == 302
    qa.refresh_from_db()
    assert (qa.name, qa.wip_limit, qa.wip_blocking) == ("Testing", 3, False)
    assert "Testing" in text(client.get(url))


def test_bad_workflow_input_is_a_form_error(world):
    client = client_for(world.manager)
    url = reverse("project-workflow", args=[world.project.pk])
    response = client.post(url, {"name": "", "category": "nonsense", "wip_limit": -1})
    assert response.status_code == 422
    assert "Select a valid choice" in text(response)


def test_a_refused_edit_shows_its_errors_in_the_statuss_own_row(world):
    # given the manager's statuses
    statuses = {s.name: s for s in workflow_services.ensure_workflow(world.project)}
    doing = statuses["In progress"]
    client = client_for(world.manager)
    # when they save "In progress" with no name and a limit of zero
    response = client.post(
        reverse("workflow-status-edit", args=[world.project.pk, doing.pk]),
        {"name": "", "category": "in_progress", "wip_limit": 0, "version": doing.version},
    )
    # then the row of "In progress" names both problems and the add form stays empty
    assert response.status_code == 422
    page = response.content.decode()
    row = page.split(f'id="status-{doing.pk}"')[1].split("</tr>")[0]
    assert "“In progress” was not changed" in row
    assert "Name: This field is required." in row and "WIP limit" in row
    add_form = page.split('id="add-status-heading"')[1]
    assert "This field is required" not in add_form
    doing.refresh_from_db()
    assert doing.name == "In progress"


def test_members_cannot_configure_the_workflow(world):
    response = client_for(world.member).get(reverse("project-workflow", args=[world.project.pk]))
    assert response.status_code == 403


def test_task_classify_sets_type_points_labels(world):
    task = TaskFactory(project=world.project)
    label = workflow_services.label_create(project=world.project, actor=world.manager, name="UX")
    task = workflow_services.task_classify(
        task=task,
        actor=world.manager,
        version=task.version,
        task_type="bug",
        priority="high",
        story_points=5,
        labels=[label],
    )
    stored = Task.objects.get(pk=task.pk)
    assert (stored.task_type, stored.priority, stored.story_points) == ("bug", "high", 5)
    assert list(stored.labels.all()) == [label]
