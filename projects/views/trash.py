"""The organisation's trash: soft-deleted projects its admins can restore."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from projects import selectors, services
from projects.access import access_deleted_project
from projects.views._common import no_organisation
from tpm.http import AuthedHttpRequest
from tpm.roles import OrgAction, org_role_can


@login_required
@require_GET
def project_trash(request: AuthedHttpRequest) -> HttpResponse:
    membership = request.membership
    if not membership:
        return no_organisation(request)
    if not org_role_can(membership.role, OrgAction.RESTORE_PROJECT):
        raise PermissionDenied("Only the organisation's admins can see its trash.")
    return render(
        request,
        "projects/project_trash.html",
        {
            "nav": "projects",
            "organisation": membership.organisation,
            "projects": selectors.deleted_projects(organisation=membership.organisation),
        },
    )


@login_required
@require_POST
def project_restore(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    project = access_deleted_project(request.user, project_id).obj
    project = services.project_restore(project=project, actor=request.user)
    messages.success(request, f"Restored {project.name} ({project.key}) from the trash.")
    return redirect("project-detail", project_id=project.pk)
