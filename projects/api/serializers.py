"""Serializers for projects and their members (validate and render; services do the writes)."""

from typing import Any

from rest_framework import serializers

from projects.access import projects_for
from projects.models import Project, ProjectInvitation, ProjectMembership
from projects.services import EDITABLE_FIELDS
from tpm.access import organisations_for
from tpm.api.fields import EnumChoiceField, ScopedPrimaryKeyRelatedField
from tpm.api.serializers import (
    InputSerializer,
    ModelInputSerializer,
    UserSummarySerializer,
    users_visible_to,
    version_field,
)
from tpm.models import Organisation, User
from tpm.roles import ProjectRole


def project_role_field(**kwargs: Any) -> EnumChoiceField:
    return EnumChoiceField(enum_name="ProjectRole", choices=ProjectRole.choices, **kwargs)


class ProjectSerializer(serializers.ModelSerializer):
    my_role = project_role_field(
        read_only=True, help_text="Your role here (organisation admins act as managers)."
    )
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = (
            "id",
            "organisation",
            "key",
            "name",
            "description",
            "methodology",
            "status",
            "start_date",
            "target_date",
            "currency",
            "status_date",
            "progress_weighting",
            "my_role",
            "member_count",
            "version",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class ProjectCreateSerializer(ModelInputSerializer):
    organisation = ScopedPrimaryKeyRelatedField(
        model=Organisation,
        scope=organisations_for,
        noun="organisation",
        help_text="An organisation you belong to.",
    )
    # Checked by the service (one rule for pages and API); lower case is raised to capitals.
    key = serializers.CharField(
        max_length=10, help_text="2 to 10 capital letters or digits, starting with a letter."
    )

    class Meta(ModelInputSerializer.Meta):
        model = Project
        fields = ("organisation", "key", *EDITABLE_FIELDS)


class ProjectUpdateSerializer(ModelInputSerializer):
    version = version_field()

    class Meta(ModelInputSerializer.Meta):
        model = Project
        fields = (*EDITABLE_FIELDS, "version")


class ProjectMemberSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)
    role = project_role_field(read_only=True)

    class Meta:
        model = ProjectMembership
        fields = ("id", "project", "user", "role", "version", "created_at")
        read_only_fields = fields


class ProjectMemberCreateSerializer(InputSerializer):
    """Give someone a role: `user` (a colleague's id) or `email` (invited if not a member yet)."""

    project = ScopedPrimaryKeyRelatedField(model=Project, scope=projects_for, noun="project")
    user = ScopedPrimaryKeyRelatedField(
        model=User,
        scope=users_visible_to,
        noun="user",
        required=False,
        help_text="A member of the project's organisation.",
    )
    email = serializers.EmailField(
        max_length=254,
        required=False,
        help_text="Someone not in the organisation yet is invited to it and gets the role "
        "when they accept.",
    )
    role = project_role_field(default=ProjectRole.MEMBER)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("user" in attrs) == ("email" in attrs):
            raise serializers.ValidationError(
                {"non_field_errors": ["Give either `user` or `email`, not both or neither."]}
            )
        return attrs


class ProjectMemberUpdateSerializer(InputSerializer):
    role = project_role_field()
    version = version_field()


class ProjectInvitationSerializer(serializers.ModelSerializer):
    """A role waiting for someone to accept their invitation to the organisation."""

    email = serializers.EmailField(source="invitation.email", read_only=True)
    role = project_role_field(read_only=True)
    expires_at = serializers.DateTimeField(source="invitation.expires_at", read_only=True)

    class Meta:
        model = ProjectInvitation
        fields = ("id", "project", "invitation", "email", "role", "expires_at")
        read_only_fields = fields
