"""The risk source: escalated and overdue risks, the top risks, heat maps and EMV per project.

Reads risks/ only, in two queries for any number of projects: the organisations' risk settings
(levels, escalation score) and every risk of the projects. Closed risks are read too, because a
project whose register holds only closed risks has data (it is green), while a project that never
raised a risk is left out ("no data yet").

Health counts threats only for escalation: an opportunity with a high score is good news, not a
reason to turn the project red. Overdue reviews count every open entry, opportunities included:
a review that did not happen is a gap in the process whatever the risk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from projects.models import Project
from reports.health import Dimension, RiskFacts
from risks import scoring
from risks.models import Risk, RiskKind, RiskSettings
from risks.models.risk import OPEN_STATUSES

DIMENSION = Dimension.RISK
TOP_LIMIT = 5  # the top risks a dashboard lists
LIST_LIMIT = 10  # escalated and overdue risks listed in the section

_FIELDS = (
    "pk",
    "project_id",
    "number",
    "title",
    "kind",
    "status",
    "probability",
    "impact_schedule",
    "impact_cost",
    "impact_scope",
    "impact_quality",
    "score",
    "residual_probability",
    "residual_impact",
    "residual_score",
    "cost_impact",
    "schedule_impact_days",
    "next_review_on",
    "owner__full_name",
    "owner__email",
)


@dataclass(frozen=True)
class RiskLine:
    """One open risk as the dashboards list it."""

    risk_id: int
    number: int
    title: str
    kind: str
    status: str
    score: int
    level: str
    residual_score: int | None
    owner: str
    next_review_on: date | None
    emv: Decimal

    @property
    def ref(self) -> str:
        return f"R-{self.number}"

    @property
    def label(self) -> str:
        return f"{self.ref} {self.title}"

    def to_json(self, today: date) -> dict[str, Any]:
        overdue = self.next_review_on is not None and self.next_review_on < today
        return {
            "risk_id": self.risk_id,
            "ref": self.ref,
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "score": self.score,
            "level": self.level,
            "residual_score": self.residual_score,
            "owner": self.owner,
            "next_review_on": self.next_review_on.isoformat() if self.next_review_on else None,
            "review_days_overdue": (today - self.next_review_on).days
            if overdue and self.next_review_on
            else 0,
            "emv": str(self.emv),
        }


@dataclass
class RiskSummary:
    """One project's register as the dashboards need it; `health` feeds reports/health.py."""

    health: RiskFacts
    today: date
    thresholds: scoring.Thresholds
    total_count: int = 0  # every risk ever raised, closed ones included
    open_count: int = 0
    open_threats: int = 0
    open_opportunities: int = 0
    over_appetite: int = 0
    top: list[RiskLine] = field(default_factory=list)
    escalated: list[RiskLine] = field(default_factory=list)
    overdue: list[RiskLine] = field(default_factory=list)
    inherent: dict[scoring.Cell, int] = field(default_factory=dict)
    residual: dict[scoring.Cell, int] = field(default_factory=dict)
    threat_emv: Decimal = Decimal(0)
    opportunity_emv: Decimal = Decimal(0)  # negative: savings
    expected_days: Decimal = Decimal(0)

    @property
    def net_emv(self) -> Decimal:
        return self.threat_emv + self.opportunity_emv

    @property
    def top_threat(self) -> RiskLine | None:
        return next((line for line in self.top if line.kind == RiskKind.THREAT), None)

    @property
    def top_risk(self) -> str | None:
        """The portfolio's one-liner: the highest-scoring open threat."""
        line = self.top_threat
        return f"{line.label} (score {line.score})" if line else None

    def _heat_map(self, grid: str, counts: dict[scoring.Cell, int]) -> dict[str, Any]:
        rows = scoring.heat_map_rows(counts, self.thresholds)
        return {
            "grid": grid,
            "total": sum(counts.values()),
            "rows": [
                [
                    {"p": cell[0], "i": cell[1], "count": count, "level": level.value}
                    for cell, count, level in row
                ]
                for row in rows
            ],
        }

    def to_json(self) -> dict[str, Any]:
        today = self.today
        return {
            "total_count": self.total_count,
            "open_count": self.open_count,
            "closed_count": self.total_count - self.open_count,
            "open_threats": self.open_threats,
            "open_opportunities": self.open_opportunities,
            "over_appetite": self.over_appetite,
            "appetite": self.thresholds.appetite,
            "escalation_score": self.thresholds.escalation,
            "escalated_count": self.health.escalated_open_risks,
            "escalated": [line.to_json(today) for line in self.escalated[:LIST_LIMIT]],
            "overdue_count": self.health.overdue_reviews,
            "overdue": [line.to_json(today) for line in self.overdue[:LIST_LIMIT]],
            "top_risks": [line.to_json(today) for line in self.top],
            "top_risk": self.top_risk,
            "heat_maps": [
                self._heat_map("inherent", self.inherent),
                self._heat_map("residual", self.residual),
            ],
            "expected_days": str(self.expected_days),  # also outside `emv`: not money
            "emv": {
                "threats": str(self.threat_emv),
                "opportunities": str(self.opportunity_emv),
                "net": str(self.net_emv),
                "expected_days": str(self.expected_days),
            },
        }


