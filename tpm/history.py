"""Recording who changed what. Services call these inside their transaction."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import money as _money  # `money` is also the name of a flag below
from .models import HistoryEntry, Organisation, User


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# Money in the history: people who may not see money must not read it there either, since a
# task's cost after approved time gives a person's rate away. What money is lives in
# tpm/money.py: fields of its names are left out of what such a reader sees, and records of
# the models apps register in money.MONEY_MODELS (budget lines, rates) are left out whole.
MONEY_MODELS = _money.MONEY_MODELS


def shows_money(entry: HistoryEntry) -> bool:
    """True when the record itself is about money (a budget line, an expense, a rate)."""
    kind = ContentType.objects.get_for_id(entry.target_type_id)  # cached after the first
    return f"{kind.app_label}.{kind.model}" in MONEY_MODELS


def visible_changes(entry: HistoryEntry, *, money: bool) -> dict[str, Any]:
    """The entry's changes as a reader sees them: without money unless `money`."""
    return _money.changes_for(entry.changes or {}, money=money)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    *,
    actor: User | None,
    organisation: Organisation,
    target: models.Model,
    action: str,
    scope: str,
    changes: Mapping[str, Any] | None = None,
) -> HistoryEntry:
    return HistoryEntry.objects.create(
        organisation=organisation,
        scope=scope,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        action=action,
        changes=dict(changes or {}),
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
