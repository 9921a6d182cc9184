"""Serializers of the resources API: output shapes and strict input bodies.

Money is shown only to those who may see it: rates and unit costs to the organisation's admins
(OrgAction.VIEW_RATES), a project's costs to its managers and stakeholders
(ProjectAction.VIEW_MONEY); everyone else gets `null` in those fields, never a 0 that looks real.
Ids in bodies go through scoped fields (another organisation's id is a 404 naming the field).
"""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.access import projects_for, tasks_for
from projects.models import Project, Task
from resources.models import (
    Allocation,
    Assignment,
    BudgetCategory,
    BudgetChange,
    BudgetLine,
    BudgetLinePlan,
    CostRate,
    Expense,
    ExpenseStatus,
    Resource,
    ResourceKind,
    ResourceRole,
    Skill,
    TimeEntry,
    TimeEntryStatus,
    TimeOff,
)
from tpm.access import organisations_for
from tpm.api.fields import EnumChoiceField, ScopedPrimaryKeyRelatedField
from tpm.api.serializers import InputSerializer, UserSummarySerializer, version_field
from tpm.models import Organisation, User
from tpm.money import sees_money
from tpm.roles import OrgAction, org_role_can


def kind_field(**kwargs: Any) -> EnumChoiceField:
    return EnumChoiceField(enum_name="ResourceKind", choices=ResourceKind.choices, **kwargs)


def category_field(**kwargs: Any) -> EnumChoiceField:
    return EnumChoiceField(enum_name="BudgetCategory", choices=BudgetCategory.choices, **kwargs)


def expense_status_field(**kwargs: Any) -> EnumChoiceField:
    return EnumChoiceField(enum_name="ExpenseStatus", choices=ExpenseStatus.choices, **kwargs)


def money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _sees_rates(obj: Any) -> bool:
    return org_role_can(getattr(obj, "my_org_role", None), OrgAction.VIEW_RATES)


def _sees_money(obj: Any) -> bool:
    return sees_money(getattr(obj, "my_role", None))  # the rule: tpm/money.py


# --- the pool ----------------------------------------------------------------------------------


class ResourceRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResourceRole
        fields = ("id", "organisation", "name")
        read_only_fields = fields


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ("id", "organisation", "name")
        read_only_fields = fields


