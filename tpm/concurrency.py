"""Optimistic concurrency: an edit names the version it started from; a stale one is refused."""

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class StaleVersionError(Exception):
    """Someone saved the record after the editor loaded it. Carries the record as it is now."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(f"{current._meta.verbose_name} was changed by someone else.")
        self.current = current


class VersionRequiredError(Exception):
    """An edit arrived without saying which version it was based on."""


def lock_current_version(instance: M, expected_version: int | None) -> M:
    """Re-read the row under a lock and check that it is still at `expected_version`."""
    if expected_version is None:
        raise VersionRequiredError("Send the version you edited (the `version` field or If-Match).")
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if locked.version != expected_version:  # type: ignore[attr-defined]
        raise StaleVersionError(locked)
    return locked
