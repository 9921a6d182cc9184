"""The project's Earned value tab: the figures at a status date for the project and each branch
of the work breakdown, the S-curve and the budget burn.

The figures are `resources.evm.selectors.project_evm`'s, the function `manage.py evm` and the
API call too, so all three show the same numbers; this page only formats them. Seeing it needs
ProjectAction.VIEW_MONEY.
"""

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.access import access_project
from projects.views._common import project_page
from resources.evm import charts
from resources.evm import figures as evm_figures
from resources.evm import selectors as evm_selectors
from resources.evm.engine import period_end
from tpm.http import AuthedHttpRequest
from tpm.roles import ProjectAction

# The table's columns: the three EACs are labelled, each with its own ETC and VAC below.
COLUMNS = (
    "bac",
    "pv",
    "ev",
    "ac",
    "sv",
    "cv",
    "spi",
    "cpi",
    "eac",
    "eac_cpi_spi",
    "eac_remaining_budget",
    "etc",
    "vac",
    "tcpi_bac",
)
SHORT = {
    "pv": "PV",
    "ev": "EV",
    "ac": "AC",
    "sv": "SV",
    "cv": "CV",
    "spi": "SPI",
    "cpi": "CPI",
    "eac": "EAC",
    "eac_cpi_spi": "EAC (CPI x SPI)",
    "eac_remaining_budget": "EAC (rest to plan)",
    "etc": "ETC",
    "vac": "VAC",
    "tcpi_bac": "TCPI",
    "tcpi_eac": "TCPI (EAC)",
    "bac": "BAC",
}


# Rows of the branch table per page (the branches: summaries and top-level tasks; every task
# on request): a page of them, so a plan of 5,000 tasks stays a page of a few hundred KB.
ROW_PAGE = 100


# Rows of the S-curve's figures table: beyond this many weekly points (a plan of years), the
# table lists the month ends (and the status date) only; the chart keeps every point.
TABLE_POINTS = 120


def _table_points(points: list[charts.CurvePoint], status: date) -> list[charts.CurvePoint]:
    if len(points) <= TABLE_POINTS:
        return points
    return [
        p
        for n, p in enumerate(points)
        if p.day == status or n == len(points) - 1 or p.day == period_end(p.day, "month")
    ]


def status_date_from(value: str | None) -> date | None:
    """The status date asked for in the query string; None (the project's own) when absent
    or unreadable."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _headline(report: evm_selectors.EvmReport) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "short": SHORT.get(name, name),
            "label": evm_figures.FIGURE_LABELS[name],
            "value": report.figures.get(name),
            "ratio": name in evm_figures.RATIO_FIGURES,
        }
        for name in (*COLUMNS, "tcpi_eac")
    ]


def _estimates(report: evm_selectors.EvmReport) -> list[dict[str, Any]]:
    places = report.money_places
    return [
        {
            "method": e.method,
            "label": e.label,
            "eac": evm_figures.round_half_even(e.eac, places),
            "etc": evm_figures.round_half_even(e.etc, places),
            "vac": evm_figures.round_half_even(e.vac, places),
        }
        for e in report.result.project.estimates
    ]


@login_required
@require_GET
def project_evm(request: AuthedHttpRequest, project_id: int) -> HttpResponse:
    access = access_project(request.user, project_id, action=ProjectAction.VIEW_MONEY)
    project = access.obj
    asked = request.GET.get("status_date")
    status_date = status_date_from(asked)
    report = evm_selectors.project_evm(project, status_date=status_date)
    burn = evm_selectors.budget_burn_months(report)
    every_task = request.GET.get("rows") == "all"
    shown = [r for r in report.rows if every_task or r.is_summary or r.depth == 0]
    pages = max((len(shown) + ROW_PAGE - 1) // ROW_PAGE, 1)
    raw_page = request.GET.get("page", "")
    page = min(int(raw_page), pages) if raw_page.isdigit() and 0 < len(raw_page) < 7 else 1
    first = (max(page, 1) - 1) * ROW_PAGE
    points = evm_selectors.s_curve_points(report)
    context = project_page(
        access,
        "evm",
        report=report,
        headline=_headline(report),
        estimates=_estimates(report),
        columns=[(name, SHORT[name], evm_figures.FIGURE_LABELS[name]) for name in COLUMNS],
        ratio_columns=set(evm_figures.RATIO_FIGURES),
        rows=[
            {"row": row, "values": [row.figures.get(name) for name in COLUMNS]}
            for row in shown[first : first + ROW_PAGE]
        ],
        every_task=every_task,
        hidden_rows=len(report.rows) - len(shown),
        row_pages={
            "page": max(page, 1),
            "pages": pages,
            "first": first + 1,
            "last": min(first + ROW_PAGE, len(shown)),
            "count": len(shown),
        },
        s_curve=charts.s_curve(points, report.status_date),
        s_points=_table_points(points, report.status_date),
        s_points_thinned=len(points) > TABLE_POINTS,
        burn=charts.budget_burn(
            burn, budget=report.figures.get("bac") or None, eac=report.figures.get("eac")
        ),
        burn_months=burn,
        bad_date=bool(asked) and status_date is None,
    )
    return render(request, "resources/evm.html", context)
