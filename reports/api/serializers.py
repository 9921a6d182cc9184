"""Serializers for status reports, schedules, overrides, thresholds and project health."""

from typing import Any

from rest_framework import serializers

from projects.access import projects_for
from projects.models import Project
from tpm import money
from tpm.api.fields import EnumChoiceField, ScopedPrimaryKeyRelatedField
from tpm.api.serializers import InputSerializer, UserSummarySerializer, version_field
from tpm.roles import ProjectRole

from ..models import (
    THRESHOLD_FIELDS,
    Audience,
    Delivery,
    DeliveryStatus,
    Frequency,
    HealthColour,
    HealthOverride,
    HealthThresholds,
    OverrideTarget,
    ReportSchedule,
    ReportStatus,
    StatusReport,
)
from ..rendering import without_money


def _project_field() -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")


class StatusReportSerializer(serializers.ModelSerializer):
    """A report with its frozen snapshot. Published reports never change."""

    published_by = UserSummarySerializer(read_only=True, allow_null=True)
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    snapshot = serializers.JSONField(read_only=True, help_text="Health, metrics and lists.")
    status = EnumChoiceField(
        enum_name="StatusReportStatus", choices=ReportStatus.choices, read_only=True
    )

    def to_representation(self, instance: StatusReport) -> dict[str, Any]:
        data = super().to_representation(instance)
        hidden = hasattr(instance, "my_role") and not money.sees_money(instance.my_role)
        if "snapshot" in data and hidden:
            data["snapshot"] = without_money(data["snapshot"])  # as the report page shows
        return data

    class Meta:
        model = StatusReport
        fields = (
            "id",
            "project",
            "status",
            "title",
            "summary",
            "accomplishments",
            "next_steps",
            "asks",
            "generated_at",
            "published_at",
            "published_by",
            "created_by",
            "schedule",
            "period",
            "snapshot",
            "version",
        )
        read_only_fields = fields


class StatusReportListSerializer(StatusReportSerializer):
    class Meta(StatusReportSerializer.Meta):
        fields: tuple[str, ...] = tuple(  # type: ignore[assignment]
            name for name in StatusReportSerializer.Meta.fields if name != "snapshot"
        )
        read_only_fields = fields  # type: ignore[assignment]


class StatusReportCreateSerializer(InputSerializer):
    project = _project_field()
    title = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    accomplishments = serializers.CharField(required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    asks = serializers.CharField(required=False, allow_blank=True, default="")


class StatusReportUpdateSerializer(InputSerializer):
    title = serializers.CharField(max_length=160, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    accomplishments = serializers.CharField(required=False, allow_blank=True)
    next_steps = serializers.CharField(required=False, allow_blank=True)
    asks = serializers.CharField(required=False, allow_blank=True)
    version = version_field()


class VersionOnlySerializer(InputSerializer):
    version = version_field()


class ReportScheduleSerializer(serializers.ModelSerializer):
    recipient_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ProjectRole.choices)
    )

    class Meta:
        model = ReportSchedule
        fields = (
            "id",
            "project",
            "name",
            "frequency",
            "weekday",
            "time_of_day",
            "time_zone",
            "starts_on",
            "recipient_roles",
            "external_emails",
            "audience",
            "is_active",
            "created_at",
            "version",
        )
        read_only_fields = fields


class ReportScheduleInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=120, required=False)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    weekday = serializers.IntegerField(min_value=0, max_value=6, required=False)
    time_of_day = serializers.TimeField(required=False)
    time_zone = serializers.CharField(max_length=64, required=False)
    starts_on = serializers.DateField(required=False)
    recipient_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=ProjectRole.choices), required=False
    )
    external_emails = serializers.CharField(required=False, allow_blank=True)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    is_active = serializers.BooleanField(required=False)
    version = version_field()


class ReportScheduleCreateSerializer(ReportScheduleInputSerializer):
    project = _project_field()


class DeliverySerializer(serializers.ModelSerializer):
    status = EnumChoiceField(
        enum_name="DeliveryStatus", choices=DeliveryStatus.choices, read_only=True
    )

    class Meta:
        model = Delivery
        fields = (
            "id",
            "report",
            "schedule",
            "email",
            "audience",
            "status",
            "attempts",
            "error",
            "created_at",
            "sent_at",
        )
        read_only_fields = fields


class HealthOverrideSerializer(serializers.ModelSerializer):
    set_by = UserSummarySerializer(read_only=True, allow_null=True)

    def to_representation(self, instance: HealthOverride) -> dict[str, Any]:
        data = super().to_representation(instance)
        # A manager's reason for a cost colour may quote figures (tpm/money.py).
        if hasattr(instance, "my_role") and not money.sees_money(instance.my_role):
            data["reason"] = money.override_reason(instance.target, data["reason"])
        return data

    class Meta:
        model = HealthOverride
        fields = ("id", "project", "target", "colour", "reason", "set_by", "set_at", "version")
        read_only_fields = fields


class HealthOverrideCreateSerializer(InputSerializer):
    project = _project_field()
    target = serializers.ChoiceField(choices=OverrideTarget.choices)
    colour = serializers.ChoiceField(choices=HealthColour.choices)
    reason = serializers.CharField()


def _threshold_field(name: str) -> serializers.Field:
    model_field = HealthThresholds._meta.get_field(name)
    if model_field.get_internal_type() == "DecimalField":
        return serializers.DecimalField(
            max_digits=model_field.max_digits,  # type: ignore[union-attr]
            decimal_places=model_field.decimal_places,  # type: ignore[union-attr]
            min_value=0,
            coerce_to_string=False,
            required=False,
        )
    return serializers.IntegerField(min_value=0, required=False)


class HealthThresholdsSerializer(serializers.Serializer):
    """Where amber and red start for the organisation's projects (the defaults until changed)."""

    organisation = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in THRESHOLD_FIELDS:
            fields[name] = _threshold_field(name)
        return fields


class HealthThresholdsUpdateSerializer(InputSerializer):
    version = version_field()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for name in THRESHOLD_FIELDS:
            fields[name] = _threshold_field(name)
        return fields
