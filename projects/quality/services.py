"""Writes for quality checkpoints (gates) and the quality measures of a project (issue 7); the
organisation's gate templates are written in `projects.quality.gate_templates`.

A gate's outcome follows its criteria and reviews: a failed criterion or a rejecting review
makes it failed; every criterion passed (or not applicable) and every required review approving
makes it passed; anything else leaves it pending (`projects.quality.rules.computed_outcome`).
Only a manager waives a gate, with a reason. A gate that is not passed or waived blocks
completing the milestone or phase it guards: `rules.check_gates_allow_completion` (called by
`task_services.task_update_progress`) refuses naming the open criteria.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from projects.models import (
    CriterionResult,
    Deliverable,
    GateCriterion,
    GateOutcome,
    GateReview,
    GateTemplate,
    MeasurementSource,
    Project,
    QualityGate,
    QualityMeasure,
    ReviewVerdict,
    Task,
)
from projects.quality.rules import computed_outcome
from tpm import collab, history
from tpm.concurrency import lock_current_version
from tpm.models import User
from tpm.roles import ProjectRole

GATE_FIELDS = ("name", "description", "due_date")
ROLES = frozenset(ProjectRole.values)


def _scope(project: Project) -> str:
    return f"project:{project.pk}"


def _record(project: Project, actor: User | None, target: Any, action: str, changes: dict) -> None:
    history.record(
        actor=actor,
        organisation=project.organisation,
        target=target,
        action=action,
        scope=_scope(project),
        changes=changes,
    )


def check_roles(roles: Iterable[str], field: str = "reviewer_roles") -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise ValidationError(
            {field: f"Unknown role {', '.join(unknown)}; use {', '.join(sorted(ROLES))}."}
        )
    return roles


def clean_texts(texts: Iterable[str]) -> list[str]:
    cleaned = [text.strip() for text in texts if text and text.strip()]
    too_long = [text for text in cleaned if len(text) > 500]
    if too_long:
        raise ValidationError({"criteria": "A criterion is at most 500 characters."})
    return cleaned


# --- gates ------------------------------------------------------------------------------------


def _check_guarded(project: Project, task: Task | None, deliverable: Deliverable | None) -> None:
    if (task is None) == (deliverable is None):
        raise ValidationError(
            {"task": "Put the gate on one phase or milestone, or on one deliverable."}
        )
    if task is not None:
        if task.project_id != project.pk or task.deleted_at is not None:
            raise ValidationError({"task": "Choose a phase or milestone of this project."})
        if not (task.is_milestone or task.is_summary):
            raise ValidationError(
                {"task": f"“{task.name}” is neither a milestone nor a phase (a summary task)."}
            )
    if deliverable is not None and deliverable.project_id != project.pk:
        raise ValidationError({"deliverable": "Choose a deliverable of this project."})


@transaction.atomic
def gate_create(
    *,
    project: Project,
    actor: User,
    name: str = "",
    task: Task | None = None,
    deliverable: Deliverable | None = None,
    template: GateTemplate | None = None,
    due_date: date | None = None,
    description: str = "",
    criteria: Iterable[str] | None = None,
    reviewer_roles: Iterable[str] | None = None,
) -> QualityGate:
    """A gate on a phase, milestone or deliverable; a template gives its criteria and reviewers."""
    _check_guarded(project, task, deliverable)
    if template is not None and template.organisation_id != project.organisation_id:
        raise ValidationError({"template": "Choose a template of this organisation."})
    name = (name or "").strip() or (template.name if template else "")
    if not name:
        raise ValidationError({"name": "Name the gate (or choose a template)."})
    texts = clean_texts(criteria or [])
    roles = list(reviewer_roles or [])
    if template is not None:
        texts = [c.text for c in template.criteria.all()] + texts
        roles = list(template.required_reviewer_roles) + roles
    roles = check_roles(roles)
    if due_date is None and task is not None and task.finish is not None:
        due_date = timezone.localtime(task.finish).date()
    if due_date is None and deliverable is not None:
        due_date = deliverable.due_date
    Project.objects.select_for_update().filter(pk=project.pk).first()  # numbers one at a time
    last = QualityGate.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0
    gate = QualityGate.objects.create(
        project=project,
        number=last + 1,
        name=name[:200],
        description=description.strip(),
        template=template,
        task=task,
        deliverable=deliverable,
        due_date=due_date,
        created_by=actor,
    )
    GateCriterion.objects.bulk_create(
        GateCriterion(gate=gate, text=text, position=index) for index, text in enumerate(texts)
    )
    GateReview.objects.bulk_create(GateReview(gate=gate, required_role=role) for role in roles)
    _record(project, actor, gate, "created", {"name": [None, gate.name]})
    return gate


@transaction.atomic
def gate_update(
    *, gate: QualityGate, actor: User, version: int | None, **changes: Any
) -> QualityGate:
    unknown = set(changes) - set(GATE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    current = lock_current_version(gate, version)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise ValidationError({"name": "Name the gate."})
    before = history.snapshot(current, changes)
    for field, value in changes.items():
        setattr(current, field, value)
    current.version += 1
    current.save()
    diff = history.diff(before, history.snapshot(current, changes))
    if diff:
        _record(current.project, actor, current, "updated", diff)
    return current


@transaction.atomic
def gate_delete(*, gate: QualityGate, actor: User) -> None:
    _record(gate.project, actor, gate, "deleted", {"name": [gate.name, None]})
    gate.delete()


@transaction.atomic
def gate_criterion_add(*, gate: QualityGate, actor: User, text: str) -> GateCriterion:
    texts = clean_texts([text])
    if not texts:
        raise ValidationError({"text": "Say what must be true."})
    last = gate.criteria.aggregate(n=Max("position"))["n"]
    criterion = GateCriterion.objects.create(
        gate=gate, text=texts[0], position=0 if last is None else last + 1
    )
    _record(gate.project, actor, gate, "updated", {"criterion added": [None, criterion.text]})
    _settle(gate, actor)
    return criterion


@transaction.atomic
def gate_criterion_check(
    *,
    criterion: GateCriterion,
    actor: User,
    version: int | None,
    result: str,
    evidence_url: str = "",
    evidence_comment: str = "",
    evidence_file: UploadedFile | None = None,
) -> GateCriterion:
    """Record a criterion's result with its evidence (a link, a file or a comment)."""
    current = lock_current_version(criterion, version)
    if result not in CriterionResult.values:
        raise ValidationError(
            {"result": f"Unknown result “{result}”; use {', '.join(CriterionResult.values)}."}
        )
    gate = QualityGate.objects.select_related("project__organisation").get(pk=current.gate_id)
    if gate.outcome == GateOutcome.WAIVED:
        raise ValidationError({"result": f"{gate.key} was waived; its criteria are closed."})
    before = history.snapshot(current, ["result", "evidence_url", "evidence_comment"])
    current.result = result
    current.evidence_url = (evidence_url or "").strip()
    current.evidence_comment = (evidence_comment or "").strip()
    if result == CriterionResult.FAIL and not (
        current.evidence_comment or current.evidence_url or evidence_file
    ):
        raise ValidationError(
            {"evidence_comment": "Say why it fails (a comment, a link or a file)."}
        )
    if evidence_file is not None:
        current.evidence_attachment = collab.attachment_create(
            organisation=gate.project.organisation,
            scope=_scope(gate.project),
            target=current,
            actor=actor,
            upload=evidence_file,
        )
    current.full_clean(exclude=["gate", "evidence_attachment"])
    current.checked_by = actor if result != CriterionResult.OPEN else None
    current.checked_at = timezone.now() if result != CriterionResult.OPEN else None
    current.version += 1
    current.save()
    changes = history.diff(
        before, history.snapshot(current, ["result", "evidence_url", "evidence_comment"])
    )
    if evidence_file is not None:
        changes["evidence file"] = [None, current.evidence_attachment.filename]  # type: ignore[union-attr]
    if changes:
        _record(gate.project, actor, gate, "updated", {f"“{current.text}”": changes})
    _settle(gate, actor)
    return current


