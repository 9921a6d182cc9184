"""Reports: health thresholds and overrides, status reports, schedules and their deliveries,
and read-only share links.

Writes go through reports/services.py (history, versions); these classes hold only the rules
about one record. A published StatusReport never changes: the service refuses, and a database
trigger (migration 0002) refuses an UPDATE of a published row whatever code tries it.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from tpm.models import Organisation
from tpm.roles import ProjectRole

from . import health


class HealthColour(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


def _index(default: str) -> models.DecimalField:
    return models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal(0))],
    )


def _percent(default: str) -> models.DecimalField:
    return models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal(0))],
    )


_D = health.Thresholds()


class HealthThresholds(models.Model):
    """Where amber and red start for an organisation's projects (defaults: reports/health.py)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="health_thresholds"
    )
    spi_amber = _index(str(_D.spi_amber))
    spi_red = _index(str(_D.spi_red))
    milestone_slip_amber_days = models.PositiveIntegerField(default=_D.milestone_slip_amber_days)
    milestone_slip_red_days = models.PositiveIntegerField(default=_D.milestone_slip_red_days)
    late_critical_amber = models.PositiveIntegerField(default=_D.late_critical_amber)
    late_critical_red = models.PositiveIntegerField(default=_D.late_critical_red)
    negative_float_amber = models.PositiveIntegerField(default=_D.negative_float_amber)
    negative_float_red = models.PositiveIntegerField(default=_D.negative_float_red)
    cpi_amber = _index(str(_D.cpi_amber))
    cpi_red = _index(str(_D.cpi_red))
    forecast_over_budget_amber_percent = _percent(str(_D.forecast_over_budget_amber_percent))
    forecast_over_budget_red_percent = _percent(str(_D.forecast_over_budget_red_percent))
    pending_changes_amber = models.PositiveIntegerField(default=_D.pending_changes_amber)
    pending_changes_red = models.PositiveIntegerField(default=_D.pending_changes_red)
    approved_changes_amber = models.PositiveIntegerField(default=_D.approved_changes_amber)
    approved_changes_red = models.PositiveIntegerField(default=_D.approved_changes_red)
    escalated_risks_amber = models.PositiveIntegerField(default=_D.escalated_risks_amber)
    escalated_risks_red = models.PositiveIntegerField(default=_D.escalated_risks_red)
    overdue_risk_reviews_amber = models.PositiveIntegerField(default=_D.overdue_risk_reviews_amber)
    overdue_risk_reviews_red = models.PositiveIntegerField(default=_D.overdue_risk_reviews_red)
    failed_gates_amber = models.PositiveIntegerField(default=_D.failed_gates_amber)
    failed_gates_red = models.PositiveIntegerField(default=_D.failed_gates_red)
    overdue_gates_amber = models.PositiveIntegerField(default=_D.overdue_gates_amber)
    overdue_gates_red = models.PositiveIntegerField(default=_D.overdue_gates_red)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "health thresholds"

    def __str__(self) -> str:
        return f"Health thresholds of {self.organisation}"

    def as_rules(self) -> health.Thresholds:
        return health.Thresholds(**{name: getattr(self, name) for name in THRESHOLD_FIELDS})


THRESHOLD_FIELDS = tuple(name for pair in health.threshold_pairs() for name in pair)


class OverrideTarget(models.TextChoices):
    OVERALL = health.OVERALL, "Overall"
    SCHEDULE = "schedule", "Schedule"
    COST = "cost", "Cost"
    SCOPE = "scope", "Scope"
    RISK = "risk", "Risk"
    QUALITY = "quality", "Quality"


