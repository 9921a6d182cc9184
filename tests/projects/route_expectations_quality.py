"""Permission-matrix entries for the Quality tab and the organisation's gate templates.

Everyone with a role reads; managers (and org admins) set gates up and waive them; members and
managers check criteria and record measures; a review is given by the role it asks for (here a
member: everyone else's attempt is refused with 422 on the page, 403 in the API). Organisation
admins keep the gate templates.
"""

from projects.models import GateTemplate, QualityGate, Task
from projects.plan import services as task_services
from projects.quality import gate_templates as template_services
from projects.quality import services as quality_services
from tests.permission_matrix import Case, expect, project_manage, project_read

READ = project_read()
TEAM = expect(403, anonymous=302, outsider=404, bystander=404, member=302, manager=302, admin=302)
MANAGERS = project_manage(302)
ORG_ADMIN_PAGE = expect(403, anonymous=302, outsider=200, admin=200)
ORG_ADMIN_ACTION = expect(403, anonymous=302, outsider=302, admin=302)
ORG_ADMIN_BY_ID = expect(403, anonymous=302, outsider=404, admin=302)


def _web(world):
    return {"project_id": world.project.pk}


def _milestone(world) -> Task:
    found = Task.objects.filter(project=world.project, is_milestone=True).first()
    return found or task_services.task_create(
        project=world.project, actor=world.manager, name="Go live", is_milestone=True
    )


def _gate(world) -> QualityGate:
    found = QualityGate.objects.filter(project=world.project).first()
    return found or quality_services.gate_create(
        project=world.project,
        actor=world.manager,
        name="Go-live readiness",
        task=_milestone(world),
        criteria=["Pen test passed"],
        reviewer_roles=["member"],
    )


def _gate_kwargs(world):
    return {"project_id": world.project.pk, "gate_id": _gate(world).pk}


def _criterion_kwargs(world):
    gate = _gate(world)
    return {**_gate_kwargs(world), "criterion_id": gate.criteria.get().pk}


def _evidence_kwargs(world):
    # No file is stored by the matrix (it would land in the real MEDIA_ROOT): every reader gets
    # the "no evidence file" 404 after the permission check; test_quality_pages downloads one.
    return _criterion_kwargs(world)


def _review_kwargs(world):
    gate = _gate(world)
    return {**_gate_kwargs(world), "review_id": gate.reviews.get().pk}


def _waived_kwargs(world):
    gate = _gate(world)
    if gate.outcome != "waived":
        quality_services.gate_waive(
            gate=gate, actor=world.manager, version=gate.version, reason="Board accepted"
        )
    return _gate_kwargs(world)


def _template(world) -> GateTemplate:
    return template_services.gate_templates_ensure(organisation=world.organisation)[0]


ROUTES = [
    Case("project-quality", "get", READ, kwargs=_web),
    Case(
        "quality-measure-add",
        "post",
        TEAM,
        kwargs=_web,
        data=lambda world: {"test_pass_rate": "98.5", "coverage": "81"},
    ),
    Case("gate-create", "get", project_manage(), kwargs=_web),
    Case(
        "gate-create",
        "post",
        MANAGERS,
        kwargs=_web,
        data=lambda world: {"name": "Design review", "task": _milestone(world).pk},
    ),
    Case("gate-detail", "get", READ, kwargs=_gate_kwargs),
    Case("gate-edit", "get", project_manage(), kwargs=_gate_kwargs),
    Case(
        "gate-edit",
        "post",
        MANAGERS,
        kwargs=_gate_kwargs,
        data=lambda world: {"name": "Readiness", "version": _gate(world).version},
    ),
    Case("gate-delete", "post", MANAGERS, kwargs=_gate_kwargs, data=lambda world: {}),
    Case(
        "gate-criterion-add",
        "post",
        MANAGERS,
        kwargs=_gate_kwargs,
        data=lambda world: {"text": "Runbook published"},
    ),
    Case(
        "gate-criterion-check",
        "post",
        TEAM,
        kwargs=_criterion_kwargs,
        data=lambda world: {
            f"c{_gate(world).criteria.get().pk}-result": "pass",
            f"c{_gate(world).criteria.get().pk}-evidence_comment": "Clean report",
            f"c{_gate(world).criteria.get().pk}-version": 1,
        },
    ),
    Case("gate-evidence-download", "get", expect(404, anonymous=302), kwargs=_evidence_kwargs),
    Case(
        "gate-review",
        "post",
        expect(
            422,
            anonymous=302,
            outsider=404,
            bystander=404,
            member=302,
        ),
        kwargs=_review_kwargs,
        data=lambda world: {"verdict": "approved", "version": 1},
    ),
    Case(
        "gate-waive",
        "post",
        MANAGERS,
        kwargs=_gate_kwargs,
        data=lambda world: {"reason": "Vendor late", "version": _gate(world).version},
    ),
    Case(
        "gate-waiver-revoke",
        "post",
        MANAGERS,
        kwargs=_waived_kwargs,
        data=lambda world: {"version": _gate(world).version},
    ),
    Case("gate-templates", "get", ORG_ADMIN_PAGE),
    Case(
        "gate-templates",
        "post",
        ORG_ADMIN_ACTION,
        data=lambda world: {"name": "Release review", "criteria": "Notes written"},
    ),
    Case(
        "gate-template-edit",
        "get",
        expect(403, anonymous=302, outsider=404, admin=200),
        kwargs=lambda world: {"template_id": _template(world).pk},
    ),
    Case(
        "gate-template-edit",
        "post",
        ORG_ADMIN_BY_ID,
        kwargs=lambda world: {"template_id": _template(world).pk},
        data=lambda world: {"name": "Design review", "criteria": "x", "version": 1},
    ),
]


