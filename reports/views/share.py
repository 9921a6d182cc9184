"""Share links: managers create and revoke them; anyone with a working link reads the dashboard.

A link shows budgets and costs only if the manager ticked "include budgets and costs" when
making it (reports/share.py says why: the reader has no account, so no role to go by).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.forms import apply_service_errors
from projects.models import Project
from tpm.access import Access
from tpm.http import AuthedHttpRequest

from .. import rendering, selectors, services, sources
from ..access import access_share_link, project_for_managing
from ..forms import ShareLinkForm
from ..models import ShareLink
from ..share import link_id_from, sections_for, share_link_create_choosing_money, token_for
from ._common import DASHBOARD_TAB, reports_page, today


def _render(
    request: AuthedHttpRequest, access: Access[Project], form: ShareLinkForm, status: int = 200
) -> HttpResponse:
    project = access.obj
    links = list(selectors.project_share_links(project))
    now = timezone.now()
    for link in links:
        link.url = request.build_absolute_uri(reverse("report-share", args=[token_for(link.pk)]))  # type: ignore[attr-defined]
        link.usable = link.is_usable(now)  # type: ignore[attr-defined]
    context = reports_page(access, DASHBOARD_TAB, links=links, form=form)
    return render(request, "reports/share_links.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def share_links(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = project_for_managing(request.user, project_id)
    project = access.obj
    if request.method == "GET":
        return _render(request, access, ShareLinkForm())
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        try:
            share_link_create_choosing_money(
                project=project, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Link created. Anyone with it can read the dashboard.")
            return redirect(reverse("report-share-links", args=[project.pk]))
    return _render(request, access, form, status=422)


@login_required
@require_POST
def share_link_revoke(request: AuthedHttpRequest, project_id: int, link_id: int) -> HttpResponse:
    link = access_share_link(request.user, project_id, link_id).obj
    services.share_link_revoke(link=link, actor=request.user)
    messages.success(request, "Link revoked; it no longer opens the dashboard.")
    return redirect(reverse("report-share-links", args=[project_id]))


@login_not_required
@require_GET
def shared_dashboard(request: HttpRequest, token: str) -> HttpResponse:
    """The dashboard, read-only, for whoever holds a working link (no account needed)."""
    link_id = link_id_from(token)
    link = (
        ShareLink.objects.select_related("project__organisation")
        .filter(pk=link_id, project__deleted_at__isnull=True)
        .first()
        if link_id
        else None
    )
    if link is None:
        return render(request, "reports/share_refused.html", {"reason": "unknown"}, status=404)
    if not link.is_usable(timezone.now()):
        reason = "revoked" if link.revoked_at else "expired"
        return render(request, "reports/share_refused.html", {"reason": reason}, status=410)
    project = link.project
    dashboard = selectors.project_dashboard(project, today=today())
    sections = sections_for(link, dashboard.sections)
    context = {
        "project": project,
        "dashboard": dashboard,
        "health": rendering.health_for(dashboard.view.health, with_money=link.with_money),
        "schedule": dashboard.sections.get("schedule"),
        "sections": sections,
        "missing": [name for name, section in dashboard.sections.items() if section is None],
        "share": True,
        "can_manage": False,
        "link": link,
        "available": sources.available_dimensions(),
    }
    response = render(request, "reports/shared_dashboard.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
