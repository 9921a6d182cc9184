"""Permission-matrix entries for this app's routes (see tests/permission_matrix.py)."""

from projects.models import Dependency, ProjectMembership, Task
from projects.plan import services as task_services
from tests.permission_matrix import Case, expect, project_manage, project_read


def _web(world):
    return {"project_id": world.project.pk}


def _membership_of(kind: str):
    def kwargs(world):
        membership = ProjectMembership.objects.get(project=world.project, user=getattr(world, kind))
        return {"membership_id": membership.pk}

    return kwargs


def _settings_data(world):
    return {
        "name": "Website relaunch",
        "description": "New site",
        "methodology": "agile",
        "status": "active",
        "start_date": "",
        "target_date": "",
        "currency": "EUR",
        "version": world.project.version,
    }


# --- The plan: tasks are built inside the test (kwargs/data run in its transaction). ---------
def _task(world, name: str) -> Task:
    """A task of WEB by name, created through the service the first time it is asked for."""
    task = Task.objects.alive().filter(project=world.project, name=name).first()
    return task or task_services.task_create(project=world.project, actor=world.manager, name=name)


def _design_and_build(world) -> tuple[Task, Task]:
    """1 Design, then 2 Build (assigned to the member, so the member may report on it)."""
    design, build = _task(world, "Design"), _task(world, "Build")
    build.assignees.add(world.member)
    return design, build


def _build(world):
    _, build = _design_and_build(world)
    return {"project_id": world.project.pk, "task_id": build.pk}


def _build_link(world):
    design, build = _design_and_build(world)
    link = Dependency.objects.filter(predecessor=design, successor=build).first()
    if link is None:
        link = task_services.dependency_create(
            predecessor=design, successor=build, actor=world.manager
        )
    return {"project_id": world.project.pk, "task_id": build.pk, "link_id": link.pk}


def _version_of_build(world) -> int:
    return _design_and_build(world)[1].version


def _row_data(world):
    return {"name": "Build it", "duration_days": "2", "version": _version_of_build(world)}


def _task_plan_data(world):
    return {
        "name": "Build it",
        "duration_days": "2",
        "constraint_type": "ASAP",
        "version": _version_of_build(world),
    }


def _progress_data(world):
    return {"status": "in_progress", "percent_complete": "40", "version": _version_of_build(world)}


def _link_data(world):
    design, _ = _design_and_build(world)
    return {"predecessor": design.pk, "type": "FS", "lag_days": "1"}


def _link_edit_data(world):
    link = Dependency.objects.get(successor__name="Build", successor__project=world.project)
    prefix = f"link{link.pk}"
    return {f"{prefix}-type": "SS", f"{prefix}-lag_days": "-1", f"{prefix}-version": link.version}


# Reporting progress: planners, and the member because Build is assigned to them.
_PROGRESS = expect(
    403, anonymous=302, outsider=404, bystander=404, member=302, manager=302, admin=302
)


ROUTES: list[Case] = [
    # The list and creation act in the user's current organisation (the outsider's is Globex).
    Case("project-list", "get", expect(200, anonymous=302)),
    Case("project-create", "get", expect(200, anonymous=302)),
    Case(
        "project-create",
        "post",
        expect(302),
        data=lambda world: {
            "key": "new1",
            "name": "New thing",
            "methodology": "hybrid",
            "status": "proposed",
            "currency": "USD",
        },
    ),
    Case("project-detail", "get", project_read(), kwargs=_web),
    Case("project-settings", "get", project_manage(), kwargs=_web),
    Case("project-settings", "post", project_manage(302), kwargs=_web, data=_settings_data),
    Case("project-delete", "get", project_manage(), kwargs=_web),
    Case("project-delete", "post", project_manage(302), kwargs=_web, data=lambda world: {}),
    Case("project-history", "get", project_read(), kwargs=_web),
    Case("project-members", "get", project_read(), kwargs=_web),
    Case(
        "project-member-add",
        "post",
        project_manage(302),
        kwargs=_web,
        data=lambda world: {"email": "newcomer@example.com", "role": "member"},
    ),
    Case(
        "project-member-role",
        "post",
        project_manage(302),
        kwargs=_membership_of("member"),
        data=lambda world: {"role": "stakeholder", "version": 1},
    ),
    Case(
        "project-member-remove",
        "post",
        project_manage(302),
        kwargs=_membership_of("viewer"),
        data=lambda world: {},
    ),
    # Org admins see their current organisation's trash (the outsider sees Globex's).
    Case("project-trash", "get", expect(403, anonymous=302, outsider=200, admin=200)),
    # Restoring needs admin rights in the project's own organisation; anyone else gets a 404.
    Case(
        "project-restore",
        "post",
        expect(404, anonymous=302, admin=302),
        kwargs=lambda world: {"project_id": world.deleted_project.pk},
        data=lambda world: {},
    ),
    # The plan's outline and its htmx edits (plain POSTs redirect back to the plan).
    Case("project-plan", "get", project_read(), kwargs=_web),
    Case(
        "plan-task-add",
        "post",
        project_manage(302),
        kwargs=_web,
        data=lambda world: {"name": "Deploy", "duration_days": "1"},
    ),
    Case("plan-task-edit", "get", project_manage(), kwargs=_build),
    Case("plan-task-edit", "post", project_manage(302), kwargs=_build, data=_row_data),
    Case(
        "plan-task-move",
        "post",
        project_manage(302),
        kwargs=_build,
        data=lambda world: {"direction": "up", "version": _version_of_build(world)},
    ),
    Case("plan-task-delete", "get", project_manage(), kwargs=_build),
    Case("plan-task-delete", "post", project_manage(302), kwargs=_build, data=lambda world: {}),
    # The task pickers' searches (planners: only they have the forms that use them).
    Case("plan-parent-search", "get", project_manage(), kwargs=_web, query="?q=Des"),
    Case("task-predecessor-search", "get", project_manage(), kwargs=_build, query="?q=Des"),
    # A task's page and its forms.
    Case("task-detail", "get", project_read(), kwargs=_build),
    Case("task-edit", "post", project_manage(302), kwargs=_build, data=_task_plan_data),
    Case("task-progress", "post", _PROGRESS, kwargs=_build, data=_progress_data),
    Case("task-link-add", "post", project_manage(302), kwargs=_build, data=_link_data),
    Case("task-link-edit", "post", project_manage(302), kwargs=_build_link, data=_link_edit_data),
    Case(
        "task-link-remove",
        "post",
        project_manage(302),
        kwargs=_build_link,
        data=lambda world: {},
    ),
]
