"""Permission-matrix entries for the reports API (see tests/permission_matrix.py).

Published reports, overrides and health: every project role reads them. Drafts, schedules and
writes: managers and org admins; a draft is a 404 for everyone else. Thresholds: every member
of the organisation reads them, its admins change them.
"""

from reports import services
from tests.permission_matrix import Case, expect, project_manage, project_read
from tests.reports.route_expectations import _draft, _published

SIGNED_IN = expect(200, anonymous=401)
PROJECT_READ = project_read(anonymous=401)
MANAGE = project_manage(anonymous=401)
DRAFT = expect(404, anonymous=401, manager=200, admin=200)


def _published_pk(world):
    return {"pk": _published(world).pk}


def _draft_pk(world):
    return {"pk": _draft(world).pk}


def _draft_version(world):
    report = _draft(world)
    return {"version": report.version}


def _schedule_pk(world):
    schedule = services.schedule_create(
        project=world.project, actor=world.manager, recipient_roles=["stakeholder"]
    )
    return {"pk": schedule.pk}


def _override_pk(world):
    override = services.override_set(
        project=world.project,
        actor=world.manager,
        target="risk",
        colour="red",
        reason="The supplier went bust.",
    )
    return {"pk": override.pk}


def _web(world):
    return {"pk": world.project.pk}


def _org(world):
    return {"pk": world.organisation.pk}


ROUTES = [
    Case("api:status-report-list", "get", SIGNED_IN, json=True),
    Case(
        "api:status-report-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda world: {"project": world.project.pk, "summary": "Fine"},
        json=True,
    ),
    Case("api:status-report-detail", "get", PROJECT_READ, kwargs=_published_pk, json=True),
    Case(
        "api:status-report-detail",
        "patch",
        DRAFT,
        kwargs=_draft_pk,
        data=lambda world: {"summary": "On track", "version": _draft(world).version},
        json=True,
    ),
    Case(
        "api:status-report-detail",
        "delete",
        expect(404, anonymous=401, manager=204, admin=204),
        kwargs=_draft_pk,
        json=True,
    ),
    Case(
        "api:status-report-publish",
        "post",
        expect(404, anonymous=401, manager=400, admin=400),  # a draft needs a summary first
        kwargs=_draft_pk,
        data=_draft_version,
        json=True,
    ),
    Case("api:report-schedule-list", "get", SIGNED_IN, json=True),
    Case(
        "api:report-schedule-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda world: {"project": world.project.pk, "recipient_roles": ["stakeholder"]},
        json=True,
    ),
    Case("api:report-schedule-detail", "get", MANAGE, kwargs=_schedule_pk, json=True),
    Case(
        "api:report-schedule-detail",
        "patch",
        MANAGE,
        kwargs=_schedule_pk,
        data=lambda world: {"name": "Board pack", "version": 1},
        json=True,
    ),
    Case(
        "api:report-schedule-detail",
        "delete",
        project_manage(ok=204, anonymous=401),
        kwargs=_schedule_pk,
        json=True,
    ),
    Case("api:report-schedule-deliveries", "get", MANAGE, kwargs=_schedule_pk, json=True),
    Case("api:health-override-list", "get", SIGNED_IN, json=True),
    Case(
        "api:health-override-list",
        "post",
        project_manage(ok=201, anonymous=401),
        data=lambda world: {
            "project": world.project.pk,
            "target": "overall",
            "colour": "amber",
            "reason": "Contract unsigned.",
        },
        json=True,
    ),
    Case("api:health-override-detail", "get", PROJECT_READ, kwargs=_override_pk, json=True),
    Case(
        "api:health-override-detail",
        "delete",
        project_manage(ok=204, anonymous=401),
        kwargs=_override_pk,
        json=True,
    ),
    Case("api:project-health", "get", PROJECT_READ, kwargs=_web, json=True),
    Case(
        "api:health-thresholds",
        "get",
        expect(200, anonymous=401, outsider=404),
        kwargs=_org,
        json=True,
    ),
    Case(
        "api:health-thresholds",
        "patch",
        expect(403, anonymous=401, outsider=404, admin=200),
        kwargs=_org,
        data=lambda world: {"late_critical_red": 4, "version": 1},
        json=True,
    ),
]
