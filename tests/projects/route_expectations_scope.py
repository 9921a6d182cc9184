"""Permission-matrix entries for the Scope tab (see tests/permission_matrix.py).

Everyone with a role reads; managers (and org admins) write the charter, objectives and
deliverables; members and managers record measurements and tick acceptance criteria; the named
acceptor (here the stakeholder) accepts; only the sponsor approves the charter (others are sent
back to the page with a message).
"""

from decimal import Decimal

from projects.models import Charter, Deliverable, Objective
from projects.scope.services import charter as scope_services
from projects.scope.services import deliverables as deliverable_services
from tests.permission_matrix import Case, expect, project_manage, project_read

READ = project_read()
TEAM = expect(403, anonymous=302, outsider=404, bystander=404, member=302, manager=302, admin=302)


def _web(world):
    return {"project_id": world.project.pk}


def _charter(world) -> Charter:
    found = Charter.objects.filter(project=world.project).first()
    return found or scope_services.charter_save(
        project=world.project,
        actor=world.manager,
        version=None,
        problem_statement="Slow checkout",
        sponsor=world.stakeholder,
    )


def _objective(world) -> Objective:
    found = Objective.objects.filter(project=world.project).first()
    return found or scope_services.objective_create(
        project=world.project,
        actor=world.manager,
        title="Faster checkout",
        metric="p95",
        baseline_value=Decimal(1200),
        target_value=Decimal(600),
        direction="lower",
    )


def _deliverable(world) -> Deliverable:
    found = Deliverable.objects.filter(project=world.project).first()
    return found or deliverable_services.deliverable_create(
        project=world.project,
        actor=world.manager,
        name="New checkout",
        acceptor=world.stakeholder,
        criteria=["Works on mobile"],
    )


def _objective_kwargs(world):
    return {"project_id": world.project.pk, "objective_id": _objective(world).pk}


def _deliverable_kwargs(world):
    return {"project_id": world.project.pk, "deliverable_id": _deliverable(world).pk}


def _criterion_kwargs(world):
    deliverable = _deliverable(world)
    return {
        "project_id": world.project.pk,
        "deliverable_id": deliverable.pk,
        "criterion_id": deliverable.criteria.get().pk,
    }


def _charter_form(world):
    charter = Charter.objects.filter(project=world.project).first()
    return {
        "problem_statement": "Checkout loses customers",
        "goals": "Halve checkout time",
        "version": charter.version if charter else "",
    }


def _objective_form(world):
    objective = Objective.objects.filter(project=world.project).first()
    return {
        "title": "Faster checkout",
        "metric": "p95 latency",
        "unit": "ms",
        "baseline_value": "1200",
        "target_value": "600",
        "direction": "lower",
        "version": objective.version if objective else "",
    }


def _deliverable_form(world):
    deliverable = Deliverable.objects.filter(project=world.project).first()
    return {
        "name": "New checkout",
        "status": "planned",
        "version": deliverable.version if deliverable else "",
    }


def _accept_form(world):
    deliverable = _deliverable(world)
    deliverable.criteria.update(is_met=True)
    return {"version": deliverable.version, "comment": "Looks good"}


def _approve_form(world):
    charter = _charter(world)
    return {"version_number": charter.current_version.number}


ROUTES = [
    Case("project-scope", "get", READ, kwargs=_web),
    Case("charter-edit", "get", project_manage(), kwargs=_web),
    Case("charter-edit", "post", project_manage(302), kwargs=_web, data=_charter_form),
    Case(
        "charter-approve",
        "post",
        expect(302, outsider=404, bystander=404),
        kwargs=_web,
        data=_approve_form,
    ),
    Case("charter-history", "get", READ, kwargs=_web),
    Case("objective-create", "get", project_manage(), kwargs=_web),
    Case("objective-create", "post", project_manage(302), kwargs=_web, data=_objective_form),
    Case("objective-detail", "get", READ, kwargs=_objective_kwargs),
    Case("objective-edit", "get", project_manage(), kwargs=_objective_kwargs),
    Case(
        "objective-edit",
        "post",
        project_manage(302),
        kwargs=_objective_kwargs,
        data=_objective_form,
    ),
    Case(
        "objective-measure",
        "post",
        TEAM,
        kwargs=_objective_kwargs,
        data=lambda world: {"value": "950"},
    ),
    Case(
        "objective-delete",
        "post",
        project_manage(302),
        kwargs=_objective_kwargs,
        data=lambda world: {},
    ),
    Case("deliverable-create", "get", project_manage(), kwargs=_web),
    Case("deliverable-create", "post", project_manage(302), kwargs=_web, data=_deliverable_form),
    Case("deliverable-detail", "get", READ, kwargs=_deliverable_kwargs),
    Case("deliverable-edit", "get", project_manage(), kwargs=_deliverable_kwargs),
    Case(
        "deliverable-edit",
        "post",
        project_manage(302),
        kwargs=_deliverable_kwargs,
        data=_deliverable_form,
    ),
    Case(
        "deliverable-delete",
        "post",
        project_manage(302),
        kwargs=_deliverable_kwargs,
        data=lambda world: {},
    ),
    Case(
        "deliverable-criterion-add",
        "post",
        project_manage(302),
        kwargs=_deliverable_kwargs,
        data=lambda world: {"text": "Accessible"},
    ),
    Case(
        "deliverable-criterion-set",
        "post",
        TEAM,
        kwargs=_criterion_kwargs,
        data=lambda world: {"version": 1, "is_met": "on"},
    ),
    # Only the named acceptor (the stakeholder) accepts; others with the action are refused.
    Case(
        "deliverable-accept",
        "post",
        expect(
            422,
            anonymous=302,
            outsider=404,
            bystander=404,
            viewer=403,
            stakeholder=302,
        ),
        kwargs=_deliverable_kwargs,
        data=_accept_form,
    ),
]