@transaction.atomic
def gate_review_give(
    *,
    review: GateReview,
    actor: User,
    actor_role: str | None,
    version: int | None,
    verdict: str,
    comment: str = "",
) -> GateReview:
    """A reviewer with the required role approves or rejects (a rejection says why)."""
    if actor_role != review.required_role:
        needed = review.get_required_role_display().lower()
        raise ValidationError({"verdict": f"This review needs someone with the {needed} role."})
    current = lock_current_version(review, version)
    if verdict not in (ReviewVerdict.APPROVED, ReviewVerdict.REJECTED, ReviewVerdict.PENDING):
        raise ValidationError({"verdict": "Approve or reject."})
    comment = (comment or "").strip()
    if verdict == ReviewVerdict.REJECTED and not comment:
        raise ValidationError({"comment": "Say why you reject it."})
    gate = QualityGate.objects.select_related("project__organisation").get(pk=current.gate_id)
    if gate.outcome == GateOutcome.WAIVED:
        raise ValidationError({"verdict": f"{gate.key} was waived; its reviews are closed."})
    old = current.verdict
    current.verdict = verdict
    current.comment = comment
    current.reviewer = actor if verdict != ReviewVerdict.PENDING else None
    current.reviewed_at = timezone.now() if verdict != ReviewVerdict.PENDING else None
    current.version += 1
    current.save()
    _record(
        gate.project,
        actor,
        gate,
        "updated",
        {f"{current.get_required_role_display()} review": [old, verdict]},
    )
    _settle(gate, actor)
    return current


