"""The organisation's health thresholds (its admins edit them)."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from projects.forms import apply_service_errors
from projects.views._common import no_organisation
from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.roles import OrgAction, org_role_can

from .. import services
from ..forms import ThresholdsForm
from ..models import HealthThresholds

STALE = (
    "Someone else changed the thresholds meanwhile; nothing was overwritten. "
    "These are the thresholds now: make your change again if it is still needed."
)


def _form_for(thresholds: HealthThresholds) -> ThresholdsForm:
    return ThresholdsForm(instance=thresholds, initial={"version": thresholds.version})


@login_required
@require_http_methods(["GET", "POST"])
def health_thresholds(request: AuthedHttpRequest) -> HttpResponse:
    membership = request.membership
    if not membership:
        return no_organisation(request)
    if not org_role_can(membership.role, OrgAction.EDIT):
        raise PermissionDenied("Only the organisation's admins change health thresholds.")
    organisation = membership.organisation
    row = HealthThresholds.objects.filter(organisation=organisation).first()
    current = row or HealthThresholds(organisation=organisation)
    status = 200
    if request.method == "POST":
        form = ThresholdsForm(request.POST, instance=HealthThresholds(organisation=organisation))
        status = 422
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                services.thresholds_update(
                    organisation=organisation, actor=request.user, changes=data, version=version
                )
            except StaleVersionError as exc:
                # The form shows the thresholds as they are now, with their current version.
                messages.error(request, STALE)
                form = _form_for(cast(HealthThresholds, exc.current))
                status = 409
            except ValidationError as exc:
                apply_service_errors(form, exc)  # type: ignore[arg-type]
            else:
                messages.success(request, "Thresholds saved; every project is judged by them now.")
                return redirect(reverse("health-thresholds"))
    else:
        form = _form_for(current)
    return render(request, "reports/thresholds.html", {"nav": "org", "form": form}, status=status)
