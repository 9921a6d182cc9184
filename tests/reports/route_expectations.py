"""Permission-matrix entries for the reports pages (see tests/permission_matrix.py).

Everyone with a role in a project reads its dashboard, published reports and exports; managers
(and org admins) write reports, override colours, schedule delivery and share links. A draft is
the manager's: other roles get a 404 for it. The portfolio is every member's; thresholds are
their organisation admins'. A share link opens for anyone, signed in or not.
"""

from reports import health, services
from reports.models import THRESHOLD_FIELDS, Delivery, DeliveryStatus, HealthOverride, StatusReport
from reports.share import token_for
from tests.permission_matrix import Case, expect, project_manage, project_read


def _web(world):
    return {"project_id": world.project.pk}


def _risk_export_kwargs(world):
    return {**_web(world), "fmt": "csv"}  # xlsx goes through the same checks


def _published(world) -> StatusReport:
    report = StatusReport.objects.filter(project=world.project, status="published").first()
    if report:
        return report
    report = services.report_create(project=world.project, actor=world.manager, summary="Fine.")
    return services.report_publish(report=report, actor=world.manager, version=report.version)


def _draft(world) -> StatusReport:
    report = StatusReport.objects.filter(project=world.project, status="draft").first()
    return report or services.report_create(project=world.project, actor=world.manager)


def _published_kwargs(world):
    return {"project_id": world.project.pk, "report_id": _published(world).pk}


def _draft_kwargs(world):
    return {"project_id": world.project.pk, "report_id": _draft(world).pk}


def _override_kwargs(world):
    override = HealthOverride.objects.filter(project=world.project).first() or (
        services.override_set(
            project=world.project,
            actor=world.manager,
            target="overall",
            colour="amber",
            reason="The vendor is late.",
        )
    )
    return {"project_id": world.project.pk, "override_id": override.pk}


def _schedule(world):
    return services.schedule_create(
        project=world.project, actor=world.manager, recipient_roles=["stakeholder"]
    )


def _schedule_kwargs(world):
    return {"project_id": world.project.pk, "schedule_id": _schedule(world).pk}


def _link_kwargs(world):
    link = services.share_link_create(project=world.project, actor=world.manager)
    return {"project_id": world.project.pk, "link_id": link.pk}


def _delivery_kwargs(world):
    delivery = Delivery.objects.create(
        report=_published(world), email="cfo@example.org", status=DeliveryStatus.FAILED
    )
    return {"project_id": world.project.pk, "delivery_id": delivery.pk}


def _token(world):
    link = services.share_link_create(project=world.project, actor=world.manager)
    return {"token": token_for(link.pk)}


SCHEDULE_FORM = {
    "name": "Weekly",
    "frequency": "weekly",
    "weekday": "0",
    "time_of_day": "09:00",
    "time_zone": "UTC",
    "starts_on": "2026-01-05",
    "recipient_roles": ["stakeholder"],
    "external_emails": "",
    "audience": "executive",
    "is_active": "on",
}

THRESHOLDS_FORM = {
    "version": 1,
    **{name: str(getattr(health.Thresholds(), name)) for name in THRESHOLD_FIELDS},
}

draft_only = expect(404, anonymous=302, outsider=404, bystander=404, manager=200, admin=200)
draft_write = expect(404, anonymous=302, outsider=404, bystander=404, manager=302, admin=302)
org_admin = expect(403, anonymous=302, admin=200, outsider=200)

ROUTES = [
    Case("project-dashboard", "get", project_read(), kwargs=_web),
    Case(
        "health-override-set",
        "post",
        project_manage(302),
        kwargs=_web,
        data=lambda world: {"target": "risk", "colour": "red", "reason": "Supplier insolvent."},
    ),
    Case("health-override-clear", "post", project_manage(302), kwargs=_override_kwargs),
    Case("project-dashboard-pdf", "get", project_read(), kwargs=_web),
    Case("report-share-links", "get", project_manage(), kwargs=_web),
    Case(
        "report-share-links",
        "post",
        project_manage(302),
        kwargs=_web,
        data=lambda world: {"label": "Board", "days": 7},
    ),
    Case("report-share-revoke", "post", project_manage(302), kwargs=_link_kwargs),
    Case("report-share", "get", expect(200), kwargs=_token),
    Case("report-list", "get", project_read(), kwargs=_web),
    Case("report-list", "post", project_manage(302), kwargs=_web, data=lambda world: {}),
    Case("report-detail", "get", project_read(), kwargs=_published_kwargs),
    Case("report-edit", "get", draft_only, kwargs=_draft_kwargs),
    Case(
        "report-edit",
        "post",
        draft_write,
        kwargs=_draft_kwargs,
        data=lambda world: {"title": "Week 1", "summary": "Fine", "version": 1, "action": "save"},
    ),
    Case("report-delete", "post", draft_write, kwargs=_draft_kwargs, data=lambda world: {}),
    Case("report-pdf", "get", project_read(), kwargs=_published_kwargs),
    Case("report-schedules", "get", project_manage(), kwargs=_web),
    Case(
        "report-schedules",
        "post",
        project_manage(302),
        kwargs=_web,
        data=lambda world: SCHEDULE_FORM,
    ),
    Case("report-schedule-edit", "get", project_manage(), kwargs=_schedule_kwargs),
    Case("report-schedule-delete", "post", project_manage(302), kwargs=_schedule_kwargs),
    Case("report-delivery-resend", "post", project_manage(302), kwargs=_delivery_kwargs),
    Case("export-tasks-csv", "get", project_read(), kwargs=_web),
    Case("export-tasks-xlsx", "get", project_read(), kwargs=_web),
    Case("export-milestones-ics", "get", project_read(), kwargs=_web),
    Case("export-risks", "get", project_read(), kwargs=_risk_export_kwargs),
    Case("portfolio", "get", expect(200, anonymous=302)),
    Case("health-thresholds", "get", org_admin),
    Case(
        "health-thresholds",
        "post",
        expect(403, anonymous=302, admin=302, outsider=302),
        data=lambda world: THRESHOLDS_FORM,
    ),
]
