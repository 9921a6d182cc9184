"""Permission-matrix entries for the register, the RAID log and their API.

Everyone with a role in WEB reads the register and the RAID log; members, managers and org
admins write it (ProjectAction.EDIT_RISKS); adding a response action adds a task to the plan,
so only planners (managers, org admins) may. The organisation's risk settings are its admins'.
Objects are made inside each test through the services, the first time a case asks.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from projects.models import Task
from projects.plan import services as task_services
from risks import services
from risks.models import Assumption, Decision, ExternalDependency, Issue, Risk, RiskCategory
from risks.raid import services as raid_services
from tests.permission_matrix import Case, expect, project_manage, project_read

READ = project_read()
API_READ = project_read(anonymous=401)
SIGNED_IN = expect(200, anonymous=401)
ORG_ADMIN_PAGE = expect(403, anonymous=302, outsider=200, admin=200)
ORG_ADMIN_ACTION = expect(403, anonymous=302, outsider=302, admin=302)
ORG_ADMIN_BY_ID = expect(403, anonymous=302, outsider=404, admin=302)


def edit(ok: int, anonymous: int = 302) -> dict[str, int]:
    return expect(
        403, anonymous=anonymous, outsider=404, bystander=404, member=ok, manager=ok, admin=ok
    )


def _risk(world) -> Risk:
    risk = Risk.objects.filter(project=world.project).first()
    return risk or services.risk_create(
        project=world.project,
        actor=world.manager,
        title="Vendor API late",
        probability=3,
        impact_schedule=4,
        owner=world.member,
    )


def _task(world) -> Task:
    task = Task.objects.filter(project=world.project, name="Integrate").first()
    return task or task_services.task_create(
        project=world.project, actor=world.manager, name="Integrate"
    )


def _decision(world) -> Decision:
    found = Decision.objects.filter(project=world.project).first()
    return found or raid_services.raid_create(
        model=Decision, project=world.project, actor=world.manager, title="Use Stripe"
    )


def _category(world) -> RiskCategory:
    return services.categories_ensure(organisation=world.organisation)[0]


def _web(world):
    return {"project_id": world.project.pk}


def _risk_kwargs(world):
    return {"project_id": world.project.pk, "risk_id": _risk(world).pk}


def _linked(world):
    risk, task = _risk(world), _task(world)
    risk.linked_tasks.add(task)
    return {"project_id": world.project.pk, "risk_id": risk.pk, "task_id": task.pk}


def _risk_form(world):
    return {
        "kind": "threat",
        "title": "Key engineer leaves",
        "category": _category(world).pk,
        "owner": "",
        "status": "identified",
        "probability": 2,
        "impact_schedule": 3,
        "impact_cost": 1,
        "impact_scope": 1,
        "impact_quality": 1,
        "cost_impact": "0",
        "schedule_impact_days": 0,
        "version": _risk(world).version,
    }


def _reassess_form(world):
    risk = _risk(world)
    return {
        "reviewed_on": timezone.localdate().isoformat(),
        "probability": 2,
        "impact_schedule": 4,
        "impact_cost": 1,
        "impact_scope": 1,
        "impact_quality": 1,
        "cost_impact": "0",
        "schedule_impact_days": 0,
        "status": "assessed",
        "version": risk.version,
    }


def _decision_kwargs(world):
    return {"project_id": world.project.pk, "kind": "decisions", "entry_id": _decision(world).pk}


def _decision_form(world):
    return {"title": "Use Adyen", "owner": "", "status": "decided", "version": 1}


def _category_kwargs(world):
    return {"category_id": _category(world).pk}


def _csv(world):
    _category(world)
    content = b"Title,Probability,Schedule impact\nVendor late,3,4\n"
    return {"project": world.project.pk, "file": SimpleUploadedFile("risks.csv", content)}


def _api_risk(world):
    return {"pk": _risk(world).pk}


def _api_project(world):
    return {"pk": world.project.pk}


def _if_match_risk(world):
    return {"If-Match": f'"{_risk(world).version}"'}


def _api_decision(world):
    return {"pk": _decision(world).pk}


ROUTES = [
    # pages
    Case("risk-register", "get", READ, kwargs=_web),
    Case("risk-overview", "get", READ, kwargs=_web),
    Case("risk-export", "get", READ, kwargs=lambda w: {"project_id": w.project.pk, "fmt": "csv"}),
    Case("risk-create", "get", edit(200), kwargs=_web),
    Case("risk-create", "post", edit(302), kwargs=_web, data=_risk_form),
    Case("risk-import", "get", edit(200), kwargs=_web),
    Case("risk-detail", "get", READ, kwargs=_risk_kwargs),
    Case("risk-edit", "get", edit(200), kwargs=_risk_kwargs),
    Case("risk-edit", "post", edit(302), kwargs=_risk_kwargs, data=_risk_form),
    Case("risk-reassess", "post", edit(302), kwargs=_risk_kwargs, data=_reassess_form),
    Case(
        "risk-occurred",
        "post",
        edit(302),
        kwargs=_risk_kwargs,
        data=lambda w: {"version": _risk(w).version},
    ),
    Case(
        "risk-response-add",
        "post",
        project_manage(302),
        kwargs=_risk_kwargs,
        data=lambda w: {"name": "Stub the API", "duration_days": "1"},
    ),
    Case(
        "risk-link-add",
        "post",
        edit(302),
        kwargs=_risk_kwargs,
        data=lambda w: {"task": _task(w).pk},
    ),
    Case("risk-link-remove", "post", edit(302), kwargs=_linked, data=lambda w: {}),
    # The link picker's search (those who may link: the form that uses it is theirs).
    Case("risk-link-search", "get", edit(200), kwargs=_risk_kwargs, query="?q=Int"),
    Case("raid-log", "get", READ, kwargs=_web),
    Case(
        "raid-create",
        "get",
        edit(200),
        kwargs=lambda w: {"project_id": w.project.pk, "kind": "issues"},
    ),
    Case(
        "raid-create",
        "post",
        edit(302),
        kwargs=lambda w: {"project_id": w.project.pk, "kind": "decisions"},
        data=_decision_form,
    ),
    Case("raid-edit", "get", edit(200), kwargs=_decision_kwargs),
    Case("raid-edit", "post", edit(302), kwargs=_decision_kwargs, data=_decision_form),
    Case("risk-settings", "get", ORG_ADMIN_PAGE),
    Case(
        "risk-settings",
        "post",
        ORG_ADMIN_ACTION,
        data=lambda w: {
            "medium_from": 5,
            "high_from": 10,
            "critical_from": 16,
            "appetite": 9,
            "escalation_from": 15,
            "version": 1,
        },
    ),
    Case("risk-category-add", "post", ORG_ADMIN_ACTION, data=lambda w: {"name": "Legal"}),
    Case(
        "risk-category-toggle",
        "post",
        ORG_ADMIN_BY_ID,
        kwargs=_category_kwargs,
        data=lambda w: {},
    ),
    # API
    Case("api:risk-list", "get", SIGNED_IN, json=True),
    Case(
        "api:risk-list",
        "post",
        edit(201, anonymous=401),
        json=True,
        data=lambda w: {"project": w.project.pk, "title": "Scope creep", "probability": 3},
    ),
    Case("api:risk-detail", "get", API_READ, kwargs=_api_risk, json=True),
    Case(
        "api:risk-detail",
        "patch",
        edit(200, anonymous=401),
        kwargs=_api_risk,
        json=True,
        data=lambda w: {"title": "Vendor API very late"},
        headers=_if_match_risk,
    ),
    Case(
        "api:risk-reassess",
        "post",
        edit(200, anonymous=401),
        kwargs=_api_risk,
        json=True,
        data=lambda w: {"probability": 2},
        headers=_if_match_risk,
    ),
    Case("api:risk-reviews", "get", API_READ, kwargs=_api_risk, json=True),
    Case(
        "api:risk-occurred",
        "post",
        edit(201, anonymous=401),
        kwargs=_api_risk,
        json=True,
        data=lambda w: {},
        headers=_if_match_risk,
    ),
    Case(
        "api:risk-responses",
        "post",
        project_manage(201, anonymous=401),
        kwargs=_api_risk,
        json=True,
        data=lambda w: {"name": "Stub the API"},
    ),
    Case(
        "api:risk-links",
        "post",
        edit(200, anonymous=401),
        kwargs=_api_risk,
        json=True,
        data=lambda w: {"task": _task(w).pk},
    ),
    Case("api:risk-summary", "get", API_READ, kwargs=_api_project, json=True),
    Case(
        "api:risk-register-as-of",
        "get",
        API_READ,
        kwargs=_api_project,
        json=True,
        query="?as_of=2026-01-01",
    ),
    Case("api:risk-export", "get", API_READ, kwargs=_api_project),
    Case("api:risk-import", "post", edit(200, anonymous=401), data=_csv),
    Case("api:risk-category-list", "get", SIGNED_IN, json=True),
    Case(
        "api:risk-category-list",
        "post",
        expect(403, anonymous=401, outsider=404, admin=201),
        json=True,
        data=lambda w: {"organisation": w.organisation.pk, "name": "Legal"},
    ),
    Case(
        "api:risk-settings",
        "get",
        expect(200, anonymous=401, outsider=404),
        kwargs=lambda w: {"pk": w.organisation.pk},
        json=True,
    ),
    Case(
        "api:risk-settings",
        "patch",
        expect(403, anonymous=401, outsider=404, admin=200),
        kwargs=lambda w: {"pk": w.organisation.pk},
        json=True,
        data=lambda w: {"appetite": 8, "version": 1},
    ),
]

for _noun, _body in (
    ("assumption", {"title": "Vendor keeps prices", "validate_by": "2030-01-01"}),
    ("issue", {"title": "Build server down", "priority": "high"}),
    ("decision", {"title": "Use Adyen", "decided_by": "Steering committee"}),
    ("external-dependency", {"title": "Sandbox credentials", "party": "Adyen"}),
):
    ROUTES += [
        Case(f"api:{_noun}-list", "get", SIGNED_IN, json=True),
        Case(
            f"api:{_noun}-list",
            "post",
            edit(201, anonymous=401),
            json=True,
            data=lambda w, body=_body: {"project": w.project.pk, **body},
        ),
    ]


def _entry_kwargs(model, **fields):
    def kwargs(world):
        found = model.objects.filter(project=world.project).first()
        found = found or raid_services.raid_create(
            model=model, project=world.project, actor=world.manager, **fields
        )
        return {"pk": found.pk}

    return kwargs


for _noun, _kwargs in (
    ("assumption", _entry_kwargs(Assumption, title="Prices hold")),
    ("issue", _entry_kwargs(Issue, title="Server down")),
    ("external-dependency", _entry_kwargs(ExternalDependency, title="Keys", party="Adyen")),
):
    ROUTES.append(Case(f"api:{_noun}-detail", "get", API_READ, kwargs=_kwargs, json=True))

ROUTES += [
    Case(
        "api:risk-category-detail",
        "get",
        expect(200, anonymous=401, outsider=404),
        kwargs=lambda w: {"pk": _category(w).pk},
        json=True,
    ),
    Case("api:decision-detail", "get", API_READ, kwargs=_api_decision, json=True),
    Case(
        "api:decision-detail",
        "patch",
        edit(200, anonymous=401),
        kwargs=_api_decision,
        json=True,
        data=lambda w: {"rationale": "Lower fees", "version": 1},
    ),
]
