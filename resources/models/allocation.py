"""Who works where: allocations of people to projects (a share of their capacity over dates)
and assignments to tasks (units and work).

`Task.assignees` (users) stays the list boards, My work and notifications read; the assignment
services keep it in step with `Assignment` rows for resources that have a user.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from resources.models.pool import Resource


class Allocation(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="allocations"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="allocations")
    start_date = models.DateField()
    end_date = models.DateField()
    percent = models.PositiveSmallIntegerField(
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text="Share of the person's capacity, 1 to 200 %.",
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "start_date", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="allocation_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gte=1, percent__lte=200),
                name="allocation_percent_1_to_200",
            ),
        ]
        indexes = [models.Index(fields=("resource", "start_date", "end_date"))]

    def __str__(self) -> str:
        return f"{self.resource_id} on {self.project_id}: {self.percent}%"


class Assignment(models.Model):
    """A resource on a task. `work_hours` empty: the task's effort split among its assignees
    or, without effort, its duration in hours x units."""

    task = models.ForeignKey("projects.Task", on_delete=models.CASCADE, related_name="assignments")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="assignments")
    units = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(1000))],
        help_text="Percent of the resource's working day spent on the task (100 = full time).",
    )
    work_hours = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    # Imported plans (MS Project) carry these per assignment; empty when not known.
    cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    actual_work_hours = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    actual_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("task", "pk")
        constraints = [
            models.UniqueConstraint(fields=("task", "resource"), name="one_assignment_per_task"),
            models.CheckConstraint(
                condition=models.Q(units__gt=0), name="assignment_units_above_0"
            ),
            models.CheckConstraint(
                condition=models.Q(work_hours__isnull=True) | models.Q(work_hours__gte=0),
                name="assignment_work_not_negative",
            ),
        ]
        indexes = [models.Index(fields=("resource", "task"))]

    def __str__(self) -> str:
        return f"{self.resource_id} on task {self.task_id} ({self.units}%)"
