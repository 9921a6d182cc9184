"""Permission-matrix entries for the change-request pages (see tests/permission_matrix.py).

WEB gets one task and a draft CR-1 raised by the member the first time a case asks for it.
Everyone with a role reads; the team (members, managers, org admins) raises, edits its drafts,
analyses and submits; viewers and stakeholders are refused with 403.
"""

from projects.changes import services as change_services
from projects.models import ChangeRequest, Task
from projects.plan import services as task_services
from tests.permission_matrix import Case, expect, project_read

SIGNED_IN = expect(200, anonymous=401)
API_READ = project_read(anonymous=401)


def team(ok: int = 200, anonymous: int = 302) -> dict[str, int]:
    """Members, managers and org admins; viewers and stakeholders 403."""
    return expect(
        403, anonymous=anonymous, outsider=404, bystander=404, member=ok, manager=ok, admin=ok
    )


def approvers(ok: int = 200) -> dict[str, int]:
    """Managers and org admins decide; everyone else with a role 403."""
    return expect(403, anonymous=401, outsider=404, bystander=404, manager=ok, admin=ok)


def _draft(world) -> ChangeRequest:
    existing = ChangeRequest.objects.filter(project=world.project, number=1).first()
    if existing:
        return existing
    task = Task.objects.filter(project=world.project).first() or task_services.task_create(
        project=world.project, actor=world.manager, name="Design"
    )
    return change_services.change_request_create(
        project=world.project,
        actor=world.member,
        title="Longer design",
        proposal=[{"op": "change_duration", "task": task.pk, "duration_minutes": 960}],
    )


def _web(world):
    return {"project_id": world.project.pk}


def _change(world):
    return {"project_id": world.project.pk, "number": _draft(world).number}


def _operation(world):
    return {**_change(world), "index": 0}


def _transition(world):
    return {**_change(world), "transition": "submit"}


def _form(world):
    return {"title": "Longer design", "priority": "high", "version": _draft(world).version}


def _add(world):
    task = Task.objects.filter(project=world.project).first()
    return {"op": "remove_task", "task": str(task.pk)} if task else {}


def _decision(world):
    return {"comment": "", "version": _draft(world).version}


ROUTES = [
    Case("project-changes", "get", project_read(), kwargs=_web),
    Case("change-create", "get", team(), kwargs=_web),
    Case(
        "change-create",
        "post",
        team(302),
        kwargs=_web,
        data=lambda world: {"title": "Add load testing", "priority": "medium"},
    ),
    Case("change-detail", "get", project_read(), kwargs=_change),
    Case("change-edit", "get", team(), kwargs=_change),
    Case("change-edit", "post", team(302), kwargs=_change, data=_form),
    Case("change-operation-add", "post", team(302), kwargs=_change, data=_add),
    Case("change-operation-remove", "post", team(302), kwargs=_operation, data=lambda w: {}),
    Case("change-analyse", "post", team(302), kwargs=_change, data=lambda w: {}),
    Case("change-transition", "post", team(302), kwargs=_transition, data=_decision),
]


# -- the API -------------------------------------------------------------------------------------


def _in_status(world, number: int, status: str) -> ChangeRequest:
    """CR-<number>, taken as far as `status` ("submitted" or "approved")."""
    change = ChangeRequest.objects.filter(project=world.project, number=number).first()
    if change:
        return change
    _draft(world)
    task = Task.objects.filter(project=world.project).first()
    change = change_services.change_request_create(
        project=world.project,
        actor=world.member,
        title=f"Change {number}",
        proposal=[{"op": "change_duration", "task": task.pk, "duration_minutes": 1440}],
    )
    change = change_services.change_request_submit(
        change_request=change, actor=world.member, version=change.version
    )
    if status == "approved":
        change = change_services.change_request_approve(
            change_request=change, actor=world.manager, version=change.version, apply=False
        )
    return change


def _pk(world):
    return {"pk": _draft(world).pk}


def _submitted_pk(world):
    return {"pk": _in_status(world, 2, "submitted").pk}


def _approved_pk(world):
    return {"pk": _in_status(world, 3, "approved").pk}


def _api_create(world):
    _draft(world)
    return {"project": world.project.pk, "title": "Add load testing"}


def _api_edit(world):
    return {"title": "Longer design, again", "version": _draft(world).version}


ROUTES += [
    Case("api:change-request-list", "get", SIGNED_IN, json=True),
    Case("api:change-request-list", "post", team(201, 401), data=_api_create, json=True),
    Case("api:change-request-detail", "get", API_READ, kwargs=_pk, json=True),
    Case(
        "api:change-request-detail", "patch", team(200, 401), kwargs=_pk, data=_api_edit, json=True
    ),
    Case("api:change-request-detail", "put", team(200, 401), kwargs=_pk, data=_api_edit, json=True),
    Case("api:change-request-events", "get", API_READ, kwargs=_pk, json=True),
    Case(
        "api:change-request-analyse",
        "post",
        team(200, 401),
        kwargs=_pk,
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api:change-request-submit",
        "post",
        team(200, 401),
        kwargs=_pk,
        data=lambda w: {"version": _draft(w).version},
        json=True,
    ),
    Case(
        "api:change-request-review",
        "post",
        approvers(),
        kwargs=_submitted_pk,
        data=lambda w: {"version": _in_status(w, 2, "submitted").version},
        json=True,
    ),
    Case(
        "api:change-request-approve",
        "post",
        approvers(),
        kwargs=_submitted_pk,
        data=lambda w: {"version": _in_status(w, 2, "submitted").version},
        json=True,
    ),
    Case(
        "api:change-request-reject",
        "post",
        approvers(),
        kwargs=_submitted_pk,
        data=lambda w: {"version": _in_status(w, 2, "submitted").version, "comment": "No"},
        json=True,
    ),
    Case(
        "api:change-request-implement",
        "post",
        approvers(),
        kwargs=_approved_pk,
        data=lambda w: {"version": _in_status(w, 3, "approved").version},
        json=True,
    ),
]
