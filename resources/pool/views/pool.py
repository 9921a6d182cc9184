"""The organisation's resource pool: people (with or without an account), equipment and
licences; roles and skills; time off; and effective-dated rates.

Every member of the organisation reads the pool; admins (OrgAction.MANAGE_RESOURCES) change
it and alone see and add rates (OrgAction.VIEW_RATES). Forms are plain POSTs that redirect
back, or re-render with 422 (errors) or 409 (someone else saved first).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from resources.access import access_rate, access_resource, access_resource_role, access_time_off
from resources.models import Resource, ResourceRole
from resources.pool import selectors as pool_selectors
from resources.pool.forms import (
    NameForm,
    PoolFilterForm,
    RateForm,
    ResourceForm,
    TimeOffForm,
    show_errors,
)
from resources.pool.services import people as pool_services
from resources.pool.services import rates as rate_services
from tpm.access import Access, org_access
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.models import Organisation
from tpm.roles import OrgAction
from tpm.views.common import current_organisation_required

NAV = "resources"
STALE = (
    "This was changed by someone else while you were editing; nothing was overwritten. "
    "The form shows what it says now: make your change again if it is still needed."
)


def _current(request: AuthedHttpRequest, organisation: Organisation) -> Access[Organisation]:
    """The organisation `current_organisation_required` checked: the current membership's, so
    the caller's role in it is that membership's."""
    assert request.membership is not None
    return org_access(organisation, request.membership.role)


@current_organisation_required(OrgAction.VIEW)
@require_GET
def resource_pool(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    form = PoolFilterForm(request.GET or None, organisation=organisation)
    org = _current(request, organisation)
    can_see_rates = org.can(OrgAction.VIEW_RATES)
    rows = pool_selectors.pool_rows(
        organisation, form.filters(), with_rates=can_see_rates, today=timezone.localdate()
    )
    context = {
        "nav": NAV,
        "organisation": organisation,
        "form": form,
        "rows": rows,
        "can_manage": org.can(OrgAction.MANAGE_RESOURCES),
        "can_see_rates": can_see_rates,
    }
    return render(request, "resources/pool.html", context)


def _render_form(
    request: AuthedHttpRequest,
    organisation: Organisation,
    form: ResourceForm,
    *,
    resource: Resource | None,
    status: int,
) -> HttpResponse:
    context = {"nav": NAV, "organisation": organisation, "form": form, "resource": resource}
    return render(request, "resources/pool_resource_form.html", context, status=status)


@current_organisation_required(OrgAction.MANAGE_RESOURCES)
@require_http_methods(["GET", "POST"])
def resource_create(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    if request.method == "GET":
        form = ResourceForm(organisation=organisation, initial={"hours_per_day": 8})
        return _render_form(request, organisation, form, resource=None, status=200)
    form = ResourceForm(request.POST, organisation=organisation)
    if form.is_valid():
        changes = form.changes()
        try:
            resource = pool_services.resource_create(
                organisation=organisation, actor=request.user, **changes
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, f"Added {resource.name} to the pool.")
            return redirect("resource-detail", resource.pk)
    return _render_form(request, organisation, form, resource=None, status=422)


def _initial(resource: Resource) -> dict[str, Any]:
    return {
        "kind": resource.kind,
        "name": resource.name,
        "user": resource.user_id,
        "email": resource.email,
        "role": resource.role_id,
        "skills": [skill.pk for skill in resource.skills.all()],
        "hours_per_day": resource.hours_per_day,
        "calendar": resource.calendar_id,
        "unit_cost": resource.unit_cost,
        "unit_label": resource.unit_label,
        "version": resource.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: AuthedHttpRequest, resource_id: int) -> HttpResponse:
    resource = access_resource(request.user, resource_id, write=True).obj
    organisation = resource.organisation
    if request.method == "GET":
        form = ResourceForm(organisation=organisation, initial=_initial(resource))
        return _render_form(request, organisation, form, resource=resource, status=200)
    form = ResourceForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            pool_services.resource_update(
                resource=resource,
                actor=request.user,
                version=form.cleaned_data.get("version"),
                **form.changes(),
            )
        except StaleVersionError as exc:
            fresh = ResourceForm(organisation=organisation, initial=_initial(exc.current))  # type: ignore[arg-type]
            messages.error(request, STALE)
            return _render_form(request, organisation, fresh, resource=resource, status=409)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, f"Saved {resource.name}.")
            return redirect("resource-detail", resource.pk)
    return _render_form(request, organisation, form, resource=resource, status=422)


def _render_detail(
    request: AuthedHttpRequest,
    access: Access[Resource],
    *,
    time_off_form: TimeOffForm | None = None,
    rate_form: RateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    resource = access.obj
    can_see_rates = access.can(OrgAction.VIEW_RATES)
    detail = pool_selectors.resource_detail(resource, request.user, with_rates=can_see_rates)
    context = {
        "nav": NAV,
        "organisation": resource.organisation,
        "resource": resource,
        "detail": detail,
        "can_manage": access.can(OrgAction.MANAGE_RESOURCES),
        "can_see_rates": can_see_rates,
        "time_off_form": time_off_form or TimeOffForm(),
        "rate_form": rate_form or RateForm(),
    }
    return render(request, "resources/pool_resource.html", context, status=status)


@login_required
@require_GET
def resource_detail(request: AuthedHttpRequest, resource_id: int) -> HttpResponse:
    return _render_detail(request, access_resource(request.user, resource_id))


@login_required
@require_POST
def resource_active(request: AuthedHttpRequest, resource_id: int) -> HttpResponse:
    resource = access_resource(request.user, resource_id, write=True).obj
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        updated = pool_services.resource_set_active(
            resource=resource,
            actor=request.user,
            active=request.POST.get("active") == "1",
            version=version,
        )
    except StaleVersionError:
        messages.error(request, STALE)
        return _render_detail(request, access_resource(request.user, resource_id), status=409)
    state = "active again" if updated.is_active else "deactivated"
    messages.success(request, f"{updated.name} is {state}.")
    return redirect("resource-detail", resource.pk)


@login_required
@require_POST
def resource_time_off_add(request: AuthedHttpRequest, resource_id: int) -> HttpResponse:
    access = access_resource(request.user, resource_id, write=True)
    resource = access.obj
    form = TimeOffForm(request.POST)
    if form.is_valid():
        try:
            pool_services.time_off_create(
                resource=resource, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, "Recorded the time off.")
            return redirect("resource-detail", resource.pk)
    return _render_detail(request, access, time_off_form=form, status=422)


@login_required
@require_POST
def resource_time_off_delete(request: AuthedHttpRequest, time_off_id: int) -> HttpResponse:
    time_off = access_time_off(request.user, time_off_id, write=True).obj
    resource_id = time_off.resource_id
    pool_services.time_off_delete(time_off=time_off, actor=request.user)
    messages.success(request, "Removed the time off.")
    return redirect("resource-detail", resource_id)


def _require_rates(access: Access[Resource | ResourceRole]) -> None:
    if not (access.can(OrgAction.VIEW_RATES) and access.can(OrgAction.MANAGE_RESOURCES)):
        raise PermissionDenied("Only the organisation's admins see and set rates.")


@login_required
@require_POST
def resource_rate_add(request: AuthedHttpRequest, resource_id: int) -> HttpResponse:
    access = access_resource(request.user, resource_id, write=True)
    _require_rates(access)
    resource = access.obj
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            rate_services.rate_create(
                organisation=resource.organisation,
                actor=request.user,
                resource=resource,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, "Added the rate.")
            return redirect("resource-detail", resource.pk)
    return _render_detail(request, access, rate_form=form, status=422)


@login_required
@require_POST
def rate_delete(request: AuthedHttpRequest, rate_id: int) -> HttpResponse:
    rate = access_rate(request.user, rate_id, write=True).obj
    back = (
        reverse("resource-detail", args=[rate.resource_id])
        if rate.resource_id
        else reverse("resource-roles")
    )
    try:
        rate_services.rate_delete(rate=rate, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Removed the rate.")
    return redirect(back)


# --- roles and skills -------------------------------------------------------------------------


def _render_roles(
    request: AuthedHttpRequest,
    org: Access[Organisation],
    *,
    role_form: NameForm | None = None,
    skill_form: NameForm | None = None,
    rate_form: RateForm | None = None,
    rate_role_id: int | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = org.obj
    can_see_rates = org.can(OrgAction.VIEW_RATES)
    rates = pool_selectors.role_rates(organisation) if can_see_rates else {}
    role_rows = [
        (
            role,
            rates.get(role.pk, []),
            rate_form if rate_form is not None and rate_role_id == role.pk else None,
        )
        for role in pool_selectors.roles_of(organisation)
    ]
    context = {
        "nav": NAV,
        "organisation": organisation,
        "role_rows": [
            (role, history, form or RateForm(prefix=f"role{role.pk}"))
            for role, history, form in role_rows
        ],
        "skills": list(pool_selectors.skills_of(organisation)),
        "can_manage": org.can(OrgAction.MANAGE_RESOURCES),
        "can_see_rates": can_see_rates,
        "role_form": role_form or NameForm(prefix="role"),
        "skill_form": skill_form or NameForm(prefix="skill"),
        "rate_role_id": rate_role_id,
    }
    return render(request, "resources/pool_roles.html", context, status=status)


@current_organisation_required(OrgAction.VIEW)
@require_GET
def resource_roles(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    return _render_roles(request, _current(request, organisation))


@current_organisation_required(OrgAction.MANAGE_RESOURCES)
@require_POST
def resource_role_add(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    form = NameForm(request.POST, prefix="role")
    if form.is_valid():
        try:
            pool_services.role_create(
                organisation=organisation, actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            return redirect("resource-roles")
    return _render_roles(request, _current(request, organisation), role_form=form, status=422)


@current_organisation_required(OrgAction.MANAGE_RESOURCES)
@require_POST
def resource_skill_add(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    form = NameForm(request.POST, prefix="skill")
    if form.is_valid():
        try:
            pool_services.skill_create(
                organisation=organisation, actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            return redirect("resource-roles")
    return _render_roles(request, _current(request, organisation), skill_form=form, status=422)


@login_required
@require_POST
def resource_role_rate_add(request: AuthedHttpRequest, role_id: int) -> HttpResponse:
    access = access_resource_role(request.user, role_id, write=True)
    _require_rates(access)
    role = access.obj
    form = RateForm(request.POST, prefix=f"role{role.pk}")
    if form.is_valid():
        try:
            rate_services.rate_create(
                organisation=role.organisation, actor=request.user, role=role, **form.cleaned_data
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, f"Added a default rate for {role.name}.")
            return redirect("resource-roles")
    return _render_roles(
        request, access.on(role.organisation), rate_form=form, rate_role_id=role.pk, status=422
    )
