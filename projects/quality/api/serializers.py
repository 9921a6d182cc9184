"""Serializers of the quality API (issue 7): gates, their criteria and reviews, quality
measures and the organisation's gate templates."""

from typing import Any

from rest_framework import serializers

from projects.models import (
    CriterionResult,
    GateCriterion,
    GateOutcome,
    GateReview,
    GateTemplate,
    QualityGate,
    QualityMeasure,
    ReviewVerdict,
)
from projects.quality.rules import open_items
from projects.scope.api.serializers import deliverable_field, project_field, task_field
from tpm.access import organisations_for
from tpm.api.fields import EnumChoiceField, ScopedPrimaryKeyRelatedField
from tpm.api.serializers import InputSerializer, UserSummarySerializer, version_field
from tpm.models import Organisation
from tpm.roles import ProjectRole

ROLE_LIST = serializers.ListField(
    child=EnumChoiceField(enum_name="ProjectRole", choices=ProjectRole.choices),
    required=False,
    help_text="Project roles whose review the gate needs.",
)


class GateCriterionSerializer(serializers.ModelSerializer):
    result = EnumChoiceField(enum_name="CriterionResult", choices=CriterionResult.choices)
    checked_by = UserSummarySerializer(read_only=True, allow_null=True)
    evidence_file = serializers.SerializerMethodField()
    # A link, or "" when there is none (which is not a `uri`, so not described as one).
    evidence_url = serializers.CharField(read_only=True)

    class Meta:
        model = GateCriterion
        fields = (
            "id",
            "gate",
            "text",
            "position",
            "result",
            "evidence_url",
            "evidence_comment",
            "evidence_file",
            "checked_by",
            "checked_at",
            "version",
        )
        read_only_fields = fields

    def get_evidence_file(self, criterion: GateCriterion) -> str | None:
        attachment = criterion.evidence_attachment
        return attachment.filename if attachment else None


class GateReviewSerializer(serializers.ModelSerializer):
    required_role = EnumChoiceField(enum_name="ProjectRole", choices=ProjectRole.choices)
    verdict = EnumChoiceField(enum_name="ReviewVerdict", choices=ReviewVerdict.choices)
    reviewer = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = GateReview
        fields = (
            "id",
            "gate",
            "required_role",
            "verdict",
            "reviewer",
            "comment",
            "reviewed_at",
            "version",
        )
        read_only_fields = fields


class QualityGateSerializer(serializers.ModelSerializer):
    key = serializers.CharField(read_only=True)
    outcome = EnumChoiceField(enum_name="GateOutcome", choices=GateOutcome.choices)
    criteria = GateCriterionSerializer(many=True, read_only=True)
    reviews = GateReviewSerializer(many=True, read_only=True)
    open_items = serializers.SerializerMethodField(
        help_text="What keeps it from passing, in words."
    )

    class Meta:
        model = QualityGate
        fields = (
            "id",
            "key",
            "project",
            "name",
            "description",
            "template",
            "task",
            "deliverable",
            "due_date",
            "outcome",
            "open_items",
            "criteria",
            "reviews",
            "decided_by",
            "decided_at",
            "waiver_reason",
            "waived_by",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields

    def get_open_items(self, gate: QualityGate) -> list[str]:
        return [] if gate.is_cleared else open_items(gate)


def _templates_of(user: Any) -> Any:
    return GateTemplate.objects.filter(organisation__in=organisations_for(user).values("pk"))


class QualityGateCreateSerializer(InputSerializer):
    project = project_field()
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    task = task_field(required=False, allow_null=True, help_text="A phase or milestone.")
    deliverable = deliverable_field(required=False, allow_null=True)
    template = ScopedPrimaryKeyRelatedField(
        model=GateTemplate,
        scope=_templates_of,
        noun="gate template",
        required=False,
        allow_null=True,
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    criteria = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    reviewer_roles = ROLE_LIST


class QualityGateUpdateSerializer(InputSerializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    version = version_field()


class WaiveSerializer(InputSerializer):
    reason = serializers.CharField(help_text="Why the work may go on without the gate passing.")
    version = version_field()


class GateVersionSerializer(InputSerializer):
    version = version_field()


class GateCriterionCheckSerializer(InputSerializer):
    result = EnumChoiceField(enum_name="CriterionResult", choices=CriterionResult.choices)
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    evidence_comment = serializers.CharField(required=False, allow_blank=True)
    evidence_file = serializers.FileField(required=False, help_text="Multipart upload.")
    version = version_field()


class GateReviewGiveSerializer(InputSerializer):
    verdict = EnumChoiceField(enum_name="ReviewVerdict", choices=ReviewVerdict.choices)
    comment = serializers.CharField(required=False, allow_blank=True)
    version = version_field()


class QualityMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualityMeasure
        fields = (
            "id",
            "project",
            "date",
            "test_pass_rate",
            "coverage",
            "source",
            "note",
            "recorded_by",
            "created_at",
            "version",
        )
        read_only_fields = fields


class QualityMeasureCreateSerializer(InputSerializer):
    project = project_field()
    date = serializers.DateField(required=False, help_text="Default: today.")
    test_pass_rate = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True
    )
    coverage = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class GateTemplateSerializer(serializers.ModelSerializer):
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = GateTemplate
        fields = (
            "id",
            "organisation",
            "name",
            "description",
            "criteria",
            "required_reviewer_roles",
            "archived_at",
            "version",
        )
        read_only_fields = fields

    def get_criteria(self, template: GateTemplate) -> list[str]:
        return [c.text for c in template.criteria.all()]


class GateTemplateWriteSerializer(InputSerializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)
    criteria = serializers.ListField(child=serializers.CharField(max_length=500), required=False)
    reviewer_roles = ROLE_LIST
    archived = serializers.BooleanField(required=False)
    version = version_field()


class GateTemplateCreateSerializer(GateTemplateWriteSerializer):
    organisation = ScopedPrimaryKeyRelatedField(
        model=Organisation, scope=organisations_for, noun="organisation"
    )
    archived = None  # type: ignore[assignment]
    version = None  # type: ignore[assignment]
