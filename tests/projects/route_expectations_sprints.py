"""Permission-matrix entries for the backlog and sprint routes (see tests/permission_matrix.py).

Everyone with a role reads the backlog and a sprint's charts; managers order the backlog,
create, plan, start and close sprints.
"""

from datetime import date

from projects.agile.services import sprints as sprint_services
from projects.models import Sprint, Task
from tests.permission_matrix import Case, project_manage, project_read


def _web(world):
    return {"project_id": world.project.pk}


def _task(world) -> Task:
    task = Task.objects.filter(project=world.project, name="Story").first()
    return task or Task.objects.create(project=world.project, name="Story", story_points=3)


def _sprint(world, *, started: bool = False) -> Sprint:
    sprint = Sprint.objects.filter(project=world.project, name="Sprint 1").first()
    if sprint is None:
        sprint = sprint_services.sprint_create(
            project=world.project,
            actor=world.manager,
            name="Sprint 1",
            start_date=date(2030, 1, 7),
            end_date=date(2030, 1, 18),
        )
        sprint_services.sprint_plan(
            sprint=sprint, actor=world.manager, add=[_task(world)], remove=[]
        )
    if started and sprint.state == "planned":
        sprint = sprint_services.sprint_start(
            sprint=sprint, actor=world.manager, version=sprint.version
        )
    return sprint


def _sprint_kwargs(world):
    return {"project_id": world.project.pk, "sprint_id": _sprint(world).pk}


def _active_kwargs(world):
    return {"project_id": world.project.pk, "sprint_id": _sprint(world, started=True).pk}


ROUTES: list[Case] = [
    Case("project-backlog", "get", project_read(), kwargs=_web),
    Case(
        "project-backlog-rows",
        "get",
        project_read(),
        kwargs=_web,
        data=lambda world: {"sprint": _sprint(world).pk, "offset": 0},
    ),
    Case(
        "project-backlog-move",
        "post",
        project_manage(200),
        kwargs=_web,
        data=lambda world: {"task": _task(world).pk, "version": _task(world).version},
        json=True,
    ),
    Case(
        "sprint-create",
        "post",
        project_manage(302),
        kwargs=_web,
        data=lambda world: {
            "name": "Sprint 9",
            "start_date": "2030-02-04",
            "end_date": "2030-02-15",
        },
    ),
    Case(
        "sprint-plan",
        "post",
        project_manage(302),
        kwargs=_web,
        data=lambda world: {"task": _task(world).pk, "sprint": _sprint(world).pk},
    ),
    Case("sprint-detail", "get", project_read(), kwargs=_sprint_kwargs),
    Case(
        "sprint-start",
        "post",
        project_manage(302),
        kwargs=_sprint_kwargs,
        data=lambda world: {"version": _sprint(world).version},
    ),
    Case(
        "sprint-close",
        "post",
        project_manage(302),
        kwargs=_active_kwargs,
        data=lambda world: {"version": _sprint(world).version},
    ),
]