class ResourceSerializer(serializers.ModelSerializer):
    """A resource of the pool. `unit_cost` only for the organisation's admins."""

    user = UserSummarySerializer(read_only=True, allow_null=True)
    role_name = serializers.CharField(source="role.name", read_only=True, allow_null=True)
    skills = serializers.ManyRelatedField(
        child_relation=serializers.PrimaryKeyRelatedField(read_only=True), read_only=True
    )
    is_placeholder = serializers.BooleanField(read_only=True)
    unit_cost = serializers.SerializerMethodField()
    kind = kind_field(read_only=True)
    # An address, or "" for a placeholder (which is not an `email`, so not described as one).
    email = serializers.CharField(read_only=True)

    class Meta:
        model = Resource
        fields = (
            "id",
            "organisation",
            "kind",
            "name",
            "email",
            "user",
            "role",
            "role_name",
            "skills",
            "hours_per_day",
            "calendar",
            "unit_cost",
            "unit_label",
            "is_active",
            "is_placeholder",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields

    @extend_schema_field(money(allow_null=True))  # null for those who may not see it
    def get_unit_cost(self, resource: Resource) -> str | None:
        return _text(resource.unit_cost) if _sees_rates(resource) else None


class TimeOffSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeOff
        fields = ("id", "resource", "start_date", "end_date", "hours_per_day", "reason")
        read_only_fields = fields


class CostRateSerializer(serializers.ModelSerializer):
    created_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CostRate
        fields = (
            "id",
            "organisation",
            "resource",
            "role",
            "effective_from",
            "hourly_rate",
            "currency",
            "created_by",
            "created_at",
        )
        read_only_fields = fields


# --- allocations and assignments ---------------------------------------------------------------


class AllocationSerializer(serializers.ModelSerializer):
    resource_name = serializers.CharField(source="resource.name", read_only=True)

    class Meta:
        model = Allocation
        fields = (
            "id",
            "project",
            "resource",
            "resource_name",
            "start_date",
            "end_date",
            "percent",
            "note",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    """A resource on a task; its costs only for those who see the project's money."""

    project = serializers.IntegerField(source="task.project_id", read_only=True)
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    cost = serializers.SerializerMethodField()
    actual_cost = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = (
            "id",
            "project",
            "task",
            "resource",
            "resource_name",
            "units",
            "work_hours",
            "actual_work_hours",
            "cost",
            "actual_cost",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields

    @extend_schema_field(money(allow_null=True))  # null for those who may not see it
    def get_cost(self, assignment: Assignment) -> str | None:
        return _text(assignment.cost) if _sees_money(assignment) else None

    @extend_schema_field(money(allow_null=True))  # null for those who may not see it
    def get_actual_cost(self, assignment: Assignment) -> str | None:
        return _text(assignment.actual_cost) if _sees_money(assignment) else None


# --- time ----------------------------------------------------------------------------------


class TimeEntrySerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)
    project = serializers.IntegerField(source="task.project_id", read_only=True)
    task_name = serializers.CharField(source="task.name", read_only=True)
    is_locked = serializers.BooleanField(read_only=True)
    status = EnumChoiceField(
        enum_name="TimeEntryStatus", choices=TimeEntryStatus.choices, read_only=True
    )

    class Meta:
        model = TimeEntry
        fields = (
            "id",
            "project",
            "task",
            "task_name",
            "user",
            "date",
            "hours",
            "note",
            "status",
            "review_note",
            "is_locked",
            "approved_by",
            "approved_at",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields


class TimeEntryCreateSerializer(InputSerializer):
    task = ScopedPrimaryKeyRelatedField(model=Task, scope=tasks_for, noun="task")
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TimeEntryUpdateSerializer(InputSerializer):
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    version = version_field()


class WeekSubmitSerializer(InputSerializer):
    organisation = ScopedPrimaryKeyRelatedField(
        model=Organisation, scope=organisations_for, noun="organisation"
    )
    week = serializers.DateField(help_text="The Monday of the week.")


def _people(user: User) -> Any:
    from tpm.api.serializers import users_visible_to

    return users_visible_to(user)


class WeekDecisionSerializer(InputSerializer):
    """Approve, reject or reopen one person's time on one project in one week."""

    project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")
    person = ScopedPrimaryKeyRelatedField(model=User, scope=_people, noun="person")
    week = serializers.DateField(help_text="The Monday of the week.")
    entries = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="The entry ids you reviewed; if the timesheet changed since, nothing is done.",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Needed to reject or reopen."
    )


class TimeDecisionSerializer(serializers.Serializer):
    entries = serializers.IntegerField()
    hours = money()


# --- budgets -----------------------------------------------------------------------------------


class BudgetLinePlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLinePlan
        fields = ("month", "amount")
        read_only_fields = fields


class BudgetLineSerializer(serializers.ModelSerializer):
    plan = BudgetLinePlanSerializer(many=True, read_only=True)
    category = category_field(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = BudgetLine
        fields = (
            "id",
            "project",
            "category",
            "category_label",
            "name",
            "amount",
            "currency",
            "plan",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields


class ExpenseSerializer(serializers.ModelSerializer):
    has_attachment = serializers.SerializerMethodField()
    status = expense_status_field(read_only=True)

    class Meta:
        model = Expense
        fields = (
            "id",
            "project",
            "budget_line",
            "vendor",
            "description",
            "invoice_number",
            "amount",
            "currency",
            "date",
            "status",
            "has_attachment",
            "attachment_name",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields

    def get_has_attachment(self, expense: Expense) -> bool:
        return bool(expense.attachment_key)


class BudgetChangeSerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = BudgetChange
        fields = (
            "id",
            "project",
            "budget_line",
            "field",
            "old_value",
            "new_value",
            "reason",
            "author",
            "created_at",
        )
        read_only_fields = fields


# --- write bodies ------------------------------------------------------------------------------


def _pool_scope(model: Any) -> Any:
    def scope(user: User) -> Any:
        from resources.access import with_my_org_role

        return with_my_org_role(model.objects.all(), user, "organisation")

    return scope


def resource_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        model=Resource, scope=_pool_scope(Resource), noun="resource", **kwargs
    )


def role_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        model=ResourceRole, scope=_pool_scope(ResourceRole), noun="role", **kwargs
    )


def organisation_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        model=Organisation, scope=organisations_for, noun="organisation"
    )


class ResourceUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=160, required=False)
    kind = kind_field(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    user = ScopedPrimaryKeyRelatedField(
        model=User, scope=_people, noun="user", required=False, allow_null=True
    )
    role = role_field(required=False, allow_null=True)
    skills = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(model=Skill, scope=_pool_scope(Skill), noun="skill"),
        required=False,
    )
    hours_per_day = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    unit_cost = money(required=False, allow_null=True)
    unit_label = serializers.CharField(max_length=40, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    version = version_field()


class ResourceCreateSerializer(ResourceUpdateSerializer):
    organisation = organisation_field()
    name = serializers.CharField(max_length=160)
    is_active = None  # type: ignore[assignment]
    version = None  # type: ignore[assignment]


class NamedCreateSerializer(InputSerializer):
    organisation = organisation_field()
    name = serializers.CharField(max_length=200)


class TimeOffCreateSerializer(InputSerializer):
    resource = resource_field()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    hours_per_day = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CostRateCreateSerializer(InputSerializer):
    resource = resource_field(required=False, allow_null=True)
    role = role_field(required=False, allow_null=True)
    effective_from = serializers.DateField(required=False, allow_null=True, default=None)
    hourly_rate = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField(max_length=3)


class AllocationUpdateSerializer(InputSerializer):
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    percent = serializers.IntegerField(required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    version = version_field()


class AllocationCreateSerializer(AllocationUpdateSerializer):
    project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")
    resource = resource_field()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    percent = serializers.IntegerField(required=False, default=100)
    version = None  # type: ignore[assignment]


class AssignmentUpdateSerializer(InputSerializer):
    units = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    work_hours = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    version = version_field()


class AssignmentCreateSerializer(AssignmentUpdateSerializer):
    task = ScopedPrimaryKeyRelatedField(model=Task, scope=tasks_for, noun="task")
    resource = resource_field()
    units = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, default=Decimal(100)
    )
    version = None  # type: ignore[assignment]


# --- money write bodies ------------------------------------------------------------------------


class MonthAmountSerializer(InputSerializer):
    month = serializers.DateField(help_text="The first day of the month.")
    amount = money()


def _lines_scope(user: User) -> Any:
    from resources.access import scoped

    return scoped(BudgetLine, user)


class BudgetLineUpdateSerializer(InputSerializer):
    category = category_field(required=False)
    name = serializers.CharField(max_length=160, required=False)
    amount = money(required=False)
    currency = serializers.CharField(max_length=3, required=False)
    reason = serializers.CharField(
        help_text="Why the budget changes (kept in its history); required, also in a PATCH."
    )
    version = version_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A PATCH skips required fields, but a change without its reason is never recorded.
        if "reason" not in attrs:
            raise serializers.ValidationError({"reason": [self.error_messages["required"]]})
        return attrs


class BudgetLineCreateSerializer(BudgetLineUpdateSerializer):
    project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")
    category = category_field()
    name = serializers.CharField(max_length=160)
    amount = money()
    plan = MonthAmountSerializer(many=True, required=False)
    version = None  # type: ignore[assignment]


class BudgetLinePlanInputSerializer(InputSerializer):
    plan = MonthAmountSerializer(many=True)
    reason = serializers.CharField()
    version = version_field()


class ExpenseUpdateSerializer(InputSerializer):
    vendor = serializers.CharField(max_length=160, required=False)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    invoice_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    amount = money(required=False)
    currency = serializers.CharField(max_length=3, required=False)
    date = serializers.DateField(required=False)
    status = expense_status_field(required=False)
    budget_line = ScopedPrimaryKeyRelatedField(
        model=BudgetLine, scope=_lines_scope, noun="budget line", required=False, allow_null=True
    )
    attachment = serializers.FileField(
        required=False, help_text="The invoice (send the body as multipart/form-data)."
    )
    version = version_field()


class ExpenseCreateSerializer(ExpenseUpdateSerializer):
    project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")
    vendor = serializers.CharField(max_length=160)
    amount = money()
    date = serializers.DateField()
    version = None  # type: ignore[assignment]
