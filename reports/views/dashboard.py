"""The project dashboard (what a stakeholder sees first), overrides, and its PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.forms import apply_service_errors
from projects.models import Project
from tpm.access import Access
from tpm.http import AuthedHttpRequest
from tpm.money import sees_money

from .. import rendering, selectors, services
from ..access import access_override, can_manage, project_for_managing, project_for_reading
from ..forms import OverrideForm
from ..snapshot import build_snapshot
from ..sources import cost
from ._common import DASHBOARD_TAB, reports_page, today

DASHBOARD_ROWS = 50  # rows of each list on the page; the rest are counted ("… and N more")


def _render(
    request: AuthedHttpRequest,
    access: Access[Project],
    *,
    form: OverrideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project = access.obj
    dashboard = selectors.project_dashboard(project, today=today())
    sees = sees_money(access)
    # A big plan has hundreds of milestones: the page lists those that matter most (issue 14)
    shown = rendering.capped_sections(dashboard.sections, DASHBOARD_ROWS)
    sections = cost.for_reader(shown, access.role)
    context = reports_page(
        access,
        DASHBOARD_TAB,
        dashboard=dashboard,
        health=rendering.health_for(dashboard.view.health, with_money=sees),
        schedule=shown.get("schedule"),
        sections=sections,
        sees_money=sees,
        missing=[name for name, section in dashboard.sections.items() if section is None],
        override_form=form or OverrideForm(),
        failed_deliveries=(
            selectors.failed_deliveries(project).count() if can_manage(access) else 0
        ),
        share=False,
    )
    return render(request, "reports/dashboard.html", context, status=status)


@login_required
@require_GET
def project_dashboard(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    return _render(request, project_for_reading(request.user, project_id))


@login_required
@require_POST
def override_set(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = project_for_managing(request.user, project_id)
    project = access.obj
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_set(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Colour overridden; the reason is shown with it.")
            return redirect(reverse("project-dashboard", args=[project.pk]))
    return _render(request, access, form=form, status=422)


@login_required
@require_http_methods(["POST"])
def override_clear(request: AuthedHttpRequest, project_id: int, override_id: int) -> HttpResponse:
    override = access_override(request.user, project_id, override_id).obj
    services.override_clear(override=override, actor=request.user)
    messages.success(request, "Override cleared; the rules decide the colour again.")
    return redirect(reverse("project-dashboard", args=[project_id]))


@login_required
@require_GET
def dashboard_pdf(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = project_for_reading(request.user, project_id)
    project = access.obj
    snapshot = build_snapshot(project, today=today(), now=timezone.now())
    pdf = rendering.render_pdf(
        rendering.render_document(snapshot=snapshot, with_money=sees_money(access))
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{project.key}-dashboard-{today():%Y-%m-%d}.pdf"'
    )
    return response
