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
from collections.abc import Callable
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

# A standalone document (PDF, email) lists at most this many rows of each list, the ones that
# matter most, and says how many more there are: WeasyPrint lays out every table cell, and a
# reader of a status report wants the top of the list, not 500 milestones.
DOCUMENT_ROWS = 10

# Each section's lists, with the key that counts them in all (None: the list's own length).
_LISTS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "schedule": (("milestones", None), ("late_critical", "late_critical_count")),
    "risk": (
        ("top_risks", "open_count"),
        ("overdue", "overdue_count"),
        ("escalated", "escalated_count"),
    ),
    "quality": (("failed", "failed_count"), ("overdue", "overdue_count"), ("upcoming", None)),
    "scope": (("recent_decisions", None), ("approved_changes", None)),
    "cost": (("budget_lines", None),),
}


def _milestone_rank(milestone: dict[str, Any]) -> tuple[bool, int, str]:
    """Open before reached, the biggest slip first, then the next one due."""
    slip = milestone.get("slip_days") or 0
    when = milestone.get("forecast") or milestone.get("baseline") or "9999-12-31"
    return bool(milestone.get("done")), -max(slip, 0), str(when)


_RANKS: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {
    ("schedule", "milestones"): _milestone_rank,
}


def _top(rows: list[Any], limit: int, rank: Callable[[Any], Any] | None) -> list[Any]:
    """The `limit` rows that rank first, kept in the snapshot's order (for milestones: by date)."""
    if len(rows) <= limit:
        return rows
    if rank is None:
        return rows[:limit]
    chosen = sorted(range(len(rows)), key=lambda index: (rank(rows[index]), index))[:limit]
    return [rows[index] for index in sorted(chosen)]


def capped_sections(sections: dict[str, Any], limit: int) -> dict[str, dict[str, Any] | None]:
    """Sections with every list cut to its top `limit` rows and `<list>_more` saying how many
    were left out. Applied when drawing, so reports published before stay as they were frozen
    and still render quickly; the snapshot itself is left as it is."""
    capped: dict[str, dict[str, Any] | None] = {}
    for name, section in sections.items():
        lists = _LISTS.get(name, ())
        if not section or not lists:
            capped[name] = section
            continue
        section = dict(section)
        for key, count_key in lists:
            rows = section.get(key)
            if not isinstance(rows, list):
                continue
            shown = _top(rows, limit, _RANKS.get((name, key)))
            total = max(len(rows), _count(section.get(count_key)) if count_key else 0)
            section[key], section[f"{key}_more"] = shown, total - len(shown)
        capped[name] = section
    return capped


def _count(value: Any) -> int:
    return value if isinstance(value, int) else 0


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
    row_limit: int | None = None,
) -> dict[str, Any]:
    """The document's context; with `row_limit`, every list cut to its top rows (and "what
    changed" to that many milestones), each with how many more there are."""
    if not with_money:
        snapshot = without_money(snapshot)
        previous_snapshot = without_money(previous_snapshot) if previous_snapshot else None
    health = snapshot.get("health") or {}
    sections = snapshot.get("sections") or {}
    if row_limit is not None:
        sections = capped_sections(sections, row_limit)
    changes = (
        what_changed(previous_snapshot, snapshot, milestone_limit=row_limit)
        if report is not None
        else []
    )
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
        "changes": changes,
        "link": link,
    }


def render_document(
    for_email: bool = False, row_limit: int | None = DOCUMENT_ROWS, **kwargs: Any
) -> str:
    """The standalone document (PDF, email body): each list cut to `row_limit` rows."""
    context = document_context(row_limit=row_limit, **kwargs)
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