@transaction.atomic
def gate_waive(*, gate: QualityGate, actor: User, version: int | None, reason: str) -> QualityGate:
    """A manager lets the work behind the gate go on without it passing; the reason is kept.
    (The caller checks ProjectAction.WAIVE_GATES.)"""
    current = lock_current_version(gate, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"waiver_reason": "A waiver needs a reason."})
    if current.outcome == GateOutcome.PASSED:
        raise ValidationError({"waiver_reason": f"{current.key} has passed; nothing to waive."})
    old = current.outcome
    current.outcome = GateOutcome.WAIVED
    current.waiver_reason = reason
    current.waived_by = actor
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.version += 1
    current.save()
    project = Project.objects.select_related("organisation").get(pk=current.project_id)
    _record(project, actor, current, "updated", {"outcome": [old, "waived"], "reason": reason})
    return current


@transaction.atomic
def gate_revoke_waiver(*, gate: QualityGate, actor: User, version: int | None) -> QualityGate:
    current = lock_current_version(gate, version)
    if current.outcome != GateOutcome.WAIVED:
        raise ValidationError({"outcome": f"{current.key} is not waived."})
    current.outcome = GateOutcome.PENDING
    current.waiver_reason = ""
    current.waived_by = None
    current.version += 1
    current.save()
    project = Project.objects.select_related("organisation").get(pk=current.project_id)
    _record(project, actor, current, "updated", {"outcome": ["waived", "pending"]})
    _settle(current, actor)
    return current


def _settle(gate: QualityGate, actor: User | None) -> None:
    """Bring the stored outcome in line with the criteria and reviews (waived gates stay)."""
    fresh = QualityGate.objects.select_for_update().get(pk=gate.pk)
    if fresh.outcome == GateOutcome.WAIVED:
        return
    outcome = computed_outcome(
        fresh.criteria.values_list("result", flat=True),
        fresh.reviews.values_list("verdict", flat=True),
    )
    if outcome == fresh.outcome:
        return
    decided = outcome != GateOutcome.PENDING
    QualityGate.objects.filter(pk=gate.pk).update(
        outcome=outcome,
        decided_by=actor if decided else None,
        decided_at=timezone.now() if decided else None,
        version=fresh.version + 1,
    )
    project = Project.objects.select_related("organisation").get(pk=fresh.project_id)
    _record(project, actor, fresh, "updated", {"outcome": [fresh.outcome, outcome]})
    gate.outcome = outcome
    gate.version = fresh.version + 1


# --- quality measures -------------------------------------------------------------------------


def _percent(value: Any, field: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: f"{label} is a percentage such as 97.5."}) from None
    if not number.is_finite() or number < 0 or number > 100:
        raise ValidationError({field: f"{label} is a percentage from 0 to 100."})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def quality_measure_record(
    *,
    project: Project,
    actor: User,
    on: date | None = None,
    test_pass_rate: Any = None,
    coverage: Any = None,
    source: str = MeasurementSource.MANUAL,
    note: str = "",
) -> QualityMeasure:
    """The day's test pass rate and coverage (one record per day: a second one replaces it)."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"date": "A measure cannot be in the future."})
    rate = _percent(test_pass_rate, "test_pass_rate", "The test pass rate")
    cover = _percent(coverage, "coverage", "Coverage")
    if rate is None and cover is None:
        raise ValidationError({"test_pass_rate": "Give the test pass rate, the coverage or both."})
    measure = QualityMeasure.objects.select_for_update().filter(project=project, date=on).first()
    created = measure is None
    if measure is None:
        measure = QualityMeasure(project=project, date=on)
    before = history.snapshot(measure, ["test_pass_rate", "coverage"])
    if rate is not None:
        measure.test_pass_rate = rate
    if cover is not None:
        measure.coverage = cover
    measure.source = source
    measure.note = (note or "").strip()[:255]
    measure.recorded_by = actor
    if not created:
        measure.version += 1
    measure.save()
    changes = history.diff(before, history.snapshot(measure, ["test_pass_rate", "coverage"]))
    _record(project, actor, measure, "created" if created else "updated", changes)
    return measure
