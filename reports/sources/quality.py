"""The quality source: quality gates and measures per project (issue 7).

Health: failed gates and overdue gates (pending or failed past their due date); the dashboard
section adds the gates due in the next weeks, the gates by outcome, the latest test pass rate
and coverage, and open defects by priority (bugs have no separate severity; priority stands in).

Three queries for any number of projects: every gate of the projects, their recent quality
measures and their open bugs counted by priority. A project with no gate and no measure is left
out ("no data yet").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count

from projects.models import PRIORITY_ORDER, Project, QualityMeasure, Task, TaskStatus, TaskType
from projects.quality.selectors import OPEN_OUTCOMES, GateFacts, gate_facts
from reports.health import Dimension, QualityFacts

DIMENSION = Dimension.QUALITY
UPCOMING_DAYS = 30  # gates due within this many days are listed as upcoming
LIST_LIMIT = 10
MEASURE_WINDOW_DAYS = 90  # the latest measure is looked for in this window


@dataclass
class QualitySummary:
    health: QualityFacts
    failed: list[GateFacts] = field(default_factory=list)
    overdue: list[GateFacts] = field(default_factory=list)
    upcoming: list[GateFacts] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    measured_on: date | None = None
    test_pass_rate: Decimal | None = None
    coverage: Decimal | None = None
    defects: dict[str, int] = field(default_factory=dict)
    today: date | None = None

    @property
    def failed_gates(self) -> int:
        return self.health.failed_gates

    def to_json(self) -> dict[str, Any]:
        def line(gate: GateFacts) -> dict[str, Any]:
            return {
                "id": gate.pk,
                "key": gate.key,
                "name": gate.name,
                "outcome": gate.outcome,
                "due_date": gate.due_date.isoformat() if gate.due_date else None,
                "guards": gate.guards,
            }

        return {
            "failed_count": self.health.failed_gates,
            "overdue_count": self.health.overdue_gates,
            "failed": [line(g) for g in self.failed[:LIST_LIMIT]],
            "overdue": [line(g) for g in self.overdue[:LIST_LIMIT]],
            "upcoming": [line(g) for g in self.upcoming[:LIST_LIMIT]],
            "outcomes": self.outcomes,
            "measured_on": self.measured_on.isoformat() if self.measured_on else None,
            "test_pass_rate": str(self.test_pass_rate) if self.test_pass_rate is not None else None,
            "coverage": str(self.coverage) if self.coverage is not None else None,
            "open_defects": [
                {"priority": p, "count": n}
                for p, n in sorted(
                    self.defects.items(), key=lambda kv: PRIORITY_ORDER.get(kv[0], 9)
                )
            ],
            "defects_note": "Open bugs by priority (tasks have no separate severity).",
        }


def _summaries_from_gates(ids: list[int], today: date) -> dict[int, QualitySummary]:
    result: dict[int, QualitySummary] = {}
    horizon = today + timedelta(days=UPCOMING_DAYS)
    for gate in gate_facts(ids):
        summary = result.setdefault(gate.project_id, QualitySummary(QualityFacts(), today=today))
        summary.outcomes[gate.outcome] = summary.outcomes.get(gate.outcome, 0) + 1
        if gate.outcome == "failed":
            summary.failed.append(gate)
        if gate.is_overdue(today):
            summary.overdue.append(gate)
        elif gate.outcome in OPEN_OUTCOMES and gate.due_date and gate.due_date <= horizon:
            summary.upcoming.append(gate)
    for summary in result.values():
        summary.health = QualityFacts(
            failed_gates=len(summary.failed), overdue_gates=len(summary.overdue)
        )
    return result


def facts(projects: Sequence[Project], *, today: date) -> dict[int, QualitySummary]:
    ids = [project.pk for project in projects]
    result = _summaries_from_gates(ids, today)
    measures = (
        QualityMeasure.objects.filter(
            project_id__in=ids, date__gte=today - timedelta(days=MEASURE_WINDOW_DAYS)
        )
        .order_by("project_id", "-date")
        .values_list("project_id", "date", "test_pass_rate", "coverage")
    )
    for project_id, day, rate, cover in measures:
        summary = result.setdefault(project_id, QualitySummary(QualityFacts(), today=today))
        if summary.measured_on is None:
            summary.measured_on, summary.test_pass_rate, summary.coverage = day, rate, cover
    bugs = (
        Task.objects.alive()
        .filter(project_id__in=list(result), task_type=TaskType.BUG)
        .exclude(status=TaskStatus.COMPLETED)
        .values_list("project_id", "priority")
        .annotate(n=Count("pk"))
        .values_list("project_id", "priority", "n")
    )
    for project_id, priority, count in bugs:
        result[project_id].defects[priority] = count
    return result
