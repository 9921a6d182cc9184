"""The organisation's portfolio: every project the user may see, with its health."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.views._common import no_organisation
from tpm.http import AuthedHttpRequest

from .. import rendering, selectors, sources
from ..forms import PortfolioFilterForm
from ..health import Dimension
from ._common import today


@login_required
@require_GET
def portfolio(request: AuthedHttpRequest) -> HttpResponse:
    membership = request.membership
    if not membership:
        return no_organisation(request)
    organisation = membership.organisation
    managers = selectors.portfolio_managers(user=request.user, organisation=organisation)
    form = PortfolioFilterForm(request.GET, managers=managers)
    options = form.options()
    rows = selectors.portfolio(
        user=request.user, organisation=organisation, today=today(), **options
    )
    return render(
        request,
        "reports/portfolio.html",
        {
            "nav": "portfolio",
            "rows": rendering.portfolio_for_reader(rows),  # money: tpm/money.py
            "form": form,
            "options": options,
            "dimensions": [d.value for d in Dimension],
            "available": sources.available_dimensions(),
            "organisation": organisation,
        },
    )
