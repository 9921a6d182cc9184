"""Change requests: a proposed change to the plan, its computed impact, and the decision.

`proposal` is a list of operations on the plan (the impact engine and the approval apply them):

    {"op": "add_task", "name": ..., "duration_minutes": ..., "effort_hours": ..., "cost": ...,
     "parent": <task id or null>, "predecessors": [<task id>, ...]}
    {"op": "remove_task", "id": <task id>}
    {"op": "change_duration", "id": <task id>, "duration_minutes": ...}
    {"op": "add_link" | "remove_link" | "change_link",
     "pred": <task id>, "succ": <task id>, "type": "FS", "lag": <minutes>}

`impact` holds the last analysis the product computed (finish-date and critical-path change,
effort and cost change, affected milestones and risks), `analysed_at` when.
"""

from django.conf import settings
from django.db import models

from tpm.roles import ProjectRole


class ChangeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    IMPLEMENTED = "implemented", "Implemented"


class ChangePriority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


def default_approver_roles() -> list[str]:
    return [ProjectRole.MANAGER.value]


class ChangeRequest(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="change_requests"
    )
    number = models.PositiveIntegerField(editable=False, help_text="CR-<number> in its project.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What changes.")
    reason = models.TextField(blank=True, help_text="Why.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_changes",
    )
    priority = models.CharField(
        max_length=10, choices=ChangePriority.choices, default=ChangePriority.MEDIUM
    )
    status = models.CharField(
        max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.DRAFT
    )
    proposal = models.JSONField(default=list, blank=True)
    impact = models.JSONField(null=True, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    required_approver_roles = models.JSONField(
        default=default_approver_roles, help_text="Project roles that may approve it."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    rebaseline = models.BooleanField(
        default=False, help_text="Save a new baseline when the change is applied."
    )
    baseline = models.ForeignKey(
        "projects.Baseline",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_requests",
        help_text="The baseline saved when it was applied.",
    )
    implemented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    implemented_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "-number")
        constraints = [
            models.UniqueConstraint(
                fields=("project", "number"), name="one_change_number_per_project"
            )
        ]

    def __str__(self) -> str:
        return f"CR-{self.number} {self.title}"

    @property
    def key(self) -> str:
        return f"CR-{self.number}"


class ChangeRequestEvent(models.Model):
    """The change log: one row per transition or notable edit of a change request."""

    change_request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=ChangeStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ChangeStatus.choices, blank=True)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("change_request", "at", "pk")

    def __str__(self) -> str:
        return f"{self.change_request_id}: {self.from_status} -> {self.to_status}"
