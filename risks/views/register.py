"""The register (filters, sort, as of a past date) and its overview (heat maps, top risks,
exposure and its trend). Both read through risks/selectors.py in a fixed number of queries."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tpm.http import AuthedHttpRequest
from tpm.money import sees_money

from .. import charts, scoring, selectors
from ..forms import RegisterFilterForm
from ..models.risk import OPEN_STATUSES
from ..services import settings_for
from .common import risk_page, risk_project, risk_row

TAB = "risks"


def _as_of_match(row: selectors.AsOfRow, values: dict, thresholds: scoring.Thresholds) -> bool:
    """The register's filters applied to a risk as a past review described it."""
    status = values.get("status", "open")
    if status == "open" and row.review.status not in OPEN_STATUSES:
        return False
    if status not in ("open", "all") and row.review.status != status:
        return False
    if values.get("kind") and row.risk.kind != values["kind"]:
        return False
    if values.get("category") and row.risk.category_id != values["category"].pk:
        return False
    if values.get("owner") and row.risk.owner_id != values["owner"].pk:
        return False
    if values.get("level") and scoring.level(row.review.score, thresholds) != values["level"]:
        return False
    return not values.get("q") or values["q"].lower() in row.risk.title.lower()


@login_required
@require_GET
def risk_register(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = risk_project(request.user, project_id)
    project = access.obj
    thresholds = settings_for(project.organisation).thresholds()
    form = RegisterFilterForm(request.GET or None, project=project)
    values = form.values() if request.GET else {}
    today = timezone.localdate()
    as_of = values.get("as_of")
    if as_of and as_of < today:
        rows = [
            risk_row(r.risk, thresholds, today, review=r.review)
            for r in selectors.register_as_of(project=project, day=as_of)
            if _as_of_match(r, values, thresholds)
        ]
    else:
        as_of = None
        sort = values.get("sort", "score")
        if sort == "emv" and not sees_money(access):
            sort = "score"  # ordering by cost impact tells amounts apart
        filters = selectors.RegisterFilters(
            status=values.get("status", "open"),
            kind=values.get("kind", ""),
            category=values["category"].pk if values.get("category") else None,
            owner=values["owner"].pk if values.get("owner") else None,
            level=values.get("level", ""),
            q=values.get("q", ""),
            grid=values.get("grid", ""),
            probability=values.get("p"),
            impact=values.get("i"),
            sort=sort,
        )
        risks = selectors.project_register(project=project, filters=filters, thresholds=thresholds)
        rows = [risk_row(risk, thresholds, today) for risk in risks]
        if filters.sort == "emv":
            rows.sort(key=lambda row: (-row.emv, row.risk.number))
    cell = None
    if values.get("p") and values.get("i") and not as_of:
        cell = {"grid": values.get("grid") or "inherent", "p": values["p"], "i": values["i"]}
    context = risk_page(
        access,
        TAB,
        thresholds=thresholds,
        form=form,
        rows=rows,
        as_of=as_of,
        cell=cell,
        total_emv=sum((row.emv for row in rows), start=Decimal(0)),
    )
    return render(request, "risks/register.html", context)


@login_required
@require_GET
def risk_overview(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = risk_project(request.user, project_id)
    project = access.obj
    thresholds = settings_for(project.organisation).thresholds()
    today = timezone.localdate()
    inherent, residual = selectors.heat_maps(project=project, thresholds=thresholds)
    trend = selectors.exposure_trend(project=project, today=today)
    chart = charts.line_chart([(f"{p.day:%d %b}", p.total_score) for p in trend])
    found = selectors.exposure(project=project, thresholds=thresholds)
    context = risk_page(
        access,
        TAB,
        thresholds=thresholds,
        heat_maps=[inherent, residual],
        top=[risk_row(r, thresholds, today) for r in selectors.top_risks(project=project)],
        exposure=found,
        reserve=selectors.emv_against_reserve(project=project, exposure=found),
        trend=trend,
        trend_chart=chart,
        probability_meanings=scoring.PROBABILITY_MEANINGS,
    )
    return render(request, "risks/overview.html", context)
