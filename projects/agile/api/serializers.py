"""Serializers for the workflow, the board and sprints."""

from typing import Any

from rest_framework import serializers

from projects.access import projects_for
from projects.agile.access import labels_for, sprints_for, statuses_for
from projects.models import (
    Label,
    Project,
    Sprint,
    StatusCategory,
    TaskPriority,
    TaskType,
    WorkflowStatus,
)
from projects.plan.api.serializers import task_field
from tpm.api.fields import EnumChoiceField, ScopedPrimaryKeyRelatedField
from tpm.api.serializers import InputSerializer, version_field


def project_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")


def category_field(**kwargs: Any) -> EnumChoiceField:
    return EnumChoiceField(enum_name="StatusCategory", choices=StatusCategory.choices, **kwargs)


class WorkflowStatusSerializer(serializers.ModelSerializer):
    category = category_field(read_only=True)

    class Meta:
        model = WorkflowStatus
        fields = (
            "id",
            "project",
            "name",
            "category",
            "position",
            "wip_limit",
            "wip_blocking",
            "version",
        )
        read_only_fields = fields


class WorkflowStatusCreateSerializer(InputSerializer):
    project = project_field()
    name = serializers.CharField(max_length=60)
    category = category_field()
    position = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    wip_limit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    wip_blocking = serializers.BooleanField(required=False, default=False)


class WorkflowStatusUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=60)
    category = category_field()
    position = serializers.IntegerField(min_value=0)
    wip_limit = serializers.IntegerField(min_value=1, allow_null=True)
    wip_blocking = serializers.BooleanField()
    version = version_field()


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ("id", "project", "name", "colour")
        read_only_fields = fields


class LabelCreateSerializer(InputSerializer):
    project = project_field()
    name = serializers.CharField(max_length=40)
    colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False, default="#6b7280")


class SprintSerializer(serializers.ModelSerializer):
    state = EnumChoiceField(
        enum_name="SprintState", choices=Sprint._meta.get_field("state").choices, read_only=True
    )

    class Meta:
        model = Sprint
        fields = (
            "id",
            "project",
            "name",
            "goal",
            "start_date",
            "end_date",
            "state",
            "capacity_points",
            "capacity_hours",
            "committed_points",
            "completed_points",
            "started_at",
            "closed_at",
            "version",
        )
        read_only_fields = fields


class SprintCreateSerializer(InputSerializer):
    project = project_field()
    name = serializers.CharField(max_length=80)
    goal = serializers.CharField(required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    capacity_points = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    capacity_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, min_value=0, required=False, allow_null=True
    )


class SprintUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=80)
    goal = serializers.CharField(allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    capacity_points = serializers.IntegerField(min_value=0, allow_null=True)
    capacity_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, min_value=0, allow_null=True
    )
    version = version_field()


class SprintVersionSerializer(InputSerializer):
    version = version_field()


class SprintCloseSerializer(InputSerializer):
    version = version_field()
    move_to = ScopedPrimaryKeyRelatedField(
        model=Sprint,
        scope=sprints_for,
        noun="sprint",
        required=False,
        allow_null=True,
        help_text="Where unfinished work goes: another sprint of the project; null: the backlog.",
    )


class SprintPlanSerializer(InputSerializer):
    add = serializers.ListField(child=task_field(), required=False, default=list)
    remove = serializers.ListField(child=task_field(), required=False, default=list)


class SprintLoadSerializer(serializers.Serializer):
    points = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=10, decimal_places=2)
    tasks = serializers.IntegerField()
    capacity_points = serializers.IntegerField(allow_null=True)
    capacity_hours = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())


class BoardMoveSerializer(InputSerializer):
    task = task_field()
    status = ScopedPrimaryKeyRelatedField(model=WorkflowStatus, scope=statuses_for, noun="status")
    before = task_field(
        required=False, allow_null=True, help_text="The card now below it; null: last."
    )
    version = version_field()


class BacklogMoveSerializer(InputSerializer):
    task = task_field()
    before = task_field(
        required=False, allow_null=True, help_text="The task now below it; null: last."
    )
    version = version_field()


class TaskAgileSerializer(InputSerializer):
    task_type = EnumChoiceField(enum_name="TaskType", choices=TaskType.choices, required=False)
    priority = EnumChoiceField(
        enum_name="TaskPriority", choices=TaskPriority.choices, required=False
    )
    story_points = serializers.IntegerField(
        min_value=0, max_value=1000, required=False, allow_null=True
    )
    labels = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(model=Label, scope=labels_for, noun="label"),
        required=False,
    )
    sprint = ScopedPrimaryKeyRelatedField(
        model=Sprint, scope=sprints_for, noun="sprint", required=False, allow_null=True
    )
    version = version_field()
