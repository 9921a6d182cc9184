"""The organisation's resource pool: people (with or without a user account), equipment and
licences; their roles and skills, capacity, personal time off, and effective-dated cost rates.

Capacity is `hours_per_day` on the working days of the resource's calendar (empty: the
project's or the organisation's default calendar), less time off. Rates are history: a rate row
applies from `effective_from` until the next row of the same resource (or role); a person's own
rate wins over their role's default (resources/pool/rates.py looks them up).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from projects.models import CURRENCIES
from tpm.models import Organisation

HOURS_IN_A_DAY = [MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal(24))]


class ResourceRole(models.Model):
    """What a person does ("Backend engineer"); carries the default cost rate."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="resource_roles"
    )
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("organisation", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "name"), name="resource_role_name_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("organisation", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "name"), name="skill_name_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ResourceKind(models.TextChoices):
    PERSON = "person", "Person"
    EQUIPMENT = "equipment", "Equipment"
    LICENCE = "licence", "Licence"


LABOUR_KINDS = (ResourceKind.PERSON,)


class ResourceQuerySet(models.QuerySet["Resource"]):
    def active(self) -> "ResourceQuerySet":
        return self.filter(is_active=True)

    def people(self) -> "ResourceQuerySet":
        return self.filter(kind=ResourceKind.PERSON)


class Resource(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="resources"
    )
    kind = models.CharField(
        max_length=10, choices=ResourceKind.choices, default=ResourceKind.PERSON
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        help_text="Empty for contractors without an account and placeholders.",
    )
    name = models.CharField(max_length=160)
    email = models.EmailField(blank=True)
    role = models.ForeignKey(
        ResourceRole,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="resources")
    hours_per_day = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal(8),
        validators=HOURS_IN_A_DAY,
        help_text="Hours available on each working day of the calendar.",
    )
    calendar = models.ForeignKey(
        "projects.WorkCalendar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        help_text="Empty: the project's calendar, or the organisation's default.",
    )
    # Non-labour resources (equipment, licences) cost per unit instead of per hour.
    unit_cost = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    unit_label = models.CharField(max_length=40, blank=True, help_text="e.g. seat/month, day.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ("organisation", "name", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "user"),
                condition=models.Q(user__isnull=False),
                name="one_resource_per_user_in_org",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_day__gt=0, hours_per_day__lte=24),
                name="resource_hours_per_day_in_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(unit_cost__isnull=True) | models.Q(unit_cost__gte=0),
                name="resource_unit_cost_not_negative",
            ),
        ]
        indexes = [models.Index(fields=("organisation", "is_active", "kind"))]

    def __str__(self) -> str:
        return self.name

    @property
    def is_labour(self) -> bool:
        return self.kind in LABOUR_KINDS

    @property
    def is_placeholder(self) -> bool:
        return self.kind == ResourceKind.PERSON and self.user_id is None


class TimeOff(models.Model):
    """Personal time off; `hours_per_day` empty means whole days."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="time_off")
    start_date = models.DateField()
    end_date = models.DateField()
    hours_per_day = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=HOURS_IN_A_DAY,
        help_text="Empty: whole days off.",
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "time off"
        ordering = ("resource", "start_date", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="time_off_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_day__isnull=True)
                | models.Q(hours_per_day__gt=0, hours_per_day__lte=24),
                name="time_off_hours_in_a_day",
            ),
        ]
        indexes = [models.Index(fields=("resource", "start_date", "end_date"))]

    def __str__(self) -> str:
        return f"{self.resource_id} off {self.start_date}..{self.end_date}"


class CostRate(models.Model):
    """An hourly rate from `effective_from` until the next rate of the same resource or role.

    Exactly one of `resource` (a person's own rate) and `role` (the role's default) is set.
    Rates are never rewritten: a change is a new row from its date on.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="cost_rates"
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="rates"
    )
    role = models.ForeignKey(
        ResourceRole, on_delete=models.CASCADE, null=True, blank=True, related_name="rates"
    )
    effective_from = models.DateField()
    hourly_rate = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("organisation", "resource", "role", "effective_from")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resource__isnull=False, role__isnull=True)
                | models.Q(resource__isnull=True, role__isnull=False),
                name="rate_for_a_resource_or_a_role",
            ),
            models.CheckConstraint(
                condition=models.Q(hourly_rate__gte=0), name="rate_not_negative"
            ),
            models.UniqueConstraint(
                fields=("resource", "effective_from"),
                condition=models.Q(resource__isnull=False),
                name="one_resource_rate_per_date",
            ),
            models.UniqueConstraint(
                fields=("role", "effective_from"),
                condition=models.Q(role__isnull=False),
                name="one_role_rate_per_date",
            ),
        ]

    def __str__(self) -> str:
        who = f"resource {self.resource_id}" if self.resource_id else f"role {self.role_id}"
        return f"{who}: {self.hourly_rate} {self.currency}/h from {self.effective_from}"

    def clean(self) -> None:
        if (self.resource_id is None) == (self.role_id is None):
            raise ValidationError("A rate belongs to either a resource or a role.")
