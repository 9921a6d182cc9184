"""Rendering a report: the HTML document (page, email body) and its PDF (WeasyPrint).

One template, templates/reports/document.html, draws a snapshot and its narrative for both an
executive and a full audience; the page, the email and the PDF all use it, so they agree.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from .changes import what_changed
from .models import Audience, StatusReport

DIMENSION_ORDER = ("schedule", "cost", "scope", "risk", "quality")


def document_context(
    *,
    snapshot: dict[str, Any],
    audience: str = Audience.FULL,
    report: StatusReport | None = None,
    previous_snapshot: dict[str, Any] | None = None,
    link: str = "",
) -> dict[str, Any]:
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
