"""Keyset (cursor) pagination for every API list (issue 14, speed at scale).

A page is read as `WHERE (sort keys) after (the last row seen) ORDER BY keys LIMIT n+1`: the
database walks from the cursor, so the last page of 5,000 tasks costs what the first does. An
OFFSET makes the database produce and throw away every earlier row (with their per-row
annotations), which took 10 s on PostgreSQL for `?page=101`.

* The order is the list's own (`ordering`, `?ordering=`, else the model's), made unique by the
  primary key; a foreign key named bare (`project`) sorts by its id. Nulls sort after every value
  (`NULLS LAST` ascending, `NULLS FIRST` descending, PostgreSQL's own default).
* `next` and `previous` carry an opaque `cursor` (the boundary row's sort keys); following them
  visits every row once, also when rows are added or removed in between.
* `?page=N` still works for older clients (an OFFSET, paid only by whoever asks for it); its
  `next`/`previous` links are cursors, so a client that follows links never pays it twice.
* `count` stays in the envelope: one `COUNT(*)` of the filtered list, without the page's
  annotations (Django leaves unreferenced annotations out of a count).
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, ForeignKey, Model, Q, QuerySet
from django.db.models.expressions import OrderBy
from rest_framework import exceptions
from rest_framework.pagination import BasePagination, _positive_int
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

CURSOR_PARAM = "cursor"
PAGE_PARAM = "page"
SIZE_PARAM = "page_size"


@dataclass(frozen=True)
class Key:
    """One sort key: a field path as the ORM names it, its direction, whether it can be null."""

    path: str
    descending: bool
    nullable: bool

    def order(self, reverse: bool) -> OrderBy:
        descending = self.descending != reverse
        expression = F(self.path)
        if not self.nullable:
            return expression.desc() if descending else expression.asc()
        # nulls last in the list's own direction, so first when it is read backwards
        return expression.desc(nulls_first=True) if descending else expression.asc(nulls_last=True)

    def after(self, value: Any, reverse: bool) -> Q | None:
        """Rows strictly after `value` on this key (None: no row can be)."""
        descending = self.descending != reverse
        if value is None:  # nulls are the largest values
            return Q(**{f"{self.path}__isnull": False}) if descending else None
        if descending:
            return Q(**{f"{self.path}__lt": value})
        later = Q(**{f"{self.path}__gt": value})
        return later | Q(**{f"{self.path}__isnull": True}) if self.nullable else later

    def equal(self, value: Any) -> Q:
        if value is None:
            return Q(**{f"{self.path}__isnull": True})
        return Q(**{self.path: value})


def _nullable(model: type[Model], path: str) -> bool:
    """Whether a field path can hold null (unknown names, e.g. annotations: assume it can)."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return True
        if field.null or not field.concrete or field.many_to_many:
            return True
        if field.related_model is not None and field.is_relation:
            model = field.related_model
    return False


def _named(model: type[Model], name: str) -> str:
    """`project` (a foreign key) sorts by `project_id`, not by the project's own ordering."""
    if name == "pk" or "__" in name:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if isinstance(field, ForeignKey):  # also a one-to-one field
        return field.attname
    return name


def sort_keys(queryset: QuerySet) -> list[Key]:
    """The queryset's order as keys, ending with the primary key (so the order is total)."""
    model = queryset.model
    if queryset.query.order_by:
        ordering = list(queryset.query.order_by)
    elif queryset.query.default_ordering:
        ordering = list(model._meta.ordering)
    else:
        ordering = []
    keys: list[Key] = []
    for item in ordering:
        if isinstance(item, OrderBy) and isinstance(item.expression, F):
            name, descending = str(item.expression.name), item.descending  # type: ignore[attr-defined]
        elif isinstance(item, str) and item != "?":
            name, descending = item.lstrip("-"), item.startswith("-")
        else:  # an expression we cannot compare to a cursor: the primary key decides
            continue
        path = _named(model, name)
        if path in ("pk", model._meta.pk.attname):
            keys.append(Key("pk", descending, False))
            return keys
        if all(key.path != path for key in keys):
            keys.append(Key(path, descending, _nullable(model, path)))
    keys.append(Key("pk", False, False))
    return keys


def row_value(row: Any, path: str) -> Any:
    """A key's value in a row: a model instance or a `values()` dict."""
    if isinstance(row, dict):
        return row.get("id" if path == "pk" else path)
    value = row
    for name in path.split("__"):
        if value is None:
            return None
        value = getattr(value, name)
    return value.pk if isinstance(value, Model) else value


def _plain(value: Any) -> str:
    """A key value as text the ORM reads back exactly (DjangoJSONEncoder would cut datetimes
    to milliseconds, and a cursor must name its row to the microsecond)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"A {type(value).__name__} cannot be a cursor key.")


def encode_cursor(keys: list[Key], row: Any, reverse: bool) -> str:
    data: dict[str, Any] = {
        "k": [k.path for k in keys],
        "v": [row_value(row, k.path) for k in keys],
    }
    if reverse:
        data["r"] = 1
    text = json.dumps(data, default=_plain, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(keys: list[Key], cursor: str) -> tuple[list[Any], bool]:
    """The values and direction of a cursor made for this order, else a 400 naming `cursor`."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(text)
        values, paths, reverse = data["v"], data["k"], bool(data.get("r"))
    except (binascii.Error, ValueError, TypeError, KeyError, AttributeError):
        raise exceptions.ValidationError({CURSOR_PARAM: ["Not a cursor of this list."]}) from None
    if paths != [k.path for k in keys] or not isinstance(values, list) or len(values) != len(keys):
        raise exceptions.ValidationError(
            {CURSOR_PARAM: ["This cursor was made for another order; start again without it."]}
        )
    return values, reverse


