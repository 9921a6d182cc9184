"""Permission-matrix entries for the Gantt chart's routes (see tests/permission_matrix.py)."""

from projects.models import Task
from projects.plan import services as task_services
from tests.permission_matrix import Case, project_manage, project_read


def _web(world):
    return {"project_id": world.project.pk}


def _design(world) -> Task:
    task = Task.objects.alive().filter(project=world.project, name="Design").first()
    return task or task_services.task_create(
        project=world.project, actor=world.manager, name="Design"
    )


def _design_kwargs(world):
    return {"project_id": world.project.pk, "task_id": _design(world).pk}


def _move_data(world):
    design = _design(world)
    return {"start": "2031-03-03", "version": design.version}


ROUTES: list[Case] = [
    Case("project-gantt", "get", project_read(), kwargs=_web),
    Case("project-gantt-data", "get", project_read(), kwargs=_web),
    # Readers get a read-only chart: moving a bar is for planners (managers, org admins).
    Case(
        "project-gantt-move",
        "post",
        project_manage(200),
        kwargs=_design_kwargs,
        data=_move_data,
        json=True,
    ),
]
