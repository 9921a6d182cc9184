"""Status reports: the list, a draft's narrative, publishing, and each report with what changed."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.forms import apply_service_errors
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction

from .. import delivery, rendering, selectors, services
from ..access import access_report, can_manage, project_for_managing, project_for_reading
from ..forms import ReportNarrativeForm
from ..models import Audience, StatusReport
from ..sources import cost
from ._common import REPORTS_TAB, reports_page

STALE = (
    "Someone else saved this draft meanwhile; nothing of your edit was saved. "
    "This is the draft now: make your change again if it is still needed."
)


def _detail_url(report: StatusReport) -> str:
    return reverse("report-detail", args=[report.project_id, report.pk])


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """GET: the project's reports (drafts only for managers); POST: start a draft."""
    if request.method == "POST":
        project = project_for_managing(request.user, project_id).obj
        report = services.report_create(project=project, actor=request.user)
        messages.success(request, "Draft started from the project as it is now.")
        return redirect(reverse("report-edit", args=[project.pk, report.pk]))
    access = project_for_reading(request.user, project_id)
    reports = selectors.project_reports(access.obj, include_drafts=can_manage(access))
    return render(
        request,
        "reports/report_list.html",
        reports_page(access, REPORTS_TAB, reports=reports),
    )


@login_required
@require_GET
def report_detail(request: AuthedHttpRequest, project_id: int, report_id: int) -> HttpResponse:
    access = access_report(request.user, project_id, report_id)
    report = access.obj
    previous = selectors.previous_published(report)
    context = rendering.document_context(
        snapshot=report.snapshot,
        audience=Audience.FULL,
        report=report,
        previous_snapshot=previous.snapshot if previous else None,
        # "What changed" names cost amounts too: only for those who may see money.
        with_money=access.can(ProjectAction.VIEW_MONEY),
    )
    page = reports_page(access.on(report.project), REPORTS_TAB, report=report, previous=previous)
    context.update(page)
    context["sections"] = cost.for_reader(context["sections"], access.role)
    return render(request, "reports/report_detail.html", context)


def _render_edit(
    request: AuthedHttpRequest,
    access: Access[StatusReport],
    form: ReportNarrativeForm,
    status: int = 200,
) -> HttpResponse:
    report = access.obj
    context = rendering.document_context(snapshot=report.snapshot, audience=Audience.FULL)
    context.update(reports_page(access.on(report.project), REPORTS_TAB, report=report, form=form))
    return render(request, "reports/report_edit.html", context, status=status)


def _narrative_form(report: StatusReport) -> ReportNarrativeForm:
    initial = {name: getattr(report, name) for name in services.NARRATIVE_FIELDS}
    return ReportNarrativeForm(initial={**initial, "version": report.version})


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: AuthedHttpRequest, project_id: int, report_id: int) -> HttpResponse:
    access = access_report(request.user, project_id, report_id, write=True)
    report = access.obj
    if report.is_published:
        messages.info(request, services.PUBLISHED_IS_FINAL)
        return redirect(_detail_url(report))
    if request.method == "GET":
        return _render_edit(request, access, _narrative_form(report))
    form = ReportNarrativeForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        action = request.POST.get("action", "save")
        if action not in services.DRAFT_STEPS:
            action = "save"
        try:
            services.report_save_draft(
                report=report, actor=request.user, changes=data, version=version, then=action
            )
        except StaleVersionError as exc:
            # The draft as it is now, with its current version: nothing of this edit was saved.
            messages.error(request, STALE)
            current = cast(StatusReport, exc.current)
            return _render_edit(request, access.on(current), _narrative_form(current), status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if action == "publish":
                messages.success(request, "Published. This report will not change any more.")
                return redirect(_detail_url(report))
            if action == "refresh":
                messages.success(request, "Saved; the figures are retaken from the plan now.")
            else:
                messages.success(request, "Draft saved.")
            return redirect(reverse("report-edit", args=[project_id, report.pk]))
    return _render_edit(request, access, form, status=422)


@login_required
@require_POST
def report_delete(request: AuthedHttpRequest, project_id: int, report_id: int) -> HttpResponse:
    report = access_report(request.user, project_id, report_id, write=True).obj
    try:
        services.report_delete(report=report, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_detail_url(report))
    messages.success(request, "Draft deleted.")
    return redirect(reverse("report-list", args=[project_id]))


@login_required
@require_GET
def report_pdf(request: AuthedHttpRequest, project_id: int, report_id: int) -> HttpResponse:
    access = access_report(request.user, project_id, report_id)
    report = access.obj
    sees_money = access.can(ProjectAction.VIEW_MONEY)
    if report.is_published:
        pdf = delivery.document_for(report, Audience.FULL, with_money=sees_money)
    else:
        pdf = rendering.render_pdf(
            rendering.render_document(
                snapshot=report.snapshot, report=report, with_money=sees_money
            )
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{report.project.key}-report-{report.pk}.pdf"'
    )
    return response
