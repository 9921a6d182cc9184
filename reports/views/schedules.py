"""Report schedules (managers): when reports go out, to whom; deliveries and resending."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from projects.forms import apply_service_errors
from projects.models import Project
from tpm.access import Access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectRole

from .. import delivery, periods, selectors, services
from ..access import access_delivery, access_schedule, project_for_managing
from ..forms import ScheduleForm
from ..models import ReportSchedule
from ._common import REPORTS_TAB, reports_page

STALE = (
    "Someone else changed this schedule meanwhile; nothing was overwritten. "
    "This is the schedule now: make your change again if it is still needed."
)


def _next_sending(schedule: ReportSchedule) -> Any:
    try:
        return periods.next_period(delivery.rule_of(schedule), timezone.now())
    except (ValueError, LookupError):  # LookupError: a time zone the system no longer knows
        return None


def _render(
    request: AuthedHttpRequest, access: Access[Project], form: ScheduleForm, status: int = 200
) -> HttpResponse:
    project = access.obj
    schedules = list(selectors.project_schedules(project))
    for schedule in schedules:
        schedule.next_sending = _next_sending(schedule)  # type: ignore[attr-defined]
    context = reports_page(
        access,
        REPORTS_TAB,
        schedules=schedules,
        deliveries=selectors.recent_deliveries(project),
        form=form,
    )
    return render(request, "reports/schedules.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_list(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = project_for_managing(request.user, project_id)
    project = access.obj
    if request.method == "GET":
        form = ScheduleForm(
            initial={
                "recipient_roles": [ProjectRole.STAKEHOLDER],
                "starts_on": timezone.localdate(),
                "time_zone": timezone.get_current_timezone_name(),
            }
        )
        return _render(request, access, form)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            services.schedule_create(project=project, actor=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, "Schedule saved; reports go out when it comes round.")
            return redirect(reverse("report-schedules", args=[project.pk]))
    return _render(request, access, form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request: AuthedHttpRequest, project_id: int, schedule_id: int) -> HttpResponse:
    access = access_schedule(request.user, project_id, schedule_id)
    schedule = access.obj
    project = schedule.project
    page = access.on(project)
    if request.method == "GET":
        form = ScheduleForm(instance=schedule, initial={"version": schedule.version})
        return render(
            request,
            "reports/schedule_edit.html",
            reports_page(page, REPORTS_TAB, schedule=schedule, form=form),
        )
    form = ScheduleForm(request.POST)
    status = 422
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.schedule_update(
                schedule=schedule, actor=request.user, changes=data, version=version
            )
        except StaleVersionError as exc:
            # The form shows the schedule as it is now, with its current version.
            schedule = cast(ReportSchedule, exc.current)
            messages.error(request, STALE)
            form = ScheduleForm(instance=schedule, initial={"version": schedule.version})
            status = 409
        except ValidationError as exc:
            apply_service_errors(form, exc)  # type: ignore[arg-type]
        else:
            messages.success(request, "Schedule updated.")
            return redirect(reverse("report-schedules", args=[project.pk]))
    return render(
        request,
        "reports/schedule_edit.html",
        reports_page(page, REPORTS_TAB, schedule=schedule, form=form),
        status=status,
    )


@login_required
@require_POST
def schedule_delete(request: AuthedHttpRequest, project_id: int, schedule_id: int) -> HttpResponse:
    schedule = access_schedule(request.user, project_id, schedule_id).obj
    services.schedule_delete(schedule=schedule, actor=request.user)
    messages.success(request, "Schedule deleted; reports already sent stay.")
    return redirect(reverse("report-schedules", args=[project_id]))


@login_required
@require_POST
def delivery_resend(request: AuthedHttpRequest, project_id: int, delivery_id: int) -> HttpResponse:
    target = access_delivery(request.user, project_id, delivery_id).obj
    delivery.delivery_resend(delivery=target, actor=request.user)
    messages.success(request, f"Sending the report to {target.email} again.")
    return redirect(reverse("report-schedules", args=[project_id]))