def _typed(model: type[Model], keys: list[Key], values: list[Any]) -> list[Any]:
    """The cursor's values as their fields hold them; a value a field cannot hold is a 400 (a
    cursor edited by hand), never a database error."""
    typed = []
    for key, value in zip(keys, values, strict=True):
        field: Any = model._meta.pk
        current = model
        try:
            for name in [] if key.path == "pk" else key.path.split("__"):
                field = current._meta.get_field(name)
                current = field.related_model or current
            typed.append(None if value is None else field.to_python(value))
        except (FieldDoesNotExist, AttributeError):  # an annotation: compared as given
            typed.append(value)
        except (DjangoValidationError, ValueError, TypeError):
            raise exceptions.ValidationError(
                {CURSOR_PARAM: ["Not a cursor of this list."]}
            ) from None
    return typed


def after_row(keys: list[Key], values: list[Any], reverse: bool) -> Q:
    """Rows after the cursor's row in the key order: an OR of `equal on the first i keys and
    after on key i`, led by a plain range on the first key so an index on it can be used."""
    condition = Q(pk__in=[])
    for i, key in enumerate(keys):
        later = key.after(values[i], reverse)
        if later is None:
            continue
        term = later
        for previous, value in zip(keys[:i], values[:i], strict=True):
            term &= previous.equal(value)
        condition |= term
    first, value = keys[0], values[0]
    if value is not None and not first.nullable:
        bound = "lte" if first.descending != reverse else "gte"
        condition &= Q(**{f"{first.path}__{bound}": value})
    return condition


class KeysetPagination(BasePagination):
    """The API's pagination: `results`, `next`, `previous` (cursor links) and `count`."""

    page_size: int = api_settings.PAGE_SIZE or 50
    max_page_size = 200
    page_size_query_param = SIZE_PARAM

    def get_page_size(self, request: Request) -> int:
        try:
            return _positive_int(
                request.query_params[self.page_size_query_param],
                strict=True,
                cutoff=self.max_page_size,
            )
        except (KeyError, ValueError):
            return self.page_size

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None, count: int | None = None
    ) -> list[Any]:
        """A page of `queryset` (`count`: its length, when the caller has counted already)."""
        self.request = request
        self.size = self.get_page_size(request)
        if not isinstance(queryset, QuerySet):  # rows already in memory: page numbers
            self.keys: list[Key] | None = None
            self.count = len(queryset)
            return self._from_page(list(queryset), request)
        self.count = queryset.count() if count is None else count
        self.keys = sort_keys(queryset)
        cursor = request.query_params.get(CURSOR_PARAM)
        if cursor:
            return self._from_cursor(queryset, self.keys, cursor)
        return self._from_page(queryset.order_by(*(k.order(False) for k in self.keys)), request)

    def _from_cursor(self, queryset: QuerySet, keys: list[Key], cursor: str) -> list[Any]:
        values, reverse = decode_cursor(keys, cursor)
        values = _typed(queryset.model, keys, values)
        ordered = queryset.order_by(*(key.order(reverse) for key in keys))
        rows = list(ordered.filter(after_row(keys, values, reverse))[: self.size + 1])
        more = len(rows) > self.size
        rows = rows[: self.size]
        if reverse:
            rows.reverse()
        self.has_next, self.has_previous = (True, more) if reverse else (more, True)
        self.rows = rows
        return rows

    def _from_page(self, queryset: Any, request: Request) -> list[Any]:
        try:
            number = _positive_int(request.query_params.get(PAGE_PARAM, "1"), strict=True)
        except ValueError:
            raise exceptions.NotFound("Invalid page.") from None
        offset = (number - 1) * self.size
        if number > 1 and offset >= self.count:
            raise exceptions.NotFound("Invalid page.")
        rows = list(queryset[offset : offset + self.size + 1])
        self.has_next, self.has_previous = len(rows) > self.size, number > 1
        self.rows = rows[: self.size]
        return self.rows

    def keep(self, rows: int) -> None:
        """Keep only the page's first `rows` rows (e.g. to stay under a size); the rest start
        the next page."""
        if rows < len(self.rows):
            self.rows, self.has_next = self.rows[:rows], True

    def _link(self, row: Any, reverse: bool) -> str:
        url = remove_query_param(self.request.build_absolute_uri(), PAGE_PARAM)
        if self.keys is None:  # a list in memory: page numbers
            number = int(self.request.query_params.get(PAGE_PARAM, "1")) + (-1 if reverse else 1)
            return replace_query_param(url, PAGE_PARAM, number) if number > 1 else url
        return replace_query_param(url, CURSOR_PARAM, encode_cursor(self.keys, row, reverse))

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.rows:
            return None
        return self._link(self.rows[-1], reverse=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.rows:  # nothing left after the cursor: start again from the top
            return remove_query_param(self.request.build_absolute_uri(), CURSOR_PARAM)
        return self._link(self.rows[0], reverse=True)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer", "description": "Rows in the whole (filtered) list."},
                "next": {**link, "description": "The next page (a `cursor` link), or null."},
                "previous": {**link, "description": "The page before, or null."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": "Where a page starts: take it from `next` or `previous` (opaque). "
                "Reads from the cursor, so a deep page costs what the first does.",
                "schema": {"type": "string"},
            },
            {
                "name": PAGE_PARAM,
                "required": False,
                "in": "query",
                "description": "For older clients: a page number (without `cursor`). Deep pages "
                "cost more; follow `next` instead.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": SIZE_PARAM,
                "required": False,
                "in": "query",
                "description": f"Rows per page (default {self.page_size}, at most "
                f"{self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
