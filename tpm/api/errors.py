"""One shape for every API error: {"detail": "...", "code": "...", "errors": {field: [...]}}."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tpm.concurrency import StaleVersionError, VersionRequiredError

from .fields import ScopedObjectNotFound


def _django_validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_errors(exc))
    if isinstance(exc, VersionRequiredError):
        return Response(
            {"detail": str(exc), "code": "version_required", "errors": {}},
            status=status.HTTP_428_PRECONDITION_REQUIRED,
        )
    if isinstance(exc, StaleVersionError):
        return _conflict(exc, context)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        response.data = {"detail": "The request is invalid.", "code": "invalid", "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {
            "detail": str(detail),
            "code": getattr(detail, "code", "error"),
            "errors": {exc.field: [str(detail)]} if isinstance(exc, ScopedObjectNotFound) else {},
        }
    return response


def _conflict(exc: StaleVersionError, context: dict[str, Any]) -> Response:
    """409 with the record as it is now, rendered the way the view renders it (plus its ETag)."""
    view = context.get("view")
    represent = getattr(view, "conflict_representation", None)
    if represent is not None:
        current = represent(exc.current)
    else:
        serializer_for = getattr(view, "get_serializer", None)
        current = serializer_for(exc.current).data if serializer_for else None
    response = Response(
        {
            "detail": "Someone else changed this record since you loaded it. "
            "Review the current state and apply your edit to it.",
            "code": "conflict",
            "errors": {},
            "current": current,
        },
        status=status.HTTP_409_CONFLICT,
    )
    version = getattr(exc.current, "version", None)
    if version is not None:
        response["ETag"] = f'"{version}"'
    return response
