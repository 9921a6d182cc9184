"""Rendering a report: the HTML document (page, email body) and its PDF (WeasyPrint).

One template, templates/reports/document.html, draws a snapshot and its narrative for both an
executive and a full audience; the page, the email and the PDF all use it, so they agree.

Money: `with_money=False` draws the document as readers without ProjectAction.VIEW_MONEY see it
(reports/sources/cost.py `for_reader`): the cost section says budgets and costs are shown to
managers and stakeholders, and "what changed" leaves out the cost sentences (they carry the
amounts). The cost health colour and its reasons stay (percentages and CPI, no amounts).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from .changes import what_changed
from .models import Audience, StatusReport
from .sources import cost

DIMENSION_ORDER = ("schedule", "cost", "scope", "risk", "quality")


def without_money(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with its cost section hidden (`cost.HIDDEN`), as readers without
    ProjectAction.VIEW_MONEY see it; the snapshot itself is left as it is."""
    sections = snapshot.get("sections") or {}
    if not sections.get("cost"):
        return snapshot
    return {**snapshot, "sections": {**sections, "cost": cost.HIDDEN}}


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
