"""Money per project: its finance settings (contingency, management reserve), budget lines
with planned amounts per month, expenses (vendor invoices), and the history of budget changes.

Amounts are in the project's currency (the services refuse any other with a clear message).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


class ProjectFinance(models.Model):
    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="finance"
    )
    contingency = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=NOT_NEGATIVE,
        help_text="For known risks; part of the cost baseline, managed by the project manager.",
    )
    management_reserve = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=NOT_NEGATIVE,
        help_text="For unknown risks; outside the cost baseline.",
    )
    progress_from_timesheets = models.BooleanField(
        default=False,
        help_text="Approved time drives the tasks' progress (actual work / planned work).",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contingency__gte=0, management_reserve__gte=0),
                name="finance_reserves_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"Finance of project {self.project_id}"


class BudgetCategory(models.TextChoices):
    LABOUR = "labour", "Labour"
    CONTRACTORS = "contractors", "Contractors and vendors"
    HARDWARE = "hardware", "Hardware"
    SOFTWARE = "software", "Software and licences"
    TRAVEL = "travel", "Travel"
    OTHER = "other", "Other"


class BudgetLine(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(max_length=12, choices=BudgetCategory.choices)
    name = models.CharField(max_length=160)
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    currency = models.CharField(max_length=3, help_text="The project's currency.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "category", "name", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budget_line_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_category_display()}): {self.amount} {self.currency}"


class BudgetLinePlan(models.Model):
    """The amount a budget line plans to spend in one month (`month` = its first day)."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="plan")
    month = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)

    class Meta:
        ordering = ("line", "month")
        constraints = [
            models.UniqueConstraint(fields=("line", "month"), name="one_plan_per_line_month"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budget_plan_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.month:%Y-%m}: {self.amount}"


class ExpenseStatus(models.TextChoices):
    COMMITTED = "committed", "Committed"
    PAID = "paid", "Paid"


def expense_attachment_path(instance: "Expense", filename: str) -> str:
    # The stored name never comes from the user: a random key under the project.
    return f"expenses/{instance.project_id}/{instance.attachment_key}"


class Expense(models.Model):
    """A vendor invoice or purchase: committed (ordered) or paid."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="expenses"
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="expenses"
    )
    vendor = models.CharField(max_length=160)
    description = models.CharField(max_length=500, blank=True)
    invoice_number = models.CharField(max_length=80, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    currency = models.CharField(max_length=3, help_text="The project's currency.")
    date = models.DateField()
    status = models.CharField(
        max_length=10, choices=ExpenseStatus.choices, default=ExpenseStatus.COMMITTED
    )
    # Through Django's storage API (local or S3); limits as for task attachments
    # (tpm.collab.check_upload). The original file name is kept for downloads.
    attachment = models.FileField(upload_to=expense_attachment_path, max_length=300, blank=True)
    attachment_key = models.CharField(max_length=80, blank=True, editable=False)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_content_type = models.CharField(max_length=120, blank=True)
    attachment_size = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("project", "-date", "-pk")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="expense_not_negative")
        ]
        indexes = [models.Index(fields=("project", "date"))]

    def __str__(self) -> str:
        return f"{self.vendor} {self.amount} {self.currency} ({self.status})"


class BudgetChange(models.Model):
    """The budget's history: one row per changed value, with the reason and the author."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="budget_changes"
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    field = models.CharField(max_length=40, help_text="e.g. amount, contingency, created.")
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("project", "-created_at", "-pk")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="budget_change_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} -> {self.new_value}"
