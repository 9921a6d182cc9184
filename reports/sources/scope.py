"""The scope source: change requests per project (issue 7).

Health: change requests awaiting a decision, and changes approved since the project's latest
baseline (a change approved with a re-baseline is inside the new baseline and no longer counts).
The dashboard section adds the volume of pending and approved change (the finish-date slip,
effort and cost their impact analyses computed), the recent decisions and the approved changes.

Two queries for any number of projects: every change request of the projects (without its
proposal) and the latest baseline of each. A project that never raised a change request is left
out ("no data yet"), as the risk source leaves out a project that never raised a risk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Max

from projects.models import Baseline, ChangeRequest, ChangeStatus, Project
from reports.health import Dimension, ScopeFacts

DIMENSION = Dimension.SCOPE
LIST_LIMIT = 5  # recent decisions and approved changes listed in the section
PENDING = (ChangeStatus.SUBMITTED, ChangeStatus.UNDER_REVIEW)
ACCEPTED = (ChangeStatus.APPROVED, ChangeStatus.IMPLEMENTED)
DECIDED = (*ACCEPTED, ChangeStatus.REJECTED)


@dataclass(frozen=True)
class ChangeLine:
    number: int
    title: str
    status: str
    priority: str
    decided_at: datetime | None
    slip_days: Decimal | None  # the analysed finish-date change, working days
    effort_change: Decimal | None
    cost_change: Decimal | None

    @property
    def ref(self) -> str:
        return f"CR-{self.number}"

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "ref": self.ref,
            "title": self.title,
            "status": self.status,
            "priority": self.priority,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "slip_days": _text(self.slip_days),
            "effort_change": _text(self.effort_change),
            "cost_change": _text(self.cost_change),
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Volume:
    """How much change a group of requests carries, as their analyses computed it."""

    count: int = 0
    slip_days: Decimal = Decimal(0)
    effort: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)

    @classmethod
    def of(cls, lines: Sequence[ChangeLine]) -> Volume:
        return cls(
            count=len(lines),
            slip_days=sum((line.slip_days or Decimal(0) for line in lines), Decimal(0)),
            effort=sum((line.effort_change or Decimal(0) for line in lines), Decimal(0)),
            cost=sum((line.cost_change or Decimal(0) for line in lines), Decimal(0)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "slip_days": str(self.slip_days),
            "effort": str(self.effort),
            "cost": str(self.cost),
        }


@dataclass(frozen=True)
class ScopeSummary:
    health: ScopeFacts
    counts: dict[str, int] = field(default_factory=dict)
    pending: Volume = Volume()
    approved: Volume = Volume()  # approved or implemented, ever
    recent_decisions: list[ChangeLine] = field(default_factory=list)
    approved_changes: list[ChangeLine] = field(default_factory=list)
    baseline_at: datetime | None = None

    @property
    def pending_changes(self) -> int:
        """The portfolio's one-liner."""
        return self.health.pending_changes

    def to_json(self) -> dict[str, Any]:
        return {
            "pending_changes": self.health.pending_changes,
            "approved_since_baseline": self.health.approved_changes,
            "counts": self.counts,
            "pending": self.pending.to_json(),
            "approved": self.approved.to_json(),
            "recent_decisions": [line.to_json() for line in self.recent_decisions],
            "approved_changes": [line.to_json() for line in self.approved_changes],
            "baseline_at": self.baseline_at.isoformat() if self.baseline_at else None,
        }


def _amount(impact: dict[str, Any] | None, key: str) -> Decimal | None:
    value = (impact or {}).get(key)
    return None if value in (None, "") else Decimal(str(value))


def _line(row: dict[str, Any]) -> ChangeLine:
    impact = row["impact"]
    return ChangeLine(
        number=row["number"],
        title=row["title"],
        status=row["status"],
        priority=row["priority"],
        decided_at=row["decided_at"],
        slip_days=_amount(impact, "finish_slip_days"),
        effort_change=_amount(impact, "effort_change"),
        cost_change=_amount(impact, "cost_change"),
    )


def _summary(rows: list[dict[str, Any]], baseline_at: datetime | None) -> ScopeSummary:
    lines = [(row, _line(row)) for row in rows]
    pending = [line for row, line in lines if row["status"] in PENDING]
    accepted = [line for row, line in lines if row["status"] in ACCEPTED]
    since = [
        line
        for line in accepted
        if baseline_at is None or (line.decided_at is not None and line.decided_at > baseline_at)
    ]
    decided = sorted(
        (line for row, line in lines if row["status"] in DECIDED and line.decided_at),
        key=lambda line: line.decided_at or datetime.min,
        reverse=True,
    )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return ScopeSummary(
        health=ScopeFacts(pending_changes=len(pending), approved_changes=len(since)),
        counts=counts,
        pending=Volume.of(pending),
        approved=Volume.of(accepted),
        recent_decisions=decided[:LIST_LIMIT],
        approved_changes=[line for line in decided if line.status in ACCEPTED][:LIST_LIMIT],
        baseline_at=baseline_at,
    )


def facts(projects: Sequence[Project], *, today: date) -> dict[int, ScopeSummary]:
    ids = [project.pk for project in projects]
    rows_by_project: dict[int, list[dict[str, Any]]] = {}
    rows = ChangeRequest.objects.filter(project_id__in=ids).values(
        "project_id", "number", "title", "status", "priority", "decided_at", "impact"
    )
    for row in rows.order_by("project_id", "number"):
        rows_by_project.setdefault(row["project_id"], []).append(dict(row))
    baselines = dict(
        Baseline.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(last=Max("created_at"))
        .values_list("project_id", "last")
        .order_by()
    )
    return {
        pk: _summary(rows_by_project.get(pk, []), baselines.get(pk))
        for pk in ids
        if pk in rows_by_project
    }
