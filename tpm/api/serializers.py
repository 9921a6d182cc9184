"""Serializers for the tenancy core, and the base classes every app's API builds on.

Input serializers only validate and convert; the viewset hands `validated_data` to a service.
Output serializers render what a client sees. Write bodies are strict: a field the endpoint does
not accept is a 400 naming it, never silently ignored.
"""

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tpm.access import organisations_for
from tpm.models import Invitation, Membership, Organisation, User
from tpm.roles import OrgRole

from .fields import EnumChoiceField, ScopedPrimaryKeyRelatedField

IGNORED_INPUT_KEYS = frozenset({"csrfmiddlewaretoken"})  # the browsable API's HTML forms


NOT_ACCEPTED = "This field is not accepted here."


class StrictInputMixin:
    """Reject keys the serializer does not take (unknown or read-only), naming each one."""

    fields: Any

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            rejected = {
                key: [NOT_ACCEPTED]
                for key in data
                if key not in writable and key not in IGNORED_INPUT_KEYS
            }
            if rejected:
                raise serializers.ValidationError(rejected)
        return super().to_internal_value(data)  # type: ignore[misc]


class InputSerializer(StrictInputMixin, serializers.Serializer):
    pass


class ModelInputSerializer(StrictInputMixin, serializers.ModelSerializer):
    """Takes types, lengths and choices from the model; rules that span rows live in services."""

    class Meta:
        validators: list[Any] = []  # uniqueness is the service's rule (it names the field)


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The version you edited (alternatively send it as `If-Match`).",
    )


def org_role_field(**kwargs: Any) -> EnumChoiceField:
    return EnumChoiceField(enum_name="OrgRole", choices=OrgRole.choices, **kwargs)


_MESSAGES = {"type": "array", "items": {"type": "string"}}


@extend_schema_field(
    {
        "type": "object",
        # A field's messages; a nested body's field: the same shape per item (a list) or per
        # key or position (an object).
        "additionalProperties": {
            "anyOf": [_MESSAGES, {"type": "array", "items": {"type": "object"}}, {"type": "object"}]
        },
    }
)
class _FieldErrors(serializers.DictField):
    pass


class ErrorSerializer(serializers.Serializer):
    """The shape of every error answer."""

    detail = serializers.CharField()
    code = serializers.CharField()
    errors = _FieldErrors(  # type: ignore[assignment]
        help_text="Messages per field; `non_field_errors` for the request as a whole.",
    )


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "email", "full_name", "display_name")
        read_only_fields = fields


# --- me ---------------------------------------------------------------------------------------


class MyOrganisationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="organisation.id", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    slug = serializers.CharField(source="organisation.slug", read_only=True)
    role = org_role_field(read_only=True)
    membership = serializers.IntegerField(source="id", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "name", "slug", "role", "membership")


class MeSerializer(serializers.ModelSerializer):
    organisations = MyOrganisationSerializer(many=True, read_only=True, source="memberships")

    class Meta:
        model = User
        fields = ("id", "email", "full_name", "display_name", "organisations")
        read_only_fields = fields


# --- organisations ----------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    my_role = org_role_field(read_only=True, help_text="Your role in this organisation.")

    class Meta:
        model = Organisation
        fields = ("id", "name", "slug", "my_role", "version", "created_at", "updated_at")
        read_only_fields = fields


class OrganisationCreateSerializer(ModelInputSerializer):
    slug = serializers.SlugField(
        max_length=60, required=False, help_text="Left out, one is made from the name."
    )

    class Meta(ModelInputSerializer.Meta):
        model = Organisation
        fields = ("name", "slug")


class OrganisationUpdateSerializer(ModelInputSerializer):
    version = version_field()

    class Meta(ModelInputSerializer.Meta):
        model = Organisation
        fields = ("name", "version")


# --- memberships ------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True)
    role = org_role_field(read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "organisation", "user", "role", "version", "created_at")
        read_only_fields = fields


class MembershipUpdateSerializer(InputSerializer):
    role = org_role_field()
    version = version_field()


# --- invitations ------------------------------------------------------------------------------


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as its organisation's admins see it. The secret token is never shown."""

    role = org_role_field(read_only=True)
    state = serializers.ChoiceField(
        choices=["pending", "accepted", "revoked", "expired"], read_only=True
    )
    invited_by = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = (
            "id",
            "organisation",
            "email",
            "role",
            "state",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        )
        read_only_fields = fields


class InvitationCreateSerializer(InputSerializer):
    organisation = ScopedPrimaryKeyRelatedField(
        model=Organisation, scope=organisations_for, noun="organisation"
    )
    email = serializers.EmailField(max_length=254)
    role = org_role_field(default=OrgRole.MEMBER)


def users_visible_to(user: User) -> Any:
    """People who share an organisation with `user`: the ids a body may name."""
    return User.objects.filter(
        memberships__organisation__in=organisations_for(user).values("pk")
    ).distinct()
