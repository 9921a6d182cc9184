"""Permission-matrix entries for the resource pool, rates, team allocation and assignments.

The pool is the organisation's: every member reads it; its admins change it and alone see and
set rates (OrgAction.MANAGE_RESOURCES, OrgAction.VIEW_RATES). The outsider (admin of another
organisation) works on their own organisation's pool on the organisation-level pages and gets a
404 for anything of Acme's. Allocations and assignments are the project's: everyone with a role
reads them, planners (managers, org admins) change them.
"""

from datetime import date
from decimal import Decimal

from projects.models import Task
from projects.plan import services as task_services
from resources.models import Allocation, Assignment, CostRate, Resource, ResourceRole, TimeOff
from resources.pool.services import allocations as allocation_services
from resources.pool.services import assignments as assignment_services
from resources.pool.services import people as pool_services
from resources.pool.services import rates as rate_services
from tests.permission_matrix import Case, expect, project_manage, project_read

SIGNED_IN = expect(200, anonymous=302)
ORG_ADMIN_PAGE = expect(403, anonymous=302, outsider=200, admin=200)
ORG_ADMIN_ACTION = expect(403, anonymous=302, outsider=302, admin=302)
ORG_READ_BY_ID = expect(200, anonymous=302, outsider=404)
ORG_ADMIN_BY_ID = expect(403, anonymous=302, outsider=404, admin=302)
ORG_ADMIN_PAGE_BY_ID = expect(403, anonymous=302, outsider=404, admin=200)


def _role(world) -> ResourceRole:
    found = ResourceRole.objects.filter(organisation=world.organisation, name="Engineer").first()
    return found or pool_services.role_create(
        organisation=world.organisation, actor=world.admin, name="Engineer"
    )


def _resource(world) -> Resource:
    found = Resource.objects.filter(organisation=world.organisation, name="Contractor").first()
    return found or pool_services.resource_create(
        organisation=world.organisation, actor=world.admin, name="Contractor", role=_role(world)
    )


def _time_off(world) -> TimeOff:
    found = TimeOff.objects.filter(resource=_resource(world)).first()
    return found or pool_services.time_off_create(
        resource=_resource(world),
        actor=world.admin,
        start_date=date(2030, 1, 7),
        end_date=date(2030, 1, 8),
    )


def _rate(world) -> CostRate:
    found = CostRate.objects.filter(resource=_resource(world)).first()
    return found or rate_services.rate_create(
        organisation=world.organisation,
        actor=world.admin,
        resource=_resource(world),
        effective_from=date(2030, 1, 1),
        hourly_rate=Decimal(90),
        currency="USD",
    )


def _allocation(world) -> Allocation:
    found = Allocation.objects.filter(project=world.project).first()
    return found or allocation_services.allocation_create(
        project=world.project,
        actor=world.manager,
        resource=_resource(world),
        start_date=date(2030, 1, 1),
        end_date=date(2030, 3, 31),
        percent=50,
    )


def _task(world) -> Task:
    found = Task.objects.filter(project=world.project, name="Build").first()
    return found or task_services.task_create(
        project=world.project, actor=world.manager, name="Build"
    )


def _assignment(world) -> Assignment:
    found = Assignment.objects.filter(task=_task(world)).first()
    return found or assignment_services.assignment_create(
        task=_task(world), actor=world.manager, resource=_resource(world)
    )


def _resource_kwargs(world):
    return {"resource_id": _resource(world).pk}


def _task_kwargs(world):
    return {"project_id": world.project.pk, "task_id": _task(world).pk}


def _assignment_kwargs(world):
    assignment = _assignment(world)
    return {
        "project_id": world.project.pk,
        "task_id": assignment.task_id,
        "assignment_id": assignment.pk,
    }


def _allocation_kwargs(world):
    return {"project_id": world.project.pk, "allocation_id": _allocation(world).pk}


def _resource_form(world):
    return {"kind": "person", "name": "Backend engineer #2", "hours_per_day": "8"}


