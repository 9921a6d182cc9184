"""Baselines: named, immutable snapshots of the whole plan, to compare the current plan with.

A baseline is written once by `projects.baselines.services.baseline_save` and never updated
(there is no update service; the admin shows it read-only); it can only be deleted whole.
Its rows keep the task's name and WBS code, so deleting a task later keeps the history readable.
"""

from django.conf import settings
from django.db import models


class Baseline(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="baselines"
    )
    name = models.CharField(max_length=120)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    project_start = models.DateTimeField()
    project_finish = models.DateTimeField()
    task_count = models.PositiveIntegerField()

    class Meta:
        ordering = ("project", "-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("project", "name"), name="one_baseline_name_per_project"
            ),
        ]

    def __str__(self) -> str:
        return f"Baseline {self.name}"


class BaselineTask(models.Model):
    """One task as the baseline saw it: dates, duration, effort and (later) cost."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="tasks")
    task = models.ForeignKey(
        "projects.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    task_name = models.CharField(max_length=255)
    wbs_code = models.CharField(max_length=60, blank=True)
    outline_key = models.CharField(max_length=250, blank=True)
    start = models.DateTimeField()
    finish = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField()
    effort_hours = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    cost = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="In the project's currency; empty until costs are planned.",
    )
    is_milestone = models.BooleanField(default=False)
    is_summary = models.BooleanField(default=False)

    class Meta:
        ordering = ("baseline", "outline_key", "pk")
        constraints = [
            models.UniqueConstraint(fields=("baseline", "task"), name="one_baseline_row_per_task"),
            models.CheckConstraint(
                condition=models.Q(is_milestone=False) | models.Q(duration_minutes=0),
                name="baseline_milestone_has_no_duration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wbs_code} {self.task_name}".strip()
