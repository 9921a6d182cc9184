"""Deliverables: what the project hands over, with an acceptance checklist, the tasks and the
milestone that produce it, and the acceptance by a named stakeholder once every criterion is met.
"""

from datetime import date

from django.conf import settings
from django.db import models


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered, awaiting acceptance"
    ACCEPTED = "accepted", "Accepted"


class Deliverable(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="deliverables"
    )
    number = models.PositiveIntegerField(editable=False, help_text="D-<number> in its project.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_deliverables",
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=DeliverableStatus.choices, default=DeliverableStatus.PLANNED
    )
    tasks = models.ManyToManyField("projects.Task", blank=True, related_name="deliverables")
    milestone = models.ForeignKey(
        "projects.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestone_deliverables",
        limit_choices_to={"is_milestone": True},
    )
    # The named stakeholder who accepts it; acceptance records who actually did, when and why.
    acceptor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliverables_to_accept",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    acceptance_comment = models.TextField(blank=True)
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
                fields=("project", "number"), name="one_deliverable_number_per_project"
            )
        ]

    def __str__(self) -> str:
        return f"D-{self.number} {self.name}"

    @property
    def key(self) -> str:
        return f"D-{self.number}"

    def is_overdue(self, today: date) -> bool:
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status != DeliverableStatus.ACCEPTED
        )


class AcceptanceCriterion(models.Model):
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(max_length=500)
    is_met = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("deliverable", "position", "pk")
        verbose_name_plural = "acceptance criteria"

    def __str__(self) -> str:
        return self.text
