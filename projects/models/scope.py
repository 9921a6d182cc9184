"""Scope definition: the project charter (versioned, approved by its sponsor) and the
measurable objectives (KPIs) with the history of their measured values.

The charter is edited in place; every save through `projects.scope.services.charter` also writes a
`CharterVersion` snapshot, and the sponsor approves one version (who and when are kept on it).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

# The charter's text fields, in the order the page shows them; snapshots keep the same keys.
CHARTER_TEXT_FIELDS = (
    "problem_statement",
    "goals",
    "in_scope",
    "out_of_scope",
    "assumptions",
    "constraints",
    "success_criteria",
)


class Charter(models.Model):
    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="charter"
    )
    problem_statement = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    in_scope = models.TextField(blank=True)
    out_of_scope = models.TextField(blank=True)
    assumptions = models.TextField(blank=True)
    constraints = models.TextField(blank=True)
    success_criteria = models.TextField(blank=True)
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_charters",
        help_text="Approves the charter.",
    )
    stakeholders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="charters_as_stakeholder"
    )
    # The latest snapshot; `approved_version` is the one the sponsor approved (may be older).
    current_version = models.ForeignKey(
        "projects.CharterVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_version = models.ForeignKey(
        "projects.CharterVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Charter of project {self.project_id}"

    @property
    def is_approved(self) -> bool:
        """The sponsor approved the text as it stands now."""
        return (
            self.approved_version_id is not None
            and self.approved_version_id == self.current_version_id
        )


class CharterVersion(models.Model):
    """The charter's text as saved once: immutable, except for the sponsor's approval."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(
        default=dict, help_text="The text fields, the sponsor's and stakeholders' ids."
    )
    note = models.CharField(max_length=255, blank=True, help_text="What changed.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_comment = models.TextField(blank=True)

    class Meta:
        ordering = ("charter", "-number")
        constraints = [
            models.UniqueConstraint(fields=("charter", "number"), name="one_charter_version_number")
        ]

    def __str__(self) -> str:
        return f"Charter v{self.number}"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    API = "api", "Posted through the API"


class Objective(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="objectives"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    metric = models.CharField(max_length=120, help_text="What is measured, e.g. p95 latency.")
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. ms, %, users")
    baseline_value = models.DecimalField(max_digits=16, decimal_places=4)
    target_value = models.DecimalField(max_digits=16, decimal_places=4)
    target_date = models.DateField(null=True, blank=True)
    direction = models.CharField(max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    # The latest measurement, kept here so lists need no subquery.
    current_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    current_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_objectives",
    )
    deliverables = models.ManyToManyField(
        "projects.Deliverable", blank=True, related_name="objectives"
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "position", "pk")

    def __str__(self) -> str:
        return self.title

    def progress(self) -> Decimal | None:
        """How far from baseline to target the current value is, 0..1 (may exceed 1)."""
        if self.current_value is None or self.target_value == self.baseline_value:
            return None
        return (self.current_value - self.baseline_value) / (
            self.target_value - self.baseline_value
        )

    def is_met(self) -> bool:
        if self.current_value is None:
            return False
        if self.direction == Direction.LOWER:
            return self.current_value <= self.target_value
        return self.current_value >= self.target_value


class ObjectiveMeasurement(models.Model):
    """One measured value of an objective's metric: the trend chart draws these."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(max_digits=16, decimal_places=4)
    measured_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(
        max_length=6, choices=MeasurementSource.choices, default=MeasurementSource.MANUAL
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("objective", "measured_at", "pk")
        indexes = [models.Index(fields=("objective", "measured_at"))]

    def __str__(self) -> str:
        return f"{self.value} at {self.measured_at:%Y-%m-%d}"
