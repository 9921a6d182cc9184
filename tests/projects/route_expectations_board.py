"""Permission-matrix entries for the board and workflow routes (see tests/permission_matrix.py).

Members move any card of the project (as in Jira); viewers and stakeholders only read the
board; the workflow (statuses, WIP limits, labels) is the managers'.
"""

from projects.agile.services import workflow as workflow_services
from projects.models import Task
from tests.permission_matrix import Case, expect, project_manage, project_read


def _web(world):
    return {"project_id": world.project.pk}


def _status(world, name="In review"):
    return next(s for s in workflow_services.ensure_workflow(world.project) if s.name == name)


def _status_kwargs(world):
    return {"project_id": world.project.pk, "status_id": _status(world).pk}


def _card(world) -> Task:
    task = Task.objects.filter(project=world.project, name="Card").first()
    return task or Task.objects.create(project=world.project, name="Card")


def _move_data(world):
    card = _card(world)
    return {"task": card.pk, "status": _status(world, "Done").pk, "version": card.version}


def _edit_data(world):
    status = _status(world)
    return {"name": "Review", "category": "in_progress", "version": status.version}


ROUTES: list[Case] = [
    Case("project-board", "get", project_read(), kwargs=_web),
    Case(
        "project-board-cards",
        "get",
        project_read(),
        kwargs=_web,
        data=lambda world: {"status": _status(world, "To do").pk, "lane": "all", "offset": 0},
    ),
    Case(
        "project-board-move",
        "post",
        expect(403, anonymous=302, outsider=404, bystander=404, member=200, manager=200, admin=200),
        kwargs=_web,
        data=_move_data,
        json=True,
    ),
    Case("project-workflow", "get", project_manage(), kwargs=_web),
    Case(
        "project-workflow",
        "post",
        project_manage(302),
        kwargs=_web,
        data=lambda world: {"name": "QA", "category": "in_progress"},
    ),
    Case(
        "workflow-status-edit",
        "post",
        project_manage(302),
        kwargs=_status_kwargs,
        data=_edit_data,
    ),
    Case("workflow-status-delete", "post", project_manage(302), kwargs=_status_kwargs),
    Case(
        "workflow-label-add",
        "post",
        project_manage(302),
        kwargs=_web,
        data=lambda world: {"name": "UX", "colour": "#1d4ed8"},
    ),
    Case(
        "board-task-edit",
        "get",
        project_manage(),
        kwargs=lambda world: {"project_id": world.project.pk, "task_id": _card(world).pk},
    ),
    Case(
        "board-task-edit",
        "post",
        project_manage(302),
        kwargs=lambda world: {"project_id": world.project.pk, "task_id": _card(world).pk},
        data=lambda world: {
            "status": _status(world, "Done").pk,
            "task_type": "bug",
            "priority": "high",
            "story_points": 3,
            "version": _card(world).version,
        },
    ),
]
