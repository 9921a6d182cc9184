"""Sprints: time boxes of an agile or hybrid project, and their daily snapshots.

Burndown and burnup charts are drawn from the snapshots (one row per sprint and day, written
by an idempotent daily job and at start and close), so they show what was true each day.
"""

from django.core.validators import MinValueValidator
from django.db import models


class SprintState(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Sprint(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="sprints"
    )
    name = models.CharField(max_length=80)
    goal = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    state = models.CharField(
        max_length=10, choices=SprintState.choices, default=SprintState.PLANNED
    )
    capacity_points = models.PositiveIntegerField(
        null=True, blank=True, help_text="Story points the team expects to finish."
    )
    capacity_hours = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Hours the team has in the sprint.",
    )
    # Recorded when the sprint starts and closes (velocity reads them).
    committed_points = models.PositiveIntegerField(null=True, blank=True, editable=False)
    completed_points = models.PositiveIntegerField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "start_date", "pk")
        constraints = [
            models.UniqueConstraint(fields=("project", "name"), name="one_sprint_name_per_project"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="sprint_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=("project",),
                condition=models.Q(state="active"),
                name="one_active_sprint_per_project",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SprintSnapshot(models.Model):
    """The sprint's scope and what was done of it on one day (points, hours and tasks)."""

    sprint = models.ForeignKey(Sprint, on_delete=models.CASCADE, related_name="snapshots")
    day = models.DateField()
    total_points = models.PositiveIntegerField(default=0)
    done_points = models.PositiveIntegerField(default=0)
    total_hours = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    done_hours = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    total_tasks = models.PositiveIntegerField(default=0)
    done_tasks = models.PositiveIntegerField(default=0)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("sprint", "day")
        constraints = [
            models.UniqueConstraint(fields=("sprint", "day"), name="one_snapshot_per_sprint_day")
        ]

    def __str__(self) -> str:
        return f"{self.sprint} {self.day}"
