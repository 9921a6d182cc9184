"""The quality rules that hold work back (issue 7): a gate's outcome from its criteria and
reviews, what keeps a gate open, and the completion check.

The completion check lives here once: `task_services.task_update_progress` calls
`check_gates_allow_completion`, which refuses completing a milestone, or the last open task of a
gated phase, naming the open criteria and reviews; accepting a deliverable calls
`check_deliverable_gates`. These only read; the writes are in `projects.quality.services`.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from projects.models import (
    CriterionResult,
    Deliverable,
    GateOutcome,
    QualityGate,
    ReviewVerdict,
    Task,
    TaskStatus,
)


def computed_outcome(results: Iterable[str], verdicts: Iterable[str]) -> str:
    """The outcome criteria and reviews give (a waiver is decided by a person, not here)."""
    results, verdicts = list(results), list(verdicts)
    if CriterionResult.FAIL in results or ReviewVerdict.REJECTED in verdicts:
        return GateOutcome.FAILED
    settled = all(r in (CriterionResult.PASS, CriterionResult.NOT_APPLICABLE) for r in results)
    if results and settled and all(v == ReviewVerdict.APPROVED for v in verdicts):
        return GateOutcome.PASSED
    return GateOutcome.PENDING


def open_items(gate: QualityGate) -> list[str]:
    """What keeps the gate from passing, in words: criteria not passed, reviews not approved.
    Uses `gate.criteria.all()` and `gate.reviews.all()` (prefetch them for many gates)."""
    items = []
    for criterion in gate.criteria.all():
        if not criterion.is_settled:
            state = "failed" if criterion.result == CriterionResult.FAIL else "not checked"
            items.append(f"“{criterion.text}” ({state})")
    for review in gate.reviews.all():
        if review.verdict != ReviewVerdict.APPROVED:
            state = "rejected" if review.verdict == ReviewVerdict.REJECTED else "pending"
            items.append(f"{review.get_required_role_display().lower()} review ({state})")
    if not items and not gate.criteria.all():
        items.append("no criteria yet")
    return items


def _uncleared_gates(project_id: int) -> Any:
    return QualityGate.objects.filter(project_id=project_id, task__isnull=False).exclude(
        outcome__in=(GateOutcome.PASSED, GateOutcome.WAIVED)
    )


def _phases_completed_by(task: Task, gated: set[int]) -> list[int]:
    """Gated summaries above `task` that its completion would complete (all else done)."""
    rows = list(
        Task.objects.alive()
        .filter(project_id=task.project_id)
        .values_list("pk", "parent_id", "status", "is_summary")
    )
    parents = {pk: parent for pk, parent, _, _ in rows}
    ancestors: list[int] = []
    current = parents.get(task.pk)
    while current is not None and current not in ancestors:
        ancestors.append(current)
        current = parents.get(current)
    wanted = [pk for pk in ancestors if pk in gated]
    if not wanted:
        return []
    open_under: dict[int, int] = dict.fromkeys(wanted, 0)
    for pk, _, status, is_summary in rows:
        if is_summary or pk == task.pk or status == TaskStatus.COMPLETED:
            continue
        current = parents.get(pk)
        seen: set[int] = set()
        while current is not None and current not in seen:
            seen.add(current)
            if current in open_under:
                open_under[current] += 1
            current = parents.get(current)
    return [pk for pk, count in open_under.items() if count == 0]


def gates_blocking_completion(task: Task) -> list[QualityGate]:
    """Gates not passed or waived on `task` or on a phase its completion would complete."""
    gated = set(_uncleared_gates(task.project_id).values_list("task_id", flat=True))
    if not gated:
        return []
    guarded = [task.pk, *_phases_completed_by(task, gated)]
    return list(
        _uncleared_gates(task.project_id)
        .filter(task_id__in=guarded)
        .select_related("task")
        .prefetch_related("criteria", "reviews")
        .order_by("number")
    )


def blocking_message(subject: str, gates: list[QualityGate]) -> str:
    parts = []
    for gate in gates:
        where = f" on “{gate.task.name}”" if gate.task and gate.task.name != subject else ""
        parts.append(
            f"gate {gate.key} “{gate.name}”{where} is {gate.get_outcome_display().lower()}; "
            f"open: {'; '.join(open_items(gate))}"
        )
    return f"“{subject}” cannot be completed: " + " — ".join(parts) + "."


def check_gates_allow_completion(task: Task) -> None:
    """Refuse completing a milestone or phase behind a gate that has not passed (or been waived),
    naming the open criteria."""
    gates = gates_blocking_completion(task)
    if gates:
        raise ValidationError({"status": blocking_message(task.name, gates)})


def check_deliverable_gates(deliverable: Deliverable) -> None:
    gates = list(
        deliverable.quality_gates.exclude(outcome__in=(GateOutcome.PASSED, GateOutcome.WAIVED))
        .prefetch_related("criteria", "reviews")
        .order_by("number")
    )
    if gates:
        raise ValidationError({"deliverable": blocking_message(deliverable.name, gates)})
