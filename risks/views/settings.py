"""The organisation's risk settings: level thresholds, appetite, escalation, and categories.

Organisation admins (OrgAction.EDIT) change them; every project then scores with them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tpm.concurrency import StaleVersionError
from tpm.http import AuthedHttpRequest
from tpm.models import Organisation
from tpm.roles import OrgAction
from tpm.views.common import current_organisation_required

from .. import scoring, selectors, services
from ..forms import CategoryForm, RiskSettingsForm, show_errors
from ..models import RiskCategory
from .common import STALE


def _render(
    request: AuthedHttpRequest,
    organisation: Organisation,
    *,
    form: RiskSettingsForm | None = None,
    category_form: CategoryForm | None = None,
    status: int = 200,
) -> HttpResponse:
    current = services.settings_for(organisation)
    context = {
        "nav": "organisation",
        "organisation": organisation,
        "form": form
        or RiskSettingsForm(
            initial={name: getattr(current, name) for name in services.SETTINGS_FIELDS}
            | {"version": current.version}
        ),
        "category_form": category_form or CategoryForm(),
        "categories": selectors.categories(organisation_id=organisation.pk),
        "probability_meanings": scoring.PROBABILITY_MEANINGS,
        "impact_meanings": scoring.IMPACT_MEANINGS,
    }
    return render(request, "risks/settings.html", context, status=status)


@current_organisation_required(OrgAction.EDIT)
@require_http_methods(["GET", "POST"])
def risk_settings(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    if request.method == "GET":
        return _render(request, organisation)
    form = RiskSettingsForm(request.POST)
    if form.is_valid():
        changes = dict(form.cleaned_data)
        version = changes.pop("version", None)
        try:
            services.risk_settings_update(
                organisation=organisation, actor=request.user, version=version, **changes
            )
        except StaleVersionError:
            messages.error(request, STALE)
            return _render(request, organisation, status=409)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, "Saved the risk settings.")
            return redirect("risk-settings")
    return _render(request, organisation, form=form, status=422)


@current_organisation_required(OrgAction.EDIT)
@require_POST
def risk_category_add(request: AuthedHttpRequest, organisation: Organisation) -> HttpResponse:
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.category_create(
                organisation=organisation, actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            return redirect("risk-settings")
    return _render(request, organisation, category_form=form, status=422)


@current_organisation_required(OrgAction.EDIT)
@require_POST
def risk_category_toggle(
    request: AuthedHttpRequest, organisation: Organisation, category_id: int
) -> HttpResponse:
    category = RiskCategory.objects.filter(organisation=organisation, pk=category_id).first()
    if category is None:
        raise Http404("No such category.")
    services.category_set_active(
        category=category, actor=request.user, active=not category.is_active
    )
    return redirect("risk-settings")
