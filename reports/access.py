"""Permission-checked fetchers for the reports app.

Everyone with a role in a project reads its dashboard and published reports (stakeholders and
viewers included: that is what they come for); managers (ProjectAction.EDIT, org admins too)
write narratives, publish, override colours, schedule delivery and share links. Drafts are the
manager's working copy: other roles get a 404 for them, as if they did not exist.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from projects.access import access_project
from projects.models import Project
from tpm.access import Access
from tpm.models import User
from tpm.roles import ProjectAction

from .models import Delivery, HealthOverride, ReportSchedule, ReportStatus, ShareLink, StatusReport

MANAGE = ProjectAction.EDIT


def can_manage(project: Access[Project]) -> bool:
    return project.can(MANAGE)


def project_for_reading(user: User, project_id: int) -> Access[Project]:
    return access_project(user, project_id, action=ProjectAction.VIEW)


def project_for_managing(user: User, project_id: int) -> Access[Project]:
    return access_project(user, project_id, action=MANAGE)


def access_report(
    user: User, project_id: int, report_id: int, *, write: bool = False
) -> Access[StatusReport]:
    project = project_for_reading(user, project_id)
    report = StatusReport.objects.filter(project=project.obj, pk=report_id).first()
    if report is None or (report.status == ReportStatus.DRAFT and not can_manage(project)):
        raise Http404("No such status report.")
    if write and not can_manage(project):
        raise PermissionDenied("Only the project's managers edit status reports.")
    report.project = project.obj
    return project.on(report)


def _owned(project: Access[Project], model: Any, object_id: int, noun: str) -> Access[Any]:
    obj = model.objects.filter(project=project.obj, pk=object_id).first()
    if obj is None:
        raise Http404(f"No such {noun}.")
    obj.project = project.obj
    return project.on(obj)


def access_schedule(user: User, project_id: int, schedule_id: int) -> Access[ReportSchedule]:
    project = project_for_managing(user, project_id)
    return _owned(project, ReportSchedule, schedule_id, "report schedule")


def access_share_link(user: User, project_id: int, link_id: int) -> Access[ShareLink]:
    project = project_for_managing(user, project_id)
    return _owned(project, ShareLink, link_id, "share link")


def access_override(user: User, project_id: int, override_id: int) -> Access[HealthOverride]:
    project = project_for_managing(user, project_id)
    return _owned(project, HealthOverride, override_id, "override")


def access_delivery(user: User, project_id: int, delivery_id: int) -> Access[Delivery]:
    project = project_for_managing(user, project_id)
    delivery = (
        Delivery.objects.select_related("report")
        .filter(report__project=project.obj, pk=delivery_id)
        .first()
    )
    if delivery is None:
        raise Http404("No such delivery.")
    delivery.report.project = project.obj
    return project.on(delivery)
