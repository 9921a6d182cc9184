"""The rest of the RAID log: assumptions, issues, decisions and dependencies on outside parties.

They share one shape (`RaidEntry`): a numbered entry of a project with a title, a description,
an owner and a version.
"""

from datetime import date

from django.conf import settings
from django.db import models


class RaidEntry(models.Model):
    PREFIX = "?"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ("project", "number")

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"{self.PREFIX}-{self.number}"


class AssumptionStatus(models.TextChoices):
    OPEN = "open", "To validate"
    VALIDATED = "validated", "Validated"
    INVALID = "invalid", "Proved wrong"


class Assumption(RaidEntry):
    PREFIX = "A"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="assumptions"
    )
    validate_by = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=AssumptionStatus.choices, default=AssumptionStatus.OPEN
    )
    # Set by the periodic job when the validate-by date passed while still open.
    flagged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(RaidEntry.Meta):
        constraints = [
            models.UniqueConstraint(fields=("project", "number"), name="one_assumption_number")
        ]

    def is_overdue(self, today: date) -> bool:
        return (
            self.status == AssumptionStatus.OPEN
            and self.validate_by is not None
            and self.validate_by < today
        )


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class Issue(RaidEntry):
    """Something that has happened and needs handling; perhaps a risk that occurred."""

    PREFIX = "I"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="issues")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(max_length=12, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    raised_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    risk = models.OneToOneField(
        "risks.Risk",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issue",
        help_text="The risk that occurred, when it came from the register.",
    )

    class Meta(RaidEntry.Meta):
        constraints = [
            models.UniqueConstraint(fields=("project", "number"), name="one_issue_number")
        ]


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    DECIDED = "decided", "Decided"
    SUPERSEDED = "superseded", "Superseded"


class Decision(RaidEntry):
    """What was decided (title, description), why, by whom, when, and what else was weighed."""

    PREFIX = "D"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="decisions"
    )
    rationale = models.TextField(blank=True, help_text="Why.")
    alternatives = models.TextField(blank=True, help_text="The options considered and rejected.")
    decided_by = models.CharField(max_length=200, blank=True, help_text="Who decided.")
    decided_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.DECIDED
    )

    class Meta(RaidEntry.Meta):
        constraints = [
            models.UniqueConstraint(fields=("project", "number"), name="one_decision_number")
        ]


class PartyKind(models.TextChoices):
    VENDOR = "vendor", "Vendor"
    TEAM = "team", "Other team"
    CUSTOMER = "customer", "Customer"
    REGULATOR = "regulator", "Regulator"
    OTHER = "other", "Other"


class DependencyStatus(models.TextChoices):
    EXPECTED = "expected", "Expected"
    AT_RISK = "at_risk", "At risk"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class ExternalDependency(RaidEntry):
    """Something the project needs from an outside party (a vendor, another team) by a date."""

    PREFIX = "X"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="external_dependencies"
    )
    party = models.CharField(max_length=200, help_text="Who delivers it.")
    party_kind = models.CharField(
        max_length=10, choices=PartyKind.choices, default=PartyKind.VENDOR
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=DependencyStatus.choices, default=DependencyStatus.EXPECTED
    )

    class Meta(RaidEntry.Meta):
        verbose_name_plural = "external dependencies"
        constraints = [
            models.UniqueConstraint(fields=("project", "number"), name="one_dependency_number")
        ]

    def is_late(self, today: date) -> bool:
        return (
            self.status in (DependencyStatus.EXPECTED, DependencyStatus.AT_RISK)
            and self.due_on is not None
            and self.due_on < today
        )
