"""Serializer fields shared by every app's API.

`ScopedPrimaryKeyRelatedField` is the one way an id inside a request body becomes an object: it
is looked up through the same scoped queryset the endpoints use, so an id outside the user's
organisations answers 404 (naming the field), exactly like the detail route would.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions, serializers

# The largest id a primary key holds (BigAutoField, and SQLite's INTEGER): a bigger number in a
# body or query string is refused as invalid before it reaches the database.
MAX_ID = 2**63 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """A bare id inside a body (a list of ids to act on), bounded to what a key can hold."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class ScopedObjectNotFound(exceptions.NotFound):
    """An id in the request body names nothing the user may see. Rendered as 404 with the field."""

    def __init__(self, *, field: str, detail: str) -> None:
        super().__init__(detail=detail, code="not_found")
        self.field = field


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id resolved through `scope(user)`; an id outside that queryset raises a 404."""

    def __init__(
        self, *, model: type[Model], scope: Callable[[Any], QuerySet], noun: str, **kwargs: Any
    ) -> None:
        self.scope = scope
        self.noun = noun
        # Only names the model (for the schema's id type); lookups always go through `scope`.
        kwargs["queryset"] = model._default_manager.none()
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scope(self.context["request"].user)

    def to_internal_value(self, data: Any) -> Model:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise ScopedObjectNotFound(
                field=self.field_name or "",
                detail=f"No {self.noun} with id {pk} is visible to you.",
            )
        return obj


class EnumChoiceField(serializers.ChoiceField):
    """A choice field documented as one named enum component (e.g. `OrgRole`, `ProjectRole`).

    Fields named alike but with different choices (an organisation role and a project role are
    both `role`) would otherwise make drf-spectacular guess enum names and warn.
    """

    def __init__(self, *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        super().__init__(**kwargs)


class EnumChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumChoiceField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        field: EnumChoiceField = self.target
        values = list(field.choices)
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={
                "type": "string",
                "enum": values,
                "description": "\n".join(
                    f"* `{value}` - {label}" for value, label in field.choices.items()
                ),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
