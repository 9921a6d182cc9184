"""Quality checkpoints (gates) on phases, milestones and deliverables; the organisation's gate
templates; and per-project quality measures (test pass rate, coverage).

A gate that has not passed (or been waived) blocks completing its milestone or phase
(`projects.quality.services.check_gates_allow_completion`).
"""

from django.conf import settings
from django.db import models

from projects.models.scope import MeasurementSource
from tpm.models import Organisation
from tpm.roles import ProjectRole


class GateTemplate(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="gate_templates"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    required_reviewer_roles = models.JSONField(
        default=list, blank=True, help_text="Project roles that must review a gate made from it."
    )
    # Archived templates stay for the gates made from them but are not offered any more.
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("organisation", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "name"), name="one_gate_template_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GateTemplateCriterion(models.Model):
    template = models.ForeignKey(GateTemplate, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("template", "position", "pk")
        verbose_name_plural = "gate template criteria"

    def __str__(self) -> str:
        return self.text


class GateOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    WAIVED = "waived", "Waived"


# Outcomes that let the milestone or phase behind the gate complete.
CLEARED_OUTCOMES = (GateOutcome.PASSED, GateOutcome.WAIVED)


class QualityGate(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="quality_gates"
    )
    number = models.PositiveIntegerField(editable=False, help_text="G-<number> in its project.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    template = models.ForeignKey(
        GateTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="gates"
    )
    # What the gate guards: a phase (summary task) or milestone, or a deliverable.
    task = models.ForeignKey(
        "projects.Task",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quality_gates",
    )
    deliverable = models.ForeignKey(
        "projects.Deliverable",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quality_gates",
    )
    due_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=8, choices=GateOutcome.choices, default=GateOutcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    waiver_reason = models.TextField(blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "due_date", "number")
        constraints = [
            models.UniqueConstraint(
                fields=("project", "number"), name="one_gate_number_per_project"
            ),
            models.CheckConstraint(
                condition=models.Q(task__isnull=False) | models.Q(deliverable__isnull=False),
                name="gate_guards_a_task_or_deliverable",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="waived") | ~models.Q(waiver_reason=""),
                name="waiver_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"G-{self.number} {self.name}"

    @property
    def key(self) -> str:
        return f"G-{self.number}"

    @property
    def is_cleared(self) -> bool:
        return self.outcome in CLEARED_OUTCOMES


class CriterionResult(models.TextChoices):
    OPEN = "open", "Not checked"
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class GateCriterion(models.Model):
    gate = models.ForeignKey(QualityGate, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(max_length=500)
    position = models.PositiveIntegerField(default=0)
    result = models.CharField(
        max_length=16, choices=CriterionResult.choices, default=CriterionResult.OPEN
    )
    evidence_url = models.URLField(max_length=500, blank=True)
    evidence_comment = models.TextField(blank=True)
    # A file kept as a tpm Attachment (its target is this criterion).
    evidence_attachment = models.ForeignKey(
        "tpm.Attachment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("gate", "position", "pk")
        verbose_name_plural = "gate criteria"

    def __str__(self) -> str:
        return self.text

    @property
    def is_settled(self) -> bool:
        """Passed or not applicable: it no longer holds the gate back."""
        return self.result in (CriterionResult.PASS, CriterionResult.NOT_APPLICABLE)


class ReviewVerdict(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class GateReview(models.Model):
    """A review the gate needs from someone with a given project role."""

    gate = models.ForeignKey(QualityGate, on_delete=models.CASCADE, related_name="reviews")
    required_role = models.CharField(max_length=20, choices=ProjectRole.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verdict = models.CharField(
        max_length=8, choices=ReviewVerdict.choices, default=ReviewVerdict.PENDING
    )
    comment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("gate", "pk")
        constraints = [
            models.UniqueConstraint(fields=("gate", "required_role"), name="one_review_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_required_role_display()} review of gate {self.gate_id}"


class QualityMeasure(models.Model):
    """Test pass rate and coverage of a project on a day (entered or posted by CI)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="quality_measures"
    )
    date = models.DateField()
    test_pass_rate = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Percent of tests passing."
    )
    coverage = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Percent of code covered."
    )
    source = models.CharField(
        max_length=6, choices=MeasurementSource.choices, default=MeasurementSource.MANUAL
    )
    note = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "-date")
        constraints = [
            models.UniqueConstraint(fields=("project", "date"), name="one_quality_measure_per_day"),
            models.CheckConstraint(
                condition=(
                    models.Q(test_pass_rate__isnull=True)
                    | models.Q(test_pass_rate__gte=0, test_pass_rate__lte=100)
                )
                & (models.Q(coverage__isnull=True) | models.Q(coverage__gte=0, coverage__lte=100)),
                name="quality_percentages_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"Quality of project {self.project_id} on {self.date}"