def _rate_form(world):
    return {"effective_from": "2031-01-01", "hourly_rate": "95", "currency": "USD"}


def _allocation_form(world):
    return {
        "resource": _resource(world).pk,
        "start_date": "2031-01-01",
        "end_date": "2031-02-28",
        "percent": "40",
    }


ROUTES = [
    # The pool
    Case("resource-pool", "get", SIGNED_IN),
    Case("resource-create", "get", ORG_ADMIN_PAGE),
    Case("resource-create", "post", ORG_ADMIN_ACTION, data=_resource_form),
    Case("resource-detail", "get", ORG_READ_BY_ID, kwargs=_resource_kwargs),
    Case("resource-edit", "get", ORG_ADMIN_PAGE_BY_ID, kwargs=_resource_kwargs),
    Case(
        "resource-edit",
        "post",
        ORG_ADMIN_BY_ID,
        kwargs=_resource_kwargs,
        data=lambda w: _resource_form(w) | {"version": _resource(w).version},
    ),
    Case(
        "resource-active",
        "post",
        ORG_ADMIN_BY_ID,
        kwargs=_resource_kwargs,
        data=lambda w: {"active": "0", "version": _resource(w).version},
    ),
    Case(
        "resource-time-off-add",
        "post",
        ORG_ADMIN_BY_ID,
        kwargs=_resource_kwargs,
        data=lambda w: {"start_date": "2031-05-04", "end_date": "2031-05-08"},
    ),
    Case(
        "resource-time-off-delete",
        "post",
        ORG_ADMIN_BY_ID,
        kwargs=lambda w: {"time_off_id": _time_off(w).pk},
    ),
    Case("resource-rate-add", "post", ORG_ADMIN_BY_ID, kwargs=_resource_kwargs, data=_rate_form),
    Case(
        "resource-rate-delete", "post", ORG_ADMIN_BY_ID, kwargs=lambda w: {"rate_id": _rate(w).pk}
    ),
    Case("resource-roles", "get", SIGNED_IN),
    Case("resource-role-add", "post", ORG_ADMIN_ACTION, data=lambda w: {"role-name": "Tester"}),
    Case("resource-skill-add", "post", ORG_ADMIN_ACTION, data=lambda w: {"skill-name": "Django"}),
    Case(
        "resource-role-rate-add",
        "post",
        ORG_ADMIN_BY_ID,
        kwargs=lambda w: {"role_id": _role(w).pk},
        data=lambda w: {f"role{_role(w).pk}-{k}": v for k, v in _rate_form(w).items()},
    ),
    # A project's team allocation
    Case("project-team", "get", project_read(), kwargs=lambda w: {"project_id": w.project.pk}),
    Case(
        "project-allocation-add",
        "post",
        project_manage(302),
        kwargs=lambda w: {"project_id": w.project.pk},
        data=_allocation_form,
    ),
    Case("project-allocation-edit", "get", project_manage(200), kwargs=_allocation_kwargs),
    Case(
        "project-allocation-edit",
        "post",
        project_manage(302),
        kwargs=_allocation_kwargs,
        data=lambda w: _allocation_form(w) | {"version": _allocation(w).version},
    ),
    Case("project-allocation-delete", "post", project_manage(302), kwargs=_allocation_kwargs),
    # Assignments on the task page
    Case("task-assignments", "get", project_read(), kwargs=_task_kwargs),
    Case(
        "task-assignment-add",
        "post",
        project_manage(302),
        kwargs=_task_kwargs,
        data=lambda w: {"resource": _resource(w).pk, "units": "50"},
    ),
    Case(
        "task-assignment-edit",
        "post",
        project_manage(302),
        kwargs=_assignment_kwargs,
        data=lambda w: {
            f"a{_assignment(w).pk}-units": "75",
            f"a{_assignment(w).pk}-version": _assignment(w).version,
        },
    ),
    Case("task-assignment-delete", "post", project_manage(302), kwargs=_assignment_kwargs),
]
