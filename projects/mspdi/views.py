"""MS Project interchange pages: import an MSPDI file as a new project, download a plan."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from projects.access import access_project
from projects.forms import apply_service_errors
from projects.models import Project
from projects.mspdi import importer as mspdi_import
from projects.views._common import no_organisation
from tpm.http import AuthedHttpRequest
from tpm.money import sees_money
from tpm.roles import OrgAction, ProjectAction, org_role_can


class MspdiImportForm(forms.Form):
    file = forms.FileField(
        label="Microsoft Project XML file",
        help_text="Save the plan in Microsoft Project as “XML Format (*.xml)”.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    key = forms.CharField(
        label="Key for the new project",
        max_length=10,
        help_text=Project._meta.get_field("key").help_text,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_import_mspdi(request: AuthedHttpRequest) -> HttpResponse:
    membership = request.membership
    if not membership:
        return no_organisation(request)
    if not org_role_can(membership.role, OrgAction.CREATE_PROJECT):
        raise PermissionDenied("Your role in this organisation does not allow creating projects.")
    bound = request.method == "POST"
    form = MspdiImportForm(request.POST or None, request.FILES or None) if bound else None
    form = form or MspdiImportForm()
    if bound and form.is_valid():
        try:
            report = mspdi_import.project_import_mspdi(
                organisation=membership.organisation,
                actor=request.user,
                key=form.cleaned_data["key"],
                data=form.cleaned_data["file"].read(settings.MSPDI_MAX_BYTES + 1),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            project = report.project
            messages.success(
                request, f"Imported {project.name} ({project.key}): {report.summary()}"
            )
            return redirect("project-plan", project_id=project.pk)
    return render(
        request,
        "projects/project_import_mspdi.html",
        {"nav": "projects", "form": form, "organisation": membership.organisation},
        status=422 if bound else 200,
    )


@login_required
@require_GET
def project_export_mspdi_file(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW)
    project = access.obj
    document = mspdi_import.project_export_mspdi(project=project, with_money=sees_money(access))
    response = HttpResponse(document, "application/xml")
    response["Content-Disposition"] = f'attachment; filename="{project.key}.xml"'
    return response
