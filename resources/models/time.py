"""Time worked: entries per task and day, gathered by person and week into timesheets.

Approval is per project by that project's manager (a week may span projects), so the status
lives on each entry: a timesheet is submitted once by its person, then each project's manager
approves (or reopens) the entries of their project. Approved entries are locked; a reopen
returns them to draft and is recorded in the history (`tpm.history.record`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from resources.models.pool import Resource
from tpm.models import Organisation


class TimeEntryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    # Sent back by the project's manager with a `review_note`; the person edits and resubmits.
    REJECTED = "rejected", "Rejected"


class TimeEntryQuerySet(models.QuerySet["TimeEntry"]):
    def approved(self) -> "TimeEntryQuerySet":
        return self.filter(status=TimeEntryStatus.APPROVED)


class TimeEntry(models.Model):
    task = models.ForeignKey("projects.Task", on_delete=models.CASCADE, related_name="time_entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_entries"
    )
    # The person's resource in the organisation, when they have one (their rate comes from it).
    resource = models.ForeignKey(
        Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="time_entries"
    )
    date = models.DateField()
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(24))],
    )
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=TimeEntryStatus.choices, default=TimeEntryStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="The manager's reason for a rejection or a reopen, shown to the person.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "time entries"
        ordering = ("date", "task", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="time_entry_hours_in_a_day"
            ),
            # One cell of the week grid: a person's time on a task one day is one entry (the
            # API's create refuses a second one; the grid changes that entry's hours).
            models.UniqueConstraint(
                fields=("user", "task", "date"), name="one_time_entry_per_task_and_day"
            ),
        ]
        indexes = [
            models.Index(fields=("task", "date")),
            models.Index(fields=("user", "date")),
            # the API's list order (newest first): a page of 50,000 entries is an index walk
            models.Index(fields=("-date", "id"), name="time_entry_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date} task {self.task_id}: {self.hours} h"

    @property
    def is_locked(self) -> bool:
        return self.status == TimeEntryStatus.APPROVED


class Timesheet(models.Model):
    """One person's week (Monday to Sunday) in one organisation; `submitted_at` says when they
    sent it for approval (empty: still being filled)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="timesheets"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timesheets"
    )
    week_start = models.DateField(help_text="The Monday of the week.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("user", "-week_start")
        constraints = [
            models.UniqueConstraint(fields=("user", "week_start"), name="one_timesheet_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} week of {self.week_start}"
