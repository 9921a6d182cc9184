"""Risks (threats and opportunities), their reassessments, and the tasks that respond to them.

`score` and `residual_score` are stored so the register sorts and filters in the database; only
the services write them, from the ratings, through risks/scoring.py. The level is not stored:
it depends on the organisation's thresholds, which may change.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .. import scoring

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class RiskKind(models.TextChoices):
    THREAT = "threat", "Threat"
    OPPORTUNITY = "opportunity", "Opportunity"


class RiskStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    ASSESSED = "assessed", "Assessed"
    RESPONDING = "responding", "Responding"
    CLOSED = "closed", "Closed"
    OCCURRED = "occurred", "Occurred"


OPEN_STATUSES = (RiskStatus.IDENTIFIED, RiskStatus.ASSESSED, RiskStatus.RESPONDING)


class RiskStrategy(models.TextChoices):
    NONE = "", "Not chosen yet"
    AVOID = "avoid", "Avoid"
    MITIGATE = "mitigate", "Mitigate"
    TRANSFER = "transfer", "Transfer"
    ACCEPT = "accept", "Accept"
    EXPLOIT = "exploit", "Exploit"
    ENHANCE = "enhance", "Enhance"
    SHARE = "share", "Share"


THREAT_STRATEGIES = frozenset({"", "avoid", "mitigate", "transfer", "accept"})
OPPORTUNITY_STRATEGIES = frozenset({"", "exploit", "enhance", "share", "accept"})


class RiskQuerySet(models.QuerySet["Risk"]):
    def open(self) -> "RiskQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class Assessment(models.Model):
    """The ratings a risk carries and each review records."""

    probability = models.PositiveSmallIntegerField(default=3, validators=RATING)
    impact_schedule = models.PositiveSmallIntegerField(default=1, validators=RATING)
    impact_cost = models.PositiveSmallIntegerField(default=1, validators=RATING)
    impact_scope = models.PositiveSmallIntegerField(default=1, validators=RATING)
    impact_quality = models.PositiveSmallIntegerField(default=1, validators=RATING)
    score = models.PositiveSmallIntegerField(default=3, editable=False)
    residual_probability = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=RATING
    )
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    cost_impact = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="What it costs (or saves) if it happens, in the project's currency.",
    )
    schedule_impact_days = models.PositiveIntegerField(
        default=0, help_text="Working days it delays (or gains) if it happens."
    )

    class Meta:
        abstract = True

    def impacts(self) -> scoring.Impacts:
        return scoring.Impacts(
            schedule=self.impact_schedule,
            cost=self.impact_cost,
            scope=self.impact_scope,
            quality=self.impact_quality,
        )

    @property
    def impact(self) -> int:
        """The worst impact dimension, the one the score uses."""
        return self.impacts().worst()

    def compute_scores(self) -> None:
        self.score = scoring.risk_score(self.probability, self.impacts())
        if self.residual_probability and self.residual_impact:
            self.residual_score = scoring.score(self.residual_probability, self.residual_impact)
        else:
            self.residual_score = None


class Risk(Assessment):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="risks")
    number = models.PositiveIntegerField(editable=False, help_text="R-<number> in its project.")
    kind = models.CharField(max_length=12, choices=RiskKind.choices, default=RiskKind.THREAT)
    title = models.CharField(max_length=200)
    cause = models.TextField(blank=True, help_text="Because of …")
    event = models.TextField(blank=True, help_text="… this may happen …")
    effect = models.TextField(blank=True, help_text="… which would lead to …")
    category = models.ForeignKey(
        "risks.RiskCategory", on_delete=models.PROTECT, related_name="risks"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
    )
    status = models.CharField(
        max_length=12, choices=RiskStatus.choices, default=RiskStatus.IDENTIFIED
    )
    proximity = models.DateField(
        null=True, blank=True, help_text="When it could happen: the trigger date."
    )
    trigger = models.CharField(max_length=255, blank=True, help_text="The warning sign to watch.")
    strategy = models.CharField(
        max_length=10, choices=RiskStrategy.choices, default=RiskStrategy.NONE, blank=True
    )
    response_plan = models.TextField(blank=True)
    contingency_plan = models.TextField(blank=True, help_text="What we do if it happens.")
    raised_on = models.DateField()
    next_review_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    linked_tasks = models.ManyToManyField(
        "projects.Task", blank=True, related_name="linked_risks", help_text="Tasks and milestones."
    )
    # Set when the escalation for the current crossing was sent; cleared when the score drops.
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ("project", "-score", "number")
        constraints = [
            models.UniqueConstraint(fields=("project", "number"), name="one_risk_number"),
        ]
        indexes = [models.Index(fields=("project", "status"))]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def ref(self) -> str:
        return f"R-{self.number}"

    @property
    def is_opportunity(self) -> bool:
        return self.kind == RiskKind.OPPORTUNITY

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def emv(self) -> Decimal:
        return scoring.expected_monetary_value(
            self.probability, self.cost_impact, opportunity=self.is_opportunity
        )

    def expected_days(self) -> Decimal:
        return scoring.expected_schedule_days(
            self.probability, self.schedule_impact_days, opportunity=self.is_opportunity
        )

    def is_review_overdue(self, today: date) -> bool:
        return self.is_open and self.next_review_on is not None and self.next_review_on < today


class RiskReview(Assessment):
    """One assessment of a risk, kept for ever: the score over time and the register as of a
    past date both read these."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=RiskStatus.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("risk", "reviewed_on", "id")
        indexes = [models.Index(fields=("risk", "reviewed_on"))]

    def __str__(self) -> str:
        return f"Review of {self.risk_id} on {self.reviewed_on}"


class RiskResponse(models.Model):
    """A response action: a real task of the plan, created for this risk."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="responses")
    task = models.ForeignKey(
        "projects.Task", on_delete=models.CASCADE, related_name="risk_responses"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("risk", "created_at", "id")
        constraints = [
            models.UniqueConstraint(fields=("risk", "task"), name="one_response_per_task")
        ]

    def __str__(self) -> str:
        return f"Response to {self.risk_id}: task {self.task_id}"
