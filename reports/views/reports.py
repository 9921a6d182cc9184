"""Status reports: the list, a draft's narrative, publishing, and each report with what changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.forms import apply_service_errors
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction, project_role_can

from .. import delivery, rendering, selectors, services
from ..access import access_report, can_manage, project_for_managing, project_for_reading
from ..forms import ReportNarrativeForm
from ..models import Audience, StatusReport
from ..sources import cost
from ._common import REPORTS_TAB, reports_page


def _detail_url(report: StatusReport) -> str:
    return reverse("report-detail", args=[report.project_id, report.pk])


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    """GET: the project's reports (drafts only for managers); POST: start a draft."""
    if request.method == "POST":
        project = project_for_managing(request.user, project_id)
        report = services.report_create(project=project, actor=request.user)
        messages.success(request, "Draft started from the project as it is now.")
        return redirect(reverse("report-edit", args=[project.pk, report.pk]))
    project = project_for_reading(request.user, project_id)
    reports = selectors.project_reports(project, include_drafts=can_manage(project))
    return render(
        request,
        "reports/report_list.html",
        reports_page(project, REPORTS_TAB, reports=reports),
    )


@login_required
@require_GET
def report_detail(request: AuthedHttpRequest, project_id: int, report_id: int) -> HttpResponse:
    report = access_report(request.user, project_id, report_id)
    previous = selectors.previous_published(report)
    context = rendering.document_context(
        snapshot=report.snapshot,
        audience=Audience.FULL,
        report=report,
        previous_snapshot=previous.snapshot if previous else None,
        # "What changed" names cost amounts too: only for those who may see money.
        with_money=project_role_can(report.project.my_role, ProjectAction.VIEW_MONEY),  # type: ignore[attr-defined]
    )
    context.update(reports_page(report.project, REPORTS_TAB, report=report, previous=previous))
    context["sections"] = cost.for_reader(context["sections"], report.project.my_role)  # type: ignore[attr-defined]
    return render(request, "reports/report_detail.html", context)


def _render_edit(
    request: AuthedHttpRequest,
    report: StatusReport,
    form: ReportNarrativeForm,
    status: int = 200,
) -> HttpResponse:
    context = rendering.document_context(snapshot=report.snapshot, audience=Audience.FULL)
    context.update(reports_page(report.project, REPORTS_TAB, report=report, form=form))
    return render(request, "reports/report_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: AuthedHttpRequest, project_id: int, report_id: int) -> HttpResponse:
    report = access_report(request.user, project_id, report_id, write=True)
    if report.is_published:
        messages.info(request, services.PUBLISHED_IS_FINAL)
        return redirect(_detail_url(report))
    if request.method == "GET":
        initial = {name: getattr(report, name) for name in services.NARRATIVE_FIELDS}
        return _render_edit(
            request, report, ReportNarrativeForm(initial={**initial, "version": report.version})
        )
    form = ReportNarrativeForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        action = request.POST.get("action", "save")
        try:
            # One transaction: a publish the rules refuse also undoes the save before it, so
            # the form's version stays current for the next try.
            with transaction.atomic():
                saved = services.report_update(
                    report=report, actor=request.user, changes=data, version=version
                )
                if action == "refresh":
                    saved = services.report_refresh(
                        report=saved, actor=request.user, version=saved.version
                    )
                elif action == "publish":
                    saved = services.report_publish(
                        report=saved, actor=request.user, version=saved.version
                    )
            if action == "refresh":
                messages.success(request, "Saved; the figures are retaken from the plan now.")
                return redirect(reverse("report-edit", args=[project_id, report.pk]))
            if action == "publish":
                messages.success(request, "Published. This report will not change any more.")
                return redirect(_detail_url(report))
        except StaleVersionError:
            form.add_error(None, "Someone else saved this draft meanwhile; reload to see it.")
            return _render_edit(request, report, form, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Draft saved.")
            return redirect(reverse("report-edit", args=[project_id, report.pk]))
    return _render_edit(request, report, form, status=422)


@login_required
@require_POST
def report_delete(request: AuthedHttpRequest, project_id: int, report_id: int) -> HttpResponse:
    report = access_report(request.user, project_id, report_id, write=True)
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
    report = access_report(request.user, project_id, report_id)
    sees_money = project_role_can(report.project.my_role, ProjectAction.VIEW_MONEY)  # type: ignore[attr-defined]
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