# --- the API -----------------------------------------------------------------------------------

API_READ = project_read(anonymous=401)


def api_manage(ok: int) -> dict[str, int]:
    return expect(403, anonymous=401, outsider=404, bystander=404, manager=ok, admin=ok)


API_TEAM = expect(
    403, anonymous=401, outsider=404, bystander=404, member=201, manager=201, admin=201
)


def _pk(world, obj):
    return {"pk": obj.pk}


API_ROUTES = [
    Case("api:project-charter", "get", API_READ, kwargs=lambda w: _pk(w, _charter(w).project)),
    Case(
        "api:project-charter",
        "put",
        api_manage(200),
        kwargs=lambda w: _pk(w, _charter(w).project),
        data=lambda w: {"goals": "Halve checkout time", "version": _charter(w).version},
        json=True,
    ),
    Case(
        "api:project-charter-approve",
        "post",
        expect(400, anonymous=401, outsider=404, bystander=404, stakeholder=200),
        kwargs=lambda w: _pk(w, _charter(w).project),
        data=lambda w: {"version_number": _charter(w).current_version.number},
        json=True,
    ),
    Case("api:objective-list", "get", expect(200, anonymous=401)),
    Case(
        "api:objective-list",
        "post",
        expect(403, anonymous=401, outsider=404, bystander=404, manager=201, admin=201),
        data=lambda w: {
            "project": w.project.pk,
            "title": "Conversion",
            "metric": "Checkout conversion",
            "baseline_value": "2.1",
            "target_value": "3.0",
        },
        json=True,
    ),
    Case("api:objective-detail", "get", API_READ, kwargs=lambda w: _pk(w, _objective(w))),
    Case(
        "api:objective-detail",
        "patch",
        api_manage(200),
        kwargs=lambda w: _pk(w, _objective(w)),
        data=lambda w: {"target_value": "500", "version": _objective(w).version},
        json=True,
    ),
    Case(
        "api:objective-detail",
        "delete",
        api_manage(204),
        kwargs=lambda w: _pk(w, _objective(w)),
    ),
    Case(
        "api:objective-measurements",
        "get",
        API_READ,
        kwargs=lambda w: _pk(w, _objective(w)),
    ),
    Case(
        "api:objective-measurements",
        "post",
        API_TEAM,
        kwargs=lambda w: _pk(w, _objective(w)),
        data=lambda w: {"value": "980"},
        json=True,
    ),
    Case("api:deliverable-list", "get", expect(200, anonymous=401)),
    Case(
        "api:deliverable-list",
        "post",
        expect(403, anonymous=401, outsider=404, bystander=404, manager=201, admin=201),
        data=lambda w: {
            "project": w.project.pk,
            "name": "Release notes",
            "criteria": ["Proofread"],
        },
        json=True,
    ),
    Case("api:deliverable-detail", "get", API_READ, kwargs=lambda w: _pk(w, _deliverable(w))),
    Case(
        "api:deliverable-detail",
        "patch",
        api_manage(200),
        kwargs=lambda w: _pk(w, _deliverable(w)),
        data=lambda w: {"status": "in_progress", "version": _deliverable(w).version},
        json=True,
    ),
    Case(
        "api:deliverable-detail",
        "delete",
        api_manage(204),
        kwargs=lambda w: _pk(w, _deliverable(w)),
    ),
    Case(
        "api:deliverable-criteria",
        "post",
        api_manage(201),
        kwargs=lambda w: _pk(w, _deliverable(w)),
        data=lambda w: {"text": "Translated"},
        json=True,
    ),
    Case(
        "api:deliverable-accept",
        "post",
        expect(400, anonymous=401, outsider=404, bystander=404, viewer=403, stakeholder=200),
        kwargs=lambda w: _pk(w, _deliverable(w)),
        data=lambda w: _accept_form(w),
        json=True,
    ),
    Case(
        "api:acceptance-criterion-detail",
        "get",
        API_READ,
        kwargs=lambda w: {"pk": _deliverable(w).criteria.get().pk},
    ),
    Case(
        "api:acceptance-criterion-detail",
        "patch",
        expect(403, anonymous=401, outsider=404, bystander=404, member=200, manager=200, admin=200),
        kwargs=lambda w: {"pk": _deliverable(w).criteria.get().pk},
        data=lambda w: {"is_met": True, "version": 1},
        json=True,
    ),
]
ROUTES += API_ROUTES
