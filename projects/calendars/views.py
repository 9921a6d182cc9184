"""Working calendar pages: the organisation's calendars, and one calendar's week and exceptions.

Everyone in an organisation reads its calendars; its admins manage the organisation's calendars,
and a project's managers also manage that project's own ones (projects/access.py). The week is
edited as a table, one row per weekday with that day's hours; every change goes through
projects/calendars/services.py, which reschedules the projects that follow the calendar.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects.access import (
    access_calendar,
    access_calendar_exception,
    calendars_for,
    can_manage_calendar,
    may_manage_calendars,
)
from projects.calendars import services as calendar_services
from projects.calendars.forms import CalendarExceptionForm, CalendarWeekForm, format_hours
from projects.forms import apply_service_errors
from projects.models import CalendarException, WorkCalendar
from projects.models.calendar import WEEKDAY_NAMES, day_minutes
from projects.views._common import no_organisation
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest

NAV = "calendars"


def _week_rows(calendar: WorkCalendar) -> list[dict[str, Any]]:
    """Monday to Sunday: the day, its hours as text, and its working minutes."""
    rows = []
    for name, hours in zip(WEEKDAY_NAMES, calendar.working_week, strict=True):
        rows.append({"day": name, "hours": format_hours(hours), "minutes": day_minutes(hours)})
    return rows


def _may_create(request: AuthedHttpRequest) -> bool:
    membership = request.membership
    return bool(membership) and may_manage_calendars(
        org_role=membership.role if membership else None, project_role=None, for_project=False
    )


@login_required
@require_GET
def calendar_list(request: AuthedHttpRequest) -> HttpResponse:
    """The organisation's calendars and those of its projects, each week at a glance."""
    membership = request.membership
    if not membership:
        return no_organisation(request)
    calendars = (
        calendars_for(request.user)
        .filter(organisation=membership.organisation)
        .select_related("project")
        .annotate(exception_count=Count("exceptions"))
        .order_by("project__name", "-is_organisation_default", "name", "pk")
    )
    rows = [
        {
            "calendar": calendar,
            "week": _week_rows(calendar),
            "can_manage": can_manage_calendar(calendar),
        }
        for calendar in calendars
    ]
    return render(
        request,
        "projects/calendar_list.html",
        {
            "nav": NAV,
            "organisation": membership.organisation,
            "rows": rows,
            "weekdays": WEEKDAY_NAMES,
            "can_create": _may_create(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_create(request: AuthedHttpRequest) -> HttpResponse:
    """An organisation calendar (its admins); the week starts as Monday-Friday, 8 hours."""
    membership = request.membership
    if not membership:
        return no_organisation(request)
    if not _may_create(request):
        raise PermissionDenied("Only the organisation's admins add its calendars.")
    if request.method == "GET":
        form = CalendarWeekForm(initial=CalendarWeekForm.initial_for(WorkCalendar(name="")))
        return _render_create(request, form)
    form = CalendarWeekForm(request.POST)
    if form.is_valid():
        try:
            calendar = calendar_services.calendar_create(
                organisation=membership.organisation, actor=request.user, **form.changes()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Added the calendar “{calendar.name}”.")
            return redirect("calendar-detail", calendar_id=calendar.pk)
    return _render_create(request, form, status=422)


def _render_create(
    request: AuthedHttpRequest, form: CalendarWeekForm, status: int = 200
) -> HttpResponse:
    context = {"nav": NAV, "form": form}
    return render(request, "projects/calendar_create.html", context, status=status)


def _calendar(request: AuthedHttpRequest, calendar_id: int, *, write: bool) -> WorkCalendar:
    calendar = access_calendar(request.user, calendar_id, write=write).obj
    ordered = CalendarException.objects.order_by("first_day", "pk")
    return (
        calendars_for(request.user)
        .select_related("project")
        .prefetch_related(Prefetch("exceptions", queryset=ordered))
        .get(pk=calendar.pk)
    )


def _render_detail(
    request: AuthedHttpRequest,
    calendar: WorkCalendar,
    *,
    form: CalendarWeekForm | None = None,
    exception_form: CalendarExceptionForm | None = None,
    stale: bool = False,
    status: int = 200,
) -> HttpResponse:
    can_manage = can_manage_calendar(calendar)
    for_project = calendar.project_id is not None
    if can_manage and form is None:
        form = CalendarWeekForm(
            initial=CalendarWeekForm.initial_for(calendar), for_project=for_project
        )
    context = {
        "nav": NAV,
        "calendar": calendar,
        "week": _week_rows(calendar),
        "exceptions": [
            {"exception": e, "hours": format_hours(e.working_times)}
            for e in calendar.exceptions.all()
        ],
        "can_manage": can_manage,
        "stale": stale,
        "form": form if can_manage else None,
        "exception_form": (exception_form or CalendarExceptionForm()) if can_manage else None,
    }
    return render(request, "projects/calendar_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_detail(request: AuthedHttpRequest, calendar_id: int) -> HttpResponse:
    """GET: the week and the exceptions; POST (its managers): save the name and the week."""
    if request.method == "GET":
        return _render_detail(request, _calendar(request, calendar_id, write=False))
    calendar = _calendar(request, calendar_id, write=True)
    form = CalendarWeekForm(request.POST, for_project=calendar.project_id is not None)
    if form.is_valid():
        try:
            calendar_services.calendar_update(
                calendar=calendar,
                actor=request.user,
                version=form.cleaned_data["version"],
                **form.changes(),
            )
        except StaleVersionError:
            current = _calendar(request, calendar_id, write=True)
            fresh = CalendarWeekForm(
                initial=CalendarWeekForm.initial_for(current),
                for_project=current.project_id is not None,
            )
            return _render_detail(request, current, form=fresh, stale=True, status=409)
        except ValidationError as exc:
            apply_service_errors(form, exc)  # the week's errors name their day
        else:
            messages.success(
                request, f"Saved “{form.cleaned_data['name']}”; its projects are rescheduled."
            )
            return redirect("calendar-detail", calendar_id=calendar.pk)
    return _render_detail(request, calendar, form=form, status=422)


@login_required
@require_POST
def calendar_exception_add(request: AuthedHttpRequest, calendar_id: int) -> HttpResponse:
    calendar = _calendar(request, calendar_id, write=True)
    form = CalendarExceptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            exception = calendar_services.exception_add(
                calendar=calendar,
                actor=request.user,
                name=data["name"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                working=data["working"],
                working_times=data["working_times"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Added “{exception}”; its projects are rescheduled.")
            return redirect(reverse("calendar-detail", args=[calendar.pk]) + "#exceptions")
    return _render_detail(request, calendar, exception_form=form, status=422)


@login_required
@require_POST
def calendar_exception_remove(request: AuthedHttpRequest, exception_id: int) -> HttpResponse:
    exception = access_calendar_exception(request.user, exception_id, write=True).obj
    calendar_id = exception.calendar_id
    label = str(exception)
    calendar_services.exception_remove(exception=exception, actor=request.user)
    messages.success(request, f"Removed “{label}”; its projects are rescheduled.")
    return redirect(reverse("calendar-detail", args=[calendar_id]) + "#exceptions")
