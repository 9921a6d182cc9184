"""The workflow a project's tasks move through on its board: statuses, task types, labels.

A status belongs to one of three categories that the schedule understands: to do (not
started), in progress and done (completed). The board's columns are the statuses in order.
"""

from django.core.validators import MinValueValidator
from django.db import models


class StatusCategory(models.TextChoices):
    TO_DO = "to_do", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class TaskType(models.TextChoices):
    TASK = "task", "Task"
    BUG = "bug", "Bug"
    STORY = "story", "Story"
    CHORE = "chore", "Chore"


class TaskPriority(models.TextChoices):
    # Stored as text; the board sorts by PRIORITY_ORDER, not alphabetically.
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


PRIORITY_ORDER = {value: index for index, value in enumerate(TaskPriority.values)}

# What every new project starts with; the manager renames, reorders and adds to them.
DEFAULT_STATUSES = (
    ("To do", StatusCategory.TO_DO),
    ("In progress", StatusCategory.IN_PROGRESS),
    ("In review", StatusCategory.IN_PROGRESS),
    ("Done", StatusCategory.DONE),
)


class WorkflowStatus(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="workflow_statuses"
    )
    name = models.CharField(max_length=60)
    category = models.CharField(max_length=12, choices=StatusCategory.choices)
    position = models.PositiveIntegerField(default=0, help_text="Column order on the board.")
    wip_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Most cards the column should hold; empty: no limit.",
    )
    wip_blocking = models.BooleanField(
        default=False, help_text="Refuse a move that would exceed the limit (else only warn)."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "position", "pk")
        verbose_name_plural = "workflow statuses"
        constraints = [
            models.UniqueConstraint(fields=("project", "name"), name="one_status_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name


class Label(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(max_length=40)
    colour = models.CharField(max_length=7, default="#6b7280", help_text="e.g. #1d4ed8")

    class Meta:
        ordering = ("project", "name")
        constraints = [
            models.UniqueConstraint(fields=("project", "name"), name="one_label_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name
