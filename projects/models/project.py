"""Projects and who works on them. Later issues add WBS, schedules and the rest here."""

import re
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from projects.calendars.timeline import plan_date_problem
from tpm.models import Invitation, Organisation
from tpm.roles import ProjectRole

KEY_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")

CURRENCIES = [
    ("USD", "US dollar"),
    ("EUR", "Euro"),
    ("GBP", "Pound sterling"),
    ("CHF", "Swiss franc"),
    ("CAD", "Canadian dollar"),
    ("AUD", "Australian dollar"),
    ("JPY", "Japanese yen"),
    ("INR", "Indian rupee"),
    ("SEK", "Swedish krona"),
    ("NOK", "Norwegian krone"),
    ("DKK", "Danish krone"),
    ("PLN", "Polish złoty"),
    ("BRL", "Brazilian real"),
    ("SGD", "Singapore dollar"),
    ("NZD", "New Zealand dollar"),
]


class Methodology(models.TextChoices):
    WATERFALL = "waterfall", "Waterfall"
    AGILE = "agile", "Agile"
    HYBRID = "hybrid", "Hybrid"


class ProgressWeighting(models.TextChoices):
    DURATION = "duration", "By duration"
    EFFORT = "effort", "By effort"


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class ProjectQuerySet(models.QuerySet["Project"]):
    def alive(self) -> "ProjectQuerySet":
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> "ProjectQuerySet":
        return self.filter(deleted_at__isnull=False)


class Project(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="projects"
    )
    key = models.CharField(
        max_length=10,
        validators=[
            RegexValidator(
                KEY_PATTERN,
                "Use 2 to 10 capital letters or digits, starting with a letter (e.g. WEB or API2).",
            )
        ],
        help_text="Short code used in task keys, e.g. WEB for WEB-12.",
    )
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    methodology = models.CharField(
        max_length=20, choices=Methodology.choices, default=Methodology.HYBRID
    )
    status = models.CharField(
        max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    start_date = models.DateField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    calendar = models.ForeignKey(
        "projects.WorkCalendar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        help_text="Empty: the organisation's default calendar.",
    )
    status_date = models.DateField(
        null=True, blank=True, help_text="Progress is reported as of this date."
    )
    progress_weighting = models.CharField(
        max_length=10,
        choices=ProgressWeighting.choices,
        default=ProgressWeighting.DURATION,
        help_text="How a summary's % complete weighs the tasks under it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        constraints = [
            # Deleted projects keep their key so a restore never collides.
            models.UniqueConstraint(
                fields=("organisation", "key"), name="project_key_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} · {self.name}"

    def clean(self) -> None:
        errors = {
            name: problem
            for name in ("start_date", "target_date", "status_date")
            if (day := getattr(self, name)) is not None and (problem := plan_date_problem(day))
        }
        if errors:
            raise ValidationError(errors)
        if self.start_date and self.target_date and self.target_date < self.start_date:
            raise ValidationError({"target_date": "The target date is before the start date."})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def restorable_until(self) -> datetime | None:
        if self.deleted_at is None:
            return None
        return self.deleted_at + timedelta(days=settings.SOFT_DELETE_RETENTION_DAYS)

    def is_late(self, today: date) -> bool:
        return (
            self.target_date is not None
            and self.target_date < today
            and self.status not in {ProjectStatus.COMPLETED, ProjectStatus.CANCELLED}
        )


class ProjectMembership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    role = models.CharField(max_length=20, choices=ProjectRole.choices, default=ProjectRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "user__email")
        constraints = [
            models.UniqueConstraint(fields=("project", "user"), name="one_role_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.project.key} ({self.role})"


class ProjectInvitation(models.Model):
    """A project role waiting for someone to accept their invitation to the organisation."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="project_invitations"
    )
    role = models.CharField(max_length=20, choices=ProjectRole.choices, default=ProjectRole.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("project", "invitation"), name="one_project_role_per_invitation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitation.email} to {self.project.key} ({self.role})"