class HealthOverride(models.Model):
    """The manager's colour for one dimension (or the overall), with the reason; one per target.

    Clearing it deletes the row; history keeps who set and cleared what.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="health_overrides"
    )
    target = models.CharField(max_length=20, choices=OverrideTarget.choices)
    colour = models.CharField(max_length=5, choices=HealthColour.choices)
    reason = models.TextField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "target")
        constraints = [
            models.UniqueConstraint(fields=("project", "target"), name="one_override_per_target"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.target} set to {self.colour}"

    def as_rule(self) -> health.Override:
        by = self.set_by.display_name if self.set_by else ""
        return health.Override(
            health.Colour(self.colour), self.reason, by, self.set_at.date().isoformat()
        )


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Audience(models.TextChoices):
    EXECUTIVE = "executive", "Executive summary"
    FULL = "full", "Full report"


class StatusReport(models.Model):
    """The project at a moment (`snapshot`, frozen at generation) and the manager's narrative."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="status_reports"
    )
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    title = models.CharField(max_length=160)
    snapshot = models.JSONField(default=dict)
    generated_at = models.DateTimeField()
    summary = models.TextField(blank=True)
    accomplishments = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    asks = models.TextField(blank=True, help_text="Asks and decisions needed from stakeholders.")
    # Reports a schedule generated carry it and their period: the natural key of a delivery run.
    schedule = models.ForeignKey(
        "reports.ReportSchedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    period = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "-generated_at", "-pk")
        indexes = [models.Index(fields=("project", "status", "-published_at"))]
        constraints = [
            models.UniqueConstraint(
                fields=("schedule", "period"),
                condition=models.Q(schedule__isnull=False),
                name="one_report_per_schedule_period",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="published_report_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly (first such weekday)"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"“{value}” is not a time zone (e.g. Europe/London).")


class ReportSchedule(models.Model):
    """When a project's report goes out, to whom, and in which variant. Driven by one beat job
    (reports.tasks.send_due_reports) that finds the due ones."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="report_schedules"
    )
    name = models.CharField(max_length=120, default="Weekly status")
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    time_of_day = models.TimeField(default="09:00")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    # The first period; fortnightly schedules count their fortnights from it.
    starts_on = models.DateField()
    recipient_roles = models.JSONField(
        default=list, blank=True, help_text="Project roles whose people receive the report."
    )
    external_emails = models.TextField(
        blank=True, help_text="More addresses, one per line (people without an account)."
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EXECUTIVE)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "name", "pk")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_frequency_display().lower()})"

    def external_list(self) -> list[str]:
        return [line.strip() for line in self.external_emails.splitlines() if line.strip()]

    def role_labels(self) -> list[str]:
        return [ProjectRole(role).label for role in self.recipient_roles if role in ProjectRole]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    # Claimed by a worker that is making and sending the email (reports/delivery.py).
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One report to one recipient: sent once; a failure is shown and can be resent."""

    report = models.ForeignKey(StatusReport, on_delete=models.CASCADE, related_name="deliveries")
    schedule = models.ForeignKey(
        ReportSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    email = models.EmailField()
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EXECUTIVE)
    # Whether this recipient gets budgets and costs (ProjectAction.VIEW_MONEY), decided when the
    # row is made (reports/delivery.py: recipients) so a resend sends the same variant. Off
    # unless decided: a row made without asking never carries money.
    with_money = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the latest attempt began: a worker claims the row (status sending) in a short
    # transaction, sends with none open, then records the outcome. A claim older than
    # reports.delivery.CLAIM_TIMEOUT is a worker that stopped, and may be claimed again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("report", "email")
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=("report", "email"), name="one_delivery_per_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.report} to {self.email} ({self.status})"


class ShareLink(models.Model):
    """A read-only link to one project's dashboard for people without an account.

    The URL carries a signed id (reports/share.py); the row decides whether it still works.
    Whoever holds the link has no account and so no role: the dashboard shows budgets and costs
    only when the manager chose so for this link (`with_money`, off unless ticked).
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="share_links"
    )
    label = models.CharField(max_length=120, blank=True)
    with_money = models.BooleanField(
        default=False, help_text="Whether the link shows budgets and costs."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("project", "-created_at", "-pk")

    def __str__(self) -> str:
        return f"Share link {self.label or self.pk} of project {self.project_id}"

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class ReportDocument(models.Model):
    """A report rendered as PDF for one audience, with or without budgets and costs, made once
    and attached to every email of that variant."""

    report = models.ForeignKey(StatusReport, on_delete=models.CASCADE, related_name="documents")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    # No default: whoever renders says which variant it is (documents made before this field
    # existed were rendered whole, so the migration marks them True).
    with_money = models.BooleanField()
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("report", "audience", "with_money"),
                name="one_document_per_report_audience_money",
            ),
        ]

    def __str__(self) -> str:
        money = "with" if self.with_money else "without"
        return f"{self.report} ({self.audience}, {money} money) PDF"


class CostFigures(models.Model):
    """One project's cost dimension (reports/sources/cost.py), computed ahead for the portfolio
    and the dashboard: earned value over tens of thousands of time entries is too slow to
    compute on every page view (issue 14).

    Database triggers (migration 0005) bump `generation` on every write to what the figures are
    made of (tasks, time entries, budgets, expenses, baselines, rates, calendars, the project);
    `reports.sources.cost.refresh` stores figures made at `computed_generation` for the day
    `as_of`. Readers use them only while both still hold, and compute live otherwise.
    No foreign-key constraint: the triggers may bump a project that is being deleted.
    """

    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    generation = models.PositiveBigIntegerField(default=1)
    computed_generation = models.PositiveBigIntegerField(default=0)
    as_of = models.DateField(null=True, blank=True)  # the `today` they were computed for
    data = models.JSONField(null=True, blank=True)  # None: the project has no cost data
    computed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Cost figures of project {self.project_id} ({self.as_of})"
