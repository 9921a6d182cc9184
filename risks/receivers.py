"""Reactions to events announced by the tenancy core (tpm cannot import risks)."""

from typing import Any

from django.dispatch import receiver

from tpm.signals import organisation_created

from . import services


@receiver(organisation_created)
def _seed_risk_categories(sender: Any, organisation: Any, **kwargs: Any) -> None:
    # Pages only read the categories; organisations older than this got theirs in a migration.
    services.categories_ensure(organisation=organisation)
