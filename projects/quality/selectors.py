"""Reads for the Quality tab and the reports: gates with their criteria and reviews, quality
measures, open defects (issue 7). Each costs a fixed number of queries whatever the rows."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from projects.models import (
    PRIORITY_ORDER,
    GateCriterion,
    GateOutcome,
    GateReview,
    GateTemplate,
    GateTemplateCriterion,
    Project,
    QualityGate,
    QualityMeasure,
    Task,
    TaskPriority,
    TaskStatus,
    TaskType,
)

OPEN_OUTCOMES = (GateOutcome.PENDING, GateOutcome.FAILED)


def with_criteria_counts(queryset: QuerySet[QualityGate]) -> QuerySet[QualityGate]:
    return queryset.annotate(
        criteria_total=Count("criteria", distinct=True),
        criteria_settled=Count(
            "criteria",
            filter=Q(criteria__result__in=("pass", "not_applicable")),
            distinct=True,
        ),
        criteria_failed=Count("criteria", filter=Q(criteria__result="fail"), distinct=True),
    )


def gates(project: Project) -> QuerySet[QualityGate]:
    return (
        with_criteria_counts(QualityGate.objects.filter(project=project))
        .select_related("task", "deliverable", "template", "decided_by", "waived_by")
        .order_by("due_date", "number")
    )


def gate_detail(gate_id: int) -> QualityGate:
    return (
        QualityGate.objects.select_related(
            "project__organisation",
            "task",
            "deliverable",
            "template",
            "decided_by",
            "waived_by",
            "created_by",
        )
        .prefetch_related(
            Prefetch(
                "criteria",
                GateCriterion.objects.select_related("checked_by", "evidence_attachment").order_by(
                    "position", "pk"
                ),
            ),
            Prefetch("reviews", GateReview.objects.select_related("reviewer").order_by("pk")),
        )
        .get(pk=gate_id)
    )


def measures(project: Project, limit: int = 90) -> list[QualityMeasure]:
    """The latest `limit` days with measures, oldest first."""
    rows = list(
        QualityMeasure.objects.filter(project=project)
        .select_related("recorded_by")
        .order_by("-date")[:limit]
    )
    return list(reversed(rows))


@dataclass(frozen=True)
class DefectCount:
    priority: str
    label: str
    count: int


def open_defects(project: Project) -> list[DefectCount]:
    """Open tasks of type bug by priority (tasks have no severity field; priority stands in)."""
    counts = dict(
        Task.objects.alive()
        .filter(project=project, task_type=TaskType.BUG)
        .exclude(status=TaskStatus.COMPLETED)
        .values_list("priority")
        .annotate(n=Count("pk"))
        .values_list("priority", "n")
    )
    labels = dict(TaskPriority.choices)
    return [
        DefectCount(priority, labels[priority], counts.get(priority, 0))
        for priority in sorted(labels, key=PRIORITY_ORDER.__getitem__)
    ]


def gate_templates(organisation_id: int, *, archived: bool | None = None) -> QuerySet[GateTemplate]:
    queryset = GateTemplate.objects.filter(organisation_id=organisation_id)
    if archived is not None:
        queryset = queryset.filter(archived_at__isnull=not archived)
    return queryset.prefetch_related(
        Prefetch("criteria", GateTemplateCriterion.objects.order_by("position", "pk"))
    ).order_by("name")


# --- for reports (one batch of projects, fixed queries) ---------------------------------------


@dataclass(frozen=True)
class GateFacts:
    pk: int
    project_id: int
    key: str
    name: str
    outcome: str
    due_date: date | None
    guards: str

    def is_overdue(self, today: date) -> bool:
        return self.outcome in OPEN_OUTCOMES and self.due_date is not None and self.due_date < today


def gate_facts(project_ids: Iterable[int]) -> list[GateFacts]:
    """Every gate of the projects, in one query."""
    rows = (
        QualityGate.objects.filter(project_id__in=list(project_ids))
        .order_by("due_date", "number")
        .values_list(
            "pk",
            "project_id",
            "number",
            "name",
            "outcome",
            "due_date",
            "task__name",
            "deliverable__name",
        )
    )
    return [
        GateFacts(pk, project_id, f"G-{number}", name, outcome, due, task or deliverable or "")
        for pk, project_id, number, name, outcome, due, task, deliverable in rows
    ]


def task_gates(task: Task) -> list[QualityGate]:
    """The gates on a milestone or phase, with criteria counts (`criteria_open`: not checked or
    failed), in one query (none for other
    tasks: only milestones and phases carry gates)."""
    if not (task.is_milestone or task.is_summary):
        return []
    return list(
        with_criteria_counts(QualityGate.objects.filter(task=task))
        .annotate(
            criteria_open=Count(
                "criteria", filter=Q(criteria__result__in=("open", "fail")), distinct=True
            )
        )
        .order_by("due_date", "number")
    )
