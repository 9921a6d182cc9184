"""Editing a card from its page: the move and the agile fields are one service, one transaction.

`board_services.card_update` is the only entry point of the card's edit page: it moves the card
(when it shows in another column) and sets its type, priority, points, labels and sprint, both
or neither; it cannot be wrapped in a caller's transaction. A stale edit of a card or of a
workflow status answers 409 with the record as it is now; the board pages only read.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from projects.agile.services import board as board_services
from projects.agile.services import workflow as workflow_services
from projects.models import Task, TaskStatus, WorkflowStatus
from tests.conftest import client_for
from tests.factories import ProjectFactory, SprintFactory, TaskFactory
from tests.projects.helpers import text
from tpm.concurrency import StaleVersionError


def _statuses(project) -> dict[str, WorkflowStatus]:
    return {status.name: status for status in WorkflowStatus.objects.filter(project=project)}


def test_a_card_update_moves_the_card_and_sets_its_fields(world):
    # given a card to do
    task = TaskFactory(project=world.project, name="Search")
    doing = _statuses(world.project)["In progress"]
    # when a planner puts it in progress as an urgent story in one edit
    updated = board_services.card_update(
        task=task,
        actor=world.manager,
        version=task.version,
        status=doing,
        task_type="story",
        priority="urgent",
    )
    # then both happened, and the version counts both writes
    task.refresh_from_db()
    assert (task.workflow_status, task.status) == (doing, TaskStatus.IN_PROGRESS)
    assert (task.task_type, task.priority) == ("story", "urgent")
    assert updated.version == task.version


def test_a_refused_field_undoes_the_move(world):
    # given a card to do and a closed sprint
    task = TaskFactory(project=world.project, name="Search")
    closed = SprintFactory(project=world.project, name="Sprint 0", state="closed")
    done = _statuses(world.project)["Done"]
    # when the edit moves it to Done but names the closed sprint
    with pytest.raises(ValidationError, match="Sprint 0 is closed"):
        board_services.card_update(
            task=task, actor=world.manager, version=task.version, status=done, sprint=closed
        )
    # then neither the move nor the progress it reports were kept
    task.refresh_from_db()
    assert task.workflow_status is None and task.status == TaskStatus.NOT_STARTED
    assert task.percent_complete == 0 and task.actual_finish is None


def test_a_stale_card_update_changes_nothing(world):
    # given a card someone changed after the editor loaded it
    task = TaskFactory(project=world.project, name="Search")
    seen = task.version
    Task.objects.filter(pk=task.pk).update(version=seen + 1, priority="high")
    # when the editor saves from the version they saw
    with pytest.raises(StaleVersionError) as stale:
        board_services.card_update(
            task=task,
            actor=world.manager,
            version=seen,
            status=_statuses(world.project)["Done"],
            priority="low",
        )
    # then it is refused with the card as it is now, and nothing moved
    assert stale.value.current.priority == "high"
    task.refresh_from_db()
    assert (task.status, task.priority) == (TaskStatus.NOT_STARTED, "high")


def test_a_card_update_cannot_be_wrapped_in_a_callers_transaction(world):
    task = TaskFactory(project=world.project, name="Search")
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        board_services.card_update(
            task=task,
            actor=world.manager,
            version=task.version,
            status=_statuses(world.project)["To do"],
        )


def test_the_edit_page_answers_a_stale_edit_with_409_and_the_task_as_it_is(world):
    # given a card the manager opened, then someone made it a bug
    task = TaskFactory(project=world.project, name="Search")
    seen = task.version
    Task.objects.filter(pk=task.pk).update(version=seen + 1, task_type="bug")
    url = reverse("board-task-edit", args=[world.project.pk, task.pk])
    # when the manager saves their edit
    response = client_for(world.manager).post(
        url,
        {
            "status": _statuses(world.project)["Done"].pk,
            "task_type": "story",
            "priority": "low",
            "version": seen,
        },
    )
    # then it is a conflict showing the task as it is now, ready to edit again
    assert response.status_code == 409
    assert "Someone changed this task meanwhile" in text(response)
    form = response.context["form"]
    assert (form.initial["task_type"], form.initial["version"]) == ("bug", seen + 1)
    task.refresh_from_db()
    assert (task.task_type, task.status) == ("bug", TaskStatus.NOT_STARTED)


def test_a_stale_status_edit_is_409_with_the_statuses_as_they_are(world):
    # given "In progress" renamed by someone after the manager opened the page
    doing = _statuses(world.project)["In progress"]
    workflow_services.status_update(
        status=doing, actor=world.manager, version=doing.version, name="Doing"
    )
    # when the manager saves their edit of the old version
    response = client_for(world.manager).post(
        reverse("workflow-status-edit", args=[world.project.pk, doing.pk]),
        {"name": "Started", "category": "in_progress", "version": doing.version},
    )
    # then it is a conflict, the row shows the other person's name and why nothing changed
    assert response.status_code == 409
    row = response.content.decode().split(f'id="status-{doing.pk}"')[1].split("</tr>")[0]
    assert "Doing" in row and "Someone changed this status meanwhile" in row
    doing.refresh_from_db()
    assert doing.name == "Doing"


def test_every_new_project_has_its_board_before_anyone_opens_it(world):
    # given projects made by the factory (as project_create makes them) and one made before
    # workflows existed
    made = ProjectFactory(organisation=world.organisation)
    older = ProjectFactory(organisation=world.organisation, workflow=False)
    # then the first has the default statuses, the second none until the migration adds them
    assert [s.name for s in WorkflowStatus.objects.filter(project=made)] == [
        "To do",
        "In progress",
        "In review",
        "Done",
    ]
    assert not WorkflowStatus.objects.filter(project=older).exists()


def test_the_board_pages_only_read(world):
    # given a project without statuses (made before workflows existed)
    older = ProjectFactory(organisation=world.organisation, workflow=False)
    client = client_for(world.admin)
    # when its board and workflow pages are opened
    for route in ("project-board", "project-workflow"):
        response = client.get(reverse(route, args=[older.pk]))
        assert response.status_code == 200
    # then nothing was created on the way
    assert not WorkflowStatus.objects.filter(project=older).exists()
