"""Permission-matrix entries for the workflow, board, backlog and sprint endpoints.

Everyone with a role reads; members move cards; managers (and org admins) configure the
workflow, order the backlog and run sprints. Outsiders and bystanders get 404.
"""

from datetime import date

from projects.agile.services import sprints as sprint_services
from projects.agile.services import workflow as workflow_services
from projects.models import Sprint, Task
from tests.permission_matrix import Case, expect, project_manage, project_read

SIGNED_IN = expect(200, anonymous=401)
READ = project_read(anonymous=401)
MOVE = expect(403, anonymous=401, outsider=404, bystander=404, member=200, manager=200, admin=200)


def _status(world, name="In review"):
    return next(s for s in workflow_services.ensure_workflow(world.project) if s.name == name)


def _card(world) -> Task:
    task = Task.objects.filter(project=world.project, name="Card").first()
    return task or Task.objects.create(project=world.project, name="Card", story_points=2)


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
            sprint=sprint, actor=world.manager, add=[_card(world)], remove=[]
        )
    if started and sprint.state == "planned":
        sprint = sprint_services.sprint_start(
            sprint=sprint, actor=world.manager, version=sprint.version
        )
    return sprint


def _label_pk(world):
    from projects.models import Label

    label = Label.objects.filter(project=world.project).first() or Label.objects.create(
        project=world.project, name="UX"
    )
    return {"pk": label.pk}


def _status_pk(world):
    return {"pk": _status(world).pk}


def _sprint_pk(world):
    return {"pk": _sprint(world).pk}


def _active_pk(world):
    return {"pk": _sprint(world, started=True).pk}


def _status_change(world):
    return {"name": "Review", "version": _status(world).version}


def _status_full(world):
    status = _status(world)
    return {
        "name": "Review",
        "category": "in_progress",
        "position": status.position,
        "wip_limit": 4,
        "wip_blocking": False,
        "version": status.version,
    }


def _sprint_full(world):
    sprint = _sprint(world)
    return {
        "name": "Sprint One",
        "goal": "Sign in",
        "start_date": "2030-01-07",
        "end_date": "2030-01-18",
        "capacity_points": 10,
        "capacity_hours": None,
        "version": sprint.version,
    }


ROUTES = [
    Case("api:workflow-status-list", "get", SIGNED_IN, json=True),
    Case(
        "api:workflow-status-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda world: {"project": world.project.pk, "name": "QA", "category": "in_progress"},
        json=True,
    ),
    Case("api:workflow-status-detail", "get", READ, kwargs=_status_pk, json=True),
    Case(
        "api:workflow-status-detail",
        "put",
        project_manage(anonymous=401),
        kwargs=_status_pk,
        data=_status_full,
        json=True,
    ),
    Case(
        "api:workflow-status-detail",
        "patch",
        project_manage(anonymous=401),
        kwargs=_status_pk,
        data=_status_change,
        json=True,
    ),
    Case(
        "api:workflow-status-detail",
        "delete",
        project_manage(ok=204, anonymous=401),
        kwargs=_status_pk,
        json=True,
    ),
    Case("api:label-list", "get", SIGNED_IN, json=True),
    Case(
        "api:label-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda world: {"project": world.project.pk, "name": "UX"},
        json=True,
    ),
    Case("api:label-detail", "get", READ, kwargs=_label_pk, json=True),
    Case("api:sprint-list", "get", SIGNED_IN, json=True),
    Case(
        "api:sprint-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda world: {
            "project": world.project.pk,
            "name": "Sprint 9",
            "start_date": "2030-02-04",
            "end_date": "2030-02-15",
        },
        json=True,
    ),
    Case("api:sprint-detail", "get", READ, kwargs=_sprint_pk, json=True),
    Case(
        "api:sprint-detail",
        "put",
        project_manage(anonymous=401),
        kwargs=_sprint_pk,
        data=_sprint_full,
        json=True,
    ),
    Case(
        "api:sprint-detail",
        "patch",
        project_manage(anonymous=401),
        kwargs=_sprint_pk,
        data=lambda world: {"goal": "Ship", "version": _sprint(world).version},
        json=True,
    ),
    Case(
        "api:sprint-start",
        "post",
        project_manage(anonymous=401),
        kwargs=_sprint_pk,
        data=lambda world: {"version": _sprint(world).version},
        json=True,
    ),
    Case(
        "api:sprint-close",
        "post",
        project_manage(anonymous=401),
        kwargs=_active_pk,
        data=lambda world: {"version": _sprint(world).version},
        json=True,
    ),
    Case(
        "api:sprint-plan",
        "post",
        project_manage(anonymous=401),
        kwargs=_sprint_pk,
        data=lambda world: {"remove": [_card(world).pk]},
        json=True,
    ),
    Case("api:sprint-charts", "get", READ, kwargs=_active_pk, json=True),
    Case(
        "api:project-board",
        "get",
        READ,
        kwargs=lambda world: {"pk": world.project.pk},
        json=True,
    ),
    Case(
        "api:board-move",
        "post",
        MOVE,
        data=lambda world: {
            "task": _card(world).pk,
            "status": _status(world, "Done").pk,
            "version": _card(world).version,
        },
        json=True,
    ),
    Case(
        "api:backlog-move",
        "post",
        project_manage(anonymous=401),
        data=lambda world: {"task": _card(world).pk, "version": _card(world).version},
        json=True,
    ),
    Case(
        "api:task-agile",
        "patch",
        project_manage(anonymous=401),
        kwargs=lambda world: {"pk": _card(world).pk},
        data=lambda world: {"story_points": 5, "version": _card(world).version},
        json=True,
    ),
]
