"""The work breakdown: tasks in a tree, and the links between them.

Planned values (duration, constraint, links) are what people edit; the early/late dates, floats
and the critical flag are written only by the scheduling service from projects/schedule/engine.py.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from projects.models.workflow import TaskPriority, TaskType


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class ConstraintType(models.TextChoices):
    """Microsoft Project's scheduling constraints, with the same names as the engine's."""

    ASAP = "ASAP", "As soon as possible"
    ALAP = "ALAP", "As late as possible"
    MSO = "MSO", "Must start on"
    MFO = "MFO", "Must finish on"
    SNET = "SNET", "Start no earlier than"
    SNLT = "SNLT", "Start no later than"
    FNET = "FNET", "Finish no earlier than"
    FNLT = "FNLT", "Finish no later than"


UNDATED_CONSTRAINTS = (ConstraintType.ASAP, ConstraintType.ALAP)


class LinkType(models.TextChoices):
    FS = "FS", "Finish-to-start"
    SS = "SS", "Start-to-start"
    FF = "FF", "Finish-to-finish"
    SF = "SF", "Start-to-finish"


class TaskQuerySet(models.QuerySet["Task"]):
    def alive(self) -> "TaskQuerySet":
        return self.filter(deleted_at__isnull=True)


class Task(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(default=0, help_text="Order among its siblings.")
    wbs_code = models.CharField(
        max_length=60, blank=True, help_text="e.g. 1.2.3; kept by the plan."
    )
    # The WBS code padded so that text order is outline order ("00001.00010" after "00001.00002").
    outline_key = models.CharField(max_length=250, blank=True, editable=False, db_index=True)
    name = models.CharField(max_length=255)
    notes = models.TextField(blank=True)
    is_milestone = models.BooleanField(default=False)
    # A task with children is a summary: its dates, effort and progress roll up from them.
    is_summary = models.BooleanField(default=False, editable=False)
    duration_minutes = models.PositiveIntegerField(
        default=480, help_text="Planned duration in working minutes of the task's calendar."
    )
    effort_hours = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    remaining_hours = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Work left, as the assignee last said.",
    )
    # In the project's currency; summaries hold the sum of their tasks.
    cost = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Planned cost of the task.",
    )
    actual_cost = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Cost incurred so far (entered or imported; timesheets add to it later).",
    )
    status = models.CharField(
        max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_finish = models.DateTimeField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    constraint_type = models.CharField(
        max_length=4, choices=ConstraintType.choices, default=ConstraintType.ASAP
    )
    constraint_date = models.DateTimeField(null=True, blank=True)
    is_manual = models.BooleanField(
        default=False, help_text="Manually scheduled: keeps its dates; still takes part in float."
    )
    manual_start = models.DateTimeField(null=True, blank=True)
    manual_finish = models.DateTimeField(null=True, blank=True)
    calendar = models.ForeignKey(
        "projects.WorkCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        help_text="Empty: the project's calendar.",
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_tasks"
    )

    # The board and sprints (projects/agile/services/board.py, projects/agile/services/sprints.py).
    # Empty workflow status: the project's first status of the category matching `status`.
    workflow_status = models.ForeignKey(
        "projects.WorkflowStatus",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    task_type = models.CharField(max_length=10, choices=TaskType.choices, default=TaskType.TASK)
    priority = models.CharField(
        max_length=10, choices=TaskPriority.choices, default=TaskPriority.MEDIUM
    )
    story_points = models.PositiveSmallIntegerField(null=True, blank=True)
    labels = models.ManyToManyField("projects.Label", blank=True, related_name="tasks")
    sprint = models.ForeignKey(
        "projects.Sprint", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    # Order on the board columns and in the backlog (lower first).
    rank = models.PositiveIntegerField(default=0)

    # Written by the scheduling service only.
    start = models.DateTimeField(null=True, blank=True, editable=False)
    finish = models.DateTimeField(null=True, blank=True, editable=False)
    early_start = models.DateTimeField(null=True, blank=True, editable=False)
    early_finish = models.DateTimeField(null=True, blank=True, editable=False)
    late_start = models.DateTimeField(null=True, blank=True, editable=False)
    late_finish = models.DateTimeField(null=True, blank=True, editable=False)
    total_float_minutes = models.IntegerField(null=True, blank=True, editable=False)
    free_float_minutes = models.IntegerField(null=True, blank=True, editable=False)
    is_critical = models.BooleanField(default=False, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ("project", "outline_key", "pk")
        indexes = [
            models.Index(fields=("project", "parent", "position")),
            # the outline order of live tasks: every plan page, API list and export reads a
            # plan in it, so a page of a 5,000-task plan is an index range, not a sort
            models.Index(
                fields=("project", "outline_key", "id"),
                condition=models.Q(deleted_at__isnull=True),
                name="task_live_outline_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent_complete__lte=100), name="percent_complete_at_most_100"
            ),
            models.CheckConstraint(
                condition=models.Q(constraint_type__in=UNDATED_CONSTRAINTS)
                | models.Q(constraint_date__isnull=False),
                name="dated_constraint_has_a_date",
            ),
            models.CheckConstraint(
                condition=models.Q(is_milestone=False) | models.Q(duration_minutes=0),
                name="milestone_has_no_duration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wbs_code} {self.name}".strip()

    def is_overdue(self, today: date) -> bool:
        """Not finished and either its finish or its deadline has passed."""
        if self.status == TaskStatus.COMPLETED:
            return False
        due: Any = self.deadline or (self.finish.date() if self.finish else None)
        return due is not None and due < today

    @property
    def has_negative_float(self) -> bool:
        return self.total_float_minutes is not None and self.total_float_minutes < 0


class Dependency(models.Model):
    """A link: the successor's start or finish follows the predecessor's, with a lag or lead.

    Links may join tasks of different projects in one organisation (the service checks that).
    """

    predecessor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links")
    type = models.CharField(max_length=2, choices=LinkType.choices, default=LinkType.FS)
    lag_minutes = models.IntegerField(
        default=0, help_text="Working minutes of the successor's calendar; negative is a lead."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "dependencies"
        constraints = [
            models.UniqueConstraint(fields=("predecessor", "successor"), name="one_link_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")), name="no_self_link"
            ),
        ]

    def __str__(self) -> str:
        lag = f"{self.lag_minutes:+d}m" if self.lag_minutes else ""
        return f"{self.predecessor_id} {self.type}{lag} {self.successor_id}"
