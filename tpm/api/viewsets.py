"""The few pieces every viewset shares: input validation, versions (ETag/If-Match), rendering.

A viewset's `get_queryset` starts from the user's scope (an object outside it is a 404);
writes load their object through the app's permission-checked fetcher (403 when the role does
not allow it), validate the body with an input serializer, call one service and render the
result with the output serializer (`serializer_class`).
"""

import re
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response

from tpm.models import Organisation, User
from tpm.roles import OrgAction, org_role_can

from .serializers import ErrorSerializer

_ETAG = re.compile(r'^(?:W/)?"?(\d+)"?$')

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The version you edited, as the ETag you got (`"3"`) or bare (`3`). '
    "Alternatively send `version` in the body. A stale version answers 409 with the current "
    "state; no version at all answers 428.",
)


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Documented error answers, all in the one error shape."""
    descriptions = {
        400: "The body is invalid; `errors` names the fields.",
        403: "Your role does not allow this.",
        404: "Not found, or not visible to you (also for ids in the body).",
        409: "Stale version; `current` holds the record as it is now.",
        428: "No version sent (If-Match header or `version` field).",
    }
    return {
        code: OpenApiResponse(ErrorSerializer, description=descriptions[code]) for code in codes
    }


def etag(instance: Model) -> str:
    return f'"{instance.version}"'  # type: ignore[attr-defined]


class ScopedViewSet(viewsets.GenericViewSet):
    """Base for the API's viewsets. `input_serializers` maps an action to its input serializer."""

    lookup_value_regex = "[0-9]+"  # ASCII digits only: Python's \\d also takes "٣"
    input_serializers: dict[str, type[serializers.Serializer]] = {}

    @property
    def actor(self) -> User:
        """The signed-in user (IsAuthenticated runs before any handler)."""
        return cast(User, self.request.user)

    def validated_input(self, *, partial: bool = False) -> dict[str, Any]:
        serializer = self.input_serializers[self.action](
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def reload(self, pk: int) -> Model:
        """The object as the scoped queryset shows it (with its annotations), after a write."""
        return self.get_queryset().get(pk=pk)

    def render(self, instance: Model, status_code: int = status.HTTP_200_OK) -> Response:
        response = Response(self.get_serializer(instance).data, status=status_code)
        if getattr(instance, "version", None) is not None:
            response["ETag"] = etag(instance)
        return response

    def conflict_representation(self, current: Model) -> Any:
        """The stale-write answer's `current`: the record as this endpoint renders it."""
        instance = self.get_queryset().filter(pk=current.pk).first() or current
        return self.get_serializer(instance).data

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return self.render(self.get_object())


class VersionedUpdateMixin:
    """PUT and PATCH: fetch with the write check, validate, take the version, call one service."""

    def fetch_for_update(self, pk: int) -> Model:
        raise NotImplementedError

    def apply_update(self, instance: Any, changes: dict[str, Any], version: int | None) -> Model:
        raise NotImplementedError

    def update(self, request: Any, pk: str, partial: bool = False) -> Response:
        view = cast(ScopedViewSet, self)
        instance = self.fetch_for_update(int(pk))
        changes = view.validated_input(partial=partial)
        version = requested_version(request, changes)
        updated = self.apply_update(instance, changes, version)
        return view.render(view.reload(updated.pk))

    def partial_update(self, request: Any, pk: str) -> Response:
        return self.update(request, pk, partial=True)


class RemoveMixin:
    """DELETE: fetch with the write check and call one service; 204."""

    def fetch_for_removal(self, pk: int) -> Model:
        raise NotImplementedError

    def apply_removal(self, instance: Any) -> None:
        raise NotImplementedError

    def destroy(self, request: Any, pk: str) -> Response:
        self.apply_removal(self.fetch_for_removal(int(pk)))
        return Response(status=status.HTTP_204_NO_CONTENT)


def requested_version(request: Any, data: dict[str, Any]) -> int | None:
    """The version the client edited: `If-Match` (quoted, weak or bare) or the `version` field.

    Pops `version` from `data` so what is left are the changes.
    """
    body_version = data.pop("version", None)
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return body_version
    match = _ETAG.match(header)
    if match is None:
        raise exceptions.ValidationError(
            {"If-Match": ['Send the version as the ETag you got, e.g. If-Match: "3".']}
        )
    version = int(match.group(1))
    if body_version is not None and body_version != version:
        raise exceptions.ValidationError(
            {"version": [f"The body says version {body_version} but If-Match says {version}."]}
        )
    return version


def require_org_action(organisation: Organisation, action: OrgAction) -> None:
    """An organisation named in a body (visible, or its field answered 404): may the user act?

    The organisation comes from a scoped field (`organisations_for`), annotated with the user's
    `my_role`: a row of a list queryset, not a fetched Access.
    """
    if not org_role_can(getattr(organisation, "my_role", None), action):
        raise PermissionDenied("Your role in this organisation does not allow this.")
