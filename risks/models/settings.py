"""An organisation's risk settings: its categories, level thresholds, appetite and escalation."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tpm.models import Organisation

from .. import scoring

DEFAULT_CATEGORIES = (
    "Technical",
    "Schedule",
    "Cost",
    "Resource",
    "Vendor",
    "Security",
    "Compliance",
    "Other",
)

_SCORE = [MinValueValidator(1), MaxValueValidator(scoring.MAX_SCORE)]


class RiskSettings(models.Model):
    """One row per organisation, made with the defaults the first time it is needed."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="risk_settings"
    )
    medium_from = models.PositiveSmallIntegerField(default=5, validators=_SCORE)
    high_from = models.PositiveSmallIntegerField(default=10, validators=_SCORE)
    critical_from = models.PositiveSmallIntegerField(default=16, validators=_SCORE)
    appetite = models.PositiveSmallIntegerField(
        default=9,
        validators=_SCORE,
        help_text="The highest score accepted without a response (the risk appetite).",
    )
    escalation_from = models.PositiveSmallIntegerField(
        default=15,
        validators=_SCORE,
        help_text="A risk reaching this score is escalated to the project's managers.",
    )
    notify_stakeholders = models.BooleanField(
        default=False, help_text="Escalations also notify the project's stakeholders."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "risk settings"

    def __str__(self) -> str:
        return f"Risk settings of {self.organisation}"

    def thresholds(self) -> scoring.Thresholds:
        return scoring.Thresholds(
            medium=self.medium_from,
            high=self.high_from,
            critical=self.critical_from,
            appetite=self.appetite,
            escalation=self.escalation_from,
        )


class RiskCategory(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="risk_categories"
    )
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Retired categories keep old risks.")

    class Meta:
        ordering = ("organisation", "position", "name")
        verbose_name_plural = "risk categories"
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "name"), name="one_risk_category_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name
