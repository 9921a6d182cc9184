"""Optimistic concurrency and the one order in which writers take row locks.

An edit names the version it started from; a stale one is refused (`lock_current_version`).

Lock order (issue 22), the same in every service:
1. the organisation row, only to create a link (the loop check reads every project's links);
2. the project row (`lock_project_then`, `lock_row`): every writer of a project's tasks,
   links, board or time takes it before any of those rows, because a reschedule rewrites every
   task of the project while holding it; an edit that locked its task first could wait for the
   project while the holder waited for that task, a deadlock PostgreSQL breaks by failing one;
3. then the rows edited; several rows of one table in id order (`lock_rows`).
Locks are FOR NO KEY UPDATE: they exclude other writers but not inserts of rows that point at
the locked one (a comment on a task, a task of a project), which only take a key-share lock.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


class StaleVersionError(Exception):
    """Someone saved the record after the editor loaded it. Carries the record as it is now."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(f"{current._meta.verbose_name} was changed by someone else.")
        self.current = current


class VersionRequiredError(Exception):
    """An edit arrived without saying which version it was based on."""


def lock_current_version(instance: M, expected_version: int | None) -> M:
    """Re-read the row under a lock and check that it is still at `expected_version`.

    A row whose edit goes on to lock its project (a reschedule) or to rewrite other rows of it
    is locked through `lock_project_then`, never alone."""
    if expected_version is None:
        raise VersionRequiredError("Send the version you edited (the `version` field or If-Match).")
    locked = type(instance)._default_manager.select_for_update(no_key=True).get(pk=instance.pk)
    if locked.version != expected_version:  # type: ignore[attr-defined]
        raise StaleVersionError(locked)
    return locked


def lock_rows(model: type[models.Model], ids: Iterable[int]) -> list[int]:
    """Lock these rows of one table in id order (the order every writer uses); returns the ids
    locked. A no-op on SQLite, which lets one writer in at a time anyway."""
    wanted = sorted(set(ids))
    if not wanted or not connection.features.has_select_for_update:
        return wanted  # no query where a lock means nothing (the tests' query counts)
    rows = model._base_manager.select_for_update(no_key=True).filter(pk__in=wanted)
    return list(rows.order_by("pk").values_list("pk", flat=True))


def lock_row(instance: models.Model) -> None:
    """Lock one row (the project before its tasks; the organisation before a loop check)."""
    lock_rows(type(instance), [instance.pk])


def lock_project_then(project: models.Model, instance: M, expected_version: int | None) -> M:
    """The project row, then `instance` at `expected_version` (`lock_current_version`)."""
    lock_row(project)
    return lock_current_version(instance, expected_version)
