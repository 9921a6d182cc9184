"""Choosing, creating and running an organisation: switch, create, settings, history."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..concurrency import StaleVersionError
from ..forms import OrganisationForm, VersionedOrganisationForm
from ..http import AuthedHttpRequest
from ..models import HistoryEntry, Membership, Organisation
from ..roles import OrgAction
from .common import CONFLICT, INVALID, current_organisation_required, safe_next

HISTORY_PAGE_SIZE = 50


@login_required
@require_POST
def org_switch(request: AuthedHttpRequest) -> HttpResponse:
    """Act in another of your organisations from now on; one you are not in is a 404."""
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        raise Http404("No such organisation.") from None
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"),
        user=request.user,
        organisation_id=organisation_id,
    )
    services.membership_set_current(session=request.session, membership=membership)
    messages.info(request, f"You are now working in {membership.organisation.name}.")
    return redirect(safe_next(request))


@login_required
@require_http_methods(["GET", "POST"])
def org_create(request: AuthedHttpRequest) -> HttpResponse:
    """Anyone signed in may start an organisation; they become its admin and switch to it."""
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            membership = Membership.objects.get(organisation=organisation, user=request.user)
            services.membership_set_current(session=request.session, membership=membership)
            messages.success(request, f"{organisation.name} is ready. Invite your colleagues.")
            return redirect("org-members")
    status = INVALID if form.errors else 200
    return render(request, "tpm/org_create.html", {"form": form}, status=status)


def _settings_form(organisation: Organisation) -> VersionedOrganisationForm:
    """A form bound to the organisation as it is now (used to show it after a conflict)."""
    form = VersionedOrganisationForm({"name": organisation.name, "version": organisation.version})
    form.is_valid()
    return form


@current_organisation_required(OrgAction.EDIT)
@require_http_methods(["GET", "POST"])
def org_settings(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    status = 200
    if request.method != "POST":
        form = VersionedOrganisationForm(
            initial={"name": organisation.name, "version": organisation.version}
        )
    else:
        form = VersionedOrganisationForm(request.POST)
        status = INVALID
        if form.is_valid():
            try:
                services.organisation_update(
                    organisation=organisation,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    name=form.cleaned_data["name"],
                )
            except StaleVersionError as exc:
                attempted = form.cleaned_data["name"]
                form = _settings_form(cast(Organisation, exc.current))
                form.add_error(
                    None,
                    "Someone saved these settings while you were editing. Below is what is "
                    f"saved now; your change (name “{attempted}”) was not applied. "
                    "Make it again if it is still needed.",
                )
                status = CONFLICT
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "The organisation's settings are saved.")
                return redirect("org-settings")
    context = {"form": form, "organisation": organisation, "nav": "org", "tab": "settings"}
    return render(request, "tpm/org_settings.html", context, status=status)


@current_organisation_required(OrgAction.EDIT)
@require_http_methods(["GET"])
def org_history(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Who changed what in the organisation, newest first."""
    entries = HistoryEntry.objects.filter(
        organisation=organisation, scope=f"organisation:{organisation.pk}"
    ).select_related("actor", "target_type")
    page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"organisation": organisation, "page": page, "nav": "org", "tab": "history"}
    return render(request, "tpm/org_history.html", context)
