"""Serializers for change requests: the record (with its stored impact), the inputs of a draft
and of each workflow step, and the change log."""

from rest_framework import serializers

from projects.access import projects_for
from projects.models import (
    ChangePriority,
    ChangeRequest,
    ChangeRequestEvent,
    ChangeStatus,
    Project,
)
from tpm.api.fields import EnumChoiceField, ScopedPrimaryKeyRelatedField
from tpm.api.serializers import InputSerializer, UserSummarySerializer, version_field
from tpm.money import MoneySerializerMixin
from tpm.roles import ProjectRole

PROPOSAL_HELP = (
    "A list of operations applied in order: "
    '`{"op": "add_task", "key": "new-1", "name": ..., "duration_minutes": ..., '
    '"is_milestone": false, "effort_hours": ..., "cost": ..., "parent": <task id>, '
    '"predecessors": [{"task": <id or key>, "type": "FS", "lag_minutes": 0}], '
    '"successors": [...]}`, '
    '`{"op": "remove_task", "task": <id>}`, '
    '`{"op": "change_duration", "task": <id>, "duration_minutes": ...}`, '
    '`{"op": "add_link" | "change_link", "predecessor": ..., "successor": ..., "type": "FS", '
    '"lag_minutes": 0}` and `{"op": "remove_link", "predecessor": ..., "successor": ...}`. '
    'Tasks the proposal adds are named by their `key` ("new-1").'
)


class ChangeRequestSerializer(MoneySerializerMixin, serializers.ModelSerializer):
    """A change request; the cost in its proposal and impact is null for roles that do not
    see money (tpm/money.py)."""

    key = serializers.CharField(read_only=True, help_text="CR-<number>.")
    requested_by = UserSummarySerializer(read_only=True, allow_null=True)
    decided_by = UserSummarySerializer(read_only=True, allow_null=True)
    implemented_by = UserSummarySerializer(read_only=True, allow_null=True)
    proposal = serializers.JSONField(read_only=True, help_text=PROPOSAL_HELP)
    impact = serializers.JSONField(
        read_only=True,
        allow_null=True,
        help_text="The last impact analysis (the scheduling engine on a copy of the plan): "
        "finish before/after and slip in working days, critical path before/after, effort and "
        "cost change, affected milestones, moved tasks, `affected_task_ids`. Null until analysed.",
    )
    required_approver_roles = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = EnumChoiceField(enum_name="ChangeStatus", choices=ChangeStatus.choices, read_only=True)
    priority = EnumChoiceField(
        enum_name="ChangePriority", choices=ChangePriority.choices, read_only=True
    )

    class Meta:
        model = ChangeRequest
        fields = (
            "id",
            "project",
            "number",
            "key",
            "title",
            "description",
            "reason",
            "requested_by",
            "priority",
            "status",
            "proposal",
            "impact",
            "analysed_at",
            "required_approver_roles",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_comment",
            "rebaseline",
            "baseline",
            "implemented_by",
            "implemented_at",
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields


def _roles() -> serializers.ListField:
    return serializers.ListField(
        child=EnumChoiceField(enum_name="ProjectRole", choices=ProjectRole.choices),
        required=False,
        min_length=1,
        help_text="Project roles that may approve (they also need to be allowed to approve "
        "changes at all: managers). Default: manager.",
    )


class ChangeRequestCreateSerializer(InputSerializer):
    project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    priority = EnumChoiceField(
        enum_name="ChangePriority",
        choices=ChangePriority.choices,
        required=False,
        default=ChangePriority.MEDIUM,
    )
    proposal = serializers.JSONField(required=False, default=list, help_text=PROPOSAL_HELP)  # type: ignore[arg-type]
    rebaseline = serializers.BooleanField(required=False, default=False)
    required_approver_roles = _roles()


class ChangeRequestUpdateSerializer(InputSerializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    priority = EnumChoiceField(
        enum_name="ChangePriority", choices=ChangePriority.choices, required=False
    )
    proposal = serializers.JSONField(required=False, help_text=PROPOSAL_HELP)
    rebaseline = serializers.BooleanField(required=False)
    required_approver_roles = _roles()
    version = version_field()


class ChangeStepSerializer(InputSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = version_field()


class ChangeApproveSerializer(ChangeStepSerializer):
    apply = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Apply the change to the plan now (the request becomes implemented).",
    )
    rebaseline = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Save a new baseline with the change; left out, the request's own setting.",
    )


class ChangeImplementSerializer(InputSerializer):
    version = version_field()


def _status(**kwargs: object) -> EnumChoiceField:
    return EnumChoiceField(
        enum_name="ChangeEventStatus",
        choices=[("", "(none)"), *ChangeStatus.choices],
        read_only=True,
        **kwargs,
    )


class ChangeRequestEventSerializer(serializers.ModelSerializer):
    actor = UserSummarySerializer(read_only=True, allow_null=True)
    from_status = _status(help_text="Empty for the event that raised the request.")
    to_status = _status()

    class Meta:
        model = ChangeRequestEvent
        fields = ("id", "at", "actor", "from_status", "to_status", "comment", "data")
        read_only_fields = fields
