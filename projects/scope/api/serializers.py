"""Serializers of the scope API (issue 7): charter, objectives and measurements, deliverables.

Ids in bodies go through scoped fields (another organisation's id is a 404 naming the field);
whether a person has a role in the project or a task belongs to it is the service's rule.
"""

from typing import Any

from rest_framework import serializers

from projects.access import projects_for, tasks_for
from projects.models import (
    CHARTER_TEXT_FIELDS,
    AcceptanceCriterion,
    Charter,
    CharterVersion,
    Deliverable,
    DeliverableStatus,
    Direction,
    Objective,
    ObjectiveMeasurement,
    Project,
    Task,
)
from projects.scope.access import scoped
from tpm.api.fields import EnumChoiceField, ScopedPrimaryKeyRelatedField
from tpm.api.serializers import (
    InputSerializer,
    UserSummarySerializer,
    users_visible_to,
    version_field,
)
from tpm.models import User


def person_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_null", True)
    return ScopedPrimaryKeyRelatedField(
        model=User,
        scope=users_visible_to,
        noun="user",
        help_text="Someone with a role in the project.",
        **kwargs,
    )


def project_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")


def task_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=Task, scope=tasks_for, noun="task", **kwargs)


def deliverable_field(**kwargs: Any) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        model=Deliverable,
        scope=lambda user: scoped(Deliverable, user),
        noun="deliverable",
        **kwargs,
    )


# --- charter ----------------------------------------------------------------------------------


class CharterVersionSerializer(serializers.ModelSerializer):
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    approved_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = CharterVersion
        fields = (
            "number",
            "content",
            "note",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "approval_comment",
        )
        read_only_fields = fields


class CharterSerializer(serializers.ModelSerializer):
    sponsor = UserSummarySerializer(read_only=True, allow_null=True)
    stakeholders = UserSummarySerializer(many=True, read_only=True)
    current_version = CharterVersionSerializer(read_only=True, allow_null=True)
    approved_version_number = serializers.IntegerField(
        source="approved_version.number", read_only=True, allow_null=True, default=None
    )
    is_approved = serializers.BooleanField(read_only=True)

    class Meta:
        model = Charter
        fields = (
            "project",
            *CHARTER_TEXT_FIELDS,
            "sponsor",
            "stakeholders",
            "current_version",
            "approved_version_number",
            "is_approved",
            "updated_at",
            "version",
        )
        read_only_fields = fields


class CharterWriteSerializer(InputSerializer):
    problem_statement = serializers.CharField(required=False, allow_blank=True)
    goals = serializers.CharField(required=False, allow_blank=True)
    in_scope = serializers.CharField(required=False, allow_blank=True)
    out_of_scope = serializers.CharField(required=False, allow_blank=True)
    assumptions = serializers.CharField(required=False, allow_blank=True)
    constraints = serializers.CharField(required=False, allow_blank=True)
    success_criteria = serializers.CharField(required=False, allow_blank=True)
    sponsor = person_field()
    stakeholders = serializers.ListField(child=person_field(allow_null=False), required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)
    version = version_field()


class CharterApproveSerializer(InputSerializer):
    version_number = serializers.IntegerField(
        min_value=1, help_text="The charter version you read and approve."
    )
    comment = serializers.CharField(required=False, allow_blank=True)


# --- objectives -------------------------------------------------------------------------------


class ObjectiveSerializer(serializers.ModelSerializer):
    owner = UserSummarySerializer(read_only=True, allow_null=True)
    direction = EnumChoiceField(enum_name="ObjectiveDirection", choices=Direction.choices)
    deliverables = serializers.SerializerMethodField()
    is_met = serializers.BooleanField(read_only=True)

    class Meta:
        model = Objective
        fields = (
            "id",
            "project",
            "title",
            "description",
            "metric",
            "unit",
            "baseline_value",
            "target_value",
            "target_date",
            "direction",
            "current_value",
            "current_at",
            "is_met",
            "owner",
            "deliverables",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields

    def get_deliverables(self, objective: Objective) -> list[int]:
        return [d.pk for d in objective.deliverables.all()]


class ObjectiveWriteSerializer(InputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    metric = serializers.CharField(max_length=120, required=False)
    unit = serializers.CharField(max_length=30, required=False, allow_blank=True)
    baseline_value = serializers.DecimalField(max_digits=16, decimal_places=4, required=False)
    target_value = serializers.DecimalField(max_digits=16, decimal_places=4, required=False)
    target_date = serializers.DateField(required=False, allow_null=True)
    direction = EnumChoiceField(
        enum_name="ObjectiveDirection", choices=Direction.choices, required=False
    )
    owner = person_field()
    deliverables = serializers.ListField(child=deliverable_field(), required=False)
    version = version_field()


class ObjectiveCreateSerializer(ObjectiveWriteSerializer):
    project = project_field()
    title = serializers.CharField(max_length=200)
    metric = serializers.CharField(max_length=120)
    baseline_value = serializers.DecimalField(max_digits=16, decimal_places=4)
    target_value = serializers.DecimalField(max_digits=16, decimal_places=4)


class MeasurementSerializer(serializers.ModelSerializer):
    recorded_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = ObjectiveMeasurement
        fields = ("id", "value", "measured_at", "source", "note", "recorded_by", "created_at")
        read_only_fields = fields


class MeasurementCreateSerializer(InputSerializer):
    value = serializers.DecimalField(max_digits=16, decimal_places=4)
    measured_at = serializers.DateTimeField(required=False, help_text="Default: now.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


# --- deliverables -----------------------------------------------------------------------------


class AcceptanceCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AcceptanceCriterion
        fields = ("id", "text", "is_met", "position", "checked_by", "checked_at", "version")
        read_only_fields = fields


class AcceptanceCriterionUpdateSerializer(InputSerializer):
    is_met = serializers.BooleanField()
    version = version_field()


class DeliverableSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True)
    owner = UserSummarySerializer(read_only=True, allow_null=True)
    acceptor = UserSummarySerializer(read_only=True, allow_null=True)
    accepted_by = UserSummarySerializer(read_only=True, allow_null=True)
    status = EnumChoiceField(enum_name="DeliverableStatus", choices=DeliverableStatus.choices)
    criteria = AcceptanceCriterionSerializer(many=True, read_only=True)
    tasks = serializers.SerializerMethodField()

    class Meta:
        model = Deliverable
        fields = (
            "id",
            "key",
            "project",
            "name",
            "description",
            "owner",
            "due_date",
            "status",
            "milestone",
            "tasks",
            "criteria",
            "acceptor",
            "accepted_by",
            "accepted_at",
            "acceptance_comment",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields

    def get_tasks(self, deliverable: Deliverable) -> list[int]:
        return [task.pk for task in deliverable.tasks.all()]


class DeliverableWriteSerializer(InputSerializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = person_field()
    acceptor = person_field()
    due_date = serializers.DateField(required=False, allow_null=True)
    status = EnumChoiceField(
        enum_name="DeliverableStatus", choices=DeliverableStatus.choices, required=False
    )
    milestone = task_field(required=False, allow_null=True)
    tasks = serializers.ListField(child=task_field(), required=False)
    version = version_field()


class DeliverableCreateSerializer(DeliverableWriteSerializer):
    project = project_field()
    name = serializers.CharField(max_length=200)
    criteria = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, help_text="Checklist items."
    )


class CriterionAddSerializer(InputSerializer):
    text = serializers.CharField(max_length=500)


class AcceptSerializer(InputSerializer):
    comment = serializers.CharField(required=False, allow_blank=True)
    version = version_field()