# --- the API -----------------------------------------------------------------------------------

API_READ = project_read(anonymous=401)


def api_manage(ok: int) -> dict[str, int]:
    return expect(403, anonymous=401, outsider=404, bystander=404, manager=ok, admin=ok)


def _pk(obj):
    return {"pk": obj.pk}


API_ROUTES = [
    Case("api:quality-gate-list", "get", expect(200, anonymous=401)),
    Case(
        "api:quality-gate-list",
        "post",
        expect(403, anonymous=401, outsider=404, bystander=404, manager=201, admin=201),
        data=lambda w: {
            "project": w.project.pk,
            "name": "Design review",
            "task": _milestone(w).pk,
            "criteria": ["Interfaces agreed"],
        },
        json=True,
    ),
    Case("api:quality-gate-detail", "get", API_READ, kwargs=lambda w: _pk(_gate(w))),
    Case(
        "api:quality-gate-detail",
        "patch",
        api_manage(200),
        kwargs=lambda w: _pk(_gate(w)),
        data=lambda w: {"name": "Readiness", "version": _gate(w).version},
        json=True,
    ),
    Case("api:quality-gate-detail", "delete", api_manage(204), kwargs=lambda w: _pk(_gate(w))),
    Case(
        "api:quality-gate-waive",
        "post",
        api_manage(200),
        kwargs=lambda w: _pk(_gate(w)),
        data=lambda w: {"reason": "Vendor late", "version": _gate(w).version},
        json=True,
    ),
    Case(
        "api:quality-gate-revoke-waiver",
        "post",
        api_manage(200),
        kwargs=lambda w: {"pk": _waived_kwargs(w)["gate_id"]},
        data=lambda w: {"version": _gate(w).version},
        json=True,
    ),
    Case(
        "api:gate-criterion-detail",
        "get",
        API_READ,
        kwargs=lambda w: _pk(_gate(w).criteria.get()),
    ),
    Case(
        "api:gate-criterion-detail",
        "patch",
        expect(403, anonymous=401, outsider=404, bystander=404, member=200, manager=200, admin=200),
        kwargs=lambda w: _pk(_gate(w).criteria.get()),
        data=lambda w: {"result": "fail", "evidence_comment": "2 highs open", "version": 1},
        json=True,
    ),
    Case("api:gate-review-detail", "get", API_READ, kwargs=lambda w: _pk(_gate(w).reviews.get())),
    # The review asks for a member: the manager's and the admin's attempts are refused.
    Case(
        "api:gate-review-detail",
        "patch",
        expect(403, anonymous=401, outsider=404, bystander=404, member=200),
        kwargs=lambda w: _pk(_gate(w).reviews.get()),
        data=lambda w: {"verdict": "approved", "version": 1},
        json=True,
    ),
    Case("api:quality-measure-list", "get", expect(200, anonymous=401)),
    Case(
        "api:quality-measure-list",
        "post",
        expect(403, anonymous=401, outsider=404, bystander=404, member=201, manager=201, admin=201),
        data=lambda w: {"project": w.project.pk, "test_pass_rate": "99.1", "coverage": "83.4"},
        json=True,
    ),
    Case(
        "api:quality-measure-detail",
        "get",
        API_READ,
        kwargs=lambda w: _pk(
            quality_services.quality_measure_record(
                project=w.project, actor=w.manager, test_pass_rate=97
            )
        ),
    ),
    Case("api:gate-template-list", "get", expect(200, anonymous=401)),
    Case(
        "api:gate-template-list",
        "post",
        expect(403, anonymous=401, outsider=404, admin=201),
        data=lambda w: {"organisation": w.organisation.pk, "name": "Release review"},
        json=True,
    ),
    Case(
        "api:gate-template-detail",
        "get",
        expect(200, anonymous=401, outsider=404),
        kwargs=lambda w: _pk(_template(w)),
    ),
    Case(
        "api:gate-template-detail",
        "patch",
        expect(403, anonymous=401, outsider=404, admin=200),
        kwargs=lambda w: _pk(_template(w)),
        data=lambda w: {"description": "Before building", "version": _template(w).version},
        json=True,
    ),
    Case("api:project-quality", "get", API_READ, kwargs=lambda w: {"pk": w.project.pk}),
]
ROUTES += API_ROUTES
