"""/api/v1/notifications/ (the bell: list, mark read) and /api/v1/notification-preferences/."""

from collections.abc import Mapping
from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, views
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tpm.models import Notification, User
from tpm.models_collab import Delivery
from tpm.notifications import (
    EVENTS,
    notifications_mark_read,
    preferences_of,
    preferences_update,
    unread_count,
)

from .fields import id_field
from .viewsets import ScopedViewSet, errors


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = (
            "id",
            "organisation",
            "kind",
            "title",
            "body",
            "url",
            "created_at",
            "read_at",
            "read",
        )
        read_only_fields = fields

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=id_field(), required=False, max_length=500)


@extend_schema(tags=["notifications"])
@extend_schema_view(
    list=extend_schema(summary="Your notifications, newest first (`?unread=true` for unread)."),
    retrieve=extend_schema(
        summary="One of your notifications.", responses={200: NotificationSerializer, **errors(404)}
    ),
)
class NotificationViewSet(mixins.ListModelMixin, ScopedViewSet):
    serializer_class = NotificationSerializer

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Notification.objects.none()
        rows = Notification.objects.filter(recipient=self.actor).order_by("-created_at", "-id")
        if self.request.query_params.get("unread") in ("1", "true", "yes"):
            rows = rows.filter(read_at__isnull=True)
        return rows

    @extend_schema(
        summary="Mark one notification read.",
        request=None,
        responses={200: NotificationSerializer, **errors(404)},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notification = self.get_object()
        notifications_mark_read(user=self.actor, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        summary="Mark read: the `ids` given, or all of them without `ids`.",
        request=MarkReadSerializer,
        responses={200: None, **errors(400)},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = notifications_mark_read(user=self.actor, ids=body.validated_data.get("ids"))
        return Response({"marked": marked, "unread": unread_count(self.actor)})

    @extend_schema(summary="How many are unread (the bell).", responses={200: None})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": unread_count(self.actor)})


class PreferencesSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            # plain strings: one enum per event would repeat the same choice set in the schema
            kind: serializers.CharField(
                required=False, help_text=f"{label}: {', '.join(Delivery.values)}."
            )
            for kind, label in EVENTS.items()
        }


@extend_schema(tags=["notifications"])
class NotificationPreferencesView(views.APIView):
    """Per event: `immediate` (email at once), `digest` (daily) or `off`."""

    @extend_schema(summary="Your email choice per event.", responses={200: PreferencesSerializer})
    def get(self, request: Request) -> Response:
        return Response(preferences_of(cast(User, request.user)))

    @extend_schema(
        summary="Change some choices; unknown events or values are a 400.",
        request=PreferencesSerializer,
        responses={200: PreferencesSerializer, **errors(400)},
    )
    def patch(self, request: Request) -> Response:
        data: Any = request.data
        if not isinstance(data, Mapping):  # `null`, a list or a number: no choices to read
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
        unknown = set(data) - set(EVENTS)
        if unknown:
            raise serializers.ValidationError({key: ["No such event."] for key in sorted(unknown)})
        body = PreferencesSerializer(data=data)
        body.is_valid(raise_exception=True)
        result = preferences_update(
            user=cast(User, request.user), choices=dict(body.validated_data)
        )
        return Response(result, status=status.HTTP_200_OK)

    put = patch
