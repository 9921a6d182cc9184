"""Rendering a report: the HTML document (page, email body) and its PDF (WeasyPrint).

One template, templates/reports/document.html, draws a snapshot and its narrative for both an
executive and a full audience; the page, the email and the PDF all use it, so they agree.

Money: `with_money=False` draws the document as readers without ProjectAction.VIEW_MONEY see it
(tpm/money.py): the cost section says budgets and costs are shown to managers and stakeholders,
EMV and change costs are left out, "what changed" leaves out the cost sentences (they carry the
amounts), and the cost health colour stays without its reasons (CPI and the forecast's overrun
are money figures too).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any, cast

from django.conf import settings
from django.template.loader import render_to_string

from tpm import money

from .changes import what_changed
from .health import Assessment, ProjectHealth
from .models import Audience, StatusReport
from .selectors import PortfolioRow

DIMENSION_ORDER = ("schedule", "cost", "scope", "risk", "quality")


def without_money(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot as readers without money see it (tpm/money.py): the cost section hidden,
    EMV and change costs left out, health reasons without figures; the snapshot itself is left
    as it is."""
    return cast(dict[str, Any], money.hide(snapshot, money=False))


def health_for(health: ProjectHealth, *, with_money: bool) -> ProjectHealth:
    """Live health as the reader may see it: the money dimensions' reasons (and the overall's
    sentences quoting them) without figures unless `with_money` (tpm/money.py)."""
    if with_money:
        return health

    def one(item: Assessment) -> Assessment:
        colour = item.colour.value if item.colour else None
        override = item.override
        if override is not None:
            override = replace(override, reason=money.override_reason(item.key, override.reason))
        reasons = money.health_reasons(item.key, item.reasons, colour)
        return replace(item, reasons=reasons, override=override)

    return ProjectHealth(tuple(one(item) for item in health.dimensions), one(health.overall))


def portfolio_for_reader(rows: list[PortfolioRow]) -> list[PortfolioRow]:
    """Portfolio rows as the reader sees them: for projects whose money they may not see, the
    health without money reasons (the budget variance is left out by the template)."""
    return [
        row
        if row.sees_money
        else replace(
            row, view=replace(row.view, health=health_for(row.view.health, with_money=False))
        )
        for row in rows
    ]


def document_context(
    *,
    snapshot: dict[str, Any],
    audience: str = Audience.FULL,
    report: StatusReport | None = None,
    previous_snapshot: dict[str, Any] | None = None,
    link: str = "",
    with_money: bool = True,
) -> dict[str, Any]:
    if not with_money:
        snapshot = without_money(snapshot)
        previous_snapshot = without_money(previous_snapshot) if previous_snapshot else None
    health = snapshot.get("health") or {}
    sections = snapshot.get("sections") or {}
    return {
        "snapshot": snapshot,
        "project": snapshot.get("project") or {},
        "overall": health.get("overall") or {},
        "dimensions": health.get("dimensions") or [],
        "schedule": sections.get("schedule"),
        "sections": sections,
        "missing": [name for name in DIMENSION_ORDER if not sections.get(name)],
        "report": report,
        "full": audience == Audience.FULL,
        "changes": what_changed(previous_snapshot, snapshot) if report is not None else [],
        "link": link,
    }


def render_document(for_email: bool = False, **kwargs: Any) -> str:
    context = document_context(**kwargs)
    context["standalone"] = True
    context["for_email"] = for_email
    return render_to_string("reports/document.html", context)


def render_pdf(html: str) -> bytes:
    """HTML -> PDF bytes. WeasyPrint is imported here: it loads pango, which takes a moment."""
    from weasyprint import HTML

    # WeasyPrint logs every layout step at INFO; only its warnings matter to us.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def report_link(report: StatusReport) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse("report-detail", args=[report.project_id, report.pk])