def _settings(organisation_ids: set[int]) -> dict[int, scoring.Thresholds]:
    """Each organisation's level and escalation thresholds (the defaults when never saved)."""
    found = {
        row.organisation_id: row.thresholds()
        for row in RiskSettings.objects.filter(organisation_id__in=organisation_ids)
    }
    default = scoring.Thresholds()
    return {org_id: found.get(org_id, default) for org_id in organisation_ids}


def _owner(row: dict[str, Any]) -> str:
    return str(row["owner__full_name"] or row["owner__email"] or "")


def _line(row: dict[str, Any], thresholds: scoring.Thresholds) -> RiskLine:
    opportunity = row["kind"] == RiskKind.OPPORTUNITY
    return RiskLine(
        risk_id=row["pk"],
        number=row["number"],
        title=row["title"],
        kind=row["kind"],
        status=row["status"],
        score=row["score"],
        level=scoring.level(row["score"], thresholds).value,
        residual_score=row["residual_score"],
        owner=_owner(row),
        next_review_on=row["next_review_on"],
        emv=scoring.expected_monetary_value(
            row["probability"], row["cost_impact"], opportunity=opportunity
        ),
    )


def _worst_impact(row: dict[str, Any]) -> int:
    return max(
        row["impact_schedule"], row["impact_cost"], row["impact_scope"], row["impact_quality"]
    )


def _summarise(
    rows: list[dict[str, Any]], thresholds: scoring.Thresholds, today: date
) -> RiskSummary:
    open_rows = [row for row in rows if row["status"] in OPEN_STATUSES]
    open_rows.sort(key=lambda row: (-row["score"], row["number"]))
    summary = RiskSummary(
        health=RiskFacts(),
        today=today,
        thresholds=thresholds,
        total_count=len(rows),
        open_count=len(open_rows),
    )
    inherent: list[scoring.Cell] = []
    residual: list[scoring.Cell] = []
    for row in open_rows:
        line = _line(row, thresholds)
        opportunity = row["kind"] == RiskKind.OPPORTUNITY
        if opportunity:
            summary.open_opportunities += 1
            summary.opportunity_emv += line.emv
        else:
            summary.open_threats += 1
            summary.threat_emv += line.emv
            effective = row["residual_score"] or row["score"]
            if not scoring.within_appetite(effective, thresholds):
                summary.over_appetite += 1
            if scoring.needs_escalation(row["score"], thresholds):
                summary.escalated.append(line)
        summary.expected_days += scoring.expected_schedule_days(
            row["probability"], row["schedule_impact_days"], opportunity=opportunity
        )
        if row["next_review_on"] is not None and row["next_review_on"] < today:
            summary.overdue.append(line)
        if len(summary.top) < TOP_LIMIT:
            summary.top.append(line)
        inherent.append((row["probability"], _worst_impact(row)))
        if row["residual_score"] is not None:
            residual.append((row["residual_probability"], row["residual_impact"]))
    # Longest overdue first: the review most in need of doing leads the list.
    summary.overdue.sort(key=lambda line: (line.next_review_on or today, line.number))
    summary.inherent = scoring.heat_map(inherent)
    summary.residual = scoring.heat_map(residual)
    summary.health = RiskFacts(
        escalated_open_risks=len(summary.escalated),
        overdue_reviews=len(summary.overdue),
        escalation_score=thresholds.escalation,
        escalated=tuple(line.label for line in summary.escalated),
        overdue=tuple(line.label for line in summary.overdue),
    )
    return summary


def summaries(projects: Sequence[Project], *, today: date) -> dict[int, RiskSummary]:
    """Two queries: the organisations' risk settings and every risk of the projects."""
    ids = [project.pk for project in projects]
    if not ids:
        return {}
    settings = _settings({project.organisation_id for project in projects})
    rows_by_project: dict[int, list[dict[str, Any]]] = {}
    for row in Risk.objects.filter(project_id__in=ids).order_by().values(*_FIELDS):
        rows_by_project.setdefault(row["project_id"], []).append(row)
    result: dict[int, RiskSummary] = {}
    for project in projects:
        rows = rows_by_project.get(project.pk)
        if not rows:
            continue  # no risk raised yet: the risk dimension has no data
        result[project.pk] = _summarise(rows, settings[project.organisation_id], today)
    return result


def facts(projects: Sequence[Project], *, today: date) -> dict[int, RiskSummary]:
    return summaries(projects, today=today)
